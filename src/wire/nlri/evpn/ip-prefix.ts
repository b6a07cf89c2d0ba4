/**
 * E-VPN route type 5, IP Prefix (RFC 9136 §3.1). Value length 34 (IPv4) or 58 (IPv6): the prefix
 * and gateway fields are both of the prefix's family.
 *
 *   +---------------------------------------+
 *   |      RD (8 octets)                    |
 *   +---------------------------------------+
 *   |Ethernet Segment Identifier (10 octets)|
 *   +---------------------------------------+
 *   |  Ethernet Tag ID (4 octets)           |
 *   +---------------------------------------+
 *   |  IP Prefix Length (1 octet, 0 to 32   |
 *   |  or 0 to 128)                         |
 *   +---------------------------------------+
 *   |  IP Prefix (4 or 16 octets)           |
 *   +---------------------------------------+
 *   |  GW IP Address (4 or 16 octets)       |
 *   +---------------------------------------+
 *   |  MPLS Label (3 octets)                |
 *   +---------------------------------------+
 *
 * The prefix is normalised (bits past its length cleared) like every other prefix in this codec.
 * Error: 'bad-prefix-length' (above 32 / 128).
 */
import { ipVersionOf } from '../../ip.js';
import type { Label24 } from '../../label.js';
import { writeRd } from '../../route-distinguisher.js';
import { prefixWireForm, readPrefixText } from '../ip-prefix.js';
import { readRdFast } from '../vpn-prefix.js';
import { addressBytes, readAddress, readEsi, writeEsi } from './fields.js';
import type { EvpnIpPrefix, EvpnRouteTypeCodec } from './types.js';

export const ipPrefixRoute: EvpnRouteTypeCodec<EvpnIpPrefix> = {
  routeType: 5,
  name: 'ip-prefix',
  lengths: [34, 58],
  decode(r, length) {
    const rd = readRdFast(r);
    const esi = readEsi(r);
    const ethernetTag = r.u32();
    const bits = r.u8();
    const v6 = length === 58;
    // The prefix field is full width: read its significant bytes as a prefix, skip the rest.
    const prefix = readPrefixText(r, bits, v6 ? 6 : 4);
    r.skip((v6 ? 16 : 4) - ((bits + 7) >>> 3));
    const gateway = readAddress(r, v6 ? 16 : 4);
    return { kind: 'evpn', routeType: 5, rd, esi, ethernetTag, prefix, gateway, label: r.u24() as Label24 };
  },
  encode(w, n) {
    const version = typeof n.prefix === 'string' ? ipVersionOf(n.prefix) : 4;
    const width = version === 4 ? 4 : 16;
    const { bits, bytes } = prefixWireForm(n.prefix, version);
    const gateway = addressBytes(n.gateway, 'E-VPN IP prefix route gateway', width);
    writeRd(w, n.rd);
    writeEsi(w, n.esi);
    w.u32(n.ethernetTag);
    w.u8(bits);
    w.bytes(bytes);
    w.bytes(Buffer.alloc(width - bytes.length));
    w.bytes(gateway);
    w.u24(n.label);
  },
};
