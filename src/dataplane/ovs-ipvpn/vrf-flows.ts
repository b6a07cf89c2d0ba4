/**
 * The flows of the `ovs` IP VPN driver (spec dataplane.md §6.3, §6.4), as pure functions of
 * their inputs. Three tables:
 *
 *   input    traffic entering the bridge: from a VRF port (ip, arp) → VRF table with reg0 = the
 *            VRF's id; MPLS from the GRE / MPLS port (and VXLAN) → encap-in table
 *   encap-in MPLS label (or VXLAN VNI) of a local endpoint → pop, rewrite, output to its port
 *   vrf      per VRF (reg0): ARP responder, one flow per remote prefix → its select group (the
 *            longer the prefix, the higher the priority: longest match), fallback
 *
 * Actions are written in the form OVS gives them back (`set_field:…->eth_src` rather than
 * `mod_dl_src:…`, `pop_vlan` rather than `strip_vlan`…: the same OpenFlow actions), so that the
 * installed flows compare equal to the desired ones (reconciliation, looking glass).
 *
 * Cookie of every per-VRF flow: the VRF's instance id. Differences with the original, on purpose:
 * - no doubled commas, and the comma before `output` that the original lost with a VLAN;
 * - the input flows save the in_port in reg1 before clearing it, and the ARP responder answers
 *   through that port (`output:NXM_NX_REG1[0..15]`): the original answered every port of the VRF
 *   through the first one plugged;
 * - the ARP responder answers unicast requests too (no `dl_dst=ff:ff:ff:ff:ff:ff`): a neighbour
 *   entry is refreshed by a unicast request to the gateway MAC, which went unanswered;
 * - `dec_ttl` is in the prefix flow, not in the group's buckets (see prefixFlow): there, OVS lost it.
 */
import type { Flow, Group } from '../ovs/flow.js';
import type { OvsTables } from './settings.js';

/** man ovs-ofctl: default priority 0x8000; ours above it (the original's DEFAULT_RULE_PRIORITY). */
export const DEFAULT_PRIORITY = 0x9000;
export const MAX_PREFIX_LENGTH = 128;
/** Below every prefix flow (0x9000 − 128 − 128 = 0x8F00). */
export const FALLBACK_PRIORITY = DEFAULT_PRIORITY - MAX_PREFIX_LENGTH - 0x80;
export const GATEWAY_MAC = '00:00:5e:00:43:64';
export const VRF_REGISTER = 'reg0';
/** Where the input flows keep the port a packet came in by (in_port is cleared). */
const IN_PORT_REGISTER = 'NXM_NX_REG1[0..15]';

export function prefixPriority(prefixLength: number): number {
  return DEFAULT_PRIORITY - (MAX_PREFIX_LENGTH - prefixLength);
}

/** OpenFlow 1.3+: push a tag, then set its VID (with the "VLAN present" bit, 0x1000). */
export const vlanPush = (vlan: number | undefined): string => (vlan === undefined ? '' : `push_vlan:0x8100,set_field:${0x1000 + vlan}->vlan_vid`);
const ethSrc = (mac: string): string => `set_field:${mac}->eth_src`;
const ethDst = (mac: string): string => `set_field:${mac}->eth_dst`;

/** Driver flow: MPLS from the GRE or bare MPLS port → encap-in (§6.3). */
export function mplsInputFlow(t: OvsTables, port: number): Flow {
  return { table: t.input, priority: DEFAULT_PRIORITY, cookie: 0n, match: ['mpls', `in_port=${port}`], actions: [`resubmit(,${t.encapIn})`] };
}

/** Driver flow: everything from the VXLAN port → encap-in (`vxlan_encap`). */
export function vxlanInputFlow(t: OvsTables, port: number): Flow {
  return { table: t.input, priority: DEFAULT_PRIORITY, cookie: 0n, match: [`in_port=${port}`], actions: [`resubmit(,${t.encapIn})`] };
}

/** Traffic (ip or arp) from a VRF port → VRF table, reg0 = VRF id. */
export function portInputFlow(t: OvsTables, vrf: number, proto: 'ip' | 'arp', port: number, vlan: number | undefined): Flow {
  return {
    table: t.input,
    priority: DEFAULT_PRIORITY,
    cookie: BigInt(vrf),
    match: [proto, `in_port=${port}`, ...(vlan === undefined ? [] : [`dl_vlan=${vlan}`])],
    actions: [
      vlan === undefined ? '' : 'pop_vlan',
      // in_port cleared so that a packet may leave by the port it came in (OVS drops that
      // otherwise): VRF X and VRF Y behind one patch port with two VLANs.
      `move:NXM_OF_IN_PORT[]->${IN_PORT_REGISTER}`,
      'set_field:0->in_port',
      `set_field:${vrf}->${VRF_REGISTER}`,
      `resubmit(,${t.vrf})`,
    ],
  };
}

/** Answers ARP requests of the VRF's ports with the gateway MAC (for every IP with proxy_arp). */
export function arpResponderFlow(t: OvsTables, vrf: number, gatewayIp: string | null, proxyArp: boolean, vlan: number | undefined): Flow {
  return {
    table: t.vrf,
    priority: DEFAULT_PRIORITY,
    cookie: BigInt(vrf),
    match: ['arp', `${VRF_REGISTER}=${vrf}`, 'arp_op=1', ...(proxyArp || gatewayIp === null ? [] : [`arp_tpa=${gatewayIp}`])],
    actions: [
      'move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]',
      ethSrc(GATEWAY_MAC),
      'set_field:2->arp_op',
      'move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[]',
      'push:NXM_OF_ARP_TPA[]',
      'move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[]',
      `set_field:${GATEWAY_MAC}->arp_sha`,
      'pop:NXM_OF_ARP_SPA[]',
      vlanPush(vlan),
      `output:${IN_PORT_REGISTER}`,
    ],
  };
}

