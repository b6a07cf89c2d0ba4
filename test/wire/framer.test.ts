/**
 * MessageFramer: a TCP stream cut anywhere gives the same messages (pg-protocol's test idea:
 * split the same stream at every offset), bad headers fail as soon as the header is there, memory
 * stays bounded, frames handed out are never overwritten.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { WireError } from '../../src/wire/errors.js';
import { MessageFramer } from '../../src/wire/framer.js';
import { cleanHex } from '../helpers/vectors.js';
import { contextWith } from '../../src/wire/context.js';
import { decodeMessage, encodeMessage } from '../../src/wire/message.js';
import { messageArb } from '../arbitraries/messages.js';

const M = 'ff'.repeat(16);
/** A stream of several messages: the original's OPEN, a KEEPALIVE, an UPDATE (RTC route captured
 * from the original, engine.md §4.1), a ROUTE-REFRESH, a NOTIFICATION. */
const MESSAGES = [
  `${M} 003d 01 04fc0000b47f004d0120 020601040001008002060104000100840206010400010086020601040019 0046`,
  `${M} 0013 04`,
  `${M} 003e 02 0000 0027 40010100 400200 400504 00000064 800e16 0001 84 04 7f004d01 00 60 0000fc00 0002fc0000000001`,
  `${M} 0017 05 0001 00 80`,
  `${M} 001e 03 0602 08 7368757464 6f776e`,
].map((h) => Buffer.from(cleanHex(h), 'hex'));
const STREAM = Buffer.concat(MESSAGES);

function hexes(frames: Buffer[]): string[] {
  return frames.map((f) => f.toString('hex'));
}
const EXPECTED = hexes(MESSAGES);

test('framer: the test stream is made of well-formed frames', () => {
  for (const m of MESSAGES) assert.equal(m.readUInt16BE(16), m.length);
});

test('framer: one chunk with every message', () => {
  const f = new MessageFramer();
  assert.deepEqual(hexes(f.push(STREAM)), EXPECTED);
  assert.equal(f.buffered, 0);
  f.end();
});

test('framer: the stream split in two at every offset gives the same messages', () => {
  for (let at = 0; at <= STREAM.length; at++) {
    const f = new MessageFramer();
    const frames = [...f.push(STREAM.subarray(0, at)), ...f.push(STREAM.subarray(at))];
    assert.deepEqual(hexes(frames), EXPECTED, `split at ${at}`);
    assert.equal(f.buffered, 0);
  }
});

test('framer: one byte at a time', () => {
  const f = new MessageFramer();
  const frames: Buffer[] = [];
  for (let i = 0; i < STREAM.length; i++) frames.push(...f.push(STREAM.subarray(i, i + 1)));
  assert.deepEqual(hexes(frames), EXPECTED);
});

test('property: any split of the stream gives the same messages', () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 0, max: STREAM.length }), { maxLength: 12 }), (cuts) => {
      const points = [0, ...cuts.sort((a, b) => a - b), STREAM.length];
      const f = new MessageFramer();
      const frames: Buffer[] = [];
      for (let i = 0; i + 1 < points.length; i++) frames.push(...f.push(STREAM.subarray(points[i], points[i + 1])));
      assert.deepEqual(hexes(frames), EXPECTED);
      assert.equal(f.buffered, 0);
    }),
  );
});

