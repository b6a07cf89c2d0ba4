/**
 * Extended Next Hop Encoding capability, code 5 (RFC 8950 §3, obsoleting RFC 5549): the NLRI
 * families for which the speaker accepts a next hop of another address family (typically IPv4
 * NLRI with an IPv6 next hop). Note the 2-octet SAFI, unlike the other capabilities.
 *
 *   +-----------------------------------------------------+
 *   | NLRI AFI - 1 (2 octets)                             |
 *   +-----------------------------------------------------+
 *   | NLRI SAFI - 1 (2 octets)                            |
 *   +-----------------------------------------------------+
 *   | Nexthop AFI - 1 (2 octets)                          |
 *   +-----------------------------------------------------+
 *   | ....                                                |
 *   +-----------------------------------------------------+
 */
import { familyName } from '../afi.js';
import type { BufferReader } from '../reader.js';
import type { BufferWriter } from '../writer.js';
import { afiName, expectLength, familyOf, parseAfiName, type CapabilityCodec } from './codec.js';

export interface ExtendedNextHopEntry {
  /** NLRI family, e.g. "ipv4/unicast", "ipv4/mpls-vpn". */
  family: string;
  /** AFI of the next hop: "ipv6" (or "ipv4", "afi-N"). */
  nextHop: string;
}

export interface ExtendedNextHopCapability {
  type: 'extended-next-hop';
  entries: ExtendedNextHopEntry[];
}

export const extendedNextHopCodec: CapabilityCodec<ExtendedNextHopCapability> = {
  code: 5,
  type: 'extended-next-hop',
  decode(r: BufferReader): ExtendedNextHopCapability | undefined {
    expectLength(r, 'extended next hop', r.remaining % 6 === 0, 'a multiple of 6');
    const entries: ExtendedNextHopEntry[] = [];
    let representable = true;
    while (!r.atEnd) {
      const afi = r.u16();
      const safi = r.u16();
      const nh = r.u16();
      if (safi > 0xff) representable = false; // no family name: keep the capability opaque
      entries.push({ family: familyName(afi, safi), nextHop: afiName(nh) });
    }
    return representable ? { type: 'extended-next-hop', entries } : undefined;
  },
  encode(w: BufferWriter, cap: ExtendedNextHopCapability): void {
    for (const e of cap.entries) {
      const f = familyOf('extended next hop', e.family);
      w.u16(f.afi).u16(f.safi).u16(parseAfiName('extended next hop', e.nextHop));
    }
  },
};
