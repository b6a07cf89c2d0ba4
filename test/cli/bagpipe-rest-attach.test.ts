/**
 * bagpipe-rest-attach (config.md §6, rest-api.md §4-6): the requests it sends, received by an
 * HTTP server of the test that records them (the daemon's side of the contract), compared with:
 *
 * - the example body of rest-api.md §6 (what the original builds for the simplest command);
 * - the original command itself, run on the same command lines: it prints `request: <json>` and
 *   then crashes on Python 3 before sending (config.md §6), so its printed request is the
 *   reference for ours, byte for byte, except `to` → `to_rt` in attract_traffic (our fix);
 * - its usage errors (exit 2, same message), including the cases where the original crashed.
 *
 * Also: HTTP errors (body and reason, exit 1), an unreachable daemon, the configuration file
 * ([API] host/port, deprecated api_port). `--port netns` is tested in
 * bagpipe-rest-attach-netns.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '../helpers/ports.js';
import { startHttpFixture, type HttpFixture } from './helpers/http-fixture.js';
import { originalRestAttach } from './helpers/original-tools.js';
import { runCli } from './helpers/run-process.js';

const HOST = '127.0.143.1';

let server: HttpFixture;
let dir: string;
let conf: string;
before(async () => {
  server = await startHttpFixture(HOST, () => ({ body: 'null' }));
  dir = mkdtempSync(join(tmpdir(), 'rest-attach-'));
  conf = join(dir, 'bgp.conf');
  writeFileSync(conf, `[API]\nhost = ${HOST}\nport = ${server.port}\n[COMMON]\nroot_helper =\n`);
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the example of rest-api.md §6: the body the original builds, sent to /attach_localport', async () => {
  const before = server.requests.length;
  const r = await runCli('bagpipe-rest-attach', ['--config-file', conf, '--attach', '--port', 'tap1', '--network-type', 'ipvpn', '--ip', '10.1.1.1', '--rt', '64512:7']);
  assert.equal(r.status, 0, r.stderr);
  const sent = server.requests.slice(before);
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.method, 'POST');
  assert.equal(sent[0]!.path, '/attach_localport');
  assert.equal(sent[0]!.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(sent[0]!.body), {
    import_rt: ['64512:7'],
    export_rt: ['64512:7'],
    local_port: { linuxif: 'tap1' },
    vpn_instance_id: 'ipvpn-bagpipe-test',
    vpn_type: 'ipvpn',
    gateway_ip: '10.1.1.254',
    mac_address: '52:54:00:99:99:22',
    ip_address: '10.1.1.1/24',
    advertise_subnet: false,
    readvertise: null,
    attract_traffic: {},
    lb_consistent_hash_order: 0,
    vni: 0,
    direction: 'both',
  });
  assert.equal(
    r.stdout,
    `using 10.1.1.254 as gateway address\nrequest: ${sent[0]!.body}\nresponse: 200 b'null'\n`,
  );
  // json.dumps's separators, keys in the original's order.
  assert.ok(sent[0]!.body.startsWith('{"import_rt": ["64512:7"], "export_rt": ["64512:7"], "local_port": {"linuxif": "tap1"}, "vpn_instance_id"'));
});

/** Command lines that run no command (no netns, no OVS pre-plug): safe to give the original. */
const COMMAND_LINES: readonly (readonly string[])[] = [
  ['--attach', '--port', 'tap1', '--network-type', 'ipvpn', '--ip', '10.1.1.1', '--rt', '64512:7'],
  ['--attach', '--network-type', 'evpn', '--port', 'tap2', '--mac', '52:54:00:aa:bb:cc', '--ip', '10.2.0.5/16', '--vni', '1234', '--vpn-instance-id', 'blue'],
  ['--detach', '--network-type', 'ipvpn', '--port', 'tap1', '--ip', '10.1.1.1/32', '--gateway-ip', '10.1.1.1'],
  ['--detach', '--network-type', 'evpn', '--port', 'tap2', '--mac', '52:54:00:aa:bb:cc', '--ip', '10.2.0.5/31'],
  [
    '--attach', '--network-type', 'ipvpn', '--port', 'tap3', '--ip', '10.3.0.1/24', '--rt', '64512:1', '--rt', '64512:2',
    '--import-rt', '64512:3', '--export-rt', '64512:4', '--direction', 'to-port', '--advertise-subnet',
    '--readv-from-rt', '64512:30', '--readv-to-rt', '64512:31', '--redirect-rts', '64512:5', '--protocol', 'udp',
    '--destination-port', '53', '--source-prefix', '1.1.1.0/24', '--destination-port', '54', '--attract-to-rt', '64512:6',
    '--static-destination-prefix', '20.0.0.0/8', '--lb-consistent-hash-order', '3', '--local-pref', '200', '--mac', '52:54:00:00:00:01',
  ],
  ['--attach', '--network-type', 'ipvpn', '--port', 'tap4', '--ip', '10.4.0.1', '--import-rt', '64512:9'],
  ['--attach', '--network-type', 'ipvpn', '--port', 'evpn:blue', '--ip', '10.0.0.5', '--gateway-ip', '10.0.0.1'],
  ['--atta', '--network', 'ipvpn', '--po', 'tap9', '--ip=10.9.9.9/8', '--local-pref', '-5', '--vni', '0x10'],
  ['--attach', '--network-type', 'ipvpn', '--port', 'tap5', '--ip', '10.5.0.1', '--advertise-subnet', '--advertise-singleton', '--local-pref', '0', '--ovs-vlan', '12'],
  ['--attach', '--detach', '--network-type', 'ipvpn', '--port', 'tap6', '--ip', '10.6.0.1', '--readv-from-rt', '64512:1', '--redirect-rts', '64512:2', '--source-port', '1000:2000', '--direction', 'from-port'],
  ['--attach', '--network-type', 'ipvpn', '--port', 'tap7', '--ip', '2001:db8::1/64', '--vpn-instance-id', 'ünï"code'],
  ['--attach', '--network-type', 'ipvpn', '--port', 'tap8', '--ip', '10.8.0.1', '--readv-to-rt', '64512:80', 'stray', 'positionals'],
];

