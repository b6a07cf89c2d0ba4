/**
 * Issue 6 end to end, MPLS over GRE: the topology of ipvpn-ovs-bare-mpls.test.ts, the `ovs` IP
 * VPN driver without `mpls_interface` (so GRE), `gre_tunnel_options = packet_type=legacy_l3`:
 * standard MPLS-over-GRE (RFC 4023, the GRE payload is the MPLS packet, no inner Ethernet
 * header), by OVS's own userspace tunnelling. Checked: ping and TCP, GREv0 carrying MPLS on the
 * wire, and detach leaving no flow, group or port of the VRF (the GRE port is the driver's).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../helpers/wait.js';
import { endpointReady, MPLS_BRIDGE, ovsConfig, ovsUnderlay } from './harness/ovs-node.js';
import { NetnsTopology, type ComputeNode } from './harness/netns-topology.js';
import type { PrivateOvs } from './harness/ovs.js';
import { Daemon, Teardown } from './harness/process.js';

const NET = { vpnInstanceId: 'vpn2', rt: '64512:176', vni: 0, networkType: 'ipvpn' as const };
const IPVPN = ['dataplane_driver = ovs', 'gre_tunnel_options = packet_type=legacy_l3', 'arp_responder = True', 'proxy_arp = True'];

test('two nodes, the ovs IP VPN driver over MPLS/GRE, GoBGP RR: ping, TCP, GRE on the wire, detach', { timeout: 120_000 }, async (t) => {
  const td = new Teardown();
  try {
    const topo = await NetnsTopology.create(td, 2, String(process.pid % 100_000), 'bgo');
    const [n1, n2] = topo.nodes as [ComputeNode, ComputeNode];
    const ovs: PrivateOvs[] = [await ovsUnderlay(td, topo, n1), await ovsUnderlay(td, topo, n2)];
    await topo.startRouteReflector(['l3vpn-ipv4-unicast', 'rtc']);
    for (const [i, n] of [n1, n2].entries()) await topo.startOurDaemon(n, { evpnDriver: 'dummy', env: ovs[i]!.env, extra: ovsConfig(ovs[i]!, IPVPN) });
    await topo.waitEstablished();
    const a = await topo.attach(n1, { name: 'a', mac: '52:54:00:76:00:0a', ip: '10.176.10.1', ...NET });
    const b = await topo.attach(n2, { name: 'b', mac: '52:54:00:76:00:0b', ip: '10.176.10.2', ...NET });
    await endpointReady(a);
    await endpointReady(b);
    const why = (): string => `${n1.tail(30)}\n${n2.tail(30)}`;

    await t.test('ping and TCP, MPLS in GRE on the wire', async () => {
      // The first packets may go while OVS resolves the tunnel's next hop (it drops them meanwhile).
      await topo.waitPing(a, b.ip, 20_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      assert.equal(await topo.ping(b, a.ip), true);
      const dump = td.daemon(Daemon.start('tcpdump underlay', 'ip', ['netns', 'exec', topo.underlay, 'tcpdump', '-n', '-l', '-c', '2', '-i', 'n1', 'proto', 'gre']));
      await waitFor('tcpdump listening', () => dump.output.includes('listening on'));
      const tcp = await topo.tcpTransfer(a, b, 4_000_000);
      assert.equal(tcp.received, 4_000_000);
      await dump.exited;
      assert.match(dump.output, /IP 10\.170\.0\.[12] > 10\.170\.0\.[12]: GREv0, length \d+: MPLS \(label \d+, tc 0, \[S\], ttl \d+\) IP 10\.176\.10\.[12]\.\d+ > 10\.176\.10\.[12]\.\d+: Flags/);
      console.log(`# MPLS/GRE: 4 MB over TCP in ${tcp.ms} ms`);
      assert.deepEqual(await ovs[0]!.ports(MPLS_BRIDGE), ['eth0', 'mpls_gre', 'tap-a']);
    });

    await t.test('detach removes every flow, group and port of the VRF', async () => {
      await topo.detach(a);
      const gre = await ovs[0]!.ofport('mpls_gre');
      const flows = (await ovs[0]!.flows(MPLS_BRIDGE)).map((f) => `table=${f.table},priority=${f.priority},${f.match} actions=${f.actions}`).sort();
      assert.deepEqual(flows, ['table=0,priority=0, actions=NORMAL', `table=0,priority=36864,mpls,in_port=${gre} actions=resubmit(,1)`]);
      assert.deepEqual(await ovs[0]!.groups(MPLS_BRIDGE), []);
      assert.deepEqual(await ovs[0]!.ports(MPLS_BRIDGE), ['eth0', 'mpls_gre']);
      await waitFor('a withdrawn from node 2', async () => !(await ovs[1]!.flows(MPLS_BRIDGE, 'table=2')).some((f) => f.match.includes('nw_dst=10.176.10.1')), 10_000);
      assert.equal(await topo.ping(b, a.ip), false);
    });
  } finally {
    await td.run();
  }
});
