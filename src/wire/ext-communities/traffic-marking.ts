/**
 * FlowSpec traffic-marking (RFC 8955 §7.5): generic transitive type 0x80, sub-type 0x09: rewrite
 * the DSCP of matching packets.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     0x80      |     0x09      |      Reserved (5 bytes)       |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |              Reserved (cont.)                 |r r|   DSCP    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
import { checkInt, type EcRow } from './row.js';

export interface TrafficMarkingEc {
  type: 'traffic-marking';
  /** The 6-bit DSCP value. */
  dscp: number;
  /** The reserved bits, only when non-zero (12 hex digits of the 6 value bytes). */
  reserved?: string;
}

export const trafficMarkingRow: EcRow<TrafficMarkingEc> = {
  type: 'traffic-marking',
  codes: [[0x80, 0x09]],
  twin: false,
  reservedMask: [0xff, 0xff, 0xff, 0xff, 0xff, 0xc0],
  decode(b) {
    return { type: 'traffic-marking', dscp: b[7]! & 0x3f };
  },
  encode(e, out) {
    out[0] = 0x80;
    out[1] = 0x09;
    out[7] = checkInt('DSCP', e.dscp, 0x3f);
  },
  text(e) {
    return `mark:${e.dscp}`;
  },
};
