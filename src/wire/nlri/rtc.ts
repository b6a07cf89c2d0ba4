/**
 * Route Target membership NLRI, "RT Constraint" (RFC 4684 §4): AFI 1 (IPv4), SAFI 132, next hop
 * an IP address (the original sends `[BGP] local_address`, engine.md §4).
 *
 *   +-------------------------------+
 *   | Length in bits (1 octet)      |   0, 32, 33..95 or 96
 *   +-------------------------------+
 *   | Origin AS (4 octets)          |   absent when the length is 0
 *   +-------------------------------+
 *   | Route Target (8 octets)       |   the first (length - 32) bits of it
 *   +                               +
 *   |                               |
 *   +-------------------------------+
 *
 * The NLRI is a prefix over the 96 bits (origin AS · route target):
 * - length 0: the default route (wildcard: send me every VPN route), no origin AS, no RT;
 * - length 32: origin AS only (every route target);
 * - lengths 33..95: origin AS and a route-target prefix, ceil((length - 32) / 8) bytes; bits past
 *   the length are irrelevant (RFC 4271 §4.3 prefix rule) and decoded as zero;
 * - length 96: origin AS and a full route target, decoded as an extended community.
 * Lengths 1..31 and above 96 are malformed (failure with the reader's policy).
 *
 * The two high bits of the route target's type byte (IANA authority, transitive) mean nothing in
 * an RTC route: the original (ExaBGP) clears them when sending and ignores them when receiving
 * (engine.md §5.4), so they are cleared here too, in both directions, for full and partial RTs.
 */
import { Afi, Safi } from '../afi.js';
import { NotifyCode, WireError } from '../errors.js';
import { decodeExtCommunity, encodeExtCommunity, extCommunityText, type ExtCommunity } from '../ext-communities/index.js';
import type { NlriBase, NlriCodec } from './codec.js';

export interface RtcNlri extends NlriBase {
  kind: 'rtc';
  /** The origin AS; absent only for the default route (length 0). */
  originAs?: number;
  /** The full route target (length 96), type byte's two high bits cleared. */
  routeTarget?: ExtCommunity;
  /** A partial route target (lengths 33..95): its length in bits (1..63) and its bytes as hex. */
  rtPrefix?: RtPrefix;
}

export interface RtPrefix {
  /** Bits of the route target covered, 1..63 (the NLRI length is 32 + this). */
  length: number;
  /** ceil(length / 8) bytes, lowercase hex, bits past the length zero. */
  hex: string;
}

/** Clears the bits past `bits` and the two flag bits of the type byte, in place. */
function normalise(b: Buffer, bits: number): Buffer {
  b[0] = b[0]! & 0x3f;
  if (bits & 7) b[b.length - 1] = b[b.length - 1]! & (0xff << (8 - (bits & 7)));
  return b;
}

function bad(message: string): never {
  throw new WireError('bad-rtc-nlri', `RTC NLRI: ${message}`, 'session-reset', { code: NotifyCode.Cease, subcode: 0 });
}

export const rtcCodec: NlriCodec<RtcNlri> = {
  afi: Afi.IPv4,
  safi: Safi.Rtc,
  nextHop: 'ip',

  decode(r) {
    const bits = r.u8();
    if (bits === 0) return { kind: 'rtc' };
    if (bits < 32 || bits > 96) r.fail('bad-rtc-prefix-length', `RTC prefix length ${bits} is not 0 or 32..96`);
    const originAs = r.u32();
    if (bits === 32) return { kind: 'rtc', originAs };
    const rtBits = bits - 32;
    const rt = normalise(Buffer.from(r.bytes((rtBits + 7) >>> 3)), rtBits);
    if (bits === 96) return { kind: 'rtc', originAs, routeTarget: decodeExtCommunity(rt) };
    return { kind: 'rtc', originAs, rtPrefix: { length: rtBits, hex: rt.toString('hex') } };
  },

  encode(w, n) {
    if (n.originAs === undefined) {
      if (n.routeTarget !== undefined || n.rtPrefix !== undefined) bad('a route target needs an origin AS');
      w.u8(0);
      return;
    }
    if (n.routeTarget !== undefined && n.rtPrefix !== undefined) bad('both routeTarget and rtPrefix given');
    if (n.routeTarget !== undefined) {
      const rt = encodeExtCommunity(n.routeTarget);
      w.u8(96).u32(n.originAs).bytes(normalise(rt, 64));
      return;
    }
    if (n.rtPrefix !== undefined) {
      const { length, hex } = n.rtPrefix;
      if (!Number.isInteger(length) || length < 1 || length > 63) bad(`rtPrefix length ${String(length)} is not in 1..63`);
      const n8 = (length + 7) >>> 3;
      if (typeof hex !== 'string' || hex.length !== n8 * 2 || !/^[0-9a-fA-F]*$/.test(hex)) {
        bad(`rtPrefix hex must be ${n8 * 2} hex digits for ${length} bits`);
      }
      w.u8(32 + length).u32(n.originAs).bytes(normalise(Buffer.from(hex, 'hex'), length));
      return;
    }
    w.u8(32).u32(n.originAs);
  },
};

/** The RTC route for (origin AS, route target); both absent: the default (wildcard) route. */
export function rtcRoute(originAs?: number, routeTarget?: ExtCommunity): RtcNlri {
  if (originAs === undefined) {
    if (routeTarget !== undefined) bad('a route target needs an origin AS');
    return { kind: 'rtc' };
  }
  if (routeTarget === undefined) return { kind: 'rtc', originAs };
  // What the wire will carry: the type's flag bits cleared (see the header comment).
  return { kind: 'rtc', originAs, routeTarget: decodeExtCommunity(normalise(encodeExtCommunity(routeTarget), 64)) };
}

/** Display text: "rtc wildcard", "rtc 64512", "rtc 64512:target:64512:1", "rtc 64512:0002fc/24". */
export function rtcText(n: RtcNlri): string {
  if (n.originAs === undefined) return 'rtc wildcard';
  if (n.routeTarget !== undefined) return `rtc ${n.originAs}:${extCommunityText(n.routeTarget)}`;
  if (n.rtPrefix !== undefined) return `rtc ${n.originAs}:${n.rtPrefix.hex}/${n.rtPrefix.length}`;
  return `rtc ${n.originAs}`;
}
