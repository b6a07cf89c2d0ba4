/**
 * `bagpipe-rest-attach --port netns[:<if>]` (config.md §6.1) for real.
 *
 * Everything happens in namespaces this test creates and removes: the command itself runs in an
 * "outer" namespace (where the host side of the veth lands, so the root namespace never sees
 * an interface or an address), together with the HTTP server recording its requests; the
 * namespace the command creates (the "VM") gets the other side, its MAC and its address. No
 * default route is ever added (--default-route is off by default).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Daemon, run, runOk } from '../scenario/harness/process.js';
import { waitFor } from '../helpers/wait.js';
import { cliPath, runProcess, type ProcessResult } from './helpers/run-process.js';

const TAG = `t143${process.pid % 100_000}`;
const OUTER = `${TAG}-outer`;
const API = '127.0.143.1';

/** Records each request as a JSON line on stdout; answers 200 `null`. */
const RECORDER = `
const http = require('node:http');
const s = http.createServer((q, r) => {
  let b = '';
  q.on('data', (c) => (b += c));
  q.on('end', () => {
    process.stdout.write(JSON.stringify({ path: q.url, body: b }) + '\\n');
    r.writeHead(200, { 'Content-Type': 'application/json' });
    r.end('null');
  });
});
s.listen(0, '${API}', () => process.stdout.write('PORT ' + s.address().port + '\\n'));
`;

let recorder: Daemon;
let dir: string;
let conf: string;
const namespaces = new Set<string>([OUTER]);

before(async () => {
  await runOk('ip', ['netns', 'add', OUTER]);
  await runOk('ip', ['netns', 'exec', OUTER, 'ip', 'link', 'set', 'lo', 'up']);
  recorder = Daemon.start('recorder', 'ip', ['netns', 'exec', OUTER, process.execPath, '-e', RECORDER]);
  await waitFor('recorder listening', () => /PORT \d+\n/.test(recorder.output));
  const port = Number(/PORT (\d+)\n/.exec(recorder.output)![1]);
  dir = mkdtempSync(join(tmpdir(), 'rest-attach-netns-'));
  conf = join(dir, 'bgp.conf');
  writeFileSync(conf, `[API]\nhost = ${API}\nport = ${port}\n[COMMON]\nroot_helper = env LC_ALL=C\n`);
});

after(async () => {
  await recorder?.stop('SIGKILL');
  for (const ns of namespaces) await run('ip', ['netns', 'del', ns]);
  rmSync(dir, { recursive: true, force: true });
});

/**
 * bagpipe-rest-attach run inside the outer namespace. nsenter switches the network namespace
 * only: under `ip netns exec` (a private mount namespace) the namespaces the command creates
 * would not be visible outside it.
 */
function restAttach(args: readonly string[]): Promise<ProcessResult> {
  return runProcess('nsenter', [`--net=/run/netns/${OUTER}`, '--', process.execPath, cliPath('bagpipe-rest-attach'), '--config-file', conf, ...args]);
}

/** Whether this kernel has 802.1Q VLAN interfaces (the 8021q module). */
async function kernelHasVlans(ns: string): Promise<boolean> {
  const r = await run('ip', ['netns', 'exec', ns, 'ip', 'link', 'add', 'link', 'lo', 'name', 'probe.5', 'type', 'vlan', 'id', '5']);
  if (r.code === 0) await run('ip', ['netns', 'exec', ns, 'ip', 'link', 'del', 'probe.5']);
  return r.code === 0;
}

function recorded(): { path: string; body: Record<string, unknown> }[] {
  return recorder.output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => {
      const r = JSON.parse(l) as { path: string; body: string };
      return { path: r.path, body: JSON.parse(r.body) as Record<string, unknown> };
    });
}

interface Link {
  ifname: string;
  mtu: number;
  operstate: string;
  address: string;
  link_type: string;
  linkinfo?: { info_kind?: string; info_data?: { id?: number } };
  addr_info?: { family: string; local: string; prefixlen: number; scope: string }[];
}

async function link(ns: string, ifname: string): Promise<Link> {
  const out = await runOk('ip', ['netns', 'exec', ns, 'ip', '-d', '-j', 'addr', 'show', 'dev', ifname]);
  return (JSON.parse(out) as Link[])[0]!;
}

