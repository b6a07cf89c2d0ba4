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
import type { ComputeNode, Endpoint, NetnsTopology } from './netns-topology.js';
import { inNsOk } from './netns-topology.js';
import { PrivateOvs } from './ovs.js';
import type { Teardown } from './process.js';

export const MPLS_BRIDGE = 'br-mpls';

/** Starts the node's Open vSwitch and moves its underlay address onto br-mpls. */
export async function ovsUnderlay(td: Teardown, topo: NetnsTopology, node: ComputeNode): Promise<PrivateOvs> {
  const ovs = await PrivateOvs.start(td, node.ns);
  await ovs.addBridge(MPLS_BRIDGE);
  await ovs.vsctl('add-port', MPLS_BRIDGE, 'eth0');
  await node.execOk(['ip', 'addr', 'flush', 'dev', 'eth0']);
  await node.execOk(['ip', 'link', 'set', 'eth0', 'arp', 'off']);
  await node.execOk(['ethtool', '-K', 'eth0', 'tx', 'off']);
  await inNsOk(topo.underlay, ['ethtool', '-K', `n${node.index}`, 'tx', 'off']);
  await node.execOk(['ip', 'addr', 'add', `${node.address}/24`, 'dev', MPLS_BRIDGE]);
  await node.execOk(['ip', 'link', 'set', MPLS_BRIDGE, 'up']);
  return ovs;
}

/** TX checksum offload off on the endpoint's interface (see above). */
export async function endpointReady(ep: Endpoint): Promise<void> {
  await inNsOk(ep.ns, ['ethtool', '-K', 'tovpn', 'tx', 'off']);
}

/** The `bgp.conf` lines of our daemon for its node's private Open vSwitch. */
export function ovsConfig(ovs: PrivateOvs, ipvpn: string[]): Record<string, string[]> {
  return { DATAPLANE_DRIVER_IPVPN: ipvpn, OVS: [`ovsdb_connection = ${ovs.dbSock}`] };
}
