/**
 * A route entry: one NLRI of one family with its path attributes and its source worker (spec
 * engine.md §1.1). Its identity within its source is (family, key), where the key is the NLRI
 * identity of §1.2 (plus the ADD-PATH path id); its route targets are the text of every route-target
 * extended community it carries, in all three forms (the original kept only 2-octet-AS ones).
 */
import type { ExtCommunity } from '../wire/ext-communities/index.js';
import { adminText } from '../wire/ext-communities/admin-specific.js';
import type { PathAttribute } from '../wire/attributes/registry.js';
import { isKnownEvpn } from '../wire/nlri/evpn/types.js';
import { flowspecRuleText } from '../wire/nlri/flowspec/index.js';
import type { Nlri } from '../wire/nlri/registry.js';
import { rdText } from '../wire/route-distinguisher.js';
import type { Worker } from './worker.js';

export interface RouteEntry {
  readonly afi: number;
  readonly safi: number;
  /** NLRI identity within the family (see nlriKey). */
  readonly key: string;
  readonly nlri: Nlri;
  readonly attributes: readonly PathAttribute[];
  /** Route targets as text ("64512:1", "192.0.2.1:5", "4200000000:1", "64512L:1"). */
  readonly routeTargets: readonly string[];
  /** Next hop (the MP_REACH one; the IPv4 part for VPN forms). */
  readonly nextHop: string | undefined;
  readonly source: Worker;
}

/** Text of a route target community, unique per form ("64512L:1" is the 4-octet-AS form). */
export function routeTargetText(ec: ExtCommunity): string | undefined {
  return ec.type === 'route-target' ? adminText(ec.form, ec.value) : undefined;
}

export function extCommunitiesOf(attrs: readonly PathAttribute[]): readonly ExtCommunity[] {
  for (const a of attrs) if (a.type === 'ext-communities') return a.communities;
  return [];
}

/** Route targets carried by the attributes (transitive or not: matching ignores that bit). */
export function routeTargetsOf(attrs: readonly PathAttribute[]): string[] {
  const out: string[] = [];
  for (const ec of extCommunitiesOf(attrs)) {
    const t = routeTargetText(ec);
    if (t !== undefined && !out.includes(t)) out.push(t);
  }
  return out;
}

/**
 * Text from parts, as one flat string. A template literal builds a rope (V8 ConsString: a node
 * per concatenation, 100 bytes and more for a route key) that stays a rope while it is kept as a
 * map key; Array.join writes one flat string (about 50 bytes). Route keys live as long as their
 * route, a million of them in a full table.
 */
function flat(parts: (string | number)[]): string {
  return parts.join('');
}

/** NLRI identity (spec engine.md §1.2): what decides replacement and withdraw matching. */
export function nlriKey(nlri: Nlri): string {
  const id = nlri.pathId === undefined ? '' : `#${nlri.pathId}|`;
  switch (nlri.kind) {
    case 'prefix':
      return id === '' ? nlri.prefix : flat([id, nlri.prefix]);
    case 'vpn':
      return flat([id, rdText(nlri.rd), '|', nlri.prefix]);
    case 'evpn':
      if (!isKnownEvpn(nlri)) return flat([id, nlri.routeType, '|', nlri.data]);
      switch (nlri.routeType) {
        case 1:
          return flat([id, '1|', rdText(nlri.rd), '|', nlri.esi, '|', nlri.ethernetTag]);
        case 2:
          return flat([id, '2|', rdText(nlri.rd), '|', nlri.ethernetTag, '|', nlri.mac, '|', nlri.ip ?? '']);
        case 3:
          return flat([id, '3|', rdText(nlri.rd), '|', nlri.ethernetTag, '|', nlri.originatorIp]);
        case 4:
          return flat([id, '4|', rdText(nlri.rd), '|', nlri.esi, '|', nlri.originatorIp]);
        case 5:
          return flat([id, '5|', rdText(nlri.rd), '|', nlri.ethernetTag, '|', nlri.prefix]);
      }
      break;
    case 'rtc':
      if (nlri.originAs === undefined) return `${id}default`;
      if (nlri.routeTarget) return flat([id, nlri.originAs, '|', JSON.stringify(nlri.routeTarget)]);
      return flat([id, nlri.originAs, '|', nlri.rtPrefix ? `${nlri.rtPrefix.hex}/${nlri.rtPrefix.length}` : '']);
    case 'flowspec':
      return flat([id, flowspecRuleText(nlri)]);
    case 'opaque':
      return flat([id, nlri.data]);
  }
  return id + JSON.stringify(nlri);
}

/** Attributes in a canonical text: extended communities compared as an unordered set (§1.2). */
function canonical(attrs: readonly PathAttribute[]): string {
  return JSON.stringify(
    attrs.map((a) => (a.type === 'ext-communities' ? { ...a, communities: a.communities.map((c) => JSON.stringify(c)).sort() } : a)),
  );
}

/**
 * Two entries are the same route when source, family, NLRI (labels included: the original ignored
 * a label-only change, which kept stale labels at peers), next hop and attributes are equal.
 */
export function sameRoute(a: RouteEntry, b: RouteEntry): boolean {
  return (
    a.source === b.source &&
    a.afi === b.afi &&
    a.safi === b.safi &&
    a.key === b.key &&
    a.nextHop === b.nextHop &&
    JSON.stringify(a.nlri) === JSON.stringify(b.nlri) &&
    canonical(a.attributes) === canonical(b.attributes)
  );
}

export function makeEntry(
  afi: number,
  safi: number,
  nlri: Nlri,
  attributes: readonly PathAttribute[],
  nextHop: string | undefined,
  source: Worker,
  routeTargets: readonly string[] = routeTargetsOf(attributes),
): RouteEntry {
  return { afi, safi, key: nlriKey(nlri), nlri, attributes, routeTargets, nextHop, source };
}
