/**
 * IP addresses and prefixes as they appear in NLRI and attributes. Text forms: dotted quad for
 * IPv4, RFC 5952 compressed text for IPv6 (via ipaddr.js), "addr/len" for prefixes with the bits
 * past the length cleared (RFC 4271 §4.3: they are irrelevant, so decoding normalises them).
 */
import ipaddr from 'ipaddr.js';
import { NotifyCode, WireError } from './errors.js';
import type { BufferReader } from './reader.js';
import type { BufferWriter } from './writer.js';

export type IpVersion = 4 | 6;

function badText(what: string, text: string): never {
  throw new WireError('bad-address-text', `${what}: ${JSON.stringify(text)} is not valid`, 'session-reset', {
    code: NotifyCode.Cease,
    subcode: 0,
  });
}

export function ipv4ToText(b: Uint8Array, at = 0): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

export function ipv6ToText(b: Uint8Array, at = 0): string {
  return ipaddr.fromByteArray(Array.from(b.subarray(at, at + 16))).toString();
}

/** Text for 4 or 16 address bytes. */
export function ipToText(b: Uint8Array): string {
  if (b.length === 4) return ipv4ToText(b);
  if (b.length === 16) return ipv6ToText(b);
  return badText('address', Buffer.from(b).toString('hex'));
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Bytes of an IPv4 or IPv6 address in text form; a clear error otherwise. */
export function ipToBytes(text: string): Buffer {
  const m = V4.exec(text);
  if (m) {
    const parts = m.slice(1, 5).map(Number);
    if (parts.some((p) => p > 255)) badText('IPv4 address', text);
    return Buffer.from(parts);
  }
  if (text.includes(':') && ipaddr.IPv6.isValid(text)) return Buffer.from(ipaddr.IPv6.parse(text).toByteArray());
  return badText('IP address', text);
}

export function ipVersionOf(text: string): IpVersion {
  return text.includes(':') ? 6 : 4;
}

/** "10.1.0.0/16" → address bytes (full width) and length; validates both. */
export function parsePrefix(text: string): { bytes: Buffer; length: number; version: IpVersion } {
  const slash = text.lastIndexOf('/');
  if (slash < 0) badText('prefix', text);
  const bytes = ipToBytes(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  const length = Number(lenText);
  const max = bytes.length * 8;
  if (!/^\d+$/.test(lenText) || length > max) badText('prefix length', text);
  return { bytes, length, version: bytes.length === 4 ? 4 : 6 };
}

/** Clears the bits past `length` (in place) and returns the buffer. */
function maskInPlace(b: Buffer, length: number): Buffer {
  const full = length >>> 3;
  const rem = length & 7;
  if (full < b.length) {
    if (rem) b[full] = b[full]! & (0xff << (8 - rem));
    b.fill(0, rem ? full + 1 : full);
  }
  return b;
}

/**
 * Reads the ceil(bits/8) address bytes of a prefix whose length (in bits) was already read, and
 * returns its normalised text. Fails (with the reader's policy) when bits exceed the family width.
 */
export function readPrefixBits(r: BufferReader, bits: number, version: IpVersion): string {
  const width = version === 4 ? 32 : 128;
  if (bits > width) r.fail('bad-prefix-length', `prefix length ${bits} exceeds ${width}`);
  const n = (bits + 7) >>> 3;
  const src = r.bytes(n);
  if (version === 4) {
    const b = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) b[i] = src[i]!;
    if (bits & 7) b[n - 1] = b[n - 1]! & (0xff << (8 - (bits & 7)));
    return `${b[0]}.${b[1]}.${b[2]}.${b[3]}/${bits}`;
  }
  const full = Buffer.alloc(16);
  src.copy(full, 0, 0, n);
  return `${ipv6ToText(maskInPlace(full, bits))}/${bits}`;
}

/** Writes the ceil(len/8) significant bytes of a prefix (not its length byte); returns its length. */
export function writePrefixBytes(w: BufferWriter, text: string, version?: IpVersion): number {
  const p = parsePrefix(text);
  if (version !== undefined && p.version !== version) badText(`IPv${version} prefix`, text);
  maskInPlace(p.bytes, p.length);
  w.bytes(p.bytes.subarray(0, (p.length + 7) >>> 3));
  return p.length;
}

/** Normalised text of a prefix (host bits cleared), e.g. for keys. */
export function normalisePrefix(text: string): string {
  const p = parsePrefix(text);
  maskInPlace(p.bytes, p.length);
  return `${ipToText(p.bytes)}/${p.length}`;
}
