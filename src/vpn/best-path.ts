/**
 * Best-path comparison inside a VPN instance (spec engine.md §8.1), as a chain of small
 * comparators each giving the reason it decided (shown in the looking glass, GoBGP-style).
 *
 * 1. Higher LOCAL_PREF (absent = 100).
 * 2. ECMP-capable dataplane: stop here; routes of equal LOCAL_PREF are all best (multipath).
 * 3. Otherwise a deterministic tie-break, so that exactly one route is best:
 *    a. a salted hash of the route's content (the original salted Python's hash with hostname and
 *       instance name so that different nodes spread their choices; ours is FNV-1a, stable
 *       across runs, and never depends on the order routes arrived in);
 *    b. the route's content text, then its source's name (full ties: the same route through two
 *       route reflectors).
 * 0. E-VPN MAC/IP routes only: MAC mobility (RFC 7432 §15: sticky, sequence number, lower PE
 *    address; mac-mobility.ts), which the original did not consider.
 * MED, AS path and router id are not considered (as in the original).
 */
import type { PathAttribute } from '../wire/attributes/registry.js';
import type { RouteEntry } from '../rib/route-entry.js';

export const DEFAULT_LOCAL_PREF = 100;

export interface BestPathPolicy {
  /** The dataplane installs several next hops for one destination (engine.md §8.1). */
  readonly ecmp: boolean;
  /** Mixed into the tie-break hash (the original used hostname + instance name). */
  readonly salt: string;
  /** Decides first when it returns a non-zero comparison (E-VPN MAC mobility, mac-mobility.ts). */
  readonly first?: (a: RouteEntry, b: RouteEntry) => Comparison | undefined;
}

export interface Comparison {
  /** > 0: a is better; < 0: b is better; 0: equal (ECMP only). */
  readonly cmp: number;
  /** Why ("LOCAL_PREF 200 > 100", "tie-break: salted hash"...). */
  readonly reason: string;
}

export function localPrefOf(e: RouteEntry): number {
  for (const a of e.attributes) if (a.type === 'local-pref') return a.value;
  return DEFAULT_LOCAL_PREF;
}

function attrText(a: PathAttribute): string {
  if (a.type === 'ext-communities') return JSON.stringify(a.communities.map((c) => JSON.stringify(c)).sort());
  const { flags: _f, ...rest } = a;
  return JSON.stringify(rest);
}

const KEPT = new Set(['next-hop', 'pmsi-tunnel', 'med', 'ext-communities', 'local-pref']);

/**
 * The "filtered route" of engine.md §8.2: NLRI (labels included) + next hop, PMSI tunnel, MED,
 * extended communities (as a set) and LOCAL_PREF, without the source. Two routes with the same
 * text are equivalent: the dataplane needs to hear about only one of them.
 */
export function equivalenceText(e: RouteEntry): string {
  const attrs = e.attributes
    .filter((a) => KEPT.has(a.type))
    .map(attrText)
    .sort();
  const { pathId: _p, ...nlri } = e.nlri;
  return `${e.afi}/${e.safi} ${JSON.stringify(nlri)} nh ${e.nextHop ?? '-'} ${attrs.join(' ')}`;
}

/** FNV-1a, 32 bits: stable across runs and platforms (unlike the original's salted hash()). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function compareRoutes(a: RouteEntry, b: RouteEntry, policy: BestPathPolicy): Comparison {
  const first = policy.first?.(a, b);
  if (first && first.cmp !== 0) return first;
  const la = localPrefOf(a);
  const lb = localPrefOf(b);
  if (la !== lb) return { cmp: la - lb, reason: `LOCAL_PREF ${Math.max(la, lb)} > ${Math.min(la, lb)}` };
  if (policy.ecmp) return { cmp: 0, reason: `ECMP: equal LOCAL_PREF ${la}` };
  const ta = equivalenceText(a);
  const tb = equivalenceText(b);
  // Lower hash wins (any fixed direction would do).
  const ha = fnv1a(policy.salt + ta);
  const hb = fnv1a(policy.salt + tb);
  if (ha !== hb) return { cmp: hb - ha, reason: 'tie-break: salted hash (equal LOCAL_PREF)' };
  if (ta !== tb) return { cmp: ta < tb ? 1 : -1, reason: 'tie-break: route content (equal LOCAL_PREF and hash)' };
  const sa = a.source.name;
  const sb = b.source.name;
  if (sa !== sb) return { cmp: sa < sb ? 1 : -1, reason: 'tie-break: source name (identical routes)' };
  return { cmp: 0, reason: 'identical' };
}
