/**
 * E-VPN route type 1, Ethernet Auto-Discovery (RFC 7432 §7.1). Value length 25.
 *
 *   +---------------------------------------+
 *   |  Route Distinguisher (RD) (8 octets)  |
 *   +---------------------------------------+
 *   |Ethernet Segment Identifier (10 octets)|
 *   +---------------------------------------+
 *   |  Ethernet Tag ID (4 octets)           |
 *   +---------------------------------------+
 *   |  MPLS Label (3 octets)                |
 *   +---------------------------------------+
 *
 * Per-ES A-D routes carry Ethernet Tag MAX-ET (0xFFFFFFFF) and label 0 (RFC 7432 §8.2.1).
 */
import type { Label24 } from '../../label.js';
import { writeRd } from '../../route-distinguisher.js';
import { readRdFast } from '../vpn-prefix.js';
import { readEsi, writeEsi } from './fields.js';
import type { EvpnEthernetAd, EvpnRouteTypeCodec } from './types.js';

export const ethernetAdRoute: EvpnRouteTypeCodec<EvpnEthernetAd> = {
  routeType: 1,
  name: 'ethernet-ad',
  lengths: [25],
  decode(r) {
    const rd = readRdFast(r);
    const esi = readEsi(r);
    const ethernetTag = r.u32();
    return { kind: 'evpn', routeType: 1, rd, esi, ethernetTag, label: r.u24() as Label24 };
  },
  encode(w, n) {
    writeRd(w, n.rd);
    writeEsi(w, n.esi);
    w.u32(n.ethernetTag);
    w.u24(n.label);
  },
};
