/**
 * E-VPN Router's MAC (RFC 9135 §8.1): type 0x06, sub-type 0x03, the MAC of the advertising
 * router, used as inner destination MAC for symmetric IRB over VXLAN.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | Type=0x06     | Sub-Type=0x03 |        EVPN Router's MAC      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    EVPN Router's MAC Cont'd                   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
import { macText, writeMac, type EcRow } from './row.js';

export interface RouterMacEc {
  type: 'router-mac';
  /** "xx:xx:xx:xx:xx:xx", lowercase. */
  mac: string;
}

export const routerMacRow: EcRow<RouterMacEc> = {
  type: 'router-mac',
  codes: [[0x06, 0x03]],
  twin: false,
  decode(b) {
    return { type: 'router-mac', mac: macText(b, 2) };
  },
  encode(e, out) {
    out[0] = 0x06;
    out[1] = 0x03;
    writeMac("router's MAC", e.mac, out, 2);
  },
  text(e) {
    return `router-mac:${e.mac}`;
  },
};
