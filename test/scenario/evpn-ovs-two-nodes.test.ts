/**
 * Issue 6 end to end, the `ovs` E-VPN driver (spec dataplane.md §7; the original's could not even
 * be created): two compute-node namespaces set up as the Neutron OVS agent would (br-phy with the
 * underlay, br-int with the VM ports tagged with the network's local VLAN, br-tun with the agent's
 * base pipeline: ovs-node.ts), our daemon driving br-tun, a GoBGP route reflector. The endpoints
 * are attached as the Neutron agent attaches them (`local_port: {linuxif: "patch2tun:<vlan>",
 * vlan: <vlan>}`), with a different local VLAN on each node.
 *
 * Checked: ping both ways (ARP answered by the responder entries of br-tun), TCP; the VXLAN
 * tunnel port, unicast, ARP responder and flooding entries of each node; detach removes them all
 * and the tunnel port we created.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../helpers/wait.js';
import { neutronOvsBridges, neutronVm } from './harness/ovs-node.js';
import { inNs, NetnsTopology, type ComputeNode, type Endpoint } from './harness/netns-topology.js';
import type { PrivateOvs } from './harness/ovs.js';
import { Teardown } from './harness/process.js';

const RT = '64512:177';
const VNI = 177;

function attachBody(mac: string, ip: string, vlan: number): Record<string, unknown> {
  return {
    import_rt: [RT],
    export_rt: [RT],
    local_port: { linuxif: `patch2tun:${vlan}`, vlan },
    vpn_instance_id: 'net177',
    vpn_type: 'evpn',
    gateway_ip: '10.177.0.254',
    mac_address: mac,
    ip_address: `${ip}/24`,
    advertise_subnet: false,
    lb_consistent_hash_order: 0,
    vni: VNI,
    direction: 'both',
  };
}

/** Our flows in br-tun (cookie 0x626770…), as `table=T,priority=P,<match> actions=…`. */
async function ours(ovs: PrivateOvs): Promise<string[]> {
  return (await ovs.flows('br-tun')).filter((f) => f.cookie >> 40n === 0x626770n).map((f) => `table=${f.table},priority=${f.priority},${f.match} actions=${f.actions}`).sort();
}

