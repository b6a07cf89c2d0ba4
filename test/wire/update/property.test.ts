/**
 * Property tests on whole UPDATE bodies: round trip of valid messages (built from the attribute,
 * NLRI, ext-community and FlowSpec arbitraries), and random or mutated bytes only ever raise
 * WireError, with a plain-JSON message when they do not.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_CONTEXT, PLAIN_CONTEXT, type CodecContext } from '../../../src/wire/context.js';
import { WireError } from '../../../src/wire/errors.js';
import { decodeUpdateBody, encodeUpdateBody, type UpdateMessage } from '../../../src/wire/update.js';
import { BufferWriter } from '../../../src/wire/writer.js';
import { arbUpdateMessage } from '../../arbitraries/update.js';

function encode(m: UpdateMessage, ctx: CodecContext): Buffer {
  const w = new BufferWriter();
  encodeUpdateBody(w, m, ctx);
  return w.finish();
}

for (const [name, ctx] of [
  ['4-octet AS', DEFAULT_CONTEXT],
  ['2-octet AS', PLAIN_CONTEXT],
] as const) {
  test(`property (${name}): decode(encode(UPDATE)) deep-equals it, with no error`, () => {
    fc.assert(
      fc.property(arbUpdateMessage(ctx), (m) => {
        const bytes = encode(m, ctx);
        const r = decodeUpdateBody(bytes, ctx);
        assert.deepEqual(r.errors, []);
        assert.equal(r.outcome, undefined);
        assert.deepEqual(r.message, m);
        assert.ok(encode(r.message, ctx).equals(bytes));
      }),
    );
  });
}

function onlyWireErrors(bytes: Uint8Array, ctx: CodecContext = DEFAULT_CONTEXT): void {
  try {
    const r = decodeUpdateBody(Buffer.from(bytes), ctx);
    assert.deepEqual(JSON.parse(JSON.stringify(r.message)), r.message);
    for (const e of r.errors) assert.ok(e instanceof WireError && e.outcome !== 'session-reset');
    if (r.errors.length === 0) assert.equal(r.outcome, undefined);
    else assert.notEqual(r.outcome, undefined);
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    assert.equal(e.outcome, 'session-reset');
  }
}

test('property: random UPDATE bodies only ever raise WireError', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => onlyWireErrors(b)));
  // Bodies with consistent length fields, so the attribute parser sees the random bytes.
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 20 }), (attrs, nlri) => {
      const b = Buffer.concat([Buffer.from([0, 0, attrs.length >> 8, attrs.length & 0xff]), attrs, nlri]);
      onlyWireErrors(b);
      onlyWireErrors(b, PLAIN_CONTEXT);
    }),
  );
});

test('property: mutated valid UPDATEs only ever raise WireError', () => {
  const arb = fc.tuple(arbUpdateMessage(DEFAULT_CONTEXT), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }));
  fc.assert(
    fc.property(arb, ([m, edits]) => {
      const b = encode(m, DEFAULT_CONTEXT);
      for (const [at, v] of edits) b[at % b.length] = v;
      onlyWireErrors(b);
    }),
  );
});

test('property: truncating a valid UPDATE anywhere only raises WireError', () => {
  fc.assert(
    fc.property(arbUpdateMessage(DEFAULT_CONTEXT), fc.nat(), (m, cut) => {
      const b = encode(m, DEFAULT_CONTEXT);
      onlyWireErrors(b.subarray(0, cut % (b.length + 1)));
    }),
  );
});
