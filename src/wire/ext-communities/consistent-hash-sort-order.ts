/**
 * Consistent Hash Sort Order (draft-ietf-bess-service-chaining §5.1.1; IANA transitive opaque
 * sub-type 0x14): orders the ECMP next hops of a prefix so that every ingress hashes flows onto
 * them the same way. The original sends it on re-advertised routes (engine.md §4.1, §5.6).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | 0x03 (Opaque) |     0x14      |          Order Value          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |      Order Value (cont.)      |      Reserved (2 bytes)       |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
import { checkInt, type EcRow } from './row.js';

export interface ConsistentHashSortOrderEc {
  type: 'consistent-hash-sort-order';
  /** The 32-bit order value. */
  order: number;
  /** The 2 reserved bytes, only when non-zero (12 hex digits of the 6 value bytes). */
  reserved?: string;
}

export const consistentHashSortOrderRow: EcRow<ConsistentHashSortOrderEc> = {
  type: 'consistent-hash-sort-order',
  codes: [[0x03, 0x14]],
  twin: false,
  reservedMask: [0, 0, 0, 0, 0xff, 0xff],
  decode(b) {
    return { type: 'consistent-hash-sort-order', order: b.readUInt32BE(2) };
  },
  encode(e, out) {
    out[0] = 0x03;
    out[1] = 0x14;
    out.writeUInt32BE(checkInt('hash sort order', e.order, 0xffffffff), 2);
  },
  text(e) {
    return `consistent-hash-sort-order:${e.order}`;
  },
};
