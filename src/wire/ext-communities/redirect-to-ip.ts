/**
 * FlowSpec redirect (or copy) to an IPv4 address (draft-ietf-idr-flowspec-redirect-ip; IANA
 * transitive IPv4-address-specific sub-type 0x0C "Flow-spec Redirect to IPv4"). Encoding as
 * ExaBGP does it (the IPv6 variant needs the IPv6-address-specific attribute, RFC 5701, not this
 * one):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     0x01      |     0x0C      |    Target IPv4 address        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Target IPv4 address (cont.)  |        Flags          |     |C|
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * C (copy): mirror the traffic to the target instead of redirecting it.
 */
import { ipToBytes, ipv4ToText } from '../ip.js';
import { badEc, checkBool, type EcRow } from './row.js';

export interface RedirectToIpEc {
  type: 'redirect-to-ip';
  /** Dotted-quad IPv4 target. */
  ip: string;
  copy: boolean;
  /** Other flag bits, only when non-zero (12 hex digits of the 6 value bytes). */
  reserved?: string;
}

export const redirectToIpRow: EcRow<RedirectToIpEc> = {
  type: 'redirect-to-ip',
  codes: [[0x01, 0x0c]],
  twin: false,
  reservedMask: [0, 0, 0, 0, 0xff, 0xfe],
  decode(b) {
    return { type: 'redirect-to-ip', ip: ipv4ToText(b, 2), copy: (b[7]! & 1) === 1 };
  },
  encode(e, out) {
    out[0] = 0x01;
    out[1] = 0x0c;
    const ip = typeof e.ip === 'string' ? ipToBytes(e.ip) : badEc('redirect-to-ip: ip is not a string');
    if (ip.length !== 4) badEc(`redirect-to-ip: ${e.ip} is not an IPv4 address`);
    ip.copy(out, 2);
    out[7] = checkBool('copy', e.copy) ? 1 : 0;
  },
  text(e) {
    return `${e.copy ? 'copy-to-ip' : 'redirect-to-ip'}:${e.ip}`;
  },
};
