/**
 * The dispatcher (decodeMessage / encodeMessage): size limits, bad input, and properties over
 * all message kinds (random and mutated bytes only ever raise WireError).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { contextWith, DEFAULT_CONTEXT, PLAIN_CONTEXT } from '../../../src/wire/context.js';
import { WireError } from '../../../src/wire/errors.js';
import { decodeMessage, encodeMessage, maxMessageLength, type BgpMessage } from '../../../src/wire/message.js';
import { makeNotification } from '../../../src/wire/messages/notification.js';
import { controlMessageArb, messageArb } from '../../arbitraries/messages.js';
import { assertWireError, MARKER_HEX } from './helpers.js';

const EXT = contextWith({ extendedMessage: true });

test('encodeMessage: a NOTIFICATION over 4096 bytes needs extended message', () => {
  const big = makeNotification(6, 0, Buffer.alloc(5000, 0x61));
  assert.throws(
    () => encodeMessage(big, DEFAULT_CONTEXT),
    (e: unknown) => e instanceof WireError && e.code === 'message-too-long' && /extended message not negotiated/.test(e.message),
  );
  const wire = encodeMessage(big, EXT);
  assert.equal(wire.length, 21 + 5000);
  assert.equal(wire.readUInt16BE(16), 5021);
  assert.deepEqual(decodeMessage(wire, EXT).message, big);
  // Received without extended message negotiated: Bad Message Length.
  assertWireError(() => decodeMessage(wire, DEFAULT_CONTEXT), { code: 'bad-message-length', notify: 1, subcode: 2, data: '139d' });
});

test('encodeMessage: a message over 65535 bytes fails even with extended message', () => {
  const huge = makeNotification(6, 0, Buffer.alloc(65535 - 20, 1));
  assert.throws(() => encodeMessage(huge, EXT), (e: unknown) => e instanceof WireError && e.code === 'message-too-long');
});

test('encodeMessage: not a message → bad-message', () => {
  for (const m of [{ type: 'hello' }, null, 42, {}]) {
    assert.throws(
      () => encodeMessage(m as unknown as BgpMessage, DEFAULT_CONTEXT),
      (e: unknown) => e instanceof WireError && e.code === 'bad-message',
    );
  }
});

test('maxMessageLength follows the context', () => {
  assert.equal(maxMessageLength(DEFAULT_CONTEXT), 4096);
  assert.equal(maxMessageLength(EXT), 65535);
});

test('decodeMessage: KEEPALIVE and errors are empty for control messages', () => {
  const d = decodeMessage(Buffer.from(`${MARKER_HEX}001304`, 'hex'), PLAIN_CONTEXT);
  assert.deepEqual(d, { message: { type: 'keepalive' }, errors: [] });
});

test('property: control messages round-trip through encodeMessage / decodeMessage', () => {
  fc.assert(
    fc.property(controlMessageArb, (m) => {
      const back = decodeMessage(encodeMessage(m, DEFAULT_CONTEXT), DEFAULT_CONTEXT);
      assert.deepEqual(back.message, m);
      assert.deepEqual(back.errors, []);
    }),
  );
});

test('property: every message kind, UPDATE included, round-trips (4-octet and 2-octet AS sessions)', () => {
  for (const ctx of [EXT, contextWith({ as4: false, extendedMessage: true })]) {
    fc.assert(
      fc.property(messageArb(ctx), (m) => {
        const back = decodeMessage(encodeMessage(m, ctx), ctx);
        assert.deepEqual(back.message, m);
        assert.deepEqual(back.errors, []);
      }),
      { numRuns: 50 },
    );
  }
});

function onlyWireErrors(frame: Buffer, ctx = DEFAULT_CONTEXT): void {
  try {
    decodeMessage(frame, ctx);
  } catch (e) {
    assert.ok(e instanceof WireError, `not a WireError: ${String(e)}`);
  }
}

test('property: random bytes into decodeMessage only raise WireError', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (b) => onlyWireErrors(Buffer.from(b))));
});

test('property: random bodies behind a valid header only raise WireError', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5 }), fc.uint8Array({ maxLength: 120 }), fc.boolean(), (type, body, as4) => {
      const frame = Buffer.alloc(19 + body.length, 0xff);
      frame.writeUInt16BE(frame.length, 16);
      frame[18] = type;
      frame.set(body, 19);
      onlyWireErrors(frame, as4 ? DEFAULT_CONTEXT : PLAIN_CONTEXT);
    }),
  );
});

test('property: mutated valid messages only raise WireError', () => {
  fc.assert(
    fc.property(controlMessageArb, fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }), (m, edits) => {
      const frame = Buffer.from(encodeMessage(m, DEFAULT_CONTEXT));
      for (const [at, v] of edits) frame[19 + (at % Math.max(1, frame.length - 19))] = v;
      onlyWireErrors(frame.subarray(0, frame.length));
    }),
  );
});
