/**
 * Prefix components: type 1 destination prefix, type 2 source prefix.
 *
 * IPv4 (RFC 8955 §4.2.2.1, §4.2.2.2): Encoding: <type (1 octet), length (1 octet), prefix>
 *
 *   +--------+----------------+---------------------------------+
 *   |  type  | length (bits)  | prefix: ceil(length/8) octets   |
 *   +--------+----------------+---------------------------------+
 *
 * IPv6 (RFC 8956 §3.1, §3.2): Encoding: <type (1 octet), length (1 octet), offset (1 octet), pattern>
 *
 *   +--------+----------------+----------------+--------------------------------------+
 *   |  type  | length (bits)  | offset (bits)  | pattern: ceil((length-offset)/8) oct. |
 *   +--------+----------------+----------------+--------------------------------------+
 *
 * The IPv6 pattern holds address bits offset..length-1 (matching skips the first `offset` bits).
 * The JSON shows them at their place in an address ("::1234:5678:9a00:0/104" with offset 65),
 * every other bit cleared; padding bits are ignored when decoding (RFC 8956 §3.1) and written as
 * zero. RFC 8956 §3.1: offset < length <= 128, or both 0 (match all); anything else is malformed
 * ('flowspec-bad-offset'); a length above 32 / 128 is 'bad-prefix-length'.
 */
import { ipv6ToText, parsePrefix, readPrefixBits, writePrefixBytes, type IpVersion } from '../../ip.js';
import type { BufferReader } from '../../reader.js';
import type { BufferWriter } from '../../writer.js';
import { invalidFlowspec, type FlowspecPrefixComponent, type FlowspecPrefixType } from './types.js';

function bitAt(b: Uint8Array, i: number): number {
  return (b[i >>> 3]! >>> (7 - (i & 7))) & 1;
}

function setBit(b: Uint8Array, i: number): void {
  b[i >>> 3] = b[i >>> 3]! | (0x80 >>> (i & 7));
}

/** Reads the rest of a prefix component (after its type byte). */
export function readPrefixComponent(r: BufferReader, type: FlowspecPrefixType, version: IpVersion): FlowspecPrefixComponent {
  const length = r.u8();
  if (version === 4) return { type, prefix: readPrefixBits(r, length, 4) };
  const offset = r.u8();
  if (length > 128) r.fail('bad-prefix-length', `${type}: prefix length ${length} exceeds 128`);
  if (offset >= length && !(offset === 0 && length === 0)) {
    r.fail('flowspec-bad-offset', `${type}: offset ${offset} is not below length ${length}`);
  }
  if (offset === 0) return { type, prefix: readPrefixBits(r, length, 6) };
  const bits = length - offset;
  const pattern = r.bytes((bits + 7) >>> 3);
  const addr = new Uint8Array(16);
  for (let i = 0; i < bits; i++) if (bitAt(pattern, i)) setBit(addr, offset + i);
  return { type, prefix: `${ipv6ToText(addr)}/${length}`, offset };
}

/** Writes a prefix component, type byte included. */
export function writePrefixComponent(w: BufferWriter, code: number, c: FlowspecPrefixComponent, version: IpVersion): void {
  if (typeof c.prefix !== 'string') invalidFlowspec('bad-address-text', `${c.type}: prefix must be "addr/len" text`);
  const offset = c.offset ?? 0;
  if (version === 4) {
    if (offset !== 0) invalidFlowspec('flowspec-bad-offset', `${c.type}: IPv4 prefixes have no offset (RFC 8955 §4.2.2.1)`);
    const p = parsePrefix(c.prefix);
    if (p.version !== 4) invalidFlowspec('bad-address-text', `${c.type}: ${c.prefix} is not an IPv4 prefix`);
    w.u8(code).u8(p.length);
    writePrefixBytes(w, c.prefix, 4);
    return;
  }
  const p = parsePrefix(c.prefix);
  if (p.version !== 6) invalidFlowspec('bad-address-text', `${c.type}: ${c.prefix} is not an IPv6 prefix`);
  if (!Number.isInteger(offset) || offset < 0 || (offset >= p.length && !(offset === 0 && p.length === 0))) {
    invalidFlowspec('flowspec-bad-offset', `${c.type}: offset ${String(offset)} must be an integer below the length ${p.length} (RFC 8956 §3.1)`);
  }
  w.u8(code).u8(p.length).u8(offset);
  if (offset === 0) {
    writePrefixBytes(w, c.prefix, 6);
    return;
  }
  const bits = p.length - offset;
  const pattern = new Uint8Array((bits + 7) >>> 3);
  for (let i = 0; i < bits; i++) if (bitAt(p.bytes, offset + i)) setBit(pattern, i);
  w.bytes(pattern);
}
