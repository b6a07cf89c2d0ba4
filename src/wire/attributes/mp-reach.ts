/**
 * MP_REACH_NLRI (type code 14), RFC 4760 §3: optional non-transitive; reachable routes of any
 * address family with their next hop.
 *
 *   +---------------------------------------------------------+
 *   | Address Family Identifier (2 octets)                    |
 *   +---------------------------------------------------------+
 *   | Subsequent Address Family Identifier (1 octet)          |
 *   +---------------------------------------------------------+
 *   | Length of Next Hop Network Address (1 octet)            |
 *   +---------------------------------------------------------+
 *   | Network Address of Next Hop (variable)                  |
 *   +---------------------------------------------------------+
 *   | Reserved (1 octet)                                      |
 *   +---------------------------------------------------------+
 *   | Network Layer Reachability Information (variable)       |
 *   +---------------------------------------------------------+
 *
 * The next hop follows the family's form (nlri/codec.ts NextHopForm):
 *   'ip'     4 (IPv4), 16 (IPv6) or 32 (IPv6 global + link-local, RFC 2545 §3) bytes;
 *   'vpn-ip' the same addresses each preceded by an 8-byte RD that should be zero: 12, 24 or 48
 *            bytes (RFC 4364 §4.3.2, RFC 4659 §3.2); a non-zero RD is kept so it round-trips;
 *   'none'   0 bytes (FlowSpec, RFC 8955 §4); bytes a peer puts there anyway, and the next hop of
 *            a family we have no codec for, are kept: as addresses if 4/16/32 bytes, else hex.
 * A length that does not fit the form is malformed (RFC 7606 §7.11): the NLRI cannot be located,
 * so the UPDATE decoder applies AFI/SAFI disable (or session reset if the family is unreadable).
 * The reserved octet (the SNPA count of RFC 2858) is ignored on receipt but kept if non-zero.
 */
import { familyName } from '../afi.js';
import type { CodecContext } from '../context.js';
import { UpdateSubcode } from '../errors.js';
import { fromHex, toHex } from '../hex.js';
import { ipToBytes, ipToText } from '../ip.js';
import type { BufferReader } from '../reader.js';
import type { BufferWriter } from '../writer.js';
import type { NextHopForm } from '../nlri/codec.js';
import { decodeNlriField, encodeNlriField, nlriCodec, type Nlri } from '../nlri/registry.js';
import { AttrCode, encodeError, FLAG_OPTIONAL, malformed, type AttrBase, type AttributeDescriptor } from './types.js';

export interface MpReachAttribute extends AttrBase {
  type: 'mp-reach';
  afi: number;
  safi: number;
  /** Next hop addresses: one, or an IPv6 global and link-local pair. Empty for length 0. */
  nextHop: string[];
  /** VPN forms only, present when an RD is not zero: each address's RD, 16 hex digits. */
  nextHopRds?: string[];
  /** Next hop bytes that are no address form (families without a fixed form only), hex. */
  nextHopHex?: string;
  /** The reserved octet, present only when not zero. */
  reserved?: number;
  nlri: Nlri[];
}

const ZERO_RD = '0000000000000000';

/** Next hop addresses of 4, 16 or 32 bytes; undefined for another length. */
function addresses(b: Buffer): string[] | undefined {
  if (b.length === 4 || b.length === 16) return [ipToText(b)];
  if (b.length === 32) return [ipToText(b.subarray(0, 16)), ipToText(b.subarray(16))];
  return undefined;
}

function decodeNextHop(r: BufferReader, attr: MpReachAttribute, nh: Buffer, form: NextHopForm | undefined): void {
  const fam = familyName(attr.afi, attr.safi);
  if (form === 'vpn-ip') {
    const unit = nh.length === 12 ? 12 : 24;
    if (nh.length !== 12 && nh.length !== 24 && nh.length !== 48) {
      malformed(r, 'bad-next-hop-length', `next hop length ${nh.length} invalid for ${fam} (expected 12, 24 or 48)`, UpdateSubcode.OptionalAttributeError);
    }
    const rds: string[] = [];
    for (let at = 0; at < nh.length; at += unit) {
      rds.push(toHex(nh.subarray(at, at + 8)));
      attr.nextHop.push(ipToText(nh.subarray(at + 8, at + unit)));
    }
    if (rds.some((rd) => rd !== ZERO_RD)) attr.nextHopRds = rds;
    return;
  }
  if (nh.length === 0 && form !== 'ip') return;
  const list = addresses(nh);
  if (list !== undefined) attr.nextHop = list;
  else if (form === 'ip') malformed(r, 'bad-next-hop-length', `next hop length ${nh.length} invalid for ${fam} (expected 4, 16 or 32)`, UpdateSubcode.OptionalAttributeError);
  else attr.nextHopHex = toHex(nh);
}