/** MPLS with a local endpoint's label → that endpoint (§6.4 plug, to-port). */
export function encapInFlow(t: OvsTables, vrf: number, label: number, mac: string, port: number, vlan: number | undefined): Flow {
  return {
    table: t.encapIn,
    priority: DEFAULT_PRIORITY,
    cookie: BigInt(vrf),
    match: ['mpls', `mpls_label=${label}`, 'mpls_bos=1'],
    actions: ['pop_mpls:0x0800', vlanPush(vlan), ethSrc(GATEWAY_MAC), ethDst(mac), `output:${port}`],
  };
}

/** VXLAN with a local endpoint's label as VNI → that endpoint (`vxlan_encap`). */
export function vxlanEncapInFlow(t: OvsTables, vrf: number, vxlanPort: number, label: number, mac: string, port: number, vlan: number | undefined): Flow {
  return {
    table: t.encapIn,
    priority: DEFAULT_PRIORITY,
    cookie: BigInt(vrf),
    match: [`in_port=${vxlanPort}`, `tun_id=${label}`],
    actions: [vlanPush(vlan), ethSrc(GATEWAY_MAC), ethDst(mac), `output:${port}`],
  };
}

export interface Fallback {
  readonly src_mac: string;
  readonly dst_mac: string;
  readonly ovs_port_number: number;
}

/** What matches no prefix of the VRF goes to the fallback port (§6.4 fallback). */
export function fallbackFlow(t: OvsTables, vrf: number, fb: Fallback, vlan: number | undefined): Flow {
  return {
    table: t.vrf,
    priority: FALLBACK_PRIORITY,
    cookie: BigInt(vrf),
    match: [`${VRF_REGISTER}=${vrf}`],
    actions: [vlanPush(vlan), ethSrc(fb.src_mac), ethDst(fb.dst_mac), `output:${fb.ovs_port_number}`],
  };
}

/** "a.b.c.d/len" → its length. */
export function prefixLength(prefix: string): number {
  const slash = prefix.indexOf('/');
  return slash < 0 ? 32 : Number(prefix.slice(slash + 1));
}

/** The identity of a remote prefix's flow (no nw_dst for /0: a default route). */
export function prefixFlowMatch(t: OvsTables, vrf: number, prefix: string): Pick<Flow, 'table' | 'priority' | 'match'> {
  const len = prefixLength(prefix);
  return { table: t.vrf, priority: prefixPriority(len), match: ['ip', `${VRF_REGISTER}=${vrf}`, ...(len === 0 ? [] : [`nw_dst=${prefix}`])] };
}

/**
 * A remote prefix's flow. `dec_ttl` (prefixes outside the VRF's subnet) is here, before the group,
 * not in each bucket as the original wrote it: OVS (3.1, userspace) loses a bucket's `dec_ttl`
 * when `push_mpls` follows it (neither the IP nor the MPLS TTL is decremented; measured), while
 * `dec_ttl` in the flow works. It depends on the prefix only, so all next hops share it.
 */
export function prefixFlow(t: OvsTables, vrf: number, prefix: string, group: number, decTtl: boolean): Flow {
  return { ...prefixFlowMatch(t, vrf, prefix), cookie: BigInt(vrf), actions: [decTtl ? 'dec_ttl' : '', `group:${group}`] };
}

export interface Bucket {
  readonly id: number;
  readonly actions: readonly string[];
}

export function nextHopGroup(id: number, selectionMethod: string, selectionMethodParam: string, buckets: readonly Bucket[]): Group {
  return {
    id,
    type: 'select',
    selectionMethod,
    selectionMethodParam,
    buckets: buckets.map((b) => [`bucket_id=${b.id}`, ...b.actions.filter((a) => a !== '')].join(',')),
  };
}

/** The label part of a next hop's actions (§6.4 "label action"). */
export function labelAction(label: number, vxlan: boolean): string {
  return vxlan ? `set_field:${label}->tun_id` : `push_mpls:0x8847,set_field:${label}->mpls_label`;
}

export type OutputKind =
  /** The remote PE is this node: straight to the encap-in table, as if received. */
  | { readonly kind: 'local'; readonly inPort: number; readonly encapIn: number }
  /** A tunnel port with the destination from the flow (GRE, VXLAN). */
  | { readonly kind: 'tunnel'; readonly remotePe: string; readonly port: number }
  /** Bare MPLS over Ethernet to the remote PE's MAC. */
  | { readonly kind: 'ethernet'; readonly srcMac: string; readonly dstMac: string; readonly port: number };

export function outputAction(o: OutputKind): string {
  switch (o.kind) {
    case 'local':
      return `resubmit(${o.inPort},${o.encapIn})`;
    case 'tunnel':
      return `set_field:${o.remotePe}->tun_dst,output:${o.port}`;
    case 'ethernet':
      return `${ethSrc(o.srcMac)},${ethDst(o.dstMac)},output:${o.port}`;
  }
}
