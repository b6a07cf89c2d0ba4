/**
 * FlowSpec redirect (or copy) to the route's own next hop (draft-simpson-idr-flowspec-redirect-02,
 * early drafts of draft-ietf-idr-flowspec-redirect-ip; IANA transitive type 0x08 "Flow spec
 * redirect/mirror to IP next-hop", sub-type 0x00). The target is the NEXT_HOP / MP_REACH next hop
 * of the UPDATE, not carried here. Encoding as ExaBGP does it:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     0x08      |     0x00      |      Reserved (4 bytes)       |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |       Reserved (cont.)        |        Flags          |     |C|
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * C (copy): mirror the traffic to the next hop instead of redirecting it.
 */
import { checkBool, type EcRow } from './row.js';

export interface RedirectToNexthopEc {
  type: 'redirect-to-nexthop';
  copy: boolean;
  /** Other bits, only when non-zero (12 hex digits of the 6 value bytes). */
  reserved?: string;
}

export const redirectToNexthopRow: EcRow<RedirectToNexthopEc> = {
  type: 'redirect-to-nexthop',
  codes: [[0x08, 0x00]],
  twin: false,
  reservedMask: [0xff, 0xff, 0xff, 0xff, 0xff, 0xfe],
  decode(b) {
    return { type: 'redirect-to-nexthop', copy: (b[7]! & 1) === 1 };
  },
  encode(e, out) {
    out[0] = 0x08;
    out[1] = 0x00;
    out[7] = checkBool('copy', e.copy) ? 1 : 0;
  },
  text(e) {
    return e.copy ? 'copy-to-nexthop' : 'redirect-to-nexthop';
  },
};
