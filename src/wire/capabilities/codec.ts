/**
 * The contract every capability implements (RFC 5492 §4: code, length, value; one file per
 * capability, descriptor table in registry.ts), and the small helpers they share.
 *
 *   +------------------------------+
 *   | Capability Code (1 octet)    |
 *   +------------------------------+
 *   | Capability Length (1 octet)  |
 *   +------------------------------+
 *   | Capability Value (variable)  |
 *   ~                              ~
 *   +------------------------------+
 *
 * A malformed value of a known capability is an OPEN Message Error (subcode 0, unspecific), as
 * FRR and GoBGP do: reading it any other way could silently mis-negotiate (a 4-octet AS, ADD-PATH).
 * A value that is well-formed but that the JSON form cannot represent (a reserved ADD-PATH mode, a
 * 2-byte SAFI above 255...) is kept opaque instead, so the OPEN still decodes and round-trips.
 */
import { familyName, parseFamilyName } from '../afi.js';
import { NotifyCode, WireError } from '../errors.js';
import type { BufferReader, ShortReadPolicy } from '../reader.js';
import type { BufferWriter } from '../writer.js';

export interface CapabilityCodec<C extends { type: string }> {
  readonly code: number;
  readonly type: C['type'];
  /** Decodes a value; r covers exactly the value. undefined: keep the capability opaque. */
  decode(r: BufferReader): C | undefined;
  /** Writes the value only (code and length are written by the registry). */
  encode(w: BufferWriter, cap: C): void;
}

/** Short reads and malformed values inside a capability. */
export const CAPABILITY_POLICY: ShortReadPolicy = {
  what: 'capability',
  outcome: 'session-reset',
  notification: { code: NotifyCode.Open, subcode: 0 },
};

/** Fails unless the value length is what the capability needs. */
export function expectLength(r: BufferReader, name: string, ok: boolean, expected: string): void {
  if (!ok) r.fail('bad-capability-length', `${name}: length ${r.remaining}, expected ${expected}`);
}

/** A bad value given to an encoder (from JSON or the API). */
export function badInput(what: string, why: string): never {
  throw new WireError('bad-capability', `${what}: ${why}`, 'session-reset', { code: NotifyCode.Cease, subcode: 0 });
}

/** The (afi, safi) of a family name, or a clear encoder error. */
export function familyOf(what: string, name: string): { afi: number; safi: number } {
  const f = typeof name === 'string' ? parseFamilyName(name) : undefined;
  return f ?? badInput(what, `${JSON.stringify(name)} is not a family name (e.g. "ipv4/mpls-vpn", "afi-9/safi-77")`);
}

/** Reads the common 3-byte AFI (2) + SAFI (1) family. */
export function readFamily(r: BufferReader): string {
  const afi = r.u16();
  return familyName(afi, r.u8());
}

export function writeFamily(w: BufferWriter, what: string, name: string): void {
  const f = familyOf(what, name);
  w.u16(f.afi).u8(f.safi);
}

/** The name of an AFI alone ("ipv4", "ipv6", "l2vpn", "afi-N"), as in family names. */
export function afiName(afi: number): string {
  return familyName(afi, 1).split('/')[0]!;
}

export function parseAfiName(what: string, text: string): number {
  const f = typeof text === 'string' ? parseFamilyName(`${text}/unicast`) : undefined;
  return f?.afi ?? badInput(what, `${JSON.stringify(text)} is not an AFI name (e.g. "ipv6", "afi-9")`);
}

/** A boolean field from JSON input (strictly true/false). */
export function flag(what: string, v: unknown): boolean {
  if (typeof v !== 'boolean') badInput(what, `${JSON.stringify(v)} is not true or false`);
  return v;
}

/** Strict UTF-8 text, or undefined when the bytes are not valid UTF-8. */
export function utf8(bytes: Uint8Array): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
