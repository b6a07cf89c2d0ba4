/**
 * E-VPN MAC Mobility (RFC 7432 §7.7): type 0x06, sub-type 0x00. The sequence number orders the
 * advertisements of a MAC that moved; the sticky/static flag marks a MAC that must not move.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | Type=0x06     | Sub-Type=0x00 |Flags(1 octet)|  Reserved=0    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                       Sequence Number                         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Flags: the low-order bit is Sticky/static; the other bits are reserved.
 */
import { checkBool, checkInt, type EcRow } from './row.js';

export interface MacMobilityEc {
  type: 'mac-mobility';
  sticky: boolean;
  sequence: number;
  /** Other flag bits and the reserved byte, only when non-zero (12 hex digits of the 6 value bytes). */
  reserved?: string;
}

export const macMobilityRow: EcRow<MacMobilityEc> = {
  type: 'mac-mobility',
  codes: [[0x06, 0x00]],
  twin: false,
  reservedMask: [0xfe, 0xff, 0, 0, 0, 0],
  decode(b) {
    return { type: 'mac-mobility', sticky: (b[2]! & 1) === 1, sequence: b.readUInt32BE(4) };
  },
  encode(e, out) {
    out[0] = 0x06;
    out[1] = 0x00;
    out[2] = checkBool('sticky', e.sticky) ? 1 : 0;
    out.writeUInt32BE(checkInt('MAC mobility sequence number', e.sequence, 0xffffffff), 4);
  },
  text(e) {
    return `mac-mobility:${e.sequence}${e.sticky ? ':sticky' : ''}`;
  },
};
