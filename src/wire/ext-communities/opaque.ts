/**
 * Any extended community the registry has no row for (RFC 7606 §7.14: an unrecognised type is
 * not an error): kept as its 8 bytes in hex so it round-trips unchanged.
 *
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     Type      |   Sub-type    |        Value (6 bytes) ...    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
import { badEc } from './row.js';

export interface OpaqueEc {
  type: 'opaque';
  /** The 8 bytes, 16 lowercase hex digits (type, sub-type, value). */
  hex: string;
}

const HEX16 = /^[0-9a-fA-F]{16}$/;

export function opaqueBytes(e: OpaqueEc): Buffer {
  if (typeof e.hex !== 'string' || !HEX16.test(e.hex)) badEc(`opaque: ${String(e.hex)} is not 16 hex digits`);
  return Buffer.from(e.hex, 'hex');
}

export function opaqueText(e: OpaqueEc): string {
  return `opaque:${e.hex}`;
}
