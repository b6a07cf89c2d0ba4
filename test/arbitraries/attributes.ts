/**
 * fast-check arbitraries for path attributes, in their canonical decoded JSON form (flags always
 * present, extended length set when the value needs it, IPv6 text as RFC 5952, hex lowercase),
 * so that decode(encode(x)) deep-equals x. They depend on the context: AS numbers fit 2 octets
 * without ctx.as4, and AS4_PATH / AS4_AGGREGATOR only appear without it (between 4-octet-AS
 * speakers they are discarded, RFC 6793 §3). Exported for composition (UPDATE tests, RIB tests).
 */
import fc from 'fast-check';
import {
  attributeByCode,
  attributeByType,
  FLAG_EXTENDED_LENGTH,
  FLAG_OPTIONAL,
  FLAG_PARTIAL,
  FLAG_TRANSITIVE,
  type AsPathSegment,
  type KnownAttribute,
  type MpReachAttribute,
  type MpUnreachAttribute,
  type PathAttribute,
  type PmsiTunnelAttribute,
  type UnknownAttribute,
} from '../../src/wire/attributes/index.js';
import { WELL_KNOWN_COMMUNITIES } from '../../src/wire/attributes/communities.js';
import { PMSI_TUNNEL_TYPES, type PmsiTunnelTypeName } from '../../src/wire/attributes/pmsi-tunnel.js';
import type { CodecContext } from '../../src/wire/context.js';
import type { Label24 } from '../../src/wire/label.js';
import type { Nlri } from '../../src/wire/nlri/registry.js';
import { BufferWriter } from '../../src/wire/writer.js';
import { arbExtCommunity, arbRtcNlri } from './ext-communities.js';
import { flowspecNlriArb } from './flowspec.js';
import { arbIpv4Address, arbIpv6Address, arbNlriOfFamily } from './nlri.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const hex = (min: number, max: number): fc.Arbitrary<string> =>
  fc.uint8Array({ minLength: min, maxLength: max }).map((b) => Buffer.from(b).toString('hex'));

/** An AS number of the session's width, never 0 (RFC 7607). */
export function arbAsn(ctx: CodecContext): fc.Arbitrary<number> {
  return fc.integer({ min: 1, max: ctx.as4 ? 0xffffffff : 0xffff });
}

export function arbAsPathSegments(size: 2 | 4): fc.Arbitrary<AsPathSegment[]> {
  return fc.array(
    fc.record({
      type: fc.constantFrom('as-set' as const, 'as-sequence' as const, 'as-confed-sequence' as const, 'as-confed-set' as const),
      asns: fc.array(fc.integer({ min: 1, max: size === 4 ? 0xffffffff : 0xffff }), { minLength: 1, maxLength: 12 }),
    }).map((s): AsPathSegment => ({ ...s })),
    { maxLength: 5 },
  );
}

export const arbCommunity: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...WELL_KNOWN_COMMUNITIES.values()),
  fc.tuple(fc.nat(0xfffe), fc.nat(0xffff)).map(([a, v]) => `${a}:${v}`),
);

export const arbPmsiTunnel: fc.Arbitrary<Omit<PmsiTunnelAttribute, 'flags'>> = fc.oneof(
  fc
    .tuple(fc.nat(255), fc.nat(0xffffff), fc.oneof(arbIpv4Address, arbIpv6Address))
    .map(([tunnelFlags, label, address]) => ({
      type: 'pmsi-tunnel' as const,
      tunnelFlags,
      tunnelType: 'ingress-replication' as const,
      label: label as Label24,
      tunnelId: { kind: 'address' as const, address },
    })),
  fc
    .tuple(fc.nat(255), fc.nat(255), fc.nat(0xffffff), hex(0, 40))
    .filter(([, t]) => t !== PMSI_TUNNEL_TYPES['ingress-replication'])
    .map(([tunnelFlags, t, label, id]) => {
      const name = (Object.keys(PMSI_TUNNEL_TYPES) as PmsiTunnelTypeName[]).find((k) => PMSI_TUNNEL_TYPES[k] === t);
      return { type: 'pmsi-tunnel' as const, tunnelFlags, tunnelType: name ?? t, label: label as Label24, tunnelId: { kind: 'opaque' as const, hex: id } };
    }),
);

