/**
 * AS4_AGGREGATOR (type code 18), RFC 6793 §3: optional transitive, the AGGREGATOR with a 4-octet
 * AS number, sent by 2-octet-AS speakers beside an AGGREGATOR carrying AS_TRANS.
 *
 *   +-------------------------------+-------------------------------+
 *   | AS (4)                        | IPv4 address of the speaker (4)|
 *   +-------------------------------+-------------------------------+
 *
 * RFC 6793 §6: malformed (length not 8; AS 0, RFC 7607) → attribute discard; so is one received
 * where both sides use 4-octet AS numbers (the UPDATE decoder does that).
 */
import { UpdateSubcode } from '../errors.js';
import { ipv4ToText } from '../ip.js';
import { AttrCode, expectLength, FLAG_OPTIONAL, FLAG_TRANSITIVE, ipv4Bytes, malformed, type AttrBase, type AttributeDescriptor } from './types.js';

export interface As4AggregatorAttribute extends AttrBase {
  type: 'as4-aggregator';
  asn: number;
  /** Dotted quad. */
  address: string;
}

export const as4Aggregator: AttributeDescriptor<As4AggregatorAttribute> = {
  code: AttrCode.As4Aggregator,
  type: 'as4-aggregator',
  name: 'AS4_AGGREGATOR',
  flags: FLAG_OPTIONAL | FLAG_TRANSITIVE,
  malformed: 'attribute-discard',
  flagsError: 'attribute-discard',
  decode(r, flags) {
    expectLength(r, 8);
    const asn = r.u32();
    if (asn === 0) malformed(r, 'as-zero', 'AS 0 (RFC 7607)', UpdateSubcode.OptionalAttributeError);
    return { type: 'as4-aggregator', flags, asn, address: ipv4ToText(r.bytes(4)) };
  },
  encode(w, attr) {
    w.u32(attr.asn);
    w.bytes(ipv4Bytes('AS4_AGGREGATOR', attr.address));
  },
};