test('two nodes, the ovs E-VPN driver on Neutron-style br-tun bridges, GoBGP RR: ping, TCP, flows, detach', { timeout: 120_000 }, async (t) => {
  const td = new Teardown();
  try {
    const topo = await NetnsTopology.create(td, 2, String(process.pid % 100_000), 'bgo');
    const [n1, n2] = topo.nodes as [ComputeNode, ComputeNode];
    const ovs: PrivateOvs[] = [await neutronOvsBridges(td, topo, n1), await neutronOvsBridges(td, topo, n2)];
    await topo.startRouteReflector(['l2vpn-evpn', 'rtc']);
    for (const [i, n] of [n1, n2].entries()) {
      await topo.startOurDaemon(n, { evpnDriver: 'ovs', env: ovs[i]!.env, extra: { DATAPLANE_DRIVER_EVPN: ['ovs_bridge = br-tun'], OVS: [`ovsdb_connection = ${ovs[i]!.dbSock}`] } });
    }
    await topo.waitEstablished();
    const vmA = await neutronVm(topo, n1, ovs[0]!, 'a', '52:54:00:77:00:0a', '10.177.0.1/24', 5);
    const vmB = await neutronVm(topo, n2, ovs[1]!, 'b', '52:54:00:77:00:0b', '10.177.0.2/24', 7);
    const rA = await n1.api('POST', '/attach_localport', attachBody('52:54:00:77:00:0a', '10.177.0.1', 5));
    assert.equal(rA.status, 200, rA.body);
    const rB = await n2.api('POST', '/attach_localport', attachBody('52:54:00:77:00:0b', '10.177.0.2', 7));
    assert.equal(rB.status, 200, rB.body);
    const a = { name: 'a', ns: vmA.ns, ip: '10.177.0.1' } as Endpoint;
    const b = { name: 'b', ns: vmB.ns, ip: '10.177.0.2' } as Endpoint;
    const why = (): string => `${n1.tail(30)}\n${n2.tail(30)}`;

    await t.test('ping both ways and TCP across the VXLAN tunnel of br-tun', async () => {
      await topo.waitPing(a, b.ip, 20_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      assert.equal(await topo.ping(b, a.ip), true);
      const tcp = await topo.tcpTransfer(a, b, 2_000_000);
      assert.equal(tcp.received, 2_000_000);
      console.log(`# E-VPN over OVS: 2 MB over TCP in ${tcp.ms} ms`);
    });

    await t.test("each node's br-tun: the tunnel to the other, VNI → local VLAN, unicast, ARP responder and flooding entries", async () => {
      const tunnel = await ovs[0]!.ofport('vxlan-0aaa0002');
      assert.deepEqual(await ours(ovs[0]!), [
        `table=0,priority=1,in_port=${tunnel} actions=resubmit(,4)`,
        'table=20,priority=5,dl_vlan=5,dl_dst=52:54:00:77:00:0b actions=pop_vlan,set_field:0xb1->tun_id,output:' + String(tunnel),
        'table=21,priority=1,arp,dl_vlan=5,arp_tpa=10.177.0.2 actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],set_field:52:54:00:77:00:0b->eth_src,set_field:2->arp_op,move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],set_field:52:54:00:77:00:0b->arp_sha,set_field:10.177.0.2->arp_spa,IN_PORT',
        'table=22,priority=5,dl_vlan=5 actions=group:5',
        'table=4,priority=5,tun_id=0xb1 actions=push_vlan:0x8100,set_field:4101->vlan_vid,resubmit(,10)',
      ]);
      assert.deepEqual(await ovs[0]!.groups('br-tun'), [`group_id=5,type=all,bucket=bucket_id:0,actions=pop_vlan,set_field:0xb1->tun_id,output:${tunnel}`]);
      const options = (await ovs[0]!.vsctl('get', 'Interface', 'vxlan-0aaa0002', 'options')).trim();
      assert.equal(options, '{df_default="true", egress_pkt_mark="0", in_key=flow, local_ip="10.170.0.1", out_key=flow, remote_ip="10.170.0.2"}');
      // Node 2 maps the same VNI to its own local VLAN (7).
      assert.ok((await ours(ovs[1]!)).some((f) => f.startsWith('table=4,priority=5,tun_id=0xb1 actions=push_vlan:0x8100,set_field:4103->vlan_vid')));
    });

    await t.test('detach removes our flows, group and tunnel port; the agent pipeline stays', async () => {
      const rd = await n2.api('POST', '/detach_localport', attachBody('52:54:00:77:00:0b', '10.177.0.2', 7));
      assert.equal(rd.status, 200, rd.body);
      await waitFor('node 2: nothing of ours left', async () => (await ours(ovs[1]!)).length === 0 && (await ovs[1]!.groups('br-tun')).length === 0, 10_000).catch((e: Error) =>
        assert.fail(`${e.message}\n${why()}`),
      );
      assert.deepEqual(await ovs[1]!.ports('br-tun'), ['patch-int']);
      await waitFor('node 1: b and its tunnel gone', async () => (await ovs[0]!.ports('br-tun')).join() === 'patch-int', 10_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      const left = await ours(ovs[0]!);
      assert.deepEqual(left, ['table=4,priority=5,tun_id=0xb1 actions=push_vlan:0x8100,set_field:4101->vlan_vid,resubmit(,10)']);
      assert.equal((await inNs(a.ns, ['ping', '-c', '1', '-W', '1', b.ip])).code !== 0, true);
      assert.equal((await ovs[0]!.flows('br-tun', 'table=10')).length, 1, "the agent's flows are untouched");
    });
  } finally {
    await td.run();
  }
});
