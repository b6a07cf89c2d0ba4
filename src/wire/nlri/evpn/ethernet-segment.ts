/**
 * E-VPN route type 4, Ethernet Segment (RFC 7432 §7.4). Value length 23 (IPv4 originator) or 35
 * (IPv6).
 *
 *   +---------------------------------------+
 *   |  RD (8 octets)                        |
 *   +---------------------------------------+
 *   |Ethernet Segment Identifier (10 octets)|
 *   +---------------------------------------+
 *   |  IP Address Length (1 octet) 32/128   |
 *   +---------------------------------------+
 *   |  Originating Router's IP Address      |
 *   |          (4 or 16 octets)             |
 *   +---------------------------------------+
 *
 * Error: 'bad-evpn-ip-length' (not 32/128, or not matching the value length).
 */
import { writeRd } from '../../route-distinguisher.js';
import { readRdFast } from '../vpn-prefix.js';
import { readEsi, readOriginatorIp, writeEsi, writeLengthAndAddress } from './fields.js';
import type { EvpnEthernetSegment, EvpnRouteTypeCodec } from './types.js';

export const ethernetSegmentRoute: EvpnRouteTypeCodec<EvpnEthernetSegment> = {
  routeType: 4,
  name: 'ethernet-segment',
  lengths: [23, 35],
  decode(r, length) {
    const rd = readRdFast(r);
    const esi = readEsi(r);
    const originatorIp = readOriginatorIp(r, length, 23, 'E-VPN Ethernet segment route');
    return { kind: 'evpn', routeType: 4, rd, esi, originatorIp };
  },
  encode(w, n) {
    writeRd(w, n.rd);
    writeEsi(w, n.esi);
    writeLengthAndAddress(w, n.originatorIp, 'E-VPN Ethernet segment originator IP');
  },
};
