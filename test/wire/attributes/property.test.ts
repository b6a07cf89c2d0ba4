/** Property tests: attribute round trips, and random or mutated bytes only ever raise WireError. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { attributeByType, decodeAttribute, decodeAttributeList, encodeAttribute, FLAG_EXTENDED_LENGTH, type PathAttribute } from '../../../src/wire/attributes/index.js';
import { DEFAULT_CONTEXT, PLAIN_CONTEXT } from '../../../src/wire/context.js';
import { WireError } from '../../../src/wire/errors.js';
import { arbAttributeValue, arbPathAttribute } from '../../arbitraries/attributes.js';

for (const [name, ctx] of [
  ['4-octet AS', DEFAULT_CONTEXT],
  ['2-octet AS', PLAIN_CONTEXT],
] as const) {
  test(`property (${name}): decode(encode(attribute)) deep-equals the attribute`, () => {
    fc.assert(
      fc.property(arbPathAttribute(ctx), (a) => {
        const decoded = decodeAttribute(encodeAttribute(a, ctx), ctx);
        assert.deepEqual(decoded, a);
        assert.deepEqual(JSON.parse(JSON.stringify(decoded)), decoded);
      }),
    );
  });

  test(`property (${name}): an attribute without flags gets its standard flags`, () => {
    fc.assert(
      fc.property(arbAttributeValue(ctx), (a) => {
        const bytes = encodeAttribute(a as PathAttribute, ctx);
        const std = attributeByType(a.type)!.flags;
        const long = bytes.length - 3 > 255;
        assert.equal(bytes[0], std | (long ? FLAG_EXTENDED_LENGTH : 0));
        assert.deepEqual(decodeAttribute(bytes, ctx), { ...a, flags: bytes[0] });
      }),
    );
  });
}

function onlyWireErrors(bytes: Uint8Array, ctx = DEFAULT_CONTEXT): void {
  try {
    const list = decodeAttributeList(Buffer.from(bytes), 0, bytes.length, ctx);
    for (const e of list.errors) assert.ok(e instanceof WireError && e.outcome !== 'session-reset');
    assert.deepEqual(JSON.parse(JSON.stringify(list.attributes)), list.attributes);
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    assert.equal(e.outcome, 'session-reset');
  }
}

test('property: random attribute-list bytes only ever raise WireError', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), (b) => onlyWireErrors(b)));
  fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), (b) => onlyWireErrors(b, PLAIN_CONTEXT)));
});

test('property: mutated attributes only ever raise WireError', () => {
  const arb = fc.tuple(arbPathAttribute(DEFAULT_CONTEXT), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }));
  fc.assert(
    fc.property(arb, ([a, edits]) => {
      const b = encodeAttribute(a);
      for (const [at, v] of edits) b[at % b.length] = v;
      onlyWireErrors(b);
    }),
  );
});
