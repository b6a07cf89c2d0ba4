/**
 * IPv4 / IPv6 unicast and multicast NLRI (SAFI 1 and 2): RFC 4271 §4.3 (the classic withdrawn
 * routes and NLRI fields of UPDATE), RFC 4760 §5 (inside MP_REACH/MP_UNREACH), RFC 2545 (IPv6).
 *
 *   +---------------------------+
 *   |   Length (1 octet, bits)  |
 *   +---------------------------+
 *   |   Prefix (variable)       |   ceil(Length / 8) octets, trailing bits irrelevant
 *   +---------------------------+
 *
 * Decoding clears the bits past the length (they are irrelevant, RFC 4271 §4.3), so the JSON
 * text is always normalised ("10.0.0.0/24"). A length above 32 (IPv4) or 128 (IPv6) fails with
 * 'bad-prefix-length' under the reader's policy; a prefix cut short fails with 'truncated'.
 */
import { Afi, Safi } from '../afi.js';
import type { IpVersion } from '../ip.js';
import { parsePrefix, readPrefixBits } from '../ip.js';
import { NotifyCode, WireError } from '../errors.js';
import type { BufferReader } from '../reader.js';
import type { BufferWriter } from '../writer.js';
import type { NlriBase, NlriCodec } from './codec.js';

export interface IpPrefixNlri extends NlriBase {
  kind: 'prefix';
  /** "10.0.0.0/24" or "2001:db8::/32", bits past the length cleared. */
  prefix: string;
}

/**
 * The normalised text of a prefix whose length in bits was already read, its ceil(bits/8)
 * bytes read from r. The IPv4 case is a hot path (VPN-IPv4): byte reads, no allocation but the
 * string.
 */
export function readPrefixText(r: BufferReader, bits: number, version: IpVersion): string {
  if (version === 6) return readPrefixBits(r, bits, 6);
  if (bits > 32) r.fail('bad-prefix-length', `prefix length ${bits} exceeds 32`);
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  if (bits > 0) a = r.u8();
  if (bits > 8) b = r.u8();
  if (bits > 16) c = r.u8();
  if (bits > 24) d = r.u8();
  const rem = bits & 7;
  if (rem !== 0) {
    const mask = (0xff << (8 - rem)) & 0xff;
    if (bits < 8) a &= mask;
    else if (bits < 16) b &= mask;
    else if (bits < 24) c &= mask;
    else d &= mask;
  }
  // V8 concatenates strings shorter than 13 characters into flat strings, longer ones into a
  // rope (a node per concatenation), twice the memory of a flat string for the prefixes a full
  // table keeps (docs/benchmarks.md): those are built by Array.join, which writes a flat string.
  if (digits(a) + digits(b) + digits(c) + digits(d) + digits(bits) < 9) return `${a}.${b}.${c}.${d}/${bits}`;
  return [a, '.', b, '.', c, '.', d, '/', bits].join('');
}

function digits(n: number): number {
  return n > 99 ? 3 : n > 9 ? 2 : 1;
}

/** One prefix: its length byte, then its bytes. */
export function readIpPrefix(r: BufferReader, version: IpVersion): IpPrefixNlri {
  const bits = r.u8();
  return { kind: 'prefix', prefix: readPrefixText(r, bits, version) };
}

/**
 * The length in bits and the significant bytes (bits past the length cleared) of a prefix text;
 * a WireError ('bad-address-text') when it is not a valid prefix of the expected version.
 */
export function prefixWireForm(text: string, version: IpVersion): { bits: number; bytes: Buffer } {
  const p = parsePrefix(text);
  if (p.version !== version) {
    throw new WireError('bad-address-text', `IPv${version} prefix: ${JSON.stringify(text)} is not valid`, 'session-reset', {
      code: NotifyCode.Cease,
      subcode: 0,
    });
  }
  const n = (p.length + 7) >>> 3;
  const bytes = p.bytes.subarray(0, n);
  if (p.length & 7) bytes[n - 1] = bytes[n - 1]! & (0xff << (8 - (p.length & 7)));
  return { bits: p.length, bytes };
}

/** One prefix: its length byte, then its significant bytes (bits past the length cleared). */
export function writeIpPrefix(w: BufferWriter, nlri: IpPrefixNlri, version: IpVersion): void {
  const { bits, bytes } = prefixWireForm(nlri.prefix, version);
  w.u8(bits);
  w.bytes(bytes);
}

function prefixCodec(afi: Afi.IPv4 | Afi.IPv6, safi: Safi.Unicast | Safi.Multicast): NlriCodec<IpPrefixNlri> {
  const version: IpVersion = afi === Afi.IPv4 ? 4 : 6;
  return {
    afi,
    safi,
    nextHop: 'ip',
    decode: (r) => readIpPrefix(r, version),
    encode: (w, nlri) => writeIpPrefix(w, nlri, version),
  };
}

export const ipv4UnicastCodec = prefixCodec(Afi.IPv4, Safi.Unicast);
export const ipv6UnicastCodec = prefixCodec(Afi.IPv6, Safi.Unicast);
export const ipv4MulticastCodec = prefixCodec(Afi.IPv4, Safi.Multicast);
export const ipv6MulticastCodec = prefixCodec(Afi.IPv6, Safi.Multicast);
