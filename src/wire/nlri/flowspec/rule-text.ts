/**
 * A FlowSpec rule as one line of text, in the syntax of GoBGP's CLI match expression
 * ("destination 40.0.0.0/24 source 1.1.1.0/24 protocol ==tcp destination-port ==80"), preceded
 * by "rd <rd>" for VPN rules. VPN instances use it as a key, so it is a pure function of what the
 * rule matches:
 * - components in their (type) order, each "keyword item item...";
 * - numeric items "<op><value>" ('true' / 'false' alone: they ignore the value), ANDed items
 *   joined by "&", ORed ones by a space: "port >=137&<=139 ==8080";
 * - bitmask items "[=][!]<value>" (= match, ! not): "tcp-flags =!SA&=!U";
 * - IPv6 prefixes with an offset: "source ::1234:5678:9a00:0/104 65" (GoBGP: PREFIX [OFFSET]);
 * - protocol names as GoBGP knows them (tcp, udp, icmp...), TCP flags as letters F S R P A U E C
 *   (bits 0x01..0x80; 0 and values above 0xff in decimal), fragment as dont-fragment,
 *   is-fragment, first-fragment, last-fragment joined by "+" (0: not-a-fragment).
 * What does not change the match is left out: value sizes, the NLRI length form, reserved bits
 * (already dropped when decoding) and the ADD-PATH path id.
 */
import type { RouteDistinguisher } from '../../route-distinguisher.js';
import { rdText } from '../../route-distinguisher.js';
import { componentByType, type BitmaskItem, type FlowspecComponent, type FlowspecValue, type NumericItem } from './types.js';

const PROTOCOLS: Readonly<Record<number, string>> = {
  1: 'icmp',
  2: 'igmp',
  4: 'ipip',
  6: 'tcp',
  8: 'egp',
  9: 'igp',
  17: 'udp',
  46: 'rsvp',
  47: 'gre',
  89: 'ospf',
  103: 'pim',
  132: 'sctp',
};

const TCP_FLAGS = 'FSRPAUEC';
const FRAGMENTS = ['dont-fragment', 'is-fragment', 'first-fragment', 'last-fragment'];

function protocolText(v: FlowspecValue): string {
  return (typeof v === 'number' ? PROTOCOLS[v] : undefined) ?? String(v);
}

function tcpFlagsText(v: FlowspecValue): string {
  if (typeof v !== 'number' || v === 0 || v > 0xff) return String(v);
  let s = '';
  for (let i = 0; i < 8; i++) if (v & (1 << i)) s += TCP_FLAGS[i]!;
  return s;
}

function fragmentText(v: FlowspecValue): string {
  if (v === 0) return 'not-a-fragment';
  if (typeof v !== 'number' || v > 0x0f) return String(v);
  const names: string[] = [];
  for (let i = 0; i < 4; i++) if (v & (1 << i)) names.push(FRAGMENTS[i]!);
  return names.join('+');
}

function joiner(i: number, and: boolean): string {
  return and ? '&' : i > 0 ? ' ' : '';
}

function numericText(items: readonly NumericItem[], valueText: (v: FlowspecValue) => string): string {
  let s = '';
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    s += joiner(i, i > 0 && it.and);
    s += it.op === 'true' || it.op === 'false' ? it.op : `${it.op}${valueText(it.value)}`;
  }
  return s;
}

function bitmaskText(items: readonly BitmaskItem[], valueText: (v: FlowspecValue) => string): string {
  let s = '';
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    s += `${joiner(i, i > 0 && it.and)}${it.match ? '=' : ''}${it.not ? '!' : ''}${valueText(it.value)}`;
  }
  return s;
}

function componentText(c: FlowspecComponent): string {
  const keyword = componentByType(c.type)?.keyword ?? c.type;
  switch (c.type) {
    case 'destination-prefix':
    case 'source-prefix':
      return c.offset ? `${keyword} ${c.prefix} ${c.offset}` : `${keyword} ${c.prefix}`;
    case 'tcp-flags':
      return `${keyword} ${bitmaskText(c.items, tcpFlagsText)}`;
    case 'fragment':
      return `${keyword} ${bitmaskText(c.items, fragmentText)}`;
    case 'ip-protocol':
      return `${keyword} ${numericText(c.items, protocolText)}`;
    default:
      return `${keyword} ${numericText(c.items, String)}`;
  }
}

/** Canonical text of a rule (see the file header); deterministic, usable as a key. */
export function flowspecRuleText(nlri: { rd?: RouteDistinguisher; components: readonly FlowspecComponent[] }): string {
  const parts = nlri.components.map(componentText);
  if (nlri.rd !== undefined) parts.unshift(`rd ${rdText(nlri.rd)}`);
  return parts.join(' ');
}
