/**
 * The shape of one row of the extended-community registry (registry.ts), and the small helpers
 * the rows share. An extended community (RFC 4360 §2) is 8 bytes:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |I|T|  Type high  |   Sub-type    |          Value              |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                             +
 *   |                        Value (6 bytes in all)                 |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * I = IANA authority bit, T = transitive bit (1 = non-transitive). A row decodes exactly the
 * 8 bytes of the (type, sub-type) codes it lists, and encodes its JSON form back into them.
 * Reserved bits of the value are handled once, by the registry, from the row's `reservedMask`.
 */
import { NotifyCode, WireError } from '../errors.js';

export interface EcRow<E extends { type: string }> {
  /** The JSON `type` of the values this row produces. */
  readonly type: E['type'];
  /** [type byte, sub-type byte] pairs this row decodes (transitive codes). */
  readonly codes: readonly (readonly [number, number])[];
  /**
   * Also decode the non-transitive twin (type byte | 0x40, RFC 4360 §2 T bit) as this type,
   * with `transitive: false` in the JSON (only where the twin shares the layout).
   */
  readonly twin: boolean;
  /** Reserved bits of the 6 value bytes: kept in `reserved` (12 hex digits) when non-zero. */
  readonly reservedMask?: readonly number[];
  /** Decodes the 8 bytes b[0..8] (the codes match this row). Never throws. */
  decode(b: Buffer): E;
  /** Writes the 8 bytes of e into out (8 zero bytes on entry). Throws WireError on bad input. */
  encode(e: E, out: Buffer): void;
  /** Display text, e.g. "target:64512:1". */
  text(e: E): string;
}

/** An encoder's complaint about a JSON value (never raised by decoding). */
export function badEc(message: string): never {
  throw new WireError('bad-ext-community', `extended community: ${message}`, 'session-reset', {
    code: NotifyCode.Cease,
    subcode: 0,
  });
}

/** Checks an integer field of a JSON value before it is written. */
export function checkInt(what: string, v: unknown, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    badEc(`${what}: ${String(v)} is not an integer in 0..${max}`);
  }
  return v;
}

export function checkBool(what: string, v: unknown): boolean {
  if (typeof v !== 'boolean') badEc(`${what}: ${String(v)} is not a boolean`);
  return v;
}

const HEX = '0123456789abcdef';

/** "52:54:00:00:00:02" for the 6 bytes at b[at..at+6]. */
export function macText(b: Uint8Array, at: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) {
    const v = b[at + i]!;
    s += (i ? ':' : '') + HEX[v >>> 4]! + HEX[v & 15]!;
  }
  return s;
}

const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

/** Writes the MAC text at out[at..at+6]. */
export function writeMac(what: string, text: unknown, out: Buffer, at: number): void {
  if (typeof text !== 'string' || !MAC.test(text)) badEc(`${what}: ${String(text)} is not a MAC address "xx:xx:xx:xx:xx:xx"`);
  for (let i = 0; i < 6; i++) out[at + i] = parseInt(text.slice(i * 3, i * 3 + 2), 16);
}
