/**
 * VPN-IPv4 / VPN-IPv6 NLRI (SAFI 128): RFC 4364 §4.3.4 and RFC 4659 §3.2, with the label stack of
 * RFC 3107 §3 / RFC 8277 §2, inside MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760).
 *
 *   +---------------------------+
 *   |   Length (1 octet)        |   bits of labels + RD + prefix
 *   +---------------------------+
 *   |   Label (3 octets)        |   repeated until one ends the stack (see below)
 *   +---------------------------+
 *   |   ...                     |
 *   +---------------------------+
 *   |   Route Distinguisher (8) |
 *   +---------------------------+
 *   |   Prefix (variable)       |   ceil(prefix length / 8) octets
 *   +---------------------------+
 *
 * A label entry ends the stack when its bottom-of-stack bit (lowest bit) is set, or when it is
 * the withdrawal value 0x800000 (RFC 8277 §2.4) or the legacy 0x000000 (RFC 3107 §3), which a
 * withdrawal carries alone. Labels are kept raw (Label24): whether they are MPLS labels or a VNI
 * is decided by the user (see label.ts).
 *
 * Decoding is THE hot path (full VPN-IPv4 feeds): direct byte reads, one object, one label
 * array and the strings, nothing else.
 *
 * Errors (reader policy): 'bad-vpn-nlri-length' when the length cannot hold a label, an RD and
 * a prefix; 'bad-prefix-length' when the prefix part exceeds 32 / 128 bits; 'truncated' on a
 * short read. Encoding: 'bad-label-stack' (empty, or a label that ends the stack too early or
 * not at all), 'value-out-of-range' (length above 255 bits), and the RD/prefix text errors.
 */
import { Afi, Safi } from '../afi.js';
import { NotifyCode, WireError } from '../errors.js';
import { toHex } from '../hex.js';
import type { IpVersion } from '../ip.js';
import type { Label24 } from '../label.js';
import type { BufferReader } from '../reader.js';
import { writeRd, type RouteDistinguisher } from '../route-distinguisher.js';
import type { BufferWriter } from '../writer.js';
import type { NlriBase, NlriCodec } from './codec.js';
import { prefixWireForm, readPrefixText } from './ip-prefix.js';

export interface VpnPrefixNlri extends NlriBase {
  kind: 'vpn';
  /** The raw label stack entries (at least one); the last one ends the stack. */
  labels: Label24[];
  rd: RouteDistinguisher;
  /** "10.0.0.0/24" or "2001:db8::/32", bits past the length cleared. */
  prefix: string;
}

/** True when a label stack entry is the last one: bottom-of-stack bit, or a withdrawal value. */
export function endsLabelStack(raw: number): boolean {
  return (raw & 1) === 1 || raw === 0x800000 || raw === 0;
}

/**
 * The same result as readRd (route-distinguisher.ts) with direct integer reads instead of a
 * 6-byte view and a Buffer wrapper: this is per NLRI on the hot path.
 */
export function readRdFast(r: BufferReader): RouteDistinguisher {
  const type = r.u16();
  switch (type) {
    case 0: {
      const as = r.u16();
      return { type, value: `${as}:${r.u32()}` };
    }
    case 1: {
      const a = r.u8();
      const b = r.u8();
      const c = r.u8();
      const d = r.u8();
      return { type, value: `${a}.${b}.${c}.${d}:${r.u16()}` };
    }
    case 2: {
      const as = r.u32();
      return { type, value: `${as}:${r.u16()}` };
    }
    default:
      return { type, value: toHex(r.bytes(6)) };
  }
}

function decodeVpn(r: BufferReader, version: IpVersion): VpnPrefixNlri {
  const bits = r.u8();
  let rem = bits;
  const labels: Label24[] = [];
  for (;;) {
    if (rem < 88) r.fail('bad-vpn-nlri-length', `VPN NLRI length ${bits} bits cannot hold a label stack, an RD and a prefix`);
    const label = r.u24();
    labels.push(label as Label24);
    rem -= 24;
    if ((label & 1) === 1 || label === 0x800000 || label === 0) break;
  }
  const rd = readRdFast(r);
  return { kind: 'vpn', labels, rd, prefix: readPrefixText(r, rem - 64, version) };
}

function bad(code: string, message: string): never {
  throw new WireError(code, message, 'session-reset', { code: NotifyCode.Cease, subcode: 0 });
}

function encodeVpn(w: BufferWriter, nlri: VpnPrefixNlri, version: IpVersion): void {
  const labels = nlri.labels;
  if (!Array.isArray(labels) || labels.length === 0) bad('bad-label-stack', 'VPN NLRI: the label stack is empty');
  const last = labels.length - 1;
  for (let i = 0; i <= last; i++) {
    const l = labels[i]!;
    if (!Number.isInteger(l) || l < 0 || l > 0xffffff) bad('bad-label-stack', `VPN NLRI: label field ${String(l)} is not 24-bit`);
    if (endsLabelStack(l) !== (i === last)) {
      bad(
        'bad-label-stack',
        `VPN NLRI: label field 0x${l.toString(16)} at ${i} ${i === last ? 'does not end' : 'ends'} the stack (bottom-of-stack bit, 0x800000 or 0 end it)`,
      );
    }
  }
  const { bits, bytes } = prefixWireForm(nlri.prefix, version);
  w.u8(24 * labels.length + 64 + bits);
  for (const l of labels) w.u24(l);
  writeRd(w, nlri.rd);
  w.bytes(bytes);
}

export const vpnIpv4Codec: NlriCodec<VpnPrefixNlri> = {
  afi: Afi.IPv4,
  safi: Safi.MplsVpn,
  nextHop: 'vpn-ip',
  decode: (r) => decodeVpn(r, 4),
  encode: (w, nlri) => encodeVpn(w, nlri, 4),
};

export const vpnIpv6Codec: NlriCodec<VpnPrefixNlri> = {
  afi: Afi.IPv6,
  safi: Safi.MplsVpn,
  nextHop: 'vpn-ip',
  decode: (r) => decodeVpn(r, 6),
  encode: (w, nlri) => encodeVpn(w, nlri, 6),
};
