/**
 * E-VPN route type 3, Inclusive Multicast Ethernet Tag (RFC 7432 §7.3). Value length 17 (IPv4
 * originator) or 29 (IPv6). The tunnel itself is in the PMSI Tunnel attribute (RFC 6514 §5).
 *
 *   +---------------------------------------+
 *   |  RD (8 octets)                        |
 *   +---------------------------------------+
 *   |  Ethernet Tag ID (4 octets)           |
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
import { readOriginatorIp, writeLengthAndAddress } from './fields.js';
import type { EvpnInclusiveMulticast, EvpnRouteTypeCodec } from './types.js';

export const inclusiveMulticastRoute: EvpnRouteTypeCodec<EvpnInclusiveMulticast> = {
  routeType: 3,
  name: 'inclusive-multicast',
  lengths: [17, 29],
  decode(r, length) {
    const rd = readRdFast(r);
    const ethernetTag = r.u32();
    const originatorIp = readOriginatorIp(r, length, 17, 'E-VPN inclusive multicast route');
    return { kind: 'evpn', routeType: 3, rd, ethernetTag, originatorIp };
  },
  encode(w, n) {
    writeRd(w, n.rd);
    w.u32(n.ethernetTag);
    writeLengthAndAddress(w, n.originatorIp, 'E-VPN inclusive multicast originator IP');
  },
};
