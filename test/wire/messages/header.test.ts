/**
 * Message header errors (RFC 4271 §6.1, RFC 8654 §4): each gives the NOTIFICATION the RFC
 * prescribes, with its data (the length, or the type).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextWith, DEFAULT_CONTEXT } from '../../../src/wire/context.js';
import { HeaderSubcode, NotifyCode } from '../../../src/wire/errors.js';
import { checkHeader, messageTypeName, readHeader } from '../../../src/wire/header.js';
import { decodeMessage } from '../../../src/wire/message.js';
import { assertWireError, bytes, MARKER_HEX } from './helpers.js';

const EXT = contextWith({ extendedMessage: true });

/** A message of `length` bytes with this type (body zeros), as the header announces it. */
function message(length: number, type: number, bodyLength = Math.max(0, length - 19)): Buffer {
  const b = Buffer.alloc(19 + bodyLength);
  b.fill(0xff, 0, 16);
  b.writeUInt16BE(length, 16);
  b[18] = type;
  return b;
}

const badLengths: { name: string; length: number; type: number; ext?: boolean }[] = [
  { name: 'length 18', length: 18, type: 4 },
  { name: 'length 0', length: 0, type: 2 },
  { name: 'KEEPALIVE of 20 bytes', length: 20, type: 4 },
  { name: 'NOTIFICATION of 20 bytes', length: 20, type: 3 },
  { name: 'OPEN of 28 bytes', length: 28, type: 1 },
  { name: 'UPDATE of 22 bytes', length: 22, type: 2 },
  { name: 'ROUTE-REFRESH of 22 bytes', length: 22, type: 5 },
  { name: 'UPDATE of 4097 bytes without extended message', length: 4097, type: 2 },
  { name: 'NOTIFICATION of 4097 bytes without extended message', length: 4097, type: 3 },
  { name: 'OPEN of 4097 bytes even with extended message', length: 4097, type: 1, ext: true },
  { name: 'KEEPALIVE of 4097 bytes even with extended message', length: 4097, type: 4, ext: true },
];

for (const c of badLengths) {
  test(`header: ${c.name} → Bad Message Length, data = the length`, () => {
    const frame = message(c.length, c.type);
    assertWireError(() => decodeMessage(frame, c.ext ? EXT : DEFAULT_CONTEXT), {
      code: 'bad-message-length',
      notify: NotifyCode.MessageHeader,
      subcode: HeaderSubcode.BadMessageLength,
      data: c.length.toString(16).padStart(4, '0'),
    });
  });
}

for (const type of [0, 6, 128, 255]) {
  test(`header: type ${type} → Bad Message Type, data = the type`, () => {
    assertWireError(() => decodeMessage(message(23, type), DEFAULT_CONTEXT), {
      code: 'bad-message-type',
      notify: NotifyCode.MessageHeader,
      subcode: HeaderSubcode.BadMessageType,
      data: type.toString(16).padStart(2, '0'),
    });
  });
}

test('header: a marker that is not all ones → Connection Not Synchronized, no data', () => {
  for (const at of [0, 7, 15]) {
    const frame = bytes(`${MARKER_HEX} 0013 04`);
    frame[at] = 0xfe;
    assertWireError(() => decodeMessage(frame, DEFAULT_CONTEXT), {
      code: 'connection-not-synchronized',
      notify: NotifyCode.MessageHeader,
      subcode: HeaderSubcode.ConnectionNotSynchronized,
      data: '',
    });
  }
});

test('header: a frame shorter than its length field, or longer → Bad Message Length', () => {
  assertWireError(() => decodeMessage(message(23, 5, 3), DEFAULT_CONTEXT), {
    code: 'bad-message-length',
    notify: 1,
    subcode: 2,
    data: '0017',
  });
  assertWireError(() => decodeMessage(Buffer.concat([bytes(`${MARKER_HEX} 0013 04`), Buffer.of(0)]), DEFAULT_CONTEXT), {
    code: 'bad-message-length',
    notify: 1,
    subcode: 2,
    data: '0013',
  });
  assertWireError(() => decodeMessage(bytes(MARKER_HEX), DEFAULT_CONTEXT), { code: 'truncated', notify: 1, subcode: 2 });
});

test('header: the largest lengths allowed', () => {
  assert.equal(checkHeader(message(4096, 2, 0), 0, 4096), 4096);
  assert.equal(checkHeader(message(65535, 2, 0), 0, 65535), 65535);
  assert.equal(checkHeader(message(65535, 3, 0), 0, 65535), 65535);
  assert.equal(checkHeader(message(4096, 1, 0), 0, 65535), 4096);
  assert.equal(checkHeader(message(19, 4, 0), 0, 4096), 19);
  assert.deepEqual(readHeader(message(29, 1, 0), 0, 4096), { length: 29, type: 1 });
  // checkHeader reads at an offset inside a larger buffer.
  const two = Buffer.concat([Buffer.alloc(5), message(19, 4)]);
  assert.equal(checkHeader(two, 5, 4096), 19);
});

test('messageTypeName', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 9].map(messageTypeName), ['open', 'update', 'notification', 'keepalive', 'route-refresh', 'type-9']);
});
