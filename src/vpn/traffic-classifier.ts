/**
 * Traffic classifiers and FlowSpec rules (spec vpn.md §7), for service chaining.
 *
 * Three conversions:
 *  - the API's `attract_traffic.classifier` object (rest-api.md §4.4: camelCase keys, ports as
 *    "80" or "1000:2000", protocol an IANA name, `tcp` when the key is absent, no protocol match
 *    when it is null) → ApiClassifier;
 *  - ApiClassifier + destination prefix → FlowSpec components, reproducing the original's range
 *    encoding on generation (checklist I6: `0:max` → `< max` and `min:65535` → `> min`, both
 *    excluding the bound), so that the routes we generate are those the original generates;
 *  - received FlowSpec components → the dataplane's TrafficClassifier, decoding every operator
 *    properly (checklist I7: the original compared operators with strings and lost ranges).
 */
import type { PortRange, TrafficClassifier } from '../dataplane/driver.js';
import type { FlowspecComponent, NumericItem } from '../wire/nlri/flowspec/types.js';

/** IANA protocol numbers by name: the names the original's FlowSpec library knows (ExaBGP's table). */
const PROTOCOLS: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  tcp: 6,
  egp: 8,
  udp: 17,
  rsvp: 46,
  gre: 47,
  esp: 50,
  ah: 51,
  'ipv6-icmp': 58,
  ospf: 89,
  ipip: 94,
  pim: 103,
  sctp: 132,
};
const PROTOCOL_NAMES = new Map(Object.entries(PROTOCOLS).map(([name, n]) => [n, name]));

export class ClassifierError extends Error {
  override readonly name = 'ClassifierError';
}

/** A port as the API gives it: one port, or an inclusive range "min:max". */
export type ApiPort = number | PortRange;

/** The API's classifier, parsed. `destinationPrefix` is always set by the daemon. */
export interface ApiClassifier {
  readonly sourcePrefix?: string;
  readonly sourcePort?: ApiPort;
  readonly destinationPort?: ApiPort;
  /** null: no protocol component. */
  readonly protocol: string | null;
}

const API_KEYS = new Set(['sourcePrefix', 'destinationPrefix', 'sourcePort', 'destinationPort', 'protocol']);

function parsePort(v: unknown, key: string): ApiPort | undefined {
  if (v === null || v === undefined || v === '' || v === 0) return undefined;
  const text = typeof v === 'number' ? String(v) : v;
  if (typeof text !== 'string') throw new ClassifierError(`classifier ${key}: ${JSON.stringify(v)} is neither a port nor a range "min:max"`);
  const m = /^(\d{1,5})(?::(\d{1,5}))?$/.exec(text.trim());
  const min = m ? Number(m[1]) : NaN;
  const max = m?.[2] !== undefined ? Number(m[2]) : min;
  if (!m || max > 65535 || min > max) throw new ClassifierError(`classifier ${key}: ${JSON.stringify(v)} is neither a port nor a range "min:max" within 0-65535`);
  return m[2] === undefined ? min : { min, max };
}

function parsePrefix(v: unknown, key: string): string | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  const m = typeof v === 'string' ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(v) : null;
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) throw new ClassifierError(`classifier ${key}: ${JSON.stringify(v)} is not an IPv4 prefix a.b.c.d/len`);
  return v as string;
}

/**
 * The API object (rest-api.md §4.4). Unknown keys, bad ports or an unknown protocol make FlowSpec
 * route generation impossible: the original only logged that later; we refuse the attach (400),
 * which loses nothing and says why.
 */
export function parseApiClassifier(obj: Readonly<Record<string, unknown>>): ApiClassifier {
  for (const k of Object.keys(obj)) if (!API_KEYS.has(k)) throw new ClassifierError(`classifier: unknown key '${k}'`);
  let protocol: string | null = 'tcp';
  if ('protocol' in obj) {
    const p = obj.protocol;
    if (p === null) protocol = null;
    else if (typeof p === 'string' && PROTOCOLS[p.toLowerCase()] !== undefined) protocol = p.toLowerCase();
    else throw new ClassifierError(`classifier protocol: ${JSON.stringify(p)} is not one of ${Object.keys(PROTOCOLS).join(', ')}`);
  }
  const sourcePrefix = parsePrefix(obj.sourcePrefix, 'sourcePrefix');
  const sourcePort = parsePort(obj.sourcePort, 'sourcePort');
  const destinationPort = parsePort(obj.destinationPort, 'destinationPort');
  return {
    ...(sourcePrefix !== undefined ? { sourcePrefix } : {}),
    ...(sourcePort !== undefined ? { sourcePort } : {}),
    ...(destinationPort !== undefined ? { destinationPort } : {}),
    protocol,
  };
}

