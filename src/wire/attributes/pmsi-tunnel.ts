/**
 * PMSI_TUNNEL (type code 22), RFC 6514 §5: optional transitive; for E-VPN inclusive multicast
 * routes (RFC 7432 §11.2, RFC 8365 §5.1.3) it says where to send BUM traffic.
 *
 *   +---------------------------------+
 *   |  Flags (1 octet)                |   0x01 Leaf Information Required
 *   +---------------------------------+
 *   |  Tunnel Type (1 octet)          |   6 = ingress replication
 *   +---------------------------------+
 *   |  MPLS Label (3 octets)          |   raw 24 bits: label << 4, or the VNI for VXLAN
 *   +---------------------------------+
 *   |  Tunnel Identifier (variable)   |   ingress replication: the IPv4/IPv6 endpoint
 *   +---------------------------------+
 *
 * JSON: tunnelType is the name of a known type or the number; the label is the raw Label24 (the
 * encapsulation decides how to read it, see label.ts); the tunnel identifier is an address for
 * ingress replication with 4 or 16 bytes, opaque hex otherwise. A value shorter than 5 bytes is
 * malformed; RFC 6514 defines no error handling, treat-as-withdraw is used (RFC 7606 §8 advice:
 * the attribute decides how a route is installed).
 */
import { UpdateSubcode } from '../errors.js';
import { fromHex, toHex } from '../hex.js';
import { ipToBytes, ipToText } from '../ip.js';
import { label24, type Label24 } from '../label.js';
import { AttrCode, encodeError, FLAG_OPTIONAL, FLAG_TRANSITIVE, malformed, type AttrBase, type AttributeDescriptor } from './types.js';

/** Tunnel types, IANA "P-Multicast Service Interface Tunnel (PMSI Tunnel) Tunnel Types". */
export const PMSI_TUNNEL_TYPES = {
  'no-tunnel-info': 0, // RFC 6514
  'rsvp-te-p2mp': 1, // RFC 6514
  'mldp-p2mp': 2, // RFC 6514
  'pim-ssm': 3, // RFC 6514
  'pim-sm': 4, // RFC 6514
  'bidir-pim': 5, // RFC 6514
  'ingress-replication': 6, // RFC 6514
  'mldp-mp2mp': 7, // RFC 7385
  'transport-tunnel': 8, // RFC 7524
  bier: 11, // RFC 8556
} as const;

export type PmsiTunnelTypeName = keyof typeof PMSI_TUNNEL_TYPES;

const NAMES = new Map<number, PmsiTunnelTypeName>(
  (Object.entries(PMSI_TUNNEL_TYPES) as [PmsiTunnelTypeName, number][]).map(([n, v]) => [v, n]),
);

export type PmsiTunnelId = { kind: 'address'; address: string } | { kind: 'opaque'; hex: string };

export interface PmsiTunnelAttribute extends AttrBase {
  type: 'pmsi-tunnel';
  /** The flags octet of the value (0x01 = Leaf Information Required). */
  tunnelFlags: number;
  /** A known type's name, or the number of an unknown one. */
  tunnelType: PmsiTunnelTypeName | number;
  label: Label24;
  tunnelId: PmsiTunnelId;
}

/** The number of a tunnel type given by name or number. */
export function pmsiTunnelTypeCode(t: PmsiTunnelTypeName | number): number {
  if (typeof t === 'number') return t;
  const v = PMSI_TUNNEL_TYPES[t] as number | undefined;
  if (v === undefined) encodeError('bad-pmsi-tunnel', `PMSI_TUNNEL: unknown tunnel type name ${JSON.stringify(t)}`);
  return v;
}

export const pmsiTunnel: AttributeDescriptor<PmsiTunnelAttribute> = {
  code: AttrCode.PmsiTunnel,
  type: 'pmsi-tunnel',
  name: 'PMSI_TUNNEL',
  flags: FLAG_OPTIONAL | FLAG_TRANSITIVE,
  malformed: 'treat-as-withdraw',
  decode(r, flags) {
    if (r.remaining < 5) malformed(r, 'bad-attribute-length', `length ${r.remaining}, expected at least 5`, UpdateSubcode.AttributeLengthError);
    const tunnelFlags = r.u8();
    const t = r.u8();
    const label = r.u24() as Label24;
    const id = r.rest();
    const tunnelId: PmsiTunnelId =
      t === PMSI_TUNNEL_TYPES['ingress-replication'] && (id.length === 4 || id.length === 16)
        ? { kind: 'address', address: ipToText(id) }
        : { kind: 'opaque', hex: toHex(id) };
    return { type: 'pmsi-tunnel', flags, tunnelFlags, tunnelType: NAMES.get(t) ?? t, label, tunnelId };
  },
  encode(w, attr) {
    const t = pmsiTunnelTypeCode(attr.tunnelType);
    w.u8(attr.tunnelFlags).u8(t).u24(label24(attr.label));
    if (attr.tunnelId.kind === 'address') {
      if (t !== PMSI_TUNNEL_TYPES['ingress-replication']) encodeError('bad-pmsi-tunnel', 'PMSI_TUNNEL: an address tunnel identifier is for ingress replication only');
      w.bytes(ipToBytes(attr.tunnelId.address));
    } else w.bytes(fromHex(attr.tunnelId.hex));
  },
};
