/**
 * AGGREGATOR (type code 7), RFC 4271 §4.3 and §5.1.7: optional transitive; the AS number is 4
 * octets when both sides use 4-octet AS numbers (RFC 6793 §3, ctx.as4), else 2 (AS_TRANS for a
 * large one, with AS4_AGGREGATOR beside it).
 *
 *   +-----------------------+-------------------------------+
 *   | AS (2, or 4 if as4)   | IPv4 address of the speaker (4)|
 *   +-----------------------+-------------------------------+
 *
 * RFC 7606 §7.7: malformed when the length is not 6 (2-octet AS) or 8 (4-octet AS); RFC 7607 §2:
 * AS 0 is malformed too. A malformed AGGREGATOR is discarded.
 */
import { UpdateSubcode } from '../errors.js';
import { ipv4ToText } from '../ip.js';
import { AttrCode, encodeError, expectLength, FLAG_OPTIONAL, FLAG_TRANSITIVE, ipv4Bytes, malformed, type AttrBase, type AttributeDescriptor } from './types.js';

export interface AggregatorAttribute extends AttrBase {
  type: 'aggregator';
  asn: number;
  /** Dotted quad. */
  address: string;
}

export const aggregator: AttributeDescriptor<AggregatorAttribute> = {
  code: AttrCode.Aggregator,
  type: 'aggregator',
  name: 'AGGREGATOR',
  flags: FLAG_OPTIONAL | FLAG_TRANSITIVE,
  malformed: 'attribute-discard',
  decode(r, flags, ctx) {
    expectLength(r, ctx.as4 ? 8 : 6);
    const asn = ctx.as4 ? r.u32() : r.u16();
    if (asn === 0) malformed(r, 'as-zero', 'AS 0 (RFC 7607)', UpdateSubcode.OptionalAttributeError);
    return { type: 'aggregator', flags, asn, address: ipv4ToText(r.bytes(4)) };
  },
  encode(w, attr, ctx) {
    if (ctx.as4) w.u32(attr.asn);
    else if (attr.asn > 0xffff) encodeError('value-out-of-range', `AGGREGATOR: AS ${attr.asn} does not fit 2 octets (use AS_TRANS and AS4_AGGREGATOR)`);
    else w.u16(attr.asn);
    w.bytes(ipv4Bytes('AGGREGATOR', attr.address));
  },
};
