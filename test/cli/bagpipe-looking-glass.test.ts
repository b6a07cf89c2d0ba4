/**
 * bagpipe-looking-glass (looking-glass.md §4) against the original command as oracle:
 *
 * - the pretty printer on a few hundred generated JSON documents (key order with integer-like
 *   keys, id/href pairs, nested lists, multi-line strings, Python float and big-int rendering)
 *   compared with the original printer's output;
 * - the command itself against a looking-glass-shaped HTTP tree served here (hrefs from the Host
 *   header, nested paths, a reference-only answer, 404, 500, refused connection, quoted
 *   arguments, --recurse), both commands run on the same URLs, outputs compared byte for byte;
 * - our deliberate difference (a failing href while recursing), config-file port, usage errors.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { parsePyJson } from '../../src/cli/client/python-json.js';
import { prettyPrint } from '../../src/cli/looking-glass/pretty-print.js';
import { freePort } from '../helpers/ports.js';
import { lookingGlassHandler, startHttpFixture, type HttpFixture } from './helpers/http-fixture.js';
import { originalPrettyPrints, runOriginal } from './helpers/original-tools.js';
import { cliPath, runCli } from './helpers/run-process.js';

const HOST = '127.0.141.1';

async function ours(text: string): Promise<string> {
  let out = '';
  await prettyPrint(parsePyJson(text), 'http://127.0.0.1/looking-glass/', { write: (s) => (out += s) });
  return out;
}

const scalarText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('null', 'true', 'false', '0', '-1', '1.0', '2.50', '1e5', '1E-7', '-0.0', '123456789012345678901234567890', '1e16', '0.0001', '1.5e300', '12345.678'),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => JSON.stringify(x)),
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('"multi\\nline"', '"\\nleading and trailing\\n\\n"', '"a\\n\\nb"', '"uni \\u00e9 \\u4e2d"', '" rd 127.0.0.1:1"', '"\'quoted\'"'),
);

const keyArb = fc.oneof(fc.constantFrom('id', 'href', 'name', '16', '17', '1234', '0', 'a b', 'é', ''), fc.string({ maxLength: 6 }));

const docArb = fc.letrec<{ value: string; list: string; dict: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalarText, tie('list'), tie('dict')),
  list: fc.array(tie('value'), { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`),
  dict: fc
    .array(fc.tuple(keyArb, tie('value'), fc.string({ maxLength: 8 })), { maxLength: 5 })
    // The original writes an id with sys.stdout.write(), which takes only strings.
    .map((kvs) => `{${kvs.map(([k, v, id]) => `${JSON.stringify(k)}: ${k === 'id' ? JSON.stringify(id) : v}`).join(', ')}}`),
}));

const FIXED_DOCUMENTS = [
  '{}',
  '[]',
  '"x"',
  'null',
  '{"summary": {"BGP_established_peers": 0, "route_counts": {"local_routes_count": 4, "received_routes_count": 0}}, "config": {"href": "http://h/looking-glass/config"}}',
  '[{"id": "x1", "name": "VRF-2", "href": "http://h/looking-glass/vpns/instances/x1"}, {"id": "y", "href": "h"}]',
  '{"17": "b", "16": "a", "x": [[1, 2], [], {}, [[{"a": 1}]]]}',
  '{"a": {"id": "only id"}, "b": {"href": "only href"}, "c": {"id": "i", "href": "h", "more": [1]}}',
  '{"k": 1, "k": 2, "z": 3}',
  '{"t": "line1\\nline2\\n", "nested": {"u": "\\nx\\ny"}}',
];

test('pretty printer: the original prints the same for fixed and generated documents', async () => {
  const seed = Date.now();
  const documents = [...FIXED_DOCUMENTS, ...fc.sample(docArb.dict, { numRuns: 300, seed })];
  const expected = await originalPrettyPrints(documents);
  for (const [i, doc] of documents.entries()) {
    assert.equal(await ours(doc), expected[i], `document ${i} (fast-check seed ${seed}):\n${doc}`);
  }
});

/** A looking glass of one VRF and one EVI, every href resolvable. */
const PAGES: Record<string, string | { status: number; reason?: string; body: string }> = {
  '': '{"summary": {"BGP_established_peers": 1, "route_counts": {"local_routes_count": 2, "received_routes_count": 1}, "vpn_instances_count": 2, "warnings_and_errors": 0, "start_time": "2026-11-21 15:50:06", "version": "0.1.0"}, "config": {"href": "{LG}/config"}, "bgp": {"href": "{LG}/bgp"}, "vpns": {"href": "{LG}/vpns"}, "logs": {"href": "{LG}/logs"}}',
  summary: '{"BGP_established_peers": 1, "route_counts": {"local_routes_count": 2, "received_routes_count": 1}, "vpn_instances_count": 2, "warnings_and_errors": 0, "start_time": "2026-11-21 15:50:06", "version": "0.1.0"}',
  config: '{"COMMON": {"root_helper": "sudo", "root_helper_daemon": null}, "API": {"host": "127.0.0.1", "port": 8082}, "BGP": {"local_address": "127.0.0.1", "peers": [], "my_as": 64512, "enable_rtc": true, "bgp_port": 179}}',
  bgp: '{"peers": {"href": "{LG}/bgp/peers"}, "workers": {"href": "{LG}/bgp/workers"}, "route_counts": {"local_routes_count": 2, "received_routes_count": 1}}',
  'bgp/peers': '[{"id": "127.0.141.2", "state": "Established", "href": "{LG}/bgp/peers/127.0.141.2"}]',
  'bgp/peers/127.0.141.2':
    '{"peeringAddresses": {"peer_address": "127.0.141.2", "local_address": "127.0.141.1"}, "as_info": {"local": 64512, "peer": 64512}, "rtc": {"active": true, "enabled": true}, "active_families": ["(ipv4, mpls-vpn)", "(l2vpn, evpn)"], "protocol": {"state": "Established", "previous_state": "(OpenConfirm)", "hold_time": 90, "last_transition_time": "2026-11-21 15:45:23"}, "name": "BGP-127.0.141.2", "internals": {"event queue length": 0, "subscriptions": ["match:ipv4/rtc,*"]}, "logs": {"href": "{LG}/bgp/peers/127.0.141.2/logs"}}',
  'bgp/peers/127.0.141.2/logs': '[]',
  'bgp/workers': '[{"id": "VRF-1", "href": "{LG}/bgp/workers/VRF-1"}, {"id": "EVI-2", "href": "{LG}/bgp/workers/EVI-2"}]',
  'bgp/workers/VRF-1': '{"name": "VRF-1", "instance_type": "VRF"}',
  'bgp/workers/EVI-2': '{"name": "EVI-2", "instance_type": "EVI"}',
  vpns: '{"instances": {"href": "{LG}/vpns/instances"}, "dataplane": {"href": "{LG}/vpns/dataplane"}, "instances_per_vni": {"1234": {"name": "EVI-2", "external_instance_id": "e 1"}}}',
  'vpns/instances':
    '[{"id": "i1", "name": "VRF-1", "href": "{LG}/vpns/instances/i1"}, {"id": "e 1", "name": "EVI-2", "description": "blue net", "href": "{LG}/vpns/instances/e%201"}]',
  'vpns/instances/i1':
    '{"name": "VRF-1", "internals": {"event queue length": 0, "subscriptions": ["match:ipv4/mpls-vpn,target:64512:20", "match:ipv4/flow-vpn,target:64512:20"]}, "readvertised": {"href": "{LG}/vpns/instances/i1/readvertised"}, "instance_type": "VRF", "external_instance_id": "i1", "description": null, "route_targets": {"import": ["target:64512:21", "target:64512:20"], "export": ["target:64512:20"]}, "gateway_ip": "10.0.0.254", "subnet_prefix_length": 24, "instance_dataplane_id": 21, "ports": {"href": "{LG}/vpns/instances/i1/ports"}, "readvertise": {}, "attract_traffic": {}, "fallback": null, "adv_routes": {"href": "{LG}/vpns/instances/i1/adv_routes"}}',
  'vpns/instances/i1/readvertised': '[]',
  'vpns/instances/i1/ports':
    '{"tap1": {"endpoints": [{"label": 17, "mac_address": "52:54:00:00:00:01", "ip_address": "10.0.0.1", "local_pref": null, "rd": " rd 127.0.0.1:1", "description": {"port": "p1"}, "direction": "both"}]}}',
  'vpns/instances/i1/adv_routes':
    '[{"10.0.0.1/32 label 17 next-hop 127.0.0.1 rd 127.0.0.1:0": {"afi-safi": "ipv4/mpls-vpn", "attributes": {"extended-community": "[ target:64512:20 encap:MPLS ]", "local-preference": "100"}, "next_hop": "127.0.0.1", "source": {"id": "VRF-1", "href": "{LG}/bgp/workers/VRF-1"}, "route_targets": ["target:64512:20"]}}]',
  'vpns/instances/e 1': '{"gateway_port": null, "name": "EVI-2", "instance_type": "EVI", "ports": {"href": "{LG}/vpns/instances/e%201/ports"}}',
  'vpns/instances/e 1/ports': '{}',
  'vpns/dataplane': '{"drivers": {"href": "{LG}/vpns/dataplane/drivers"}, "ids": {"href": "{LG}/vpns/dataplane/ids"}}',
  'vpns/dataplane/drivers': '[{"id": "evpn", "href": "{LG}/vpns/dataplane/drivers/evpn"}, {"id": "ipvpn", "href": "{LG}/vpns/dataplane/drivers/ipvpn"}]',
  'vpns/dataplane/drivers/evpn': '{"name": "DummyDataplaneDriver", "local_address": "127.0.0.1", "supported_encaps": ["encap:Default", "encap:VXLAN"], "kernel_release": "6.18.44"}',
  'vpns/dataplane/drivers/ipvpn': '{"name": "DummyDataplaneDriver", "local_address": "127.0.0.1", "supported_encaps": ["encap:Default", "encap:MPLS"], "kernel_release": "6.18.44"}',
  'vpns/dataplane/ids': '{"21": "Incoming traffic for VRF-1", "17": "Incoming traffic for VRF-1, interface tap1, endpoint (\'52:54:00:00:00:01\', \'10.0.0.1\')"}',
  logs: '[{"level": "WARNING", "time": "2026-11-21 15:43:48,340", "name": "bagpipe.vpn", "message": "a\\nmulti-line warning"}]',
  shortcut: '{"href": "{LG}/summary"}',
  broken: { status: 500, reason: 'Internal Server Error', body: 'Server error' },
  dangling: '{"fine": 1, "gone": {"href": "{LG}/dangling/gone"}, "after": 2}',
};

