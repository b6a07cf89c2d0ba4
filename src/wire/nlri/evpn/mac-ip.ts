/**
 * E-VPN route type 2, MAC/IP Advertisement (RFC 7432 §7.2).
 *
 *   +---------------------------------------+
 *   |  RD (8 octets)                        |
 *   +---------------------------------------+
 *   |Ethernet Segment Identifier (10 octets)|
 *   +---------------------------------------+
 *   |  Ethernet Tag ID (4 octets)           |
 *   +---------------------------------------+
 *   |  MAC Address Length (1 octet) = 48    |
 *   +---------------------------------------+
 *   |  MAC Address (6 octets)               |
 *   +---------------------------------------+
 *   |  IP Address Length (1 octet) 0/32/128 |
 *   +---------------------------------------+
 *   |  IP Address (0, 4, or 16 octets)      |
 *   +---------------------------------------+
 *   |  MPLS Label1 (3 octets)               |
 *   +---------------------------------------+
 *   |  MPLS Label2 (0 or 3 octets)          |
 *   +---------------------------------------+
 *
 * Value lengths 33/36 (no IP), 37/40 (IPv4), 49/52 (IPv6), with or without Label2: the same set
 * the original daemon accepts (engine.md §5.3). Errors: 'bad-evpn-mac-length' (not 48),
 * 'bad-evpn-ip-length' (not 0/32/128, or not matching the value length).
 */
import type { Label24 } from '../../label.js';
import { writeRd } from '../../route-distinguisher.js';
import { readRdFast } from '../vpn-prefix.js';
import { encodeError, readAddress, readColonHex, readEsi, writeColonHex, writeEsi, writeLengthAndAddress } from './fields.js';
import type { EvpnMacIp, EvpnRouteTypeCodec } from './types.js';

export const macIpRoute: EvpnRouteTypeCodec<EvpnMacIp> = {
  routeType: 2,
  name: 'mac-ip',
  lengths: [33, 36, 37, 40, 49, 52],
  decode(r, length) {
    const rd = readRdFast(r);
    const esi = readEsi(r);
    const ethernetTag = r.u32();
    const macBits = r.u8();
    if (macBits !== 48) r.fail('bad-evpn-mac-length', `E-VPN MAC/IP route: MAC address length ${macBits} (expected 48)`);
    const mac = readColonHex(r, 6);
    const ipBits = r.u8();
    const ipBytes = ipBits >>> 3;
    const labelBytes = length - 30 - ipBytes;
    if ((ipBits !== 0 && ipBits !== 32 && ipBits !== 128) || (labelBytes !== 3 && labelBytes !== 6)) {
      r.fail('bad-evpn-ip-length', `E-VPN MAC/IP route: IP address length ${ipBits} in a value of ${length}`);
    }
    const ip = ipBits === 0 ? undefined : readAddress(r, ipBytes as 4 | 16);
    const labels: Label24[] = [r.u24() as Label24];
    if (labelBytes === 6) labels.push(r.u24() as Label24);
    return ip === undefined
      ? { kind: 'evpn', routeType: 2, rd, esi, ethernetTag, mac, labels }
      : { kind: 'evpn', routeType: 2, rd, esi, ethernetTag, mac, ip, labels };
  },
  encode(w, n) {
    const labels = n.labels;
    if (!Array.isArray(labels) || labels.length < 1 || labels.length > 2) {
      encodeError('bad-label-stack', 'E-VPN MAC/IP route: labels must hold 1 or 2 label fields');
    }
    writeRd(w, n.rd);
    writeEsi(w, n.esi);
    w.u32(n.ethernetTag);
    w.u8(48);
    writeColonHex(w, n.mac, 6, 'MAC address');
    writeLengthAndAddress(w, n.ip, 'E-VPN MAC/IP route IP address');
    for (const l of labels) w.u24(l);
  },
};
