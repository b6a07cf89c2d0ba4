/**
 * fast-check arbitraries for the NLRI JSON forms, in their canonical (decoded) form so that
 * decode(encode(x)) deep-equals x: prefixes normalised, IPv6 text as RFC 5952, hex lowercase.
 * Exported for composition by the UPDATE / MP_REACH tests.
 */
import fc from 'fast-check';
import { ipv6ToText } from '../../src/wire/ip.js';
import type { Label24 } from '../../src/wire/label.js';
import type { RouteDistinguisher } from '../../src/wire/route-distinguisher.js';
import type {
  EvpnEthernetAd,
  EvpnEthernetSegment,
  EvpnInclusiveMulticast,
  EvpnIpPrefix,
  EvpnMacIp,
  EvpnNlri,
  EvpnUnknown,
} from '../../src/wire/nlri/evpn/index.js';
import type { IpPrefixNlri } from '../../src/wire/nlri/ip-prefix.js';
import type { VpnPrefixNlri } from '../../src/wire/nlri/vpn-prefix.js';

const HEX2 = (b: number): string => b.toString(16).padStart(2, '0');

export const arbIpv4Address: fc.Arbitrary<string> = fc
  .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
  .map((b) => b.join('.'));

export const arbIpv6Address: fc.Arbitrary<string> = fc
  .uint8Array({ minLength: 16, maxLength: 16 })
  .map((b) => ipv6ToText(b));

export const arbIpAddress: fc.Arbitrary<string> = fc.oneof(arbIpv4Address, arbIpv6Address);

function maskedText(bytes: Uint8Array, bits: number): string {
  const b = Uint8Array.from(bytes);
  for (let i = 0; i < b.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    b[i] = b[i]! & ((0xff << (8 - keep)) & 0xff);
  }
  return b.length === 4 ? `${b.join('.')}/${bits}` : `${ipv6ToText(b)}/${bits}`;
}

/** A normalised prefix text of the family, its length at most maxBits. */
export function arbPrefix(version: 4 | 6, maxBits: number = version === 4 ? 32 : 128): fc.Arbitrary<string> {
  const width = version === 4 ? 4 : 16;
  return fc
    .tuple(fc.uint8Array({ minLength: width, maxLength: width }), fc.integer({ min: 0, max: maxBits }))
    .map(([bytes, bits]) => maskedText(bytes, bits));
}

/** Route distinguishers of the three RFC 4364 types and an unknown type kept as hex. */
export const arbRd: fc.Arbitrary<RouteDistinguisher> = fc.oneof(
  fc.tuple(fc.nat(0xffff), fc.nat(0xffffffff)).map(([as, n]): RouteDistinguisher => ({ type: 0, value: `${as}:${n}` })),
  fc.tuple(arbIpv4Address, fc.nat(0xffff)).map(([ip, n]): RouteDistinguisher => ({ type: 1, value: `${ip}:${n}` })),
  fc.tuple(fc.nat(0xffffffff), fc.nat(0xffff)).map(([as, n]): RouteDistinguisher => ({ type: 2, value: `${as}:${n}` })),
  fc
    .tuple(fc.integer({ min: 3, max: 0xffff }), fc.uint8Array({ minLength: 6, maxLength: 6 }))
    .map(([type, v]): RouteDistinguisher => ({ type, value: Buffer.from(v).toString('hex') })),
);

export const arbLabel24: fc.Arbitrary<Label24> = fc.nat(0xffffff).map((n) => n as Label24);

/** A label field that ends an RFC 3107 stack: bottom-of-stack bit, or a withdrawal value. */
export const arbEndLabel: fc.Arbitrary<Label24> = fc.oneof(
  fc.nat(0x7fffff).map((n) => ((n << 1) | 1) as Label24),
  fc.constantFrom(0x800000 as Label24, 0 as Label24),
);

/** A label field inside a stack: bottom-of-stack bit clear, not a withdrawal value. */
export const arbInnerLabel: fc.Arbitrary<Label24> = fc
  .integer({ min: 1, max: 0x7fffff })
  .map((n) => (n << 1) as Label24)
  .filter((n) => n !== 0x800000);

/** A well-formed label stack of 1 to maxLength entries. */
export function arbLabelStack(maxLength = 3): fc.Arbitrary<Label24[]> {
  return fc
    .tuple(fc.array(arbInnerLabel, { maxLength: maxLength - 1 }), arbEndLabel)
    .map(([inner, end]) => [...inner, end]);
}

export function arbIpPrefixNlri(version: 4 | 6): fc.Arbitrary<IpPrefixNlri> {
  return arbPrefix(version).map((prefix): IpPrefixNlri => ({ kind: 'prefix', prefix }));
}

