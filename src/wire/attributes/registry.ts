/**
 * The path attribute table (BIRD style: one row per type code; adding an attribute is adding a
 * file and a row). Lookups by code (decoding) and by JSON type (encoding).
 */
import { aggregator, type AggregatorAttribute } from './aggregator.js';
import { as4Aggregator, type As4AggregatorAttribute } from './as4-aggregator.js';
import { as4Path, type As4PathAttribute } from './as4-path.js';
import { asPath, type AsPathAttribute } from './as-path.js';
import { atomicAggregate, type AtomicAggregateAttribute } from './atomic-aggregate.js';
import { clusterList, type ClusterListAttribute } from './cluster-list.js';
import { communities, type CommunitiesAttribute } from './communities.js';
import { extCommunities, type ExtCommunitiesAttribute } from './ext-communities.js';
import { largeCommunities, type LargeCommunitiesAttribute } from './large-communities.js';
import { localPref, type LocalPrefAttribute } from './local-pref.js';
import { med, type MedAttribute } from './med.js';
import { mpReach, type MpReachAttribute } from './mp-reach.js';
import { mpUnreach, type MpUnreachAttribute } from './mp-unreach.js';
import { nextHop, type NextHopAttribute } from './next-hop.js';
import { origin, type OriginAttribute } from './origin.js';
import { originatorId, type OriginatorIdAttribute } from './originator-id.js';
import { pmsiTunnel, type PmsiTunnelAttribute } from './pmsi-tunnel.js';
import { encodeError, type AttributeDescriptor } from './types.js';
import type { UnknownAttribute } from './unknown.js';

/** Every attribute the codec understands. */
export type KnownAttribute =
  | OriginAttribute
  | AsPathAttribute
  | NextHopAttribute
  | MedAttribute
  | LocalPrefAttribute
  | AtomicAggregateAttribute
  | AggregatorAttribute
  | CommunitiesAttribute
  | OriginatorIdAttribute
  | ClusterListAttribute
  | MpReachAttribute
  | MpUnreachAttribute
  | ExtCommunitiesAttribute
  | As4PathAttribute
  | As4AggregatorAttribute
  | PmsiTunnelAttribute
  | LargeCommunitiesAttribute;

/** A path attribute's JSON form, discriminated by `type`. */
export type PathAttribute = KnownAttribute | UnknownAttribute;

export type AttributeType = PathAttribute['type'];

const ROWS: readonly AttributeDescriptor<KnownAttribute>[] = [
  origin,
  asPath,
  nextHop,
  med,
  localPref,
  atomicAggregate,
  aggregator,
  communities,
  originatorId,
  clusterList,
  mpReach,
  mpUnreach,
  extCommunities,
  as4Path,
  as4Aggregator,
  pmsiTunnel,
  largeCommunities,
] as readonly AttributeDescriptor<KnownAttribute>[];

const BY_CODE: readonly (AttributeDescriptor<KnownAttribute> | undefined)[] = (() => {
  const t = new Array<AttributeDescriptor<KnownAttribute> | undefined>(256).fill(undefined);
  for (const row of ROWS) t[row.code] = row;
  return t;
})();

const BY_TYPE = new Map<string, AttributeDescriptor<KnownAttribute>>(ROWS.map((row) => [row.type, row]));

/** The row of a type code, undefined when the codec does not know it. */
export function attributeByCode(code: number): AttributeDescriptor<KnownAttribute> | undefined {
  return BY_CODE[code];
}

/** The row of a JSON type ('local-pref'), undefined for 'unknown' or a bad type. */
export function attributeByType(type: string): AttributeDescriptor<KnownAttribute> | undefined {
  return BY_TYPE.get(type);
}

/** Every row, by increasing code. */
export function knownAttributes(): readonly AttributeDescriptor<KnownAttribute>[] {
  return ROWS;
}

/** The type code of an attribute's JSON form. */
export function attributeCode(attr: PathAttribute): number {
  if (attr.type === 'unknown') return attr.code;
  const row = BY_TYPE.get(attr.type);
  if (row === undefined) encodeError('unknown-attribute-type', `no attribute of type ${JSON.stringify(attr.type)}`);
  return row.code;
}

/** "LOCAL_PREF", or "attribute 99" for unknown codes. */
export function attributeName(code: number): string {
  return BY_CODE[code]?.name ?? `attribute ${code}`;
}
