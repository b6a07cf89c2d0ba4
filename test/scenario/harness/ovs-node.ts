/**
 * A compute node of the netns topology (netns-topology.ts) whose underlay port belongs to a
 * private Open vSwitch (ovs.ts), as the original's OVS IP VPN driver expects (its docstring: the
 * node's address on the MPLS bridge's own interface, the physical interface in the bridge):
 *
 *   node namespace:  eth0 (no address, ARP off) ─ br-mpls (userspace bridge, NORMAL) ─ br-mpls
 *                    interface with the node's address 10.170.0.<i>/24
 *
 * OVS's userspace datapath does not complete checksums left to offload (veths do), so TX
 * checksum offload is off on the underlay veths, and on each endpoint's interface
 * (`endpointReady`): otherwise ping passes but TCP is silently dropped (LAB-NOTES).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ComputeNode, Endpoint, NetnsTopology } from './netns-topology.js';
import { inNsOk } from './netns-topology.js';
import { PrivateOvs } from './ovs.js';
import type { Teardown } from './process.js';

export const MPLS_BRIDGE = 'br-mpls';

/** Starts the node's Open vSwitch and moves its underlay address onto `bridge` (br-mpls). */
export async function ovsUnderlay(td: Teardown, topo: NetnsTopology, node: ComputeNode, bridge = MPLS_BRIDGE): Promise<PrivateOvs> {
  const ovs = await PrivateOvs.start(td, node.ns);
  await ovs.addBridge(bridge);
  await ovs.vsctl('add-port', bridge, 'eth0');
  await node.execOk(['ip', 'addr', 'flush', 'dev', 'eth0']);
  await node.execOk(['ip', 'link', 'set', 'eth0', 'arp', 'off']);
  await node.execOk(['ethtool', '-K', 'eth0', 'tx', 'off']);
  await inNsOk(topo.underlay, ['ethtool', '-K', `n${node.index}`, 'tx', 'off']);
  await node.execOk(['ip', 'addr', 'add', `${node.address}/24`, 'dev', bridge]);
  await node.execOk(['ip', 'link', 'set', bridge, 'up']);
  return ovs;
}

/**
 * What the Neutron OVS agent sets up on a node, for the `ovs` E-VPN driver: the underlay on
 * br-phy, the integration bridge br-int (VM ports, tagged with their network's local VLAN) and
 * the tunnel bridge br-tun joined by patch ports, with the agent's base pipeline in br-tun
 * (neutron openflow/ovs_ofctl/br_tun.py setup_default_table, ARP responder enabled): from
 * br-int → table 2 (broadcast ARP → 21, unicast → 20, multicast → 22), tables 4/10 (from a
 * tunnel: learn, then to br-int), 20 → 22, 21 → 22, 22 drop.
 */
export async function neutronOvsBridges(td: Teardown, topo: NetnsTopology, node: ComputeNode): Promise<PrivateOvs> {
  const ovs = await ovsUnderlay(td, topo, node, 'br-phy');
  await ovs.addBridge('br-int');
  await ovs.addBridge('br-tun');
  await ovs.vsctl('add-port', 'br-int', 'patch-tun', '--', 'set', 'Interface', 'patch-tun', 'type=patch', 'options:peer=patch-int');
  await ovs.vsctl('add-port', 'br-tun', 'patch-int', '--', 'set', 'Interface', 'patch-int', 'type=patch', 'options:peer=patch-tun');
  const patchInt = await ovs.ofport('patch-int');
  const flows = [
    `table=0,priority=1,in_port=${patchInt},actions=resubmit(,2)`,
    'table=0,priority=0,actions=drop',
    'table=2,priority=1,arp,dl_dst=ff:ff:ff:ff:ff:ff,actions=resubmit(,21)',
    'table=2,priority=0,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00,actions=resubmit(,20)',
    'table=2,priority=0,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=resubmit(,22)',
    'table=3,priority=0,actions=drop',
    'table=4,priority=0,actions=drop',
    'table=6,priority=0,actions=drop',
    `table=10,priority=1,actions=learn(table=20,hard_timeout=300,priority=1,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:OXM_OF_IN_PORT[]),output:${patchInt}`,
    'table=20,priority=0,actions=resubmit(,22)',
    'table=21,priority=0,actions=resubmit(,22)',
    'table=22,priority=0,actions=drop',
  ];
  await ovs.ofctl('del-flows', 'br-tun');
  await runWithInput(ovs, flows);
  return ovs;
}

async function runWithInput(ovs: PrivateOvs, flows: string[]): Promise<void> {
  const file = join(ovs.dir, 'br-tun.flows');
  writeFileSync(file, flows.join('\n') + '\n');
  await ovs.ofctl('add-flows', 'br-tun', file);
}

/**
 * A VM of a Neutron network on the node: a namespace with `tovpn` (MAC, address, TX offload off),
 * its peer `hostIf` in br-int as an access port of the network's local VLAN.
 */
export async function neutronVm(topo: NetnsTopology, node: ComputeNode, ovs: PrivateOvs, name: string, mac: string, ipPrefix: string, vlan: number): Promise<{ ns: string; hostIf: string }> {
  const ns = `${topo.prefix}-e${name}`;
  const hostIf = `tap-${name}`;
  await topo.addNamespace(ns);
  await node.execOk(['ip', 'link', 'add', hostIf, 'type', 'veth', 'peer', 'name', 'tovpn', 'netns', ns]);
  await node.execOk(['ip', 'link', 'set', hostIf, 'up']);
  await inNsOk(ns, ['ip', 'link', 'set', 'tovpn', 'address', mac]);
  await inNsOk(ns, ['ip', 'addr', 'add', ipPrefix, 'dev', 'tovpn']);
  await inNsOk(ns, ['ip', 'link', 'set', 'tovpn', 'mtu', '1400', 'up']);
  await inNsOk(ns, ['ethtool', '-K', 'tovpn', 'tx', 'off']);
  await ovs.vsctl('add-port', 'br-int', hostIf, 'tag=' + String(vlan));
  return { ns, hostIf };
}

/** TX checksum offload off on the endpoint's interface (see above). */
export async function endpointReady(ep: Endpoint, nsIf = 'tovpn'): Promise<void> {
  await inNsOk(ep.ns, ['ethtool', '-K', nsIf, 'tx', 'off']);
}

/** The `bgp.conf` lines of our daemon for its node's private Open vSwitch. */
export function ovsConfig(ovs: PrivateOvs, ipvpn: string[]): Record<string, string[]> {
  return { DATAPLANE_DRIVER_IPVPN: ipvpn, OVS: [`ovsdb_connection = ${ovs.dbSock}`] };
}