/** VPN NLRI whose length in bits fits its one-byte field (labels × 24 + 64 + prefix ≤ 255). */
export function arbVpnPrefixNlri(version: 4 | 6): fc.Arbitrary<VpnPrefixNlri> {
  return fc
    .tuple(arbLabelStack(version === 4 ? 4 : 3), arbRd)
    .chain(([labels, rd]) =>
      arbPrefix(version, Math.min(version === 4 ? 32 : 128, 255 - 64 - 24 * labels.length)).map(
        (prefix): VpnPrefixNlri => ({ kind: 'vpn', labels, rd, prefix }),
      ),
    );
}

function colonHex(n: number): fc.Arbitrary<string> {
  return fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Array.from(b, HEX2).join(':'));
}

export const arbEsi: fc.Arbitrary<string> = fc.oneof(colonHex(10), fc.constant('00:00:00:00:00:00:00:00:00:00'));
export const arbMac: fc.Arbitrary<string> = colonHex(6);
const arbTag = fc.oneof(fc.nat(0xffffffff), fc.constant(0));

export const arbEvpnEthernetAd: fc.Arbitrary<EvpnEthernetAd> = fc
  .record({ rd: arbRd, esi: arbEsi, ethernetTag: arbTag, label: arbLabel24 })
  .map((f): EvpnEthernetAd => ({ kind: 'evpn', routeType: 1, ...f }));

export const arbEvpnMacIp: fc.Arbitrary<EvpnMacIp> = fc
  .record({
    rd: arbRd,
    esi: arbEsi,
    ethernetTag: arbTag,
    mac: arbMac,
    ip: fc.option(arbIpAddress, { nil: undefined }),
    labels: fc.array(arbLabel24, { minLength: 1, maxLength: 2 }),
  })
  .map(({ ip, ...f }): EvpnMacIp => {
    const { rd, esi, ethernetTag, mac, labels } = f;
    return ip === undefined
      ? { kind: 'evpn', routeType: 2, rd, esi, ethernetTag, mac, labels }
      : { kind: 'evpn', routeType: 2, rd, esi, ethernetTag, mac, ip, labels };
  });

export const arbEvpnInclusiveMulticast: fc.Arbitrary<EvpnInclusiveMulticast> = fc
  .record({ rd: arbRd, ethernetTag: arbTag, originatorIp: arbIpAddress })
  .map((f): EvpnInclusiveMulticast => ({ kind: 'evpn', routeType: 3, ...f }));

export const arbEvpnEthernetSegment: fc.Arbitrary<EvpnEthernetSegment> = fc
  .record({ rd: arbRd, esi: arbEsi, originatorIp: arbIpAddress })
  .map((f): EvpnEthernetSegment => ({ kind: 'evpn', routeType: 4, ...f }));

export const arbEvpnIpPrefix: fc.Arbitrary<EvpnIpPrefix> = fc
  .constantFrom<4 | 6>(4, 6)
  .chain((v) =>
    fc.record({
      rd: arbRd,
      esi: arbEsi,
      ethernetTag: arbTag,
      prefix: arbPrefix(v),
      gateway: v === 4 ? arbIpv4Address : arbIpv6Address,
      label: arbLabel24,
    }),
  )
  .map((f): EvpnIpPrefix => ({ kind: 'evpn', routeType: 5, ...f }));

/** Route types without a codec (0 and 6..255), value kept as hex. */
export const arbEvpnUnknown: fc.Arbitrary<EvpnUnknown> = fc
  .record({
    routeType: fc.oneof(fc.constant(0), fc.integer({ min: 6, max: 255 })),
    data: fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('hex')),
  })
  .map((f): EvpnUnknown => ({ kind: 'evpn', ...f }));

export const arbEvpnNlri: fc.Arbitrary<EvpnNlri> = fc.oneof(
  arbEvpnEthernetAd,
  arbEvpnMacIp,
  arbEvpnInclusiveMulticast,
  arbEvpnEthernetSegment,
  arbEvpnIpPrefix,
  arbEvpnUnknown,
);

/**
 * NLRI of one of the families of this part (unicast, multicast, VPN, E-VPN), undefined for the
 * others (RTC and FlowSpec have their own arbitraries).
 */
export function arbNlriOfFamily(afi: number, safi: number): fc.Arbitrary<IpPrefixNlri | VpnPrefixNlri | EvpnNlri> | undefined {
  if ((afi === 1 || afi === 2) && (safi === 1 || safi === 2)) return arbIpPrefixNlri(afi === 1 ? 4 : 6);
  if ((afi === 1 || afi === 2) && safi === 128) return arbVpnPrefixNlri(afi === 1 ? 4 : 6);
  if (afi === 25 && safi === 70) return arbEvpnNlri;
  return undefined;
}
