/**
 * fast-check arbitraries for extended communities and RTC NLRI, in their canonical JSON forms
 * (what decoding produces), so decode(encode(x)) deep-equals x. Exported for composition by
 * attribute / UPDATE tests.
 */
import fc from 'fast-check';
import type { AdminType } from '../../src/wire/admin-value.js';
import {
  EXT_COMMUNITY_ROWS,
  decodeExtCommunity,
  extCommunityRow,
  tunnelTypeOf,
  type ConsistentHashSortOrderEc,
  type DefaultGatewayEc,
  type EncapsulationEc,
  type EsImportRouteTargetEc,
  type EsiLabelEc,
  type ExtCommunity,
  type MacMobilityEc,
  type OpaqueEc,
  type RedirectToIpEc,
  type RedirectToNexthopEc,
  type RedirectToVrfEc,
  type RouteOriginEc,
  type RouteTargetEc,
  type RouterMacEc,
  type RtRecordEc,
  type TrafficActionEc,
  type TrafficMarkingEc,
  type TrafficRateBytesEc,
  type TrafficRatePacketsEc,
} from '../../src/wire/ext-communities/index.js';
import { label24 } from '../../src/wire/label.js';
import type { RtcNlri } from '../../src/wire/nlri/rtc.js';

const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** A form and an "admin:number" value text valid for it (as decoding produces it). */
export const arbAdminValue: fc.Arbitrary<{ form: AdminType; value: string }> = fc.oneof(
  fc.tuple(u16, u32).map(([a, n]) => ({ form: 0 as const, value: `${a}:${n}` })),
  fc.tuple(ipv4, u16).map(([a, n]) => ({ form: 1 as const, value: `${a}:${n}` })),
  fc.tuple(u32, u16).map(([a, n]) => ({ form: 2 as const, value: `${a}:${n}` })),
);

/** A transitive route target. */
export const arbRouteTarget: fc.Arbitrary<RouteTargetEc> = arbAdminValue.map((a) => ({ type: 'route-target', ...a }));

/** A route target, transitive or not (the non-transitive 0x40 twin). */
export const arbAnyRouteTarget: fc.Arbitrary<RouteTargetEc> = fc
  .tuple(arbRouteTarget, fc.boolean())
  .map(([rt, nt]) => (nt ? { ...rt, transitive: false as const } : rt));

const maybeNonTransitive = <E extends object>(e: E, nt: boolean): E => (nt ? { ...e, transitive: false as const } : e);

export const arbRouteOrigin: fc.Arbitrary<RouteOriginEc> = fc
  .tuple(arbAdminValue, fc.boolean())
  .map(([a, nt]) => maybeNonTransitive({ type: 'route-origin' as const, ...a }, nt));

export const arbRtRecord: fc.Arbitrary<RtRecordEc> = fc
  .tuple(arbAdminValue, fc.boolean())
  .map(([a, nt]) => maybeNonTransitive({ type: 'rt-record' as const, ...a }, nt));

export const arbRedirectToVrf: fc.Arbitrary<RedirectToVrfEc> = arbAdminValue.map((a) => ({ type: 'redirect-to-vrf', ...a }));

/** Optionally adds `reserved`: random bits within the mask (omitted when they are all zero). */
function withReserved<E extends object>(arb: fc.Arbitrary<E>, mask: readonly number[]): fc.Arbitrary<E> {
  const reserved = fc
    .uint8Array({ minLength: 6, maxLength: 6 })
    .map((b) => b.map((v, i) => v & mask[i]!))
    .map((b) => (b.some((v) => v !== 0) ? hexOf(b) : undefined));
  return fc
    .tuple(arb, fc.option(reserved, { nil: undefined }))
    .map(([e, r]) => (r === undefined ? e : { ...e, reserved: r }));
}

export const arbEncapsulation: fc.Arbitrary<EncapsulationEc> = withReserved(
  fc.oneof(fc.constantFrom(0, 2, 7, 8, 10, 13, 19), u16).map((c) => ({ type: 'encapsulation' as const, tunnelType: tunnelTypeOf(c) })),
  [0xff, 0xff, 0xff, 0xff, 0, 0],
);

export const arbDefaultGateway: fc.Arbitrary<DefaultGatewayEc> = withReserved(fc.constant({ type: 'default-gateway' as const }), [
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
]);

export const arbConsistentHashSortOrder: fc.Arbitrary<ConsistentHashSortOrderEc> = withReserved(
  u32.map((order) => ({ type: 'consistent-hash-sort-order' as const, order })),
  [0, 0, 0, 0, 0xff, 0xff],
);

export const arbMacMobility: fc.Arbitrary<MacMobilityEc> = withReserved(
  fc.tuple(fc.boolean(), u32).map(([sticky, sequence]) => ({ type: 'mac-mobility' as const, sticky, sequence })),
  [0xfe, 0xff, 0, 0, 0, 0],
);

export const arbEsiLabel: fc.Arbitrary<EsiLabelEc> = withReserved(
  fc
    .tuple(fc.boolean(), fc.integer({ min: 0, max: 0xffffff }))
    .map(([singleActive, l]) => ({ type: 'esi-label' as const, singleActive, label: label24(l) })),
  [0xfe, 0xff, 0xff, 0, 0, 0],
);

/** Lowercase "xx:xx:xx:xx:xx:xx". */
export const arbMac: fc.Arbitrary<string> = fc
  .uint8Array({ minLength: 6, maxLength: 6 })
  .map((b) => Array.from(b, (v) => v.toString(16).padStart(2, '0')).join(':'));

