/**
 * JSON shapes of E-VPN NLRI (RFC 7432 §7, RFC 9136 §3), AFI 25 / SAFI 70. Each NLRI is
 *
 *   +-----------------------------------+
 *   |    Route Type (1 octet)           |
 *   +-----------------------------------+
 *   |     Length (1 octet)              |   of the route type specific value
 *   +-----------------------------------+
 *   | Route Type specific (variable)    |
 *   +-----------------------------------+
 *
 * Text forms: ESI is the 10 bytes (type byte included) as colon-separated lowercase hex
 * ("00:00:00:00:00:00:00:00:00:00"); MAC is "52:54:00:00:00:02"; addresses are text; the label
 * fields are raw Label24 (MPLS label or VXLAN VNI per the encapsulation, RFC 8365 §5.1.3).
 * Route types we do not know (6 and up, RFC 9251, RFC 9572...) are kept opaque: never an error.
 */
import type { Label24 } from '../../label.js';
import type { RouteDistinguisher } from '../../route-distinguisher.js';
import type { BufferReader } from '../../reader.js';
import type { BufferWriter } from '../../writer.js';
import type { NlriBase } from '../codec.js';

export enum EvpnRouteType {
  EthernetAd = 1,
  MacIp = 2,
  InclusiveMulticast = 3,
  EthernetSegment = 4,
  IpPrefix = 5,
}

interface EvpnBase extends NlriBase {
  kind: 'evpn';
}

/** Type 1, Ethernet Auto-Discovery (RFC 7432 §7.1). */
export interface EvpnEthernetAd extends EvpnBase {
  routeType: 1;
  rd: RouteDistinguisher;
  esi: string;
  ethernetTag: number;
  label: Label24;
}

/** Type 2, MAC/IP Advertisement (RFC 7432 §7.2). */
export interface EvpnMacIp extends EvpnBase {
  routeType: 2;
  rd: RouteDistinguisher;
  esi: string;
  ethernetTag: number;
  mac: string;
  /** Absent when the IP address length is 0. */
  ip?: string;
  /** MPLS Label1, and Label2 when present (1 or 2 entries). */
  labels: Label24[];
}

/** Type 3, Inclusive Multicast Ethernet Tag (RFC 7432 §7.3). */
export interface EvpnInclusiveMulticast extends EvpnBase {
  routeType: 3;
  rd: RouteDistinguisher;
  ethernetTag: number;
  originatorIp: string;
}

/** Type 4, Ethernet Segment (RFC 7432 §7.4). */
export interface EvpnEthernetSegment extends EvpnBase {
  routeType: 4;
  rd: RouteDistinguisher;
  esi: string;
  originatorIp: string;
}

/** Type 5, IP Prefix (RFC 9136 §3.1): IPv4 (value length 34) or IPv6 (58). */
export interface EvpnIpPrefix extends EvpnBase {
  routeType: 5;
  rd: RouteDistinguisher;
  esi: string;
  ethernetTag: number;
  /** "10.0.0.0/24", bits past the length cleared. */
  prefix: string;
  /** Same family as the prefix; "0.0.0.0" / "::" when unused. */
  gateway: string;
  label: Label24;
}

/** Any other route type: the value bytes kept as hex, so it round-trips. */
export interface EvpnUnknown extends EvpnBase {
  routeType: number;
  data: string;
}

export type EvpnKnown = EvpnEthernetAd | EvpnMacIp | EvpnInclusiveMulticast | EvpnEthernetSegment | EvpnIpPrefix;
export type EvpnNlri = EvpnKnown | EvpnUnknown;

/**
 * Narrows to the typed route types. (EvpnUnknown's routeType is any number, so a plain
 * `switch (n.routeType)` cannot exclude it; the decoder only produces it for types 6 and up.)
 */
export function isKnownEvpn(n: EvpnNlri): n is EvpnKnown {
  return !('data' in n);
}

/** One row of the route type table (index.ts): how one known route type is decoded and encoded. */
export interface EvpnRouteTypeCodec<N extends EvpnKnown = EvpnKnown> {
  readonly routeType: N['routeType'];
  readonly name: string;
  /** The value lengths this route type may have; any other fails with 'bad-evpn-length'. */
  readonly lengths: readonly number[];
  /** Decodes the value, whose length (one of `lengths`) was checked and is in r. */
  decode(r: BufferReader, length: number): N;
  /** Encodes the value (without route type and length). */
  encode(w: BufferWriter, nlri: N): void;
}
