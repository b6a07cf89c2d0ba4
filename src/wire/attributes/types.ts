/**
 * Path attributes: the common parts (RFC 4271 §4.3 "Path Attributes", RFC 7606 §3-§4).
 *
 *    0                   1
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Attr. Flags  |Attr. Type Code|   then Attribute Length: 1 octet, or 2 when
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   the Extended Length bit is set; then the value
 *
 *   flags: 0x80 Optional, 0x40 Transitive, 0x20 Partial, 0x10 Extended Length, low 4 bits unused.
 *
 * Every attribute's JSON form carries the flags byte exactly as received (extended-length bit
 * included), so that encoding a decoded attribute list reproduces the bytes. Each attribute file
 * exports one AttributeDescriptor (its row in registry.ts).
 */
import type { CodecContext } from '../context.js';
import { NotifyCode, UpdateSubcode, WireError, type ErrorOutcome } from '../errors.js';
import type { BufferReader } from '../reader.js';
import type { BufferWriter } from '../writer.js';

export const FLAG_OPTIONAL = 0x80;
export const FLAG_TRANSITIVE = 0x40;
export const FLAG_PARTIAL = 0x20;
export const FLAG_EXTENDED_LENGTH = 0x10;

/** Attribute type codes (IANA "BGP Path Attributes"). A plain object so codes compare with numbers. */
export const AttrCode = {
  Origin: 1,
  AsPath: 2,
  NextHop: 3,
  MultiExitDisc: 4,
  LocalPref: 5,
  AtomicAggregate: 6,
  Aggregator: 7,
  Communities: 8,
  OriginatorId: 9,
  ClusterList: 10,
  MpReachNlri: 14,
  MpUnreachNlri: 15,
  ExtendedCommunities: 16,
  As4Path: 17,
  As4Aggregator: 18,
  PmsiTunnel: 22,
  LargeCommunity: 32,
} as const;

export type AttrCode = (typeof AttrCode)[keyof typeof AttrCode];

/** Fields every attribute's JSON form has. */
export interface AttrBase {
  /** Discriminant: 'origin', 'as-path', ... or 'unknown'. */
  type: string;
  /**
   * The flags byte as received (decoding always sets it). When encoding, absent means the
   * attribute's standard flags, with Extended Length only if the value exceeds 255 bytes; present,
   * it is written as is and its Extended Length bit chooses the length field's size.
   */
  flags?: number;
}

/**
 * One row of the attribute table. decode() gets a reader over exactly the value, whose policy
 * carries the attribute's RFC 7606 outcome (`malformed`), so a short read is already the right
 * error; the decoder checks lengths itself to give specific messages.
 */
export interface AttributeDescriptor<A extends AttrBase = AttrBase> {
  readonly code: number;
  readonly type: A['type'];
  /** RFC name, used in error messages: 'LOCAL_PREF'. */
  readonly name: string;
  /** Standard Optional and Transitive bits (RFC 4271 §5, RFC 4760, ...). */
  readonly flags: number;
  /** RFC 7606 §7 approach for a malformed value. */
  readonly malformed: ErrorOutcome;
  /** RFC 7606 §3 (c) approach for Optional/Transitive bits in conflict (default treat-as-withdraw). */
  readonly flagsError?: ErrorOutcome;
  /**
   * Decodes the value. `errors` collects problems that spare the rest of the value (a malformed
   * FlowSpec NLRI inside MP_REACH_NLRI: treat-as-withdraw, RFC 8955 §4.2 / RFC 7606 §5.4).
   */
  decode(r: BufferReader, flags: number, ctx: CodecContext, errors?: WireError[]): A;
  /** Writes the value only (the caller writes flags, code and length). */
  encode(w: BufferWriter, attr: A, ctx: CodecContext): void;
}

/** Throws the reader's error (its policy's outcome) with an UPDATE subcode of our choice. */
export function malformed(r: BufferReader, code: string, message: string, subcode?: UpdateSubcode): never {
  const p = r.policy;
  const notification = subcode === undefined ? p.notification : { code: NotifyCode.Update, subcode };
  throw new WireError(code, `${p.what}: ${message}`, p.outcome, notification);
}

/** RFC 4271 §6.3 "Attribute Length Error" unless the value is exactly n bytes. */
export function expectLength(r: BufferReader, n: number): void {
  if (r.remaining !== n) {
    malformed(r, 'bad-attribute-length', `length ${r.remaining}, expected ${n}`, UpdateSubcode.AttributeLengthError);
  }
}

/** A non-zero multiple of `unit` bytes (RFC 7606 §7.8, §7.10, §7.14; RFC 8092 §6). */
export function expectMultipleOf(r: BufferReader, unit: number): void {
  const n = r.remaining;
  if (n === 0 || n % unit !== 0) {
    malformed(r, 'bad-attribute-length', `length ${n}, expected a non-zero multiple of ${unit}`, UpdateSubcode.AttributeLengthError);
  }
}

/** An encoding error (bad JSON input), never a decoding outcome. */
export function encodeError(code: string, message: string): never {
  throw new WireError(code, message, 'session-reset', { code: NotifyCode.Cease, subcode: 0 });
}

/** Writes 4 bytes of an IPv4 address given as text; a clear error otherwise. */
export function ipv4Bytes(what: string, text: string): Buffer {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  const parts = m ? m.slice(1, 5).map(Number) : [];
  if (!m || parts.some((p) => p > 255)) encodeError('bad-address-text', `${what}: ${JSON.stringify(text)} is not an IPv4 address`);
  return Buffer.from(parts);
}