export const arbEsImportRouteTarget: fc.Arbitrary<EsImportRouteTargetEc> = arbMac.map((mac) => ({
  type: 'es-import-route-target',
  mac,
}));

export const arbRouterMac: fc.Arbitrary<RouterMacEc> = arbMac.map((mac) => ({ type: 'router-mac', mac }));

/** A float32 as decoding gives it: `rate` when finite and not -0, else `rateHex`. */
const arbRate = u32.map((bits): { rate: number } | { rateHex: string } => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(bits);
  const f = b.readFloatBE(0);
  return Number.isFinite(f) && !Object.is(f, -0) ? { rate: f } : { rateHex: b.toString('hex') };
});

export const arbTrafficRateBytes: fc.Arbitrary<TrafficRateBytesEc> = fc
  .tuple(u16, arbRate)
  .map(([id, r]) => ({ type: 'traffic-rate-bytes', id, ...r }));

export const arbTrafficRatePackets: fc.Arbitrary<TrafficRatePacketsEc> = fc
  .tuple(u16, arbRate)
  .map(([id, r]) => ({ type: 'traffic-rate-packets', id, ...r }));

export const arbTrafficAction: fc.Arbitrary<TrafficActionEc> = withReserved(
  fc.tuple(fc.boolean(), fc.boolean()).map(([terminal, sample]) => ({ type: 'traffic-action' as const, terminal, sample })),
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xfc],
);

export const arbTrafficMarking: fc.Arbitrary<TrafficMarkingEc> = withReserved(
  fc.nat(63).map((dscp) => ({ type: 'traffic-marking' as const, dscp })),
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xc0],
);

export const arbRedirectToNexthop: fc.Arbitrary<RedirectToNexthopEc> = withReserved(
  fc.boolean().map((copy) => ({ type: 'redirect-to-nexthop' as const, copy })),
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xfe],
);

export const arbRedirectToIp: fc.Arbitrary<RedirectToIpEc> = withReserved(
  fc.tuple(ipv4, fc.boolean()).map(([ip, copy]) => ({ type: 'redirect-to-ip' as const, ip, copy })),
  [0, 0, 0, 0, 0xff, 0xfe],
);

/** 8 bytes whose (type, sub-type) no registry row knows. */
export const arbOpaque: fc.Arbitrary<OpaqueEc> = fc
  .uint8Array({ minLength: 8, maxLength: 8 })
  .filter((b) => extCommunityRow(b[0]!, b[1]!) === undefined)
  .map((b) => ({ type: 'opaque', hex: hexOf(b) }));

/** Any extended community, built field by field. */
export const arbExtCommunity: fc.Arbitrary<ExtCommunity> = fc.oneof(
  arbAnyRouteTarget,
  arbRouteOrigin,
  arbRtRecord,
  arbEncapsulation,
  arbDefaultGateway,
  arbConsistentHashSortOrder,
  arbMacMobility,
  arbEsiLabel,
  arbEsImportRouteTarget,
  arbRouterMac,
  arbTrafficRateBytes,
  arbTrafficRatePackets,
  arbTrafficAction,
  arbRedirectToVrf,
  arbTrafficMarking,
  arbRedirectToNexthop,
  arbRedirectToIp,
  arbOpaque,
);

const KNOWN_CODES: readonly (readonly [number, number])[] = EXT_COMMUNITY_ROWS.flatMap((row) =>
  row.twin ? row.codes.flatMap(([t, s]) => [[t, s] as const, [t | 0x40, s] as const]) : row.codes,
);

/** 8 bytes with a known (type, sub-type) and random value bytes (reserved bits included). */
export const arbKnownExtCommunityBytes: fc.Arbitrary<Buffer> = fc
  .tuple(fc.constantFrom(...KNOWN_CODES), fc.uint8Array({ minLength: 6, maxLength: 6 }))
  .map(([[t, s], v]) => Buffer.concat([Buffer.from([t, s]), v]));

/** A known extended community obtained by decoding random bytes of a known code. */
export const arbDecodedExtCommunity: fc.Arbitrary<ExtCommunity> = arbKnownExtCommunityBytes.map((b) => decodeExtCommunity(b));

/** An RTC NLRI in canonical form (route target flag bits clear, prefix bits past the length zero). */
export const arbRtcNlri: fc.Arbitrary<RtcNlri> = fc.oneof(
  fc.constant({ kind: 'rtc' as const }),
  u32.map((originAs) => ({ kind: 'rtc' as const, originAs })),
  fc.tuple(u32, arbRouteTarget).map(([originAs, routeTarget]) => ({ kind: 'rtc' as const, originAs, routeTarget })),
  fc
    .tuple(u32, fc.uint8Array({ minLength: 8, maxLength: 8 }))
    .map(([originAs, b]) => ({ kind: 'rtc' as const, originAs, routeTarget: decodeExtCommunity(Buffer.from([b[0]! & 0x3f, ...b.subarray(1)])) })),
  fc.tuple(u32, fc.integer({ min: 1, max: 63 }), fc.uint8Array({ minLength: 8, maxLength: 8 })).map(([originAs, length, b]) => {
    const n = (length + 7) >>> 3;
    const p = Buffer.from(b.subarray(0, n));
    p[0] = p[0]! & 0x3f;
    if (length & 7) p[n - 1] = p[n - 1]! & (0xff << (8 - (length & 7)));
    return { kind: 'rtc' as const, originAs, rtPrefix: { length, hex: p.toString('hex') } };
  }),
);
