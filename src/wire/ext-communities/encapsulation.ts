/**
 * Encapsulation extended community (RFC 9012 §4.1, formerly RFC 5512 §4.5): transitive opaque
 * type 0x03, sub-type 0x0C. It says which tunnel a route's next hop expects (MPLS, VXLAN...).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | 0x03 (Opaque) | 0x0C (Encaps) |        Reserved (4 bytes)     |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |        Reserved (cont.)       |          Tunnel Type          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Tunnel types (IANA "BGP Tunnel Encapsulation Attribute Tunnel Types") are named where the
 * VPN layer cares; others stay numbers. Type 0 is the original's "Default" (never sent).
 */
import { badEc, checkInt, type EcRow } from './row.js';

/** RFC 9012 tunnel types with a name in the JSON and text forms. */
export const TUNNEL_TYPES = {
  l2tpv3: 1,
  gre: 2,
  'ip-in-ip': 7,
  vxlan: 8,
  nvgre: 9,
  mpls: 10,
  'mpls-in-gre': 11,
  'vxlan-gpe': 12,
  'mpls-in-udp': 13,
  geneve: 19,
} as const;

export type TunnelTypeName = keyof typeof TUNNEL_TYPES;

const NAMES = new Map<number, TunnelTypeName>(
  (Object.entries(TUNNEL_TYPES) as [TunnelTypeName, number][]).map(([name, code]) => [code, name]),
);

export interface EncapsulationEc {
  type: 'encapsulation';
  /** A name of TUNNEL_TYPES, or the 16-bit number for the others (never a number that has a name). */
  tunnelType: TunnelTypeName | number;
  /** The 4 reserved bytes, only when a sender set some (12 hex digits of the 6 value bytes). */
  reserved?: string;
}

/** The canonical JSON tunnel type for a code (a name when there is one). */
export function tunnelTypeOf(code: number): TunnelTypeName | number {
  return NAMES.get(code) ?? code;
}

/** The 16-bit code of a tunnel type name or number; throws WireError on anything else. */
export function tunnelTypeCode(t: TunnelTypeName | number): number {
  if (typeof t === 'string') {
    if (!Object.hasOwn(TUNNEL_TYPES, t)) badEc(`unknown tunnel type name ${JSON.stringify(t)}`);
    return TUNNEL_TYPES[t];
  }
  return checkInt('tunnel type', t, 0xffff);
}

export const encapsulationRow: EcRow<EncapsulationEc> = {
  type: 'encapsulation',
  codes: [[0x03, 0x0c]],
  twin: false,
  reservedMask: [0xff, 0xff, 0xff, 0xff, 0, 0],
  decode(b) {
    return { type: 'encapsulation', tunnelType: tunnelTypeOf(b.readUInt16BE(6)) };
  },
  encode(e, out) {
    out[0] = 0x03;
    out[1] = 0x0c;
    out.writeUInt16BE(tunnelTypeCode(e.tunnelType), 6);
  },
  text(e) {
    return `encap:${e.tunnelType}`;
  },
};
