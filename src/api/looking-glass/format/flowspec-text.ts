/**
 * FlowSpec rules as the original's looking glass shows them (ExaBGP's text, spec
 * looking-glass.md §3.1): " destination-ipv4 40.0.0.0/24 protocol =tcp destination-port
 * [ >=80&<=90 =443 ]" – each component " <name> <items>", several items in brackets, an ANDed
 * item glued to the previous one with "&", an ORed one after a space; numeric operators
 * = > >= < <= != true false, bitmask operators (nothing) ! = !=; protocols, TCP flags and
 * fragment bits by name. The VRF's tracked entry of a FlowSpec route is ('Flow', '<this text>').
 */
import type { BitmaskItem, FlowspecComponent, FlowspecValue, NumericItem } from '../../../wire/nlri/flowspec/types.js';

const PROTOCOLS: Readonly<Record<number, string>> = {
  1: 'icmp',
  2: 'igmp',
  6: 'tcp',
  8: 'egp',
  17: 'udp',
  46: 'rsvp',
  47: 'gre',
  50: 'esp',
  51: 'ah',
  89: 'ospf',
  94: 'ipip',
  103: 'pim',
  132: 'sctp',
};
const TCP_FLAGS = ['fin', 'syn', 'rst', 'push', 'ack', 'urg', 'ece', 'cwr'];
const FRAGMENTS = ['dont-fragment', 'is-fragment', 'first-fragment', 'last-fragment'];
const NUMERIC_OPS: Readonly<Record<NumericItem['op'], string>> = { '==': '=', '>': '>', '>=': '>=', '<': '<', '<=': '<=', '!=': '!=', true: 'true', false: 'false' };

function bitNames(v: FlowspecValue, names: readonly string[], zero: string): string {
  if (typeof v !== 'number') return String(v);
  if (v === 0) return zero;
  const out: string[] = [];
  for (let i = 0; i < names.length; i++) if (v & (1 << i)) out.push(names[i]!);
  return v >>> names.length === 0 ? out.join('+') : String(v);
}

function valueText(type: FlowspecComponent['type'], v: FlowspecValue): string {
  if (type === 'ip-protocol') return typeof v === 'number' ? (PROTOCOLS[v] ?? `unknown protocol type ${v}`) : String(v);
  if (type === 'tcp-flags') return bitNames(v, TCP_FLAGS, '0');
  if (type === 'fragment') return bitNames(v, FRAGMENTS, 'not-a-fragment');
  return String(v);
}

function itemsText(type: FlowspecComponent['type'], items: readonly (NumericItem | BitmaskItem)[]): string {
  let s = '';
  items.forEach((it, i) => {
    const op = 'op' in it ? NUMERIC_OPS[it.op] : `${it.not ? '!' : ''}${it.match ? '=' : ''}`;
    const numericBool = 'op' in it && (it.op === 'true' || it.op === 'false');
    if (i > 0) s += it.and ? '&' : ' ';
    s += numericBool ? op : `${op}${valueText(type, it.value)}`;
  });
  return items.length > 1 ? `[ ${s} ]` : s;
}

const NAMES: Readonly<Record<FlowspecComponent['type'], string>> = {
  'destination-prefix': 'destination',
  'source-prefix': 'source',
  'ip-protocol': 'protocol',
  port: 'port',
  'destination-port': 'destination-port',
  'source-port': 'source-port',
  'icmp-type': 'icmp-type',
  'icmp-code': 'icmp-code',
  'tcp-flags': 'tcp-flags',
  'packet-length': 'packet-length',
  dscp: 'dscp',
  fragment: 'fragment',
  'flow-label': 'flow-label',
};

/** The rules part, each component preceded by a space (ExaBGP's Flow._rules()). */
export function lgFlowRulesText(components: readonly FlowspecComponent[], ipv6: boolean): string {
  let s = '';
  for (const c of components) {
    if ('prefix' in c) {
      // IPv6 prefixes are "prefix/offset" in ExaBGP; protocol is next-header there.
      s += ` ${NAMES[c.type]}-ipv${ipv6 ? 6 : 4} ${ipv6 ? `${c.prefix}/${c.offset ?? 0}` : c.prefix}`;
    } else {
      const name = ipv6 && c.type === 'ip-protocol' ? 'next-header' : ipv6 && c.type === 'dscp' ? 'traffic-class' : NAMES[c.type];
      s += ` ${name} ${itemsText(c.type, c.items)}`;
    }
  }
  return s;
}
