/**
 * FlowSpec traffic-action (RFC 8955 §7.4): generic transitive type 0x80, sub-type 0x07.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     0x80      |     0x07      |     Traffic Action Field      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                  Traffic Action Field (cont.)             |S|T|
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Bit 47 (the last) is Terminal Action (T), bit 46 is Sample (S); the rest is reserved.
 */
import { checkBool, type EcRow } from './row.js';

export interface TrafficActionEc {
  type: 'traffic-action';
  /** T: keep evaluating lower-precedence flow specifications when false. */
  terminal: boolean;
  /** S: enable traffic sampling and logging. */
  sample: boolean;
  /** Other bits, only when non-zero (12 hex digits of the 6 value bytes). */
  reserved?: string;
}

export const trafficActionRow: EcRow<TrafficActionEc> = {
  type: 'traffic-action',
  codes: [[0x80, 0x07]],
  twin: false,
  reservedMask: [0xff, 0xff, 0xff, 0xff, 0xff, 0xfc],
  decode(b) {
    return { type: 'traffic-action', terminal: (b[7]! & 1) === 1, sample: (b[7]! & 2) === 2 };
  },
  encode(e, out) {
    out[0] = 0x80;
    out[1] = 0x07;
    out[7] = (checkBool('terminal', e.terminal) ? 1 : 0) | (checkBool('sample', e.sample) ? 2 : 0);
  },
  text(e) {
    const flags = [e.terminal ? 'terminal' : '', e.sample ? 'sample' : ''].filter(Boolean).join(',');
    return `traffic-action:${flags || 'none'}`;
  },
};