function encodeNextHop(w: BufferWriter, attr: MpReachAttribute): void {
  const form = nlriCodec(attr.afi, attr.safi)?.nextHop;
  if (attr.nextHopHex !== undefined) {
    if (form === 'ip' || form === 'vpn-ip') encodeError('bad-next-hop', `MP_REACH_NLRI: ${familyName(attr.afi, attr.safi)} needs a next hop address, not nextHopHex`);
    if (attr.nextHop.length > 0) encodeError('bad-next-hop', 'MP_REACH_NLRI: nextHop and nextHopHex are exclusive');
    w.bytes(fromHex(attr.nextHopHex));
    return;
  }
  const bytes = attr.nextHop.map((a) => ipToBytes(a));
  if (bytes.length > 2 || (bytes.length === 2 && bytes.some((b) => b.length !== 16))) {
    encodeError('bad-next-hop', `MP_REACH_NLRI: next hop is one address or two IPv6 addresses, got ${JSON.stringify(attr.nextHop)}`);
  }
  if (bytes.length === 0 && (form === 'ip' || form === 'vpn-ip')) encodeError('bad-next-hop', `MP_REACH_NLRI: ${familyName(attr.afi, attr.safi)} needs a next hop`);
  if (form !== 'vpn-ip') {
    if (attr.nextHopRds !== undefined) encodeError('bad-next-hop', `MP_REACH_NLRI: nextHopRds is for VPN families only`);
    for (const b of bytes) w.bytes(b);
    return;
  }
  const rds = attr.nextHopRds;
  if (rds !== undefined && rds.length !== bytes.length) encodeError('bad-next-hop', 'MP_REACH_NLRI: nextHopRds needs one RD per next hop address');
  bytes.forEach((b, i) => {
    const rd = rds === undefined ? Buffer.alloc(8) : fromHex(rds[i]!);
    if (rd.length !== 8) encodeError('bad-next-hop', `MP_REACH_NLRI: next hop RD ${JSON.stringify(rds?.[i])} is not 8 bytes of hex`);
    w.bytes(rd).bytes(b);
  });
}

export const mpReach: AttributeDescriptor<MpReachAttribute> = {
  code: AttrCode.MpReachNlri,
  type: 'mp-reach',
  name: 'MP_REACH_NLRI',
  flags: FLAG_OPTIONAL,
  malformed: 'afi-safi-disable',
  flagsError: 'afi-safi-disable',
  decode(r, flags, ctx: CodecContext, errors) {
    if (r.remaining < 5) malformed(r, 'bad-attribute-length', `length ${r.remaining}, expected at least 5`, UpdateSubcode.AttributeLengthError);
    const afi = r.u16();
    const safi = r.u8();
    const nhLength = r.u8();
    if (nhLength + 1 > r.remaining) {
      malformed(r, 'bad-next-hop-length', `next hop length ${nhLength} and the reserved octet exceed the ${r.remaining} bytes left`, UpdateSubcode.OptionalAttributeError);
    }
    const nh = r.bytes(nhLength);
    const reserved = r.u8();
    const attr: MpReachAttribute = { type: 'mp-reach', flags, afi, safi, nextHop: [], nlri: [] };
    decodeNextHop(r, attr, nh, nlriCodec(afi, safi)?.nextHop);
    if (reserved !== 0) attr.reserved = reserved;
    attr.nlri = decodeNlriField(afi, safi, r, ctx, errors);
    return attr;
  },
  encode(w, attr, ctx) {
    w.u16(attr.afi).u8(attr.safi);
    w.lengthPrefixed(1, () => encodeNextHop(w, attr));
    w.u8(attr.reserved ?? 0);
    encodeNlriField(attr.afi, attr.safi, w, attr.nlri, ctx);
  },
};
