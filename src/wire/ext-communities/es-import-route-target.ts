/**
 * E-VPN ES-Import Route Target (RFC 7432 §7.6): type 0x06, sub-type 0x02, carried by Ethernet
 * Segment routes; its value is a MAC address derived from the ESI.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | Type=0x06     | Sub-Type=0x02 |          ES-Import            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                     ES-Import Cont'd                          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
import { macText, writeMac, type EcRow } from './row.js';

export interface EsImportRouteTargetEc {
  type: 'es-import-route-target';
  /** "xx:xx:xx:xx:xx:xx", lowercase. */
  mac: string;
}

export const esImportRouteTargetRow: EcRow<EsImportRouteTargetEc> = {
  type: 'es-import-route-target',
  codes: [[0x06, 0x02]],
  twin: false,
  decode(b) {
    return { type: 'es-import-route-target', mac: macText(b, 2) };
  },
  encode(e, out) {
    out[0] = 0x06;
    out[1] = 0x02;
    writeMac('ES-import route target', e.mac, out, 2);
  },
  text(e) {
    return `es-import:${e.mac}`;
  },
};