test('every command line sends what the original prints as its request', async () => {
  const originals = await originalRestAttach(COMMAND_LINES, conf);
  for (const [i, argv] of COMMAND_LINES.entries()) {
    const original = originals[i]!;
    assert.equal(original.outcome, 'TypeError', `the original should crash after printing the request: ${JSON.stringify(original)}`);
    const before = server.requests.length;
    const r = await runCli('bagpipe-rest-attach', ['--config-file', conf, ...argv]);
    assert.equal(r.status, 0, `${argv.join(' ')}: ${r.stderr}`);
    const expectedStdout = original.stdout.replace('"to": ', '"to_rt": ');
    assert.equal(r.stdout, `${expectedStdout}response: 200 b'null'\n`, argv.join(' '));
    const sent = server.requests.slice(before);
    assert.equal(sent.length, 1);
    const operation = argv.filter((a) => a === '--attach' || a === '--detach' || a === '--atta').at(-1) === '--detach' ? 'detach' : 'attach';
    assert.equal(sent[0]!.path, `/${operation}_localport`);
    assert.equal(`request: ${sent[0]!.body}`, /^request: .*$/m.exec(expectedStdout)![0]);
  }
});

test('attract_traffic carries to_rt, the key the daemon reads (the original sent "to")', async () => {
  const before = server.requests.length;
  const r = await runCli('bagpipe-rest-attach', [
    '--config-file', conf, '--attach', '--network-type', 'ipvpn', '--port', 'tap1', '--ip', '10.0.0.1',
    '--redirect-rts', '64512:5', '--protocol', 'tcp', '--attract-to-rt', '64512:6', '--static-destination-prefix', '20.0.0.0/8',
  ]);
  assert.equal(r.status, 0, r.stderr);
  const body = JSON.parse(server.requests[before]!.body) as { attract_traffic: unknown };
  assert.deepEqual(body.attract_traffic, {
    redirect_rts: ['64512:5'],
    classifier: { protocol: 'tcp' },
    to_rt: ['64512:6'],
    static_destination_prefixes: ['20.0.0.0/8'],
  });
});

const USAGE_ERRORS: readonly { argv: readonly string[]; message: string; original: string }[] = [
  { argv: [], message: 'Need to specify --attach or --detach', original: 'exit 2' },
  { argv: ['--attach'], message: 'Need to specify --port <localport>', original: 'exit 2' },
  { argv: ['--attach', '--port', 'x'], message: 'Need to specify --network-type', original: 'exit 2' },
  { argv: ['--attach', '--port', 'x', '--network-type', 'ipvpn'], message: 'Need to specify --ip', original: 'exit 2' },
  { argv: ['--network-type', 'l3vpn'], message: "option --network-type: invalid choice: 'l3vpn' (choose from 'ipvpn', 'evpn')", original: 'exit 2' },
  { argv: ['--direction', 'up'], message: "option --direction: invalid choice: 'up' (choose from 'to-port', 'from-port', 'both')", original: 'exit 2' },
  { argv: ['--vni', 'abc'], message: "option --vni: invalid integer value: 'abc'", original: 'exit 2' },
  { argv: ['--a'], message: 'ambiguous option: --a (--advertise-singleton, --advertise-subnet, --attach, --attract-to-rt?)', original: 'exit 2' },
  { argv: ['--bogus'], message: 'no such option: --bogus', original: 'exit 2' },
  { argv: ['--attach='], message: '--attach option does not take a value', original: 'exit 2' },
  { argv: ['--attach', '--ip'], message: '--ip option requires 1 argument', original: 'exit 2' },
  {
    argv: ['--attach', '--port', 'x', '--network-type', 'evpn', '--ip', '1.2.3.4'],
    message: "Need to specify --mac for an EVPN network attachment if port is not 'netns'",
    original: 'exit 2',
  },
  {
    argv: ['--attach', '--port', 'x', '--network-type', 'ipvpn', '--ip', '1.2.3.4', '--redirect-rts', '1:1', '--protocol', 'tcp', '--attract-to-rt', '1:2'],
    message: 'Need to specify --attract-to-rt and at least one static destination prefix option',
    original: 'exit 2',
  },
  // The original crashed on these (AttributeError, Exception, IndexError, AddrFormatError).
  {
    argv: ['--attach', '--port', 'x', '--network-type', 'ipvpn', '--ip', '1.2.3.4', '--redirect-rts', '1:1'],
    message: 'Need to specify --redirect-rt and at least one traffic classifier option',
    original: 'AttributeError',
  },
  { argv: ['--attach', '--port', 'evpn:x', '--network-type', 'evpn', '--ip', '1.2.3.4', '--mac', '52:54:00:00:00:01'], message: 'Can only plug an evpn into an ipvpn', original: 'Exception' },
  { argv: ['--attach', '--port', 'x', '--network-type', 'ipvpn', '--ip', '10.0.0.1/32'], message: 'no gateway address in a /32: give --gateway-ip', original: 'IndexError' },
  { argv: ['--attach', '--port', 'x', '--network-type', 'ipvpn', '--ip', '10.0.0.300'], message: "invalid IP address in --ip: '10.0.0.300/24'", original: 'AddrFormatError' },
];