let server: HttpFixture;
before(async () => {
  server = await startHttpFixture(HOST, lookingGlassHandler(PAGES));
});
after(async () => {
  await server.close();
});

const COMMAND_LINES: readonly (readonly string[])[] = [
  [],
  ['summary'],
  ['summary', 'route_counts'],
  ['config'],
  ['bgp', 'peers'],
  ['bgp', 'peers', '127.0.141.2'],
  ['vpns'],
  ['vpns', 'instances'],
  ['vpns', 'instances', 'i1'],
  ['vpns', 'instances', 'e 1'],
  ['vpns', 'instances', 'i1', 'ports'],
  ['vpns', 'instances', 'i1', 'adv_routes'],
  ['vpns', 'dataplane', 'ids'],
  ['logs'],
  ['shortcut'],
  ['vpns', 'nope'],
  ['ünïcode', 'a/b'],
  ['broken'],
  ['-r', 'vpns'],
  ['--recurse', 'vpns', 'instances'],
  ['-r', 'bgp'],
  ['-r'],
];

test('the command prints what the original prints, on the same looking glass', async () => {
  for (const args of COMMAND_LINES) {
    const argv = ['--server', HOST, '--port', String(server.port), ...args];
    const [mine, theirs] = await Promise.all([runCli('bagpipe-looking-glass', argv), runOriginal('bagpipe-looking-glass', argv)]);
    assert.equal(theirs.status, 0, `original failed on ${args.join(' ')}: ${theirs.stderr}`);
    assert.equal(mine.stdout, theirs.stdout, `stdout of: bagpipe-looking-glass ${args.join(' ')}`);
    assert.equal(mine.stderr, '', `stderr of: bagpipe-looking-glass ${args.join(' ')}`);
    assert.equal(mine.status, 0);
  }
});

