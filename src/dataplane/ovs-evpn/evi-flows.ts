/**
 * The flows of the `ovs` E-VPN driver in Neutron's tunnel bridge (spec dataplane.md §7), as pure
 * functions. The bridge's pipeline is the Neutron OVS agent's (neutron_lib ovs_constants):
 *
 *   0  in_port=patch-int → 2; in_port=<tunnel> → 4              (the agent's, and ours per tunnel)
 *   2  unicast → 20, multicast → 22, broadcast ARP → 21          (the agent's)
 *   4  VXLAN_TUN_TO_LV: tun_id=<VNI> → VLAN of the network → 10  (ours per EVI)
 *   10 LEARN_FROM_TUN: learn, output to br-int                   (the agent's)
 *   20 UCAST_TO_TUN: dl_vlan, dl_dst=<remote MAC> → tunnel       (ours per remote MAC)
 *   21 ARP_RESPONDER: answers for remote IPs                     (ours per remote MAC/IP)
 *   22 FLOOD_TO_TUN: dl_vlan → group <vlan> (all flooding tunnels) (ours per EVI)
 *
 * Actions in the form OVS gives them back (`set_field:…->tun_id` for `set_tunnel`, `pop_vlan`…).
 * Our flows carry a cookie of their own (`0x626770` "bgp" in the top bits, the instance id in the
 * low ones), so that they are told from the agent's, reconciled after a restart and never swept
 * by mistake. Priority 5 as in the original.
 */
import type { Flow, Group } from '../ovs/flow.js';

export const VXLAN_TUN_TO_LV = 4;
export const LEARN_FROM_TUN = 10;
export const UCAST_TO_TUN = 20;
export const ARP_RESPONDER = 21;
export const FLOOD_TO_TUN = 22;
export const FLOW_PRIORITY = 5;
/** Neutron's ARP responder priority (install_arp_responder). */
export const ARP_RESPONDER_PRIORITY = 1;

const COOKIE_TAG = 0x626770n;
const COOKIE_SHIFT = 40n;

export function eviCookie(instanceId: number): bigint {
  return (COOKIE_TAG << COOKIE_SHIFT) | BigInt(instanceId);
}

export function isEviCookie(cookie: bigint): boolean {
  return cookie >> COOKIE_SHIFT === COOKIE_TAG;
}

/** Traffic of the EVI's VNI from a tunnel → the network's local VLAN → learning table. */
export function vniToVlanFlow(instanceId: number, vni: number, vlan: number): Flow {
  return {
    table: VXLAN_TUN_TO_LV,
    priority: FLOW_PRIORITY,
    cookie: eviCookie(instanceId),
    match: [`tun_id=${vni}`],
    actions: ['push_vlan:0x8100', `set_field:${0x1000 + vlan}->vlan_vid`, `resubmit(,${LEARN_FROM_TUN})`],
  };
}

/**
 * What reaches a destination: a tunnel port with the remote VNI, or this node itself (back to
 * table 4 as if received; in_port cleared so that the packet may return by the patch port).
 */
export type Destination = { readonly kind: 'local' } | { readonly kind: 'tunnel'; readonly port: number };

export function destinationActions(d: Destination, vni: number): string[] {
  return d.kind === 'local' ? ['set_field:0->in_port', `set_field:${vni}->tun_id`, `resubmit(,${VXLAN_TUN_TO_LV})`] : [`set_field:${vni}->tun_id`, `output:${d.port}`];
}

export function unicastMatch(vlan: number, mac: string): Pick<Flow, 'table' | 'priority' | 'match'> {
  return { table: UCAST_TO_TUN, priority: FLOW_PRIORITY, match: [`dl_vlan=${vlan}`, `dl_dst=${mac}`] };
}

export function unicastFlow(instanceId: number, vlan: number, mac: string, d: Destination, vni: number): Flow {
  return { ...unicastMatch(vlan, mac), cookie: eviCookie(instanceId), actions: ['pop_vlan', ...destinationActions(d, vni)] };
}

export function arpResponderMatch(vlan: number, ip: string): Pick<Flow, 'table' | 'priority' | 'match'> {
  return { table: ARP_RESPONDER, priority: ARP_RESPONDER_PRIORITY, match: ['arp', `dl_vlan=${vlan}`, `arp_tpa=${ip}`] };
}

/** Neutron's ARP responder (install_arp_responder): answers `ip is-at mac` back where it came from. */
export function arpResponderFlow(instanceId: number, vlan: number, ip: string, mac: string): Flow {
  return {
    ...arpResponderMatch(vlan, ip),
    cookie: eviCookie(instanceId),
    actions: [
      'move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]',
      `set_field:${mac}->eth_src`,
      'set_field:2->arp_op',
      'move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[]',
      'move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[]',
      `set_field:${mac}->arp_sha`,
      `set_field:${ip}->arp_spa`,
      'IN_PORT',
    ],
  };
}

export function floodMatch(vlan: number): Pick<Flow, 'table' | 'priority' | 'match'> {
  return { table: FLOOD_TO_TUN, priority: FLOW_PRIORITY, match: [`dl_vlan=${vlan}`] };
}

export function floodFlow(instanceId: number, vlan: number): Flow {
  return { ...floodMatch(vlan), cookie: eviCookie(instanceId), actions: [`group:${vlan}`] };
}

/** One bucket per flooding destination (ingress replication, RFC 7432 §11). */
export function floodGroup(vlan: number, destinations: readonly { readonly d: Destination; readonly vni: number }[]): Group {
  return { id: vlan, type: 'all', buckets: destinations.map(({ d, vni }) => ['actions=pop_vlan', ...destinationActions(d, vni)].join(',')) };
}

/** Input flow of a tunnel port (Neutron's setup_tunnel_port): → VXLAN_TUN_TO_LV. */
export function tunnelInputFlow(port: number): Flow {
  return { table: 0, priority: 1, cookie: eviCookie(0), match: [`in_port=${port}`], actions: [`resubmit(,${VXLAN_TUN_TO_LV})`] };
}
