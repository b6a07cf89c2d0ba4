/**
 * FlowSpec redirect-to-VRF in the `ovs` IP VPN driver (spec dataplane.md §6.4 "classifier
 * redirect", vpn.md §4.6): traffic of a VRF matching a classifier continues its lookup in the
 * redirect VRF (`set_field:<redirect id>->reg0, resubmit(,<vrf table>)`), above every prefix flow.
 *
 * Port ranges become value/mask pairs (Neutron's port_rule_masking: the fewest aligned blocks
 * covering the range), one flow per combination of source and destination blocks. Any field may
 * be absent (the original crashed unless protocol, source port and destination port were all
 * set); ports without a protocol that has ports are ignored with the protocol check below.
 */
import type { PortRange, TrafficClassifier } from '../driver.js';
import type { Flow } from '../ovs/flow.js';
import type { OvsTables } from './settings.js';
import { DEFAULT_PRIORITY, VRF_REGISTER } from './vrf-flows.js';

/** IP protocols OVS has a keyword for; others are matched by number. */
const KEYWORDS: Readonly<Record<string, string>> = { tcp: 'tcp', udp: 'udp', sctp: 'sctp', icmp: 'icmp' };
const NUMBERS: Readonly<Record<string, number>> = { tcp: 6, udp: 17, sctp: 132, icmp: 1, gre: 47, esp: 50, ah: 51, ospf: 89, pim: 103, vrrp: 112 };
const WITH_PORTS = new Set(['tcp', 'udp', 'sctp']);

/**
 * The aligned blocks covering [min, max] as OVS matches: `80` for one port, `0x400/0xfc00` for a
 * block; none for the whole range.
 */
export function portMasks(r: PortRange): string[] {
  if (r.min <= 0 && r.max >= 0xffff) return [];
  const out: string[] = [];
  let start = Math.max(0, r.min);
  const max = Math.min(0xffff, r.max);
  while (start <= max) {
    let size = 1;
    while (size <= 0x8000 && start % (size * 2) === 0 && start + size * 2 - 1 <= max) size *= 2;
    out.push(size === 1 ? String(start) : `0x${start.toString(16)}/0x${(0xffff & ~(size - 1)).toString(16)}`);
    start += size;
  }
  return out;
}

export class ClassifierError extends Error {
  override readonly name = 'ClassifierError';
}

/** The flows of one classifier (several when port ranges need several blocks). */
export function classifierFlows(t: OvsTables, vrf: number, c: TrafficClassifier, redirectTo: number): Flow[] {
  const proto = c.protocol?.toLowerCase();
  const base: string[] = [];
  if (proto === undefined) base.push('ip');
  else if (KEYWORDS[proto]) base.push(KEYWORDS[proto]);
  else {
    const n = /^\d+$/.test(proto) ? Number(proto) : NUMBERS[proto];
    if (n === undefined) throw new ClassifierError(`unknown IP protocol ${c.protocol}`);
    base.push('ip', `nw_proto=${n}`);
  }
  base.push(`${VRF_REGISTER}=${vrf}`);
  if (c.sourcePrefix) base.push(`nw_src=${c.sourcePrefix}`);
  if (c.destinationPrefix) base.push(`nw_dst=${c.destinationPrefix}`);
  const hasPorts = c.sourcePort !== undefined || c.destinationPort !== undefined;
  if (hasPorts && (proto === undefined || !WITH_PORTS.has(proto))) throw new ClassifierError(`ports need tcp, udp or sctp (protocol ${c.protocol ?? 'any'})`);
  const srcs = c.sourcePort ? portMasks(c.sourcePort) : [];
  const dsts = c.destinationPort ? portMasks(c.destinationPort) : [];
  const matches: string[][] = [];
  for (const s of srcs.length > 0 ? srcs : [undefined]) {
    for (const d of dsts.length > 0 ? dsts : [undefined]) {
      matches.push([...base, ...(s === undefined ? [] : [`${proto}_src=${s}`]), ...(d === undefined ? [] : [`${proto}_dst=${d}`])]);
    }
  }
  return matches.map((match) => ({
    table: t.vrf,
    priority: DEFAULT_PRIORITY,
    cookie: BigInt(vrf),
    match,
    actions: [`set_field:${redirectTo}->${VRF_REGISTER}`, `resubmit(,${t.vrf})`],
  }));
}

/** A classifier's identity (the same classifier is added and removed). */
export function classifierKey(c: TrafficClassifier): string {
  return JSON.stringify([c.protocol ?? null, c.sourcePrefix ?? null, c.destinationPrefix ?? null, c.sourcePort ?? null, c.destinationPort ?? null]);
}
