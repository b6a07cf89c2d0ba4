/**
 * Issue 5 end to end: two compute-node namespaces each running our daemon with the `linux` E-VPN
 * driver, a GoBGP route reflector in the underlay namespace, endpoints made by the real
 * `bagpipe-rest-attach --port netns … --network-type evpn`. Checked: ping and a TCP transfer
 * cross the VXLAN tunnel whose state came from BGP; ARP is answered locally (neighbour entries on
 * the VXLAN device, no ARP arriving at the other node); detach stops the traffic and leaves no
 * device, FDB or neighbour entry; re-attach works; restarting one daemon (killed, as a crash or an
 * upgrade would) keeps its devices (adopted, not re-created) and traffic comes back within
 * seconds (measured with a continuous ping).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../helpers/wait.js';
import { NetnsTopology, type ComputeNode, type Endpoint } from './harness/netns-topology.js';
import { Daemon, Teardown } from './harness/process.js';

const NET = { vpnInstanceId: 'net1', rt: '64512:171', vni: 171 };

interface Fdb {
  mac: string;
  dst?: string;
  state?: string;
}

async function remoteFdb(n: ComputeNode): Promise<string[]> {
  const r = await n.exec(['bridge', '-json', 'fdb', 'show', 'dev', 'vxlan--net1']);
  if (r.code !== 0) return [];
  return (JSON.parse(r.stdout || '[]') as Fdb[]).filter((e) => e.dst !== undefined).map((e) => `${e.mac} ${e.dst}`).sort();
}
async function neighbours(n: ComputeNode): Promise<string[]> {
  const r = await n.exec(['ip', '-json', 'neigh', 'show', 'dev', 'vxlan--net1']);
  if (r.code !== 0) return [];
  return (JSON.parse(r.stdout || '[]') as { dst: string; lladdr: string }[]).map((x) => `${x.dst} ${x.lladdr}`).sort();
}
async function ifindex(n: ComputeNode, dev: string): Promise<number | undefined> {
  const r = await n.exec(['ip', '-json', 'link', 'show', 'dev', dev]);
  return r.code === 0 ? (JSON.parse(r.stdout) as { ifindex: number }[])[0]?.ifindex : undefined;
}

test('two nodes, our daemon with the linux E-VPN driver, GoBGP RR: ping, TCP, local ARP, detach, re-attach, restart', { timeout: 120_000 }, async (t) => {
  const td = new Teardown();
  try {
    const topo = await NetnsTopology.create(td, 2);
    const [n1, n2] = topo.nodes as [ComputeNode, ComputeNode];
    await topo.startRouteReflector();
    const opts = { extra: { DATAPLANE_DRIVER_EVPN: ['adoption_hold_time = 5'] } };
    await topo.startOurDaemon(n1, opts);
    await topo.startOurDaemon(n2, opts);
    await topo.waitEstablished();
    const a = await topo.attach(n1, { name: 'a', mac: '52:54:00:71:00:0a', ip: '10.171.0.10', ...NET });
    let b: Endpoint = await topo.attach(n2, { name: 'b', mac: '52:54:00:71:00:0b', ip: '10.171.0.11', ...NET });
    const why = (): string => `${n1.tail(30)}\n${n2.tail(30)}`;

    await t.test('ping both ways and a TCP transfer across the tunnel', async () => {
      await topo.waitPing(a, b.ip, 20_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      assert.equal(await topo.ping(b, a.ip), true);
      const tcp = await topo.tcpTransfer(a, b, 4_000_000);
      assert.equal(tcp.received, 4_000_000);
      assert.deepEqual(await remoteFdb(n1), ['00:00:00:00:00:00 10.170.0.2', `${b.mac} 10.170.0.2`]);
      assert.deepEqual(await remoteFdb(n2), ['00:00:00:00:00:00 10.170.0.1', `${a.mac} 10.170.0.1`]);
    });

    await t.test('ARP is answered locally: neighbour entries on the VXLAN device, no ARP reaches the other node', async () => {
      assert.deepEqual(await neighbours(n1), [`${b.ip} ${b.mac}`]);
      const dump = td.daemon(Daemon.start('tcpdump n2', 'ip', ['netns', 'exec', n2.ns, 'tcpdump', '-n', '-l', '-i', 'vxlan--net1', 'arp']));
      await waitFor('tcpdump listening', () => dump.output.includes('listening on'));
      await topo.nodes[0]!.exec(['ip', 'netns', 'exec', a.ns, 'ip', 'neigh', 'flush', 'dev', 'tovpn']);
      assert.equal(await topo.ping(a, b.ip), true);
      const neigh = await topo.nodes[0]!.execOk(['ip', 'netns', 'exec', a.ns, 'ip', 'neigh', 'show', b.ip]);
      assert.match(neigh, new RegExp(`lladdr ${b.mac}`), 'a resolved b');
      await new Promise((r) => setTimeout(r, 300));
      await dump.stop('SIGINT');
      assert.doesNotMatch(dump.output, /ARP, Request/, `an ARP request crossed the tunnel:\n${dump.output}`);
    });

    await t.test('detach stops the traffic and leaves no device, FDB or neighbour entry', async () => {
      await topo.detach(b);
      await waitFor('b gone from node 1', async () => (await remoteFdb(n1)).length === 0, 10_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      assert.deepEqual(await neighbours(n1), []);
      assert.equal(await topo.ping(a, b.ip), false);
      const links = await n2.json<{ ifname: string; master?: string }>(['ip', '-json', 'link', 'show']);
      assert.deepEqual(links.filter((l) => l.ifname.startsWith('evpn---') || l.ifname.startsWith('vxlan--')), [], 'node 2: no bridge or VXLAN device left');
      assert.equal(links.find((l) => l.ifname === b.hostIf)?.master, undefined, 'port released');
      const lg = await n2.lookingGlass<Record<string, unknown>>('vpns/instances');
      assert.deepEqual(lg, [], 'no instance left');
    });

    await t.test('re-attach works', async () => {
      b = await topo.attach(n2, { name: 'b', mac: '52:54:00:71:00:0b', ip: '10.171.0.11', ...NET });
      await topo.waitPing(a, b.ip, 20_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
    });

    await t.test('restart of node 1 (killed): devices adopted, traffic back within seconds', async () => {
      const bridgeIndex = await ifindex(n1, 'evpn---net1');
      const vxIndex = await ifindex(n1, 'vxlan--net1');
      const probe = topo.pingProbe(a, b.ip, 100);
      await new Promise((r) => setTimeout(r, 500));
      await n1.daemon!.stop('SIGKILL');
      const t0 = Date.now();
      await topo.startOurDaemon(n1, opts);
      const again = await topo.attachOverApi(a);
      assert.equal(again.status, 200, again.body);
      await topo.waitEstablished([n1]);
      await topo.waitPing(a, b.ip, 20_000);
      const restored = Date.now() - t0;
      await new Promise((r) => setTimeout(r, 1000));
      const p = await probe.stop();
      console.log(`# restart of node 1: ${p.received}/${p.sent} pings answered, longest outage ${p.longestGapMs} ms, ping answered ${restored} ms after the kill`);
      assert.equal(await ifindex(n1, 'evpn---net1'), bridgeIndex, 'bridge adopted, not re-created');
      assert.equal(await ifindex(n1, 'vxlan--net1'), vxIndex, 'VXLAN device adopted, not re-created');
      const lg = await n1.lookingGlass<{ adopted: boolean }>('vpns/instances/net1/dataplane');
      assert.equal(lg?.adopted, true, JSON.stringify(lg));
      assert.ok(p.longestGapMs < 10_000, `outage ${p.longestGapMs} ms`);
      // After the hold-down, nothing stale and everything desired is installed.
      await waitFor('hold-down over', async () => (await n1.lookingGlass<{ stale_entries_kept_until: string | null }>('vpns/instances/net1/dataplane'))?.stale_entries_kept_until === null, 10_000);
      assert.deepEqual(await remoteFdb(n1), ['00:00:00:00:00:00 10.170.0.2', `${b.mac} 10.170.0.2`]);
      assert.equal(await topo.ping(a, b.ip), true);
    });
  } finally {
    await td.run();
  }
});
