/**
 * Fields shared by the E-VPN route types (RFC 7432 §7): ESI and MAC as colon-separated hex, the
 * "IP address length in bits + address" pair, and fixed-width addresses. Decoders fail with the
 * reader's policy; encoders throw WireError on invalid text.
 */
import { NotifyCode, WireError } from '../../errors.js';
import { ipToBytes, ipv6ToText } from '../../ip.js';
import type { BufferReader } from '../../reader.js';
import type { BufferWriter } from '../../writer.js';

const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function encodeError(code: string, message: string): never {
  throw new WireError(code, message, 'session-reset', { code: NotifyCode.Cease, subcode: 0 });
}

/** n bytes as "xx:xx:..." lowercase hex. */
export function readColonHex(r: BufferReader, n: number): string {
  let s = HEX2[r.u8()]!;
  for (let i = 1; i < n; i++) s += ':' + HEX2[r.u8()]!;
  return s;
}

const COLON_HEX = new Map<number, RegExp>();

/** Writes "xx:xx:..." text of exactly n bytes (either case accepted). */
export function writeColonHex(w: BufferWriter, text: string, n: number, what: string): void {
  let re = COLON_HEX.get(n);
  if (!re) {
    re = new RegExp(`^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){${n - 1}}$`);
    COLON_HEX.set(n, re);
  }
  if (typeof text !== 'string' || !re.test(text)) {
    encodeError('bad-colon-hex', `${what}: ${JSON.stringify(text)} is not ${n} colon-separated hex bytes`);
  }
  for (let i = 0; i < n; i++) w.u8(parseInt(text.slice(i * 3, i * 3 + 2), 16));
}

export const readEsi = (r: BufferReader): string => readColonHex(r, 10);
export const writeEsi = (w: BufferWriter, esi: string): void => writeColonHex(w, esi, 10, 'ESI');

/** A 4- or 16-byte address as text. */
export function readAddress(r: BufferReader, bytes: 4 | 16): string {
  if (bytes === 4) {
    const a = r.u8();
    const b = r.u8();
    const c = r.u8();
    return `${a}.${b}.${c}.${r.u8()}`;
  }
  return ipv6ToText(r.bytes(16));
}

/** The address bytes of a text, checked to be of the given width when one is given. */
export function addressBytes(text: string, what: string, bytes?: 4 | 16): Buffer {
  const b = typeof text === 'string' ? ipToBytes(text) : encodeError('bad-address-text', `${what}: not a string`);
  if (bytes !== undefined && b.length !== bytes) encodeError('bad-address-text', `${what}: ${text} is not IPv${bytes === 4 ? 4 : 6}`);
  return b;
}

/**
 * The originating router's IP of route types 3 and 4 (RFC 7432 §7.3, §7.4): its length in bits,
 * then the address, whose width follows from the route's value length (`ipv4Length` for IPv4,
 * IPv6 otherwise); a length in bits that does not match fails ('bad-evpn-ip-length').
 */
export function readOriginatorIp(r: BufferReader, length: number, ipv4Length: number, what: string): string {
  const bits = r.u8();
  const bytes = length === ipv4Length ? 4 : 16;
  if (bits !== bytes * 8) r.fail('bad-evpn-ip-length', `${what}: IP length ${bits} in a value of ${length}`);
  return readAddress(r, bytes);
}

/** The "IP Address Length (bits) · IP Address" pair (route types 2 to 4): length 0 when absent. */
export function writeLengthAndAddress(w: BufferWriter, text: string | undefined, what: string): void {
  if (text === undefined) {
    w.u8(0);
    return;
  }
  const b = addressBytes(text, what);
  w.u8(b.length * 8);
  w.bytes(b);
}
