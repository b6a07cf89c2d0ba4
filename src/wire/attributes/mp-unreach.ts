/**
 * MP_UNREACH_NLRI (type code 15), RFC 4760 §4: optional non-transitive; withdrawn routes of any
 * address family. With no NLRI it is the End-of-RIB marker of the family (RFC 4724 §2).
 *
 *   +---------------------------------------------------------+
 *   | Address Family Identifier (2 octets)                    |
 *   +---------------------------------------------------------+
 *   | Subsequent Address Family Identifier (1 octet)          |
 *   +---------------------------------------------------------+
 *   | Withdrawn Routes (variable)                             |
 *   +---------------------------------------------------------+
 *
 * Malformed NLRI: AFI/SAFI disable (RFC 7606 §5.3, §7.11; RFC 4760 §7), applied by the UPDATE
 * decoder; shorter than 3 bytes the family is unknown, so the session is reset.
 */
import { UpdateSubcode } from '../errors.js';
import { decodeNlriField, encodeNlriField, type Nlri } from '../nlri/registry.js';
import { AttrCode, FLAG_OPTIONAL, malformed, type AttrBase, type AttributeDescriptor } from './types.js';

export interface MpUnreachAttribute extends AttrBase {
  type: 'mp-unreach';
  afi: number;
  safi: number;
  nlri: Nlri[];
}

export const mpUnreach: AttributeDescriptor<MpUnreachAttribute> = {
  code: AttrCode.MpUnreachNlri,
  type: 'mp-unreach',
  name: 'MP_UNREACH_NLRI',
  flags: FLAG_OPTIONAL,
  malformed: 'afi-safi-disable',
  flagsError: 'afi-safi-disable',
  decode(r, flags, ctx, errors) {
    if (r.remaining < 3) malformed(r, 'bad-attribute-length', `length ${r.remaining}, expected at least 3`, UpdateSubcode.AttributeLengthError);
    const afi = r.u16();
    const safi = r.u8();
    return { type: 'mp-unreach', flags, afi, safi, nlri: decodeNlriField(afi, safi, r, ctx, errors) };
  },
  encode(w, attr, ctx) {
    w.u16(attr.afi).u8(attr.safi);
    encodeNlriField(attr.afi, attr.safi, w, attr.nlri, ctx);
  },
};
