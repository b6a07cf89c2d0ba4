/** Shared bits of the message tests: whole-message decode/encode for vectorTests, error checks. */
import assert from 'node:assert/strict';
import { DEFAULT_CONTEXT, type CodecContext } from '../../../src/wire/context.js';
import { WireError } from '../../../src/wire/errors.js';
import { toHex } from '../../../src/wire/hex.js';
import { decodeMessage, encodeMessage, type BgpMessage } from '../../../src/wire/message.js';
import { cleanHex } from '../../helpers/vectors.js';

/** The 16-byte marker, as hex. */
export const MARKER_HEX = 'ff'.repeat(16);

export function decodeWhole(ctx: CodecContext = DEFAULT_CONTEXT): (bytes: Buffer) => BgpMessage {
  return (bytes) => {
    const d = decodeMessage(bytes, ctx);
    assert.deepEqual(d.errors, []);
    return d.message;
  };
}

export function encodeWhole(ctx: CodecContext = DEFAULT_CONTEXT): (msg: BgpMessage) => Buffer {
  return (msg) => encodeMessage(msg, ctx);
}

export function bytes(hex: string): Buffer {
  return Buffer.from(cleanHex(hex), 'hex');
}

/** Asserts fn throws a WireError with this code and NOTIFICATION (data as hex, '' for none). */
export function assertWireError(
  fn: () => unknown,
  expected: { code: string; notify: number; subcode: number; data?: string },
): WireError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof WireError, `expected a WireError, got ${String(caught)}`);
  assert.equal(caught.code, expected.code, caught.message);
  assert.equal(caught.outcome, 'session-reset');
  assert.equal(caught.notification.code, expected.notify, 'NOTIFICATION code');
  assert.equal(caught.notification.subcode, expected.subcode, 'NOTIFICATION subcode');
  if (expected.data !== undefined) {
    assert.equal(toHex(caught.notification.data ?? new Uint8Array(0)), cleanHex(expected.data), 'NOTIFICATION data');
  }
  return caught;
}