test('the spec sample: summary and the instances list', async () => {
  const base = ['--server', HOST, '--port', String(server.port)];
  const summary = await runCli('bagpipe-looking-glass', [...base, 'summary']);
  assert.equal(
    summary.stdout,
    'BGP_established_peers: 1\nroute_counts: \n  local_routes_count: 2\n  received_routes_count: 1\nvpn_instances_count: 2\nwarnings_and_errors: 0\nstart_time: 2026-11-21 15:50:06\nversion: 0.1.0\n',
  );
  const instances = await runCli('bagpipe-looking-glass', [...base, 'vpns', 'instances']);
  assert.equal(instances.stdout, '* i1 (...)\n  name: VRF-1\n* e 1 (...)\n  name: EVI-2\n  description: blue net\n');
  const root = await runCli('bagpipe-looking-glass', base);
  assert.match(root.stdout, /\nconfig: {2}\(\.\.\.\)\nbgp: {2}\(\.\.\.\)\nvpns: {2}\(\.\.\.\)\nlogs: {2}\(\.\.\.\)\n$/);
  const missing = await runCli('bagpipe-looking-glass', [...base, 'vpns', 'nope']);
  assert.equal(missing.stdout, `No such looking glass path: vpns nope\n(http://${HOST}:${server.port}/looking-glass/vpns/nope)\n`);
  assert.equal(missing.status, 0);
  const broken = await runCli('bagpipe-looking-glass', [...base, 'broken']);
  assert.equal(broken.stdout, "Error code 500: b'Server error'\n");
});

