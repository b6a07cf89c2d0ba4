/** Hex text for opaque values in the JSON forms (lowercase, no separators). */
import { NotifyCode, WireError } from './errors.js';

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** Parses hex text (whitespace, ':' and a leading 0x allowed); fails clearly on anything else. */
export function fromHex(text: string): Buffer {
  const clean = text.replace(/^0x/i, '').replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new WireError('bad-hex', `not hex: ${JSON.stringify(text.slice(0, 40))}`, 'session-reset', {
      code: NotifyCode.Cease,
      subcode: 0,
    });
  }
  return Buffer.from(clean, 'hex');
}
