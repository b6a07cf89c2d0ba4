/**
 * NEXT_HOP (type code 3), RFC 4271 §4.3 and §5.1.3: well-known, the IPv4 next hop of the routes
 * in the UPDATE's own NLRI field (routes in MP_REACH_NLRI carry theirs there, RFC 4760 §3).
 *
 *   +-------------------------------+
 *   | IPv4 address (4)              |
 *   +-------------------------------+
 *
 * RFC 7606 §7.3: malformed when the length is not 4: treat-as-withdraw. Whether the address is a
 * usable host address (RFC 4271 §6.3 semantic checks) is for the RIB, which knows the session.
 */
import { ipv4ToText } from '../ip.js';
import { AttrCode, expectLength, FLAG_TRANSITIVE, ipv4Bytes, type AttrBase, type AttributeDescriptor } from './types.js';

export interface NextHopAttribute extends AttrBase {
  type: 'next-hop';
  /** Dotted quad. */
  value: string;
}

export const nextHop: AttributeDescriptor<NextHopAttribute> = {
  code: AttrCode.NextHop,
  type: 'next-hop',
  name: 'NEXT_HOP',
  flags: FLAG_TRANSITIVE,
  malformed: 'treat-as-withdraw',
  decode(r, flags) {
    expectLength(r, 4);
    return { type: 'next-hop', flags, value: ipv4ToText(r.bytes(4)) };
  },
  encode(w, attr) {
    w.bytes(ipv4Bytes('NEXT_HOP', attr.value));
  },
};
