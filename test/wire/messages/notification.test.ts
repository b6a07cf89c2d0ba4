/**
 * NOTIFICATION (RFC 4271 §4.5), shutdown communication (RFC 8203 / RFC 9003), Hard Reset (RFC
 * 8538), and the helpers a session uses to build one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_CONTEXT } from '../../../src/wire/context.js';
import { CeaseSubcode, HeaderSubcode, NotifyCode, UpdateSubcode, updateError, WireError } from '../../../src/wire/errors.js';
import { decodeMessage, encodeMessage, type BgpMessage } from '../../../src/wire/message.js';
import {
  communicationData,
  makeNotification,
  notificationFromError,
  notificationText,
  shutdownNotification,
  type NotificationMessage,
} from '../../../src/wire/messages/notification.js';
import { vectorTests, type Vector } from '../../helpers/vectors.js';
import { notificationArb } from '../../arbitraries/messages.js';
import { decodeWhole, encodeWhole, MARKER_HEX } from './helpers.js';

const text = (s: string): string => Buffer.from(s, 'utf8').toString('hex');

const vectors: Vector<BgpMessage>[] = [
  {
    name: 'Cease / Administrative Shutdown with a shutdown communication',
    source: 'hand',
    hex: `${MARKER_HEX} 001e 03 06 02 08 ${text('shutdown')}`,
    json: {
      type: 'notification',
      code: 6,
      subcode: 2,
      data: `08${text('shutdown')}`,
      codeName: 'Cease',
      subcodeName: 'Administrative Shutdown',
      communication: 'shutdown',
    },
  },
  {
    name: 'Cease / Administrative Reset with a UTF-8 communication',
    source: 'hand',
    hex: `${MARKER_HEX} 0029 03 06 04 13 ${text('maintenance: arrêt')}`,
    json: {
      type: 'notification',
      code: 6,
      subcode: 4,
      data: `13${text('maintenance: arrêt')}`,
      codeName: 'Cease',
      subcodeName: 'Administrative Reset',
      communication: 'maintenance: arrêt',
    },
  },
  {
    name: 'Cease / Administrative Shutdown without data (no communication)',
    source: 'hand',
    hex: `${MARKER_HEX} 0015 03 06 02`,
    json: { type: 'notification', code: 6, subcode: 2, data: '', codeName: 'Cease', subcodeName: 'Administrative Shutdown' },
  },
  {
    name: 'Cease / Administrative Shutdown with an empty communication (length 0)',
    source: 'hand',
    hex: `${MARKER_HEX} 0016 03 06 02 00`,
    json: {
      type: 'notification',
      code: 6,
      subcode: 2,
      data: '00',
      codeName: 'Cease',
      subcodeName: 'Administrative Shutdown',
      communication: '',
    },
  },
  {
    name: 'Cease / Administrative Shutdown whose length overruns (kept as data only)',
    source: 'hand',
    hex: `${MARKER_HEX} 0019 03 06 02 09 626965`,
    json: { type: 'notification', code: 6, subcode: 2, data: '09626965', codeName: 'Cease', subcodeName: 'Administrative Shutdown' },
  },
  {
    name: 'Cease / Administrative Shutdown with invalid UTF-8 (kept as data only)',
    source: 'hand',
    hex: `${MARKER_HEX} 0018 03 06 02 02 c328`,
    json: { type: 'notification', code: 6, subcode: 2, data: '02c328', codeName: 'Cease', subcodeName: 'Administrative Shutdown' },
  },
  {
    name: 'Cease / Hard Reset wrapping an Administrative Shutdown (RFC 8538)',
    source: 'hand',
    hex: `${MARKER_HEX} 001a 03 06 09 06 02 02 ${text('go')}`,
    json: {
      type: 'notification',
      code: 6,
      subcode: 9,
      data: `060202${text('go')}`,
      codeName: 'Cease',
      subcodeName: 'Hard Reset',
      cause: {
        code: 6,
        subcode: 2,
        data: `02${text('go')}`,
        codeName: 'Cease',
        subcodeName: 'Administrative Shutdown',
        communication: 'go',
      },
    },
  },
  {
    name: 'Hold Timer Expired',
    source: 'hand',
    hex: `${MARKER_HEX} 0015 03 04 00`,
    json: { type: 'notification', code: 4, subcode: 0, data: '', codeName: 'Hold Timer Expired', subcodeName: 'Unspecific' },
  },
  {
    name: 'Message Header Error / Bad Message Length with the length',
    source: 'hand',
    hex: `${MARKER_HEX} 0017 03 01 02 0011`,
    json: {
      type: 'notification',
      code: 1,
      subcode: 2,
      data: '0011',
      codeName: 'Message Header Error',
      subcodeName: 'Bad Message Length',
    },
  },
  {
    name: 'OPEN Message Error / Unsupported Version Number',
    source: 'hand',
    hex: `${MARKER_HEX} 0017 03 02 01 0004`,
    json: {
      type: 'notification',
      code: 2,
      subcode: 1,
      data: '0004',
      codeName: 'OPEN Message Error',
      subcodeName: 'Unsupported Version Number',
    },
  },
  {
    name: 'FSM Error / unexpected message in OpenConfirm (RFC 6608)',
    source: 'hand',
    hex: `${MARKER_HEX} 0015 03 05 02`,
    json: {
      type: 'notification',
      code: 5,
      subcode: 2,
      data: '',
      codeName: 'Finite State Machine Error',
      subcodeName: 'Receive Unexpected Message in OpenConfirm State',
    },
  },
  {
    name: 'ROUTE-REFRESH Message Error / Invalid Message Length (RFC 7313)',
    source: 'hand',
    hex: `${MARKER_HEX} 0015 03 07 01`,
    json: {
      type: 'notification',
      code: 7,
      subcode: 1,
      data: '',
      codeName: 'ROUTE-REFRESH Message Error',
      subcodeName: 'Invalid Message Length',
    },
  },
  {
    name: 'an unknown code and subcode (no names)',
    source: 'hand',
    hex: `${MARKER_HEX} 0016 03 09 05 ab`,
    json: { type: 'notification', code: 9, subcode: 5, data: 'ab' },
  },
  {
    name: 'a known code with an unknown subcode',
    source: 'hand',
    hex: `${MARKER_HEX} 0015 03 06 63`,
    json: { type: 'notification', code: 6, subcode: 99, data: '', codeName: 'Cease' },
  },
];

vectorTests('NOTIFICATION', vectors, decodeWhole(), encodeWhole());

test('NOTIFICATION: a JSON with a communication and no data encodes the RFC 9003 data', () => {
  const msg = { type: 'notification', code: 6, subcode: 2, communication: 'bye' } as unknown as NotificationMessage;
  assert.equal(encodeMessage(msg, DEFAULT_CONTEXT).toString('hex'), `${MARKER_HEX}001903060203${text('bye')}`);
});

test('notificationFromError: code, subcode and data of the error', () => {
  const err = updateError('bad-origin-value', 'ORIGIN: value 7', UpdateSubcode.InvalidOrigin, Uint8Array.of(0x40, 1, 1, 7));
  assert.deepEqual(notificationFromError(err), {
    type: 'notification',
    code: 3,
    subcode: 6,
    data: '40010107',
    codeName: 'UPDATE Message Error',
    subcodeName: 'Invalid ORIGIN Attribute',
  });
  const header = new WireError('connection-not-synchronized', 'x', 'session-reset', {
    code: NotifyCode.MessageHeader,
    subcode: HeaderSubcode.ConnectionNotSynchronized,
  });
  assert.deepEqual(notificationFromError(header), {
    type: 'notification',
    code: 1,
    subcode: 1,
    data: '',
    codeName: 'Message Header Error',
    subcodeName: 'Connection Not Synchronized',
  });
});

test('shutdownNotification: Cease 2 by default, 4 on request, communication decoded back', () => {
  const n = shutdownNotification('maintenance window');
  assert.equal(n.code, 6);
  assert.equal(n.subcode, CeaseSubcode.AdministrativeShutdown);
  assert.equal(n.communication, 'maintenance window');
  assert.equal(n.data, `12${text('maintenance window')}`);
  const r = shutdownNotification('reset', CeaseSubcode.AdministrativeReset);
  assert.equal(r.subcode, 4);
  assert.equal(r.subcodeName, 'Administrative Reset');
  assert.deepEqual(decodeMessage(encodeMessage(r, DEFAULT_CONTEXT), DEFAULT_CONTEXT).message, r);
});

test('shutdownNotification: text over 255 UTF-8 bytes is cut at a character boundary', () => {
  const n = shutdownNotification('é'.repeat(200)); // 400 bytes; 255 would split a 2-byte character
  assert.equal(n.data.slice(0, 2), 'fe');
  assert.equal(n.communication, 'é'.repeat(127));
  assert.equal(communicationData('a'.repeat(300))[0], 255);
  assert.equal(communicationData('a'.repeat(300)).length, 256);
});

test('notificationText: readable code / subcode for logs', () => {
  assert.equal(notificationText(6, 2), 'Cease / Administrative Shutdown');
  assert.equal(notificationText(3, 0), 'UPDATE Message Error / Unspecific');
  assert.equal(notificationText(42, 1), 'code 42 / subcode 1');
});

test('makeNotification: defaults to empty data', () => {
  assert.deepEqual(makeNotification(4, 0), {
    type: 'notification',
    code: 4,
    subcode: 0,
    data: '',
    codeName: 'Hold Timer Expired',
    subcodeName: 'Unspecific',
  });
});

test('property: NOTIFICATION JSON round-trips', () => {
  fc.assert(
    fc.property(notificationArb, (n) => {
      const back = decodeMessage(encodeMessage(n, DEFAULT_CONTEXT), DEFAULT_CONTEXT).message;
      assert.deepEqual(back, n);
      assert.deepEqual(JSON.parse(JSON.stringify(back)), back);
    }),
  );
});
