/**
 * E-VPN ESI Label (RFC 7432 §7.5): type 0x06, sub-type 0x01, advertised with Ethernet A-D per
 * ES routes: the label for split-horizon filtering and the single-active flag.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | Type=0x06     | Sub-Type=0x01 | Flags(1 octet)|  Reserved=0   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Reserved=0   |          ESI Label                            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Flags: the low-order bit is Single-Active; other bits (later documents define redundancy-mode bits) are
 * kept in `reserved`. The label is the raw 24-bit field (Label24): an MPLS label or a VNI
 * depending on the encapsulation (RFC 8365 §8.3.1).
 */
import { label24, type Label24 } from '../label.js';
import { checkBool, checkInt, type EcRow } from './row.js';

export interface EsiLabelEc {
  type: 'esi-label';
  singleActive: boolean;
  /** The raw 24 bits of the label field. */
  label: Label24;
  /** Other flag bits and the reserved bytes, only when non-zero (12 hex digits of the 6 value bytes). */
  reserved?: string;
}

export const esiLabelRow: EcRow<EsiLabelEc> = {
  type: 'esi-label',
  codes: [[0x06, 0x01]],
  twin: false,
  reservedMask: [0xfe, 0xff, 0xff, 0, 0, 0],
  decode(b) {
    return {
      type: 'esi-label',
      singleActive: (b[2]! & 1) === 1,
      label: label24((b[5]! << 16) | (b[6]! << 8) | b[7]!),
    };
  },
  encode(e, out) {
    out[0] = 0x06;
    out[1] = 0x01;
    out[2] = checkBool('single-active', e.singleActive) ? 1 : 0;
    const l = checkInt('ESI label', e.label, 0xffffff);
    out[5] = l >>> 16;
    out[6] = (l >>> 8) & 0xff;
    out[7] = l & 0xff;
  },
  text(e) {
    return `esi-label:${e.label}${e.singleActive ? ':single-active' : ''}`;
  },
};