test('no server: one line, like the original, exit 0', async () => {
  const port = await freePort(HOST);
  const argv = ['--server', HOST, '--port', String(port), 'summary'];
  const [mine, theirs] = await Promise.all([runCli('bagpipe-looking-glass', argv), runOriginal('bagpipe-looking-glass', argv)]);
  assert.equal(mine.stdout, `No server at http://${HOST}:${port} : <urlopen error [Errno 111] Connection refused>\n`);
  assert.equal(mine.stdout, theirs.stdout);
  assert.equal(mine.status, 0);
});

test('--recurse: an href that fails prints (ERROR <status>) and the rest still prints (the original gave up)', async () => {
  const r = await runCli('bagpipe-looking-glass', ['--server', HOST, '--port', String(server.port), '-r', 'dangling']);
  assert.equal(r.stdout, 'fine: 1\ngone:  (ERROR 404)\nafter: 2\n');
  assert.equal(r.status, 0);
});

test('--recurse fetches only hrefs below the current URL', async () => {
  const before = server.requests.length;
  await runCli('bagpipe-looking-glass', ['--server', HOST, '--port', String(server.port), '-r', 'vpns', 'instances', 'i1']);
  const fetched = server.requests.slice(before).map((r) => decodeURIComponent(r.path));
  assert.deepEqual(fetched, [
    '/looking-glass/vpns/instances/i1',
    '/looking-glass/vpns/instances/i1/readvertised',
    '/looking-glass/vpns/instances/i1/ports',
    '/looking-glass/vpns/instances/i1/adv_routes',
  ]);
});

test('port and server come from --config-file ([API] port or its deprecated name api_port, [API] host)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lg-conf-'));
  try {
    const conf = join(dir, 'bgp.conf');
    writeFileSync(conf, `[API]\nport = ${server.port}\n`);
    const r = await runCli('bagpipe-looking-glass', ['--server', HOST, '--config-file', conf, 'summary']);
    assert.match(r.stdout, /\nversion: 0\.1\.0\n$/);
    writeFileSync(conf, `[api]\napi_port = ${server.port}\n`);
    const old = await runCli('bagpipe-looking-glass', ['--server', HOST, '--config-file', conf, 'summary']);
    assert.match(old.stdout, /\nversion: 0\.1\.0\n$/);
    // Without --server, the daemon's [API] host.
    writeFileSync(conf, `[API]\nhost = ${HOST}\nport = ${server.port}\n`);
    const hostFromConf = await runCli('bagpipe-looking-glass', ['--config-file', conf, 'summary']);
    assert.match(hostFromConf.stdout, /\nversion: 0\.1\.0\n$/);
    const missing = await runCli('bagpipe-looking-glass', ['--config-file', join(dir, 'nope.conf'), 'summary']);
    assert.equal(missing.status, 1);
    assert.equal(missing.stderr, `bagpipe-looking-glass: Failed to find some config files: ${join(dir, 'nope.conf')}\n`);
    writeFileSync(conf, '[API]\nport = http\n');
    const bad = await runCli('bagpipe-looking-glass', ['--config-file', conf, 'summary']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^bagpipe-looking-glass: Value for option port in group \[API\] .* is not valid/);
    assert.equal(bad.stderr.split('\n').length, 2, 'one line');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('usage errors: exit 2 with the optparse message, as the original', async () => {
  for (const argv of [['--port', 'x8'], ['--nope'], ['--server']]) {
    const [mine, theirs] = await Promise.all([runCli('bagpipe-looking-glass', argv), runOriginal('bagpipe-looking-glass', argv)]);
    assert.equal(mine.status, 2, argv.join(' '));
    assert.equal(theirs.status, 2);
    const lastLine = (s: string): string => s.trimEnd().split('\n').at(-1)!;
    assert.equal(lastLine(mine.stderr), lastLine(theirs.stderr).replace(/^looking_glass/, 'bagpipe-looking-glass'));
  }
  const help = await runCli('bagpipe-looking-glass', ['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--recurse/);
});

test('an answer that is not JSON: one line on stderr, exit 1', async () => {
  const fixture = await startHttpFixture(HOST, () => ({ body: '<html>not json</html>', contentType: 'text/html' }));
  try {
    const r = await runCli('bagpipe-looking-glass', ['--server', HOST, '--port', String(fixture.port), 'summary']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^bagpipe-looking-glass: the answer of http:\/\/127\.0\.141\.1:\d+\/looking-glass\/summary is not JSON: .*\n$/);
  } finally {
    await fixture.close();
  }
});

test('a reader that goes away (| head): exit 0, no stack trace', async () => {
  const big = JSON.stringify(Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`key${i}`, `value ${i}`])));
  const fixture = await startHttpFixture(HOST, () => ({ body: big }));
  try {
    const child = spawn(process.execPath, [cliPath('bagpipe-looking-glass'), '--server', HOST, '--port', String(fixture.port)]);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  } finally {
    await fixture.close();
  }
});
