/**
 * ORIGINATOR_ID (type code 9), RFC 4456 §8: optional non-transitive, the router id of the route's
 * originator in the AS, set by a route reflector.
 *
 *   +-------------------------------+
 *   | BGP identifier (4)            |
 *   +-------------------------------+
 *
 * RFC 7606 §7.9: from an internal peer, malformed when the length is not 4: treat-as-withdraw;
 * from an external peer, discarded (the UPDATE decoder does that when told the peer type).
 */
import { ipv4ToText } from '../ip.js';
import { AttrCode, expectLength, FLAG_OPTIONAL, ipv4Bytes, type AttrBase, type AttributeDescriptor } from './types.js';

export interface OriginatorIdAttribute extends AttrBase {
  type: 'originator-id';
  /** Dotted quad. */
  value: string;
}

export const originatorId: AttributeDescriptor<OriginatorIdAttribute> = {
  code: AttrCode.OriginatorId,
  type: 'originator-id',
  name: 'ORIGINATOR_ID',
  flags: FLAG_OPTIONAL,
  malformed: 'treat-as-withdraw',
  decode(r, flags) {
    expectLength(r, 4);
    return { type: 'originator-id', flags, value: ipv4ToText(r.bytes(4)) };
  },
  encode(w, attr) {
    w.bytes(ipv4Bytes('ORIGINATOR_ID', attr.value));
  },
};