const ipv4 = (l: Link): string[] => (l.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`);

test('attach --port netns: namespace, veth pair, address, MTUs, MAC read back; detach deletes nothing', async () => {
  const id = `${TAG}-vm1`;
  namespaces.add(id);
  const hostIf = `ns-${id}`.slice(0, 15);
  const r = await restAttach(['--attach', '--network-type', 'ipvpn', '--port', 'netns', '--vpn-instance-id', id, '--ip', '10.143.0.2']);
  assert.equal(r.status, 0, r.stderr + r.stdout);

  const vm = await link(id, 'tovpn');
  const host = await link(OUTER, hostIf);
  assert.deepEqual(ipv4(vm), ['10.143.0.2/24']);
  assert.equal(vm.mtu, 1420);
  assert.equal(vm.linkinfo?.info_kind, 'veth');
  assert.equal(host.linkinfo?.info_kind, 'veth');
  assert.equal(host.mtu, 9000);
  assert.notEqual(host.operstate, 'DOWN');
  assert.deepEqual(ipv4(host), [], 'no address on the host side');
  assert.equal((await runOk('ip', ['netns', 'exec', id, 'ip', 'route', 'show', 'default'])).trim(), '', 'no default route');
  assert.notEqual((await run('ip', ['link', 'show', hostIf])).code, 0, 'nothing in the root namespace');

  assert.equal(
    r.stdout,
    [
      'using 10.143.0.254 as gateway address',
      `Will plug local namespace ${id} into network`,
      `Local port: ${hostIf} (${vm.address})`,
      /^request: .*$/m.exec(r.stdout)![0],
      "response: 200 b'null'",
      '',
    ].join('\n'),
  );
  const attach = recorded().at(-1)!;
  assert.equal(attach.path, '/attach_localport');
  assert.deepEqual(attach.body.local_port, { linuxif: hostIf });
  assert.equal(attach.body.mac_address, vm.address);
  assert.equal(attach.body.ip_address, '10.143.0.2/24');
  assert.equal(attach.body.vpn_instance_id, id);

  // Attach again: the pair is re-created (the namespace exists: a tolerated failure, with the root helper in the warning).
  const again = await restAttach(['--attach', '--network-type', 'ipvpn', '--port', 'netns', '--vpn-instance-id', id, '--ip', '10.143.0.2']);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, new RegExp(`^\\[WARNI\\]  Exit code 1 when running 'env LC_ALL=C ip netns add ${id}'$`, 'm'));
  assert.deepEqual(ipv4(await link(id, 'tovpn')), ['10.143.0.2/24']);

  // Detach: same names, same MAC, nothing deleted.
  const mac = (await link(id, 'tovpn')).address;
  const d = await restAttach(['--detach', '--network-type', 'ipvpn', '--port', 'netns', '--vpn-instance-id', id, '--ip', '10.143.0.2']);
  assert.equal(d.status, 0, d.stderr);
  assert.doesNotMatch(d.stdout, /Will plug/);
  const detach = recorded().at(-1)!;
  assert.equal(detach.path, '/detach_localport');
  assert.deepEqual(detach.body.local_port, { linuxif: hostIf });
  assert.equal(detach.body.mac_address, mac);
  await link(id, 'tovpn');
  await link(OUTER, hostIf);
});

test('attach --port netns:<if> with --netns, --if2vpn and --mac (E-VPN)', async () => {
  const ns = `${TAG}-vm2`;
  namespaces.add(ns);
  const hostIf = `${TAG}-h2`.slice(0, 15);
  const mac = '52:54:00:14:30:01';
  const r = await restAttach([
    '--attach', '--network-type', 'evpn', '--port', `netns:${hostIf}`, '--netns', ns, '--if2vpn', 'eth-vm',
    '--mac', mac, '--ip', '10.143.1.2/28', '--vpn-instance-id', 'blue',
  ]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const vm = await link(ns, 'eth-vm');
  assert.equal(vm.address, mac);
  assert.deepEqual(ipv4(vm), ['10.143.1.2/28']);
  assert.equal((await link(OUTER, hostIf)).linkinfo?.info_kind, 'veth');
  assert.match(r.stdout, new RegExp(`^Local port: ${hostIf} \\(${mac}\\)$`, 'm'));
  const sent = recorded().at(-1)!;
  assert.deepEqual(sent.body.local_port, { linuxif: hostIf });
  assert.equal(sent.body.mac_address, mac);
  assert.equal(sent.body.gateway_ip, '10.143.1.14');
  assert.equal(sent.body.vpn_type, 'evpn');
  assert.equal(sent.body.vpn_instance_id, 'blue');
});

test('--ovs-vlan: a raw veth in the namespace and a VLAN interface on it (or one clear line where the kernel has no VLANs)', async () => {
  const ns = `${TAG}-vm3`;
  namespaces.add(ns);
  const hostIf = `${TAG}-h3`.slice(0, 15);
  const before = recorded().length;
  const r = await restAttach(['--attach', '--network-type', 'ipvpn', '--port', `netns:${hostIf}`, '--netns', ns, '--ovs-vlan', '42', '--ip', '10.143.3.2']);
  assert.equal((await link(ns, 'ns2vpn-raw')).linkinfo?.info_kind, 'veth');
  if (await kernelHasVlans(ns)) {
    assert.equal(r.status, 0, r.stderr);
    const vlan = await link(ns, 'tovpn');
    assert.equal(vlan.linkinfo?.info_kind, 'vlan');
    assert.equal(vlan.linkinfo?.info_data?.id, 42);
    assert.deepEqual(ipv4(vlan), ['10.143.3.2/24']);
    assert.equal(recorded().length, before + 1);
  } else {
    // This machine's kernel has no 8021q: the command stops there, says so in one line, sends nothing.
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`^bagpipe-rest-attach: Exit code 2 when running 'env LC_ALL=C ip netns exec ${ns} ip link add link ns2vpn-raw name tovpn type vlan id 42': .+\\n$`));
    assert.equal(recorded().length, before);
  }
});

test('detach of a namespace port that does not exist: one line, exit 1, nothing sent', async () => {
  const before = recorded().length;
  const r = await restAttach(['--detach', '--network-type', 'ipvpn', '--port', 'netns', '--netns', `${TAG}-none`, '--ip', '10.143.2.2']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`^bagpipe-rest-attach: Exit code \\d+ when running 'env LC_ALL=C ip netns exec ${TAG}-none cat /sys/class/net/tovpn/address': .+\\n$`));
  assert.equal(recorded().length, before);
});
