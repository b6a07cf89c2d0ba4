/**
 * Interop of our `linux` E-VPN driver with other VTEPs, in namespaces this test creates, through
 * a GoBGP route reflector in the underlay:
 * - mixed deployment: node 1 runs our daemon, node 2 the original Python BaGPipe-BGP with its
 *   `linux` driver (LAB-NOTES workarounds: no-op modprobe, privsep helper, brctl; its detach bug
 *   is avoided by never detaching there – the namespaces go at teardown); ping both ways;
 * - FRR as the other VTEP: zebra and bgpd in node 2 with `advertise-all-vni` over a bridge and a
 *   VXLAN device, an endpoint plugged by hand into that bridge; ping both ways.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../helpers/wait.js';
import { NetnsTopology, type ComputeNode } from './harness/netns-topology.js';
import { run, Teardown } from './harness/process.js';

test('mixed deployment: our daemon and the original BaGPipe-BGP, both with their linux E-VPN driver: ping both ways', { timeout: 150_000 }, async () => {
  const td = new Teardown();
  try {
    const topo = await NetnsTopology.create(td, 2, `${process.pid % 100_000}o`);
    const [n1, n2] = topo.nodes as [ComputeNode, ComputeNode];
    await topo.startRouteReflector();
    await topo.startOurDaemon(n1);
    await topo.startOriginalDaemon(n2);
    await topo.waitEstablished([n1, n2], 60_000);
    const net = { vpnInstanceId: 'mixed', rt: '64512:173', vni: 173 };
    const a = await topo.attach(n1, { name: 'a', mac: '52:54:00:73:00:0a', ip: '10.173.0.10', ...net });
    const b = await topo.attach(n2, { name: 'b', mac: '52:54:00:73:00:0b', ip: '10.173.0.11', ...net });
    const why = (): string => `${n1.tail(30)}\n${n2.tail(40)}`;
    await topo.waitPing(a, b.ip, 30_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
    await topo.waitPing(b, a.ip, 10_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
    // The original made its devices with the same names and parameters as ours.
    const vx = (await n2.json<{ linkinfo: { info_data: { id: number; proxy: boolean; learning: boolean; port: number } } }>(['ip', '-d', '-json', 'link', 'show', 'vxlan--mixed']))[0]!;
    assert.deepEqual([vx.linkinfo.info_data.id, vx.linkinfo.info_data.proxy, vx.linkinfo.info_data.learning, vx.linkinfo.info_data.port], [173, true, false, 4789]);
    const tcp = await topo.tcpTransfer(a, b, 1_000_000);
    assert.equal(tcp.received, 1_000_000);
  } finally {
    await td.run();
  }
});

test('FRR (zebra + bgpd, advertise-all-vni) as the other VTEP: ping both ways', { timeout: 120_000 }, async () => {
  const td = new Teardown();
  try {
    const topo = await NetnsTopology.create(td, 2, `${process.pid % 100_000}f`);
    const [n1, n2] = topo.nodes as [ComputeNode, ComputeNode];
    await topo.startRouteReflector();
    await topo.startOurDaemon(n1);
    const vni = 174;
    // FRR derives the route target AS:VNI.
    const net = { vpnInstanceId: 'frr', rt: `64512:${vni}`, vni };
    const vty = await topo.startFrrVtep(n2, vni);
    await topo.waitEstablished([n1, n2], 60_000);
    const a = await topo.attach(n1, { name: 'a', mac: '52:54:00:74:00:0a', ip: '10.174.0.10', ...net });
    const b = await topo.plainEndpoint(n2, { name: 'b', mac: '52:54:00:74:00:0b', ip: '10.174.0.11', ...net }, `br${vni}`);
    const frr = (c: string): Promise<string> => run('vtysh', ['--vty_socket', vty, '-d', 'bgpd', '-c', c]).then((r) => r.stdout + r.stderr);
    const why = async (): Promise<string> =>
      `${n1.tail(30)}\n${n2.tail(30)}\n--- FRR evpn ---\n${await frr('show bgp l2vpn evpn')}\n--- node 1 instance ---\n${JSON.stringify(await n1.lookingGlass('vpns/instances/frr/best_routes'))}\n${JSON.stringify(await n1.lookingGlass('vpns/instances/frr/dataplane'))}\n--- RR ---\n${await topo.rr!.cli('global', 'rib', '-a', 'evpn')}\n--- FRR kernel ---\n${(await n2.exec(['bridge', 'fdb', 'show', 'dev', `vxlan${vni}`])).stdout}\n${(await n2.exec(['ip', '-d', 'link', 'show', `vxlan${vni}`])).stdout}\n${(await n2.exec(['bridge', 'fdb', 'show', 'br', `br${vni}`])).stdout}\n${await run('vtysh', ['--vty_socket', vty, '-d', 'zebra', '-c', 'show evpn vni detail']).then((r) => r.stdout)}`;
    // FRR advertises a MAC/IP route when zebra sees the host's neighbour entry on the bridge
    // (its SVI): an address on the bridge and one ping to b (without it FRR sends MAC-only
    // routes, and with `proxy` our VXLAN device answers ARP only for IPs that routes carry).
    await n2.execOk(['ip', 'addr', 'add', '10.174.0.254/24', 'dev', `br${vni}`]);
    await waitFor('the FRR node reaches b', async () => (await n2.exec(['ping', '-c', '1', '-W', '1', b.ip])).code === 0, 10_000, 0);
    await waitFor('b → a answered', () => topo.ping(b, a.ip), 40_000, 0).catch(async (e: Error) => assert.fail(`${e.message}\n${await why()}`));
    await topo.waitPing(a, b.ip, 10_000).catch(async (e: Error) => assert.fail(`${e.message}\n${await why()}`));
    // ARP for b is answered on our node: the neighbour entry from FRR's MAC/IP route.
    const neigh = JSON.parse(await n1.execOk(['ip', '-json', 'neigh', 'show', 'dev', 'vxlan--frr'])) as { dst: string; lladdr: string }[];
    assert.deepEqual(neigh.map((x) => `${x.dst} ${x.lladdr}`), [`${b.ip} ${b.mac}`]);
    // Our node has FRR's MAC route and flood entry from BGP.
    const fdb = JSON.parse(await n1.execOk(['bridge', '-json', 'fdb', 'show', 'dev', 'vxlan--frr'])) as { mac: string; dst?: string }[];
    assert.ok(fdb.some((e) => e.mac === b.mac && e.dst === n2.address), JSON.stringify(fdb));
    assert.ok(fdb.some((e) => e.mac === '00:00:00:00:00:00' && e.dst === n2.address), JSON.stringify(fdb));
    // FRR installed our MAC in its kernel FDB from our route.
    const frrFdb = JSON.parse(await n2.execOk(['bridge', '-json', 'fdb', 'show', 'dev', `vxlan${vni}`])) as { mac: string; dst?: string }[];
    assert.ok(frrFdb.some((e) => e.mac === a.mac && e.dst === n1.address), JSON.stringify(frrFdb));
  } finally {
    await td.run();
  }
});