test('usage errors: exit 2 with the original message (also where the original crashed), nothing sent', async () => {
  const originals = await originalRestAttach(
    USAGE_ERRORS.map((u) => u.argv),
    conf,
  );
  const before = server.requests.length;
  for (const [i, u] of USAGE_ERRORS.entries()) {
    const original = originals[i]!;
    assert.equal(original.outcome, u.original, `original on ${u.argv.join(' ')}: ${JSON.stringify(original)}`);
    if (u.original === 'exit 2') assert.equal(original.stderr.trimEnd().split('\n').at(-1), `bagpipe-rest-attach: error: ${u.message}`);
    const r = await runCli('bagpipe-rest-attach', ['--config-file', conf, ...u.argv]);
    assert.equal(r.status, 2, u.argv.join(' '));
    assert.equal(
      r.stderr,
      `Usage: bagpipe-rest-attach [--attach|--detach] --network-type (ipvpn|evpn) --port (<port>|netns) --ip <ip>[/<mask>] [options] (see --help)\n\nbagpipe-rest-attach: error: ${u.message}\n`,
    );
  }
  assert.equal(server.requests.length, before, 'no request for a usage error');
});

test('an HTTP error: the body on stdout, "error <code>, reason: <reason>" on stderr, exit 1', async () => {
  const failing = await startHttpFixture(HOST, () => ({
    status: 400,
    reason: 'Bad Request',
    body: '{"code": 400, "title": "Bad Request", "description": "API error: Missing parameter: \'gateway_ip\'"}',
  }));
  const conf400 = join(dir, 'bgp-400.conf');
  writeFileSync(conf400, `[API]\nhost = ${HOST}\nport = ${failing.port}\n`);
  try {
    const r = await runCli('bagpipe-rest-attach', ['--config-file', conf400, '--detach', '--port', 'tap1', '--network-type', 'ipvpn', '--ip', '10.1.1.1']);
    assert.equal(r.status, 1);
    assert.equal(failing.requests[0]!.path, '/detach_localport');
    assert.match(r.stdout, /\n {3}b'\{"code": 400, "title": "Bad Request", "description": "API error: Missing parameter: \\'gateway_ip\\'"\}'\n$/);
    assert.equal(r.stderr, 'error 400, reason: Bad Request\n');
  } finally {
    await failing.close();
  }
});

test('no daemon: exit 1 with one line', async () => {
  const port = await freePort(HOST);
  const confDead = join(dir, 'bgp-dead.conf');
  writeFileSync(confDead, `[API]\nhost = ${HOST}\nport = ${port}\n`);
  const r = await runCli('bagpipe-rest-attach', ['--config-file', confDead, '--attach', '--port', 'tap1', '--network-type', 'ipvpn', '--ip', '10.1.1.1']);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `bagpipe-rest-attach: cannot reach the daemon at http://${HOST}:${port}/attach_localport: Connection refused\n`);
});

test('configuration: deprecated api_host/api_port, several files (last wins), a missing file', async () => {
  const a = join(dir, 'a.conf');
  const b = join(dir, 'b.conf');
  writeFileSync(a, '[API]\napi_host = 127.0.143.99\napi_port = 1\n');
  writeFileSync(b, `[api]\napi_host = ${HOST}\napi_port = ${server.port}\n`);
  const before = server.requests.length;
  const r = await runCli('bagpipe-rest-attach', ['--config-file', a, '--config-file', b, '--attach', '--port', 'tap1', '--network-type', 'ipvpn', '--ip', '10.1.1.1']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(server.requests.length, before + 1);
  const missing = await runCli('bagpipe-rest-attach', ['--config-file', join(dir, 'none.conf'), '--attach', '--port', 'tap1', '--network-type', 'ipvpn', '--ip', '10.1.1.1']);
  assert.equal(missing.status, 1);
  assert.equal(missing.stdout, '');
  assert.equal(missing.stderr, `bagpipe-rest-attach: Failed to find some config files: ${join(dir, 'none.conf')}\n`);
});