test('property: a stream of any messages, cut anywhere, gives back each message', () => {
  const ctx = contextWith({ extendedMessage: true });
  fc.assert(
    fc.property(
      fc.array(messageArb(ctx), { minLength: 1, maxLength: 5 }),
      fc.array(fc.nat(), { maxLength: 8 }),
      (messages, rawCuts) => {
        const wire = messages.map((m) => encodeMessage(m, ctx));
        const stream = Buffer.concat(wire);
        const cuts = [...new Set(rawCuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const f = new MessageFramer(65535);
        const frames: Buffer[] = [];
        let at = 0;
        for (const c of [...cuts, stream.length]) {
          frames.push(...f.push(stream.subarray(at, c)));
          at = c;
        }
        f.end();
        assert.deepEqual(hexes(frames), hexes(wire));
        assert.deepEqual(
          frames.map((fr) => decodeMessage(fr, ctx).message),
          messages,
        );
      },
    ),
    { numRuns: 50 },
  );
});

test('framer: frames already returned are never overwritten by later chunks', () => {
  const f = new MessageFramer();
  const kept: Buffer[] = [];
  // Split inside each message so that every frame is assembled across chunks.
  for (let i = 0; i < STREAM.length; i += 7) kept.push(...f.push(Buffer.from(STREAM.subarray(i, i + 7))));
  assert.deepEqual(hexes(kept), EXPECTED);
});

test('framer: a bad marker fails as soon as the 19 header bytes are there', () => {
  const f = new MessageFramer();
  const bad = Buffer.from(cleanHex(`${'ff'.repeat(15)}00 0100 02`), 'hex'); // body never sent
  assert.deepEqual(f.push(bad.subarray(0, 18)), []);
  assert.throws(
    () => f.push(bad.subarray(18)),
    (e: unknown) => e instanceof WireError && e.code === 'connection-not-synchronized' && e.notification.subcode === 1,
  );
  // The stream cannot be resynchronised: later chunks fail with the same error.
  assert.throws(() => f.push(MESSAGES[1]!), (e: unknown) => e === f.error);
  assert.throws(() => f.end(), (e: unknown) => e === f.error);
});

test('framer: feed() returns the frames before a bad header, then the error', () => {
  const f = new MessageFramer();
  const badLength = Buffer.from(cleanHex(`${M} 1001 02`), 'hex'); // 4097 without extended message
  const r = f.feed(Buffer.concat([MESSAGES[0]!, MESSAGES[1]!, badLength]));
  assert.deepEqual(hexes(r.frames), EXPECTED.slice(0, 2));
  assert.ok(r.error instanceof WireError);
  assert.equal(r.error.code, 'bad-message-length');
  assert.equal(Buffer.from(r.error.notification.data ?? []).toString('hex'), '1001');
  assert.deepEqual(f.feed(MESSAGES[1]!).frames, []);
});

test('framer: bad length and type are detected in the header', () => {
  for (const [hex, code] of [
    [`${M} 0012 04`, 'bad-message-length'],
    [`${M} 0014 04`, 'bad-message-length'],
    [`${M} 0013 07`, 'bad-message-type'],
  ] as const) {
    const f = new MessageFramer();
    assert.throws(() => f.push(Buffer.from(cleanHex(hex), 'hex')), (e: unknown) => e instanceof WireError && e.code === code);
  }
});

test('framer: extended message raises the limit (RFC 8654), OPEN stays at 4096', () => {
  const update = Buffer.alloc(5000);
  update.fill(0xff, 0, 16);
  update.writeUInt16BE(5000, 16);
  update[18] = 2;
  const f = new MessageFramer();
  assert.throws(() => f.push(update), WireError);
  const g = new MessageFramer();
  g.setMaxLength(65535);
  assert.deepEqual(g.push(update.subarray(0, 100)), []);
  assert.equal(g.buffered, 100);
  const frames = g.push(update.subarray(100));
  assert.equal(frames.length, 1);
  assert.equal(frames[0]!.length, 5000);
  const open = Buffer.from(update);
  open[18] = 1;
  assert.throws(() => g.push(open), (e: unknown) => e instanceof WireError && e.code === 'bad-message-length');
});

test('framer: memory held never exceeds one message', () => {
  const f = new MessageFramer(65535);
  const header = Buffer.from(cleanHex(`${M} ffff 02`), 'hex');
  f.push(header);
  for (let i = 0; i < 100; i++) f.push(Buffer.alloc(600, 0));
  assert.equal(f.buffered, 19 + 60000);
  const frames = f.push(Buffer.alloc(65535 - 19 - 60000 + 18, 0)); // completes it, starts a next header
  assert.equal(frames.length, 1);
  assert.equal(f.buffered, 18);
  assert.throws(() => f.push(Buffer.alloc(1)), WireError); // that next "header" has a zero marker
});

test('framer: end() fails on a partial message; reset() starts over', () => {
  const f = new MessageFramer();
  f.push(MESSAGES[0]!.subarray(0, 30));
  assert.throws(() => f.end(), (e: unknown) => e instanceof WireError && e.code === 'truncated');
  f.reset();
  assert.equal(f.buffered, 0);
  assert.deepEqual(hexes(f.push(MESSAGES[1]!)), [EXPECTED[1]]);
  f.end();
});

test('framer: setMaxLength refuses values outside 4096..65535', () => {
  const f = new MessageFramer();
  for (const v of [4095, 65536, 1.5]) assert.throws(() => f.setMaxLength(v), WireError);
  assert.throws(() => new MessageFramer(100), WireError);
});

test('property: random chunks only ever raise WireError', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 5 }), (chunks) => {
      const f = new MessageFramer();
      for (const c of chunks) {
        const r = f.feed(c);
        if (r.error) assert.ok(r.error instanceof WireError);
      }
    }),
  );
});
