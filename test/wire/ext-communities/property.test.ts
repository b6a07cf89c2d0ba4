/** Property tests: JSON round trips, and any 8 bytes decode (unknown ones as opaque) and re-encode exactly. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeExtCommunity, encodeExtCommunity, extCommunityText, readExtCommunity } from '../../../src/wire/ext-communities/index.js';
import { WireError } from '../../../src/wire/errors.js';
import { BufferReader } from '../../../src/wire/reader.js';
import { arbDecodedExtCommunity, arbExtCommunity, arbKnownExtCommunityBytes } from '../../arbitraries/ext-communities.js';

void test('property: decode(encode(x)) deep-equals x', () => {
  fc.assert(
    fc.property(arbExtCommunity, (ec) => {
      const b = encodeExtCommunity(ec);
      assert.equal(b.length, 8);
      assert.deepEqual(decodeExtCommunity(b), ec);
    }),
  );
});

void test('property: any 8 bytes decode to plain JSON and re-encode to the same bytes', () => {
  const check = (bytes: Uint8Array): void => {
    const b = Buffer.from(bytes);
    const ec = decodeExtCommunity(b);
    assert.deepEqual(JSON.parse(JSON.stringify(ec)), ec);
    assert.deepEqual(encodeExtCommunity(ec), b);
    assert.equal(typeof extCommunityText(ec), 'string');
  };
  fc.assert(fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), check));
  // Random bytes rarely hit a known code: also every known code with random value bytes.
  fc.assert(fc.property(arbKnownExtCommunityBytes, check));
});

void test('property: a decoded known community is never opaque and keeps its type', () => {
  fc.assert(fc.property(arbDecodedExtCommunity, (ec) => ec.type !== 'opaque'));
});

void test('property: reading a random buffer only ever raises WireError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
      const r = BufferReader.of(bytes);
      try {
        while (!r.atEnd) readExtCommunity(r);
        assert.equal(bytes.length % 8, 0);
      } catch (e) {
        assert.ok(e instanceof WireError, String(e));
        assert.equal(e.code, 'truncated');
        assert.notEqual(bytes.length % 8, 0);
      }
    }),
  );
});