/** Families the MP arbitraries draw from: every codec family plus one we have no codec for. */
export const MP_FAMILIES: readonly [number, number][] = [
  [1, 1],
  [2, 1],
  [1, 2],
  [1, 128],
  [2, 128],
  [25, 70],
  [1, 132],
  [1, 133],
  [2, 133],
  [1, 134],
  [2, 134],
  [16388, 71],
];

/** NLRI of a family (canonical), from the other parts' arbitraries; opaque for unknown families. */
export function arbNlriList(afi: number, safi: number, maxLength = 4): fc.Arbitrary<Nlri[]> {
  const one: fc.Arbitrary<Nlri> | undefined =
    arbNlriOfFamily(afi, safi) ?? (safi === 132 ? arbRtcNlri : safi === 133 || safi === 134 ? flowspecNlriArb(afi, safi) : undefined);
  if (one !== undefined) return fc.array(one, { maxLength });
  return fc.option(hex(1, 30), { nil: undefined }).map((data) => (data === undefined ? [] : [{ kind: 'opaque' as const, data }]));
}

type NextHopFields = Pick<MpReachAttribute, 'nextHop' | 'nextHopRds' | 'nextHopHex'>;

const arbAddresses: fc.Arbitrary<string[]> = fc.oneof(
  arbIpv4Address.map((a) => [a]),
  arbIpv6Address.map((a) => [a]),
  fc.tuple(arbIpv6Address, arbIpv6Address).map(([a, b]) => [a, b]),
);

function arbNextHop(afi: number, safi: number): fc.Arbitrary<NextHopFields> {
  if (safi === 128) {
    return fc.tuple(arbAddresses, fc.boolean(), fc.array(hex(8, 8), { minLength: 2, maxLength: 2 })).map(([nextHop, withRd, rds]) => {
      const used = rds.slice(0, nextHop.length);
      return withRd && used.some((r) => r !== '0000000000000000') ? { nextHop, nextHopRds: used } : { nextHop };
    });
  }
  if (safi === 133 || safi === 134 || afi === 16388) {
    return fc.oneof<fc.Arbitrary<NextHopFields>[]>(
      fc.constant(null).map((): NextHopFields => ({ nextHop: [] })),
      arbAddresses.map((nextHop) => ({ nextHop })),
      fc
        .uint8Array({ minLength: 1, maxLength: 40 })
        .filter((b) => ![4, 16, 32].includes(b.length))
        .map((b): NextHopFields => ({ nextHop: [], nextHopHex: Buffer.from(b).toString('hex') })),
    );
  }
  return arbAddresses.map((nextHop) => ({ nextHop }));
}

export const arbMpReach: fc.Arbitrary<Omit<MpReachAttribute, 'flags'>> = fc.constantFrom(...MP_FAMILIES).chain(([afi, safi]) =>
  fc
    .tuple(arbNextHop(afi, safi), fc.option(fc.integer({ min: 1, max: 255 }), { nil: undefined, freq: 5 }), arbNlriList(afi, safi))
    .map(([nh, reserved, nlri]) => {
      const a: Omit<MpReachAttribute, 'flags'> = { type: 'mp-reach', afi, safi, ...nh, nlri };
      if (reserved !== undefined) a.reserved = reserved;
      return a;
    }),
);

export const arbMpUnreach: fc.Arbitrary<Omit<MpUnreachAttribute, 'flags'>> = fc
  .constantFrom(...MP_FAMILIES)
  .chain(([afi, safi]) => arbNlriList(afi, safi).map((nlri) => ({ type: 'mp-unreach' as const, afi, safi, nlri })));