/** The original's port items (vpn.md §7 generation, its range quirks kept). */
function portItems(p: ApiPort): NumericItem[] {
  if (typeof p === 'number') return [{ and: false, op: '==', value: p }];
  if (p.min === 0) return [{ and: false, op: '<', value: p.max }];
  if (p.max === 65535) return [{ and: false, op: '>', value: p.min }];
  return [
    { and: false, op: '>=', value: p.min },
    { and: true, op: '<=', value: p.max },
  ];
}

/** FlowSpec components (type order) for the classifier with this destination prefix. */
export function classifierRules(c: ApiClassifier, destinationPrefix: string): FlowspecComponent[] {
  const out: FlowspecComponent[] = [{ type: 'destination-prefix', prefix: networkOf(destinationPrefix) }];
  if (c.sourcePrefix !== undefined) out.push({ type: 'source-prefix', prefix: networkOf(c.sourcePrefix) });
  if (c.protocol !== null) out.push({ type: 'ip-protocol', items: [{ and: false, op: '==', value: PROTOCOLS[c.protocol]! }] });
  if (c.destinationPort !== undefined) out.push({ type: 'destination-port', items: portItems(c.destinationPort) });
  if (c.sourcePort !== undefined) out.push({ type: 'source-port', items: portItems(c.sourcePort) });
  return out;
}

/** "10.0.0.1/24" → "10.0.0.0/24": FlowSpec prefixes carry no host bits. */
function networkOf(prefix: string): string {
  const [addr, len] = prefix.split('/') as [string, string];
  const n = addr.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const l = Number(len);
  const net = (n & (l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0)) >>> 0;
  return `${net >>> 24}.${(net >>> 16) & 255}.${(net >>> 8) & 255}.${net & 255}/${l}`;
}

const MAX_PORT = 65535;

/**
 * The port range an operator list matches, when it is one range (RFC 8955 §4.2.1.1): ANDed
 * bounds, or a single comparison. Anything else (ORed terms, "!=") cannot be one range: error.
 */
export function portRangeOf(items: readonly NumericItem[], what: string): PortRange {
  let min = 0;
  let max = MAX_PORT;
  items.forEach((it, i) => {
    if (i > 0 && !it.and) throw new ClassifierError(`${what}: ORed port terms are not one range`);
    const v = Number(it.value);
    switch (it.op) {
      case '==':
        min = Math.max(min, v);
        max = Math.min(max, v);
        break;
      case '>':
        min = Math.max(min, v + 1);
        break;
      case '>=':
        min = Math.max(min, v);
        break;
      case '<':
        max = Math.min(max, v - 1);
        break;
      case '<=':
        max = Math.min(max, v);
        break;
      case 'true':
        break;
      default:
        throw new ClassifierError(`${what}: operator ${it.op} is not supported in a port range`);
    }
  });
  if (min > max) throw new ClassifierError(`${what}: matches no port`);
  return { min, max };
}

/**
 * The dataplane classifier of received FlowSpec components (vpn.md §7 reception, ranges decoded
 * properly). Components a classifier cannot express (ICMP, TCP flags, "port" meaning either
 * side…) → ClassifierError: the route is ignored with that error logged.
 */
export function classifierOf(components: readonly FlowspecComponent[]): TrafficClassifier {
  const c: { -readonly [K in keyof TrafficClassifier]: TrafficClassifier[K] } = {};
  for (const comp of components) {
    switch (comp.type) {
      case 'destination-prefix':
        c.destinationPrefix = comp.prefix;
        break;
      case 'source-prefix':
        c.sourcePrefix = comp.prefix;
        break;
      case 'ip-protocol': {
        if (comp.items.length !== 1 || comp.items[0]!.op !== '==') throw new ClassifierError('protocol: only one exact protocol is supported');
        const n = Number(comp.items[0]!.value);
        c.protocol = PROTOCOL_NAMES.get(n) ?? String(n);
        break;
      }
      case 'destination-port':
        c.destinationPort = portRangeOf(comp.items, 'destination port');
        break;
      case 'source-port':
        c.sourcePort = portRangeOf(comp.items, 'source port');
        break;
      default:
        throw new ClassifierError(`FlowSpec component ${comp.type} is not supported by traffic classifiers`);
    }
  }
  return c;
}

/** Stable text of a classifier (map keys, logs): the original's "src-sport,dst-dport,proto". */
export function classifierText(c: TrafficClassifier): string {
  const port = (p: PortRange | undefined): string => (p === undefined ? '*' : p.min === p.max ? String(p.min) : `${p.min}:${p.max}`);
  return `${c.sourcePrefix ?? '*'}-${port(c.sourcePort)},${c.destinationPrefix ?? '*'}-${port(c.destinationPort)},${c.protocol ?? '*'}`;
}