/** A known attribute without its flags (filled in by withFlags). */
export function arbAttributeValue(ctx: CodecContext): fc.Arbitrary<Omit<KnownAttribute, 'flags'>> {
  const ipv4 = arbIpv4Address;
  const values: fc.Arbitrary<Omit<KnownAttribute, 'flags'>>[] = [
    fc.constantFrom('igp' as const, 'egp' as const, 'incomplete' as const).map((value) => ({ type: 'origin' as const, value })),
    arbAsPathSegments(ctx.as4 ? 4 : 2).map((segments) => ({ type: 'as-path' as const, segments })),
    ipv4.map((value) => ({ type: 'next-hop' as const, value })),
    u32.map((value) => ({ type: 'med' as const, value })),
    u32.map((value) => ({ type: 'local-pref' as const, value })),
    fc.constant({ type: 'atomic-aggregate' as const }),
    fc.tuple(arbAsn(ctx), ipv4).map(([asn, address]) => ({ type: 'aggregator' as const, asn, address })),
    fc.array(arbCommunity, { minLength: 1, maxLength: 20 }).map((communities) => ({ type: 'communities' as const, communities })),
    ipv4.map((value) => ({ type: 'originator-id' as const, value })),
    fc.array(ipv4, { minLength: 1, maxLength: 10 }).map((clusterIds) => ({ type: 'cluster-list' as const, clusterIds })),
    arbMpReach,
    arbMpUnreach,
    fc.array(arbExtCommunity, { minLength: 1, maxLength: 10 }).map((communities) => ({ type: 'ext-communities' as const, communities })),
    arbPmsiTunnel,
    fc
      .array(fc.tuple(u32, u32, u32), { minLength: 1, maxLength: 10 })
      .map((l) => ({ type: 'large-communities' as const, communities: l.map((p) => p.join(':')) })),
  ];
  if (!ctx.as4) {
    values.push(
      arbAsPathSegments(4)
        .filter((s) => s.length > 0)
        .map((segments) => ({ type: 'as4-path' as const, segments })),
      fc.tuple(fc.integer({ min: 1, max: 0xffffffff }), ipv4).map(([asn, address]) => ({ type: 'as4-aggregator' as const, asn, address })),
    );
  }
  return fc.oneof(...values);
}

/** Flags a decoder accepts for the attribute: its standard bits, extras that change nothing. */
export function withFlags<A extends Omit<KnownAttribute, 'flags'>>(ctx: CodecContext, attr: fc.Arbitrary<A>): fc.Arbitrary<A & { flags: number }> {
  return fc.tuple(attr, fc.boolean(), fc.boolean(), fc.nat(15)).map(([a, partial, ext, low]) => {
    const desc = attributeByType(a.type)!;
    const w = new BufferWriter();
    desc.encode(w, a as KnownAttribute, ctx);
    let flags = desc.flags | (w.length > 255 || ext ? FLAG_EXTENDED_LENGTH : 0) | low;
    if (partial && desc.flags & FLAG_OPTIONAL) flags |= FLAG_PARTIAL;
    return { ...a, flags };
  });
}

export function arbKnownAttribute(ctx: CodecContext): fc.Arbitrary<KnownAttribute> {
  return withFlags(ctx, arbAttributeValue(ctx)) as fc.Arbitrary<KnownAttribute>;
}

/** An attribute with a type code the codec does not know; optional (a well-known one resets). */
export const arbUnknownAttribute: fc.Arbitrary<UnknownAttribute> = fc
  .tuple(fc.nat(255), fc.boolean(), fc.boolean(), fc.boolean(), fc.nat(15), fc.uint8Array({ maxLength: 300 }))
  .filter(([code]) => attributeByCode(code) === undefined)
  .map(([code, transitive, partial, ext, low, value]) => ({
    type: 'unknown' as const,
    code,
    flags: FLAG_OPTIONAL | (transitive ? FLAG_TRANSITIVE : 0) | (partial ? FLAG_PARTIAL : 0) | (ext || value.length > 255 ? FLAG_EXTENDED_LENGTH : 0) | low,
    hex: Buffer.from(value).toString('hex'),
  }));

/** Any attribute valid in the context. */
export function arbPathAttribute(ctx: CodecContext): fc.Arbitrary<PathAttribute> {
  return fc.oneof({ weight: 6, arbitrary: arbKnownAttribute(ctx) }, { weight: 1, arbitrary: arbUnknownAttribute });
}
