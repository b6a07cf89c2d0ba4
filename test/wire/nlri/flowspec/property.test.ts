/**
 * FlowSpec property tests: decode(encode(x)) deep-equals x in the four families; random and
 * mutated bytes only ever raise WireError; whatever decodes encodes again, to the same JSON;
 * the rule text ignores value sizes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_CONTEXT } from '../../../../src/wire/context.js';
import { WireError } from '../../../../src/wire/errors.js';
import { flowspecRuleText, type FlowspecComponent, type FlowspecNlri } from '../../../../src/wire/nlri/flowspec/index.js';
import { BufferReader } from '../../../../src/wire/reader.js';
import { flowspecNlriArb } from '../../../arbitraries/flowspec.js';
import { CODECS, decodeOne, encodeOne } from './helpers.js';

const FAMILIES = [
  ['ipv4/flow', CODECS.ipv4, flowspecNlriArb(1, 133)],
  ['ipv6/flow', CODECS.ipv6, flowspecNlriArb(2, 133)],
  ['ipv4/flow-vpn', CODECS.vpnIpv4, flowspecNlriArb(1, 134)],
  ['ipv6/flow-vpn', CODECS.vpnIpv6, flowspecNlriArb(2, 134)],
] as const;

/** Decodes NLRI until the end of the bytes; only WireError may escape. */
function decodeAll(codec: (typeof FAMILIES)[number][1], bytes: Uint8Array): FlowspecNlri[] {
  const r = BufferReader.of(bytes);
  const out: FlowspecNlri[] = [];
  while (!r.atEnd) out.push(codec.decode(r, DEFAULT_CONTEXT));
  return out;
}

function onlyWireErrors(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
  }
}

function withoutLengths(components: FlowspecComponent[]): FlowspecComponent[] {
  return components.map((c) => ('items' in c ? { ...c, items: c.items.map(({ length: _l, ...rest }) => rest) } : c) as FlowspecComponent);
}

for (const [name, codec, arb] of FAMILIES) {
  void test(`flowspec ${name}: decode(encode(x)) deep-equals x, as plain JSON`, () => {
    fc.assert(
      fc.property(arb, (nlri) => {
        const decoded = decodeOne(codec, encodeOne(codec, nlri));
        assert.deepEqual(decoded, nlri);
        assert.deepEqual(JSON.parse(JSON.stringify(decoded)), decoded);
      }),
    );
  });

  void test(`flowspec ${name}: random bytes only raise WireError`, () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (b) => onlyWireErrors(() => decodeAll(codec, b))));
  });

  void test(`flowspec ${name}: mutated encodings only raise WireError; what decodes re-encodes to the same JSON`, () => {
    fc.assert(
      fc.property(arb, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(), (nlri, at, byte, cut) => {
        const b = encodeOne(codec, nlri);
        const mutated = Buffer.from(b);
        mutated[at % b.length] = byte;
        for (const candidate of [mutated, b.subarray(0, cut % (b.length + 1))]) {
          let decoded: FlowspecNlri[] = [];
          try {
            decoded = decodeAll(codec, candidate);
          } catch (e) {
            assert.ok(e instanceof WireError, String(e));
            continue;
          }
          for (const n of decoded) assert.deepEqual(decodeOne(codec, encodeOne(codec, n)), n);
        }
      }),
    );
  });

  void test(`flowspec ${name}: without value sizes, the encoder picks minimal ones and the rule text is unchanged`, () => {
    fc.assert(
      fc.property(arb, (nlri) => {
        const stripped: FlowspecNlri = { ...nlri, components: withoutLengths(nlri.components) };
        const decoded = decodeOne(codec, encodeOne(codec, stripped));
        assert.equal(flowspecRuleText(decoded), flowspecRuleText(nlri));
        assert.equal(flowspecRuleText(stripped), flowspecRuleText(nlri));
        for (const c of decoded.components) {
          if (!('items' in c)) continue;
          for (const it of c.items) {
            const v = BigInt(it.value);
            const minimal = v <= 0xffn ? 1 : v <= 0xffffn ? 2 : v <= 0xffffffffn ? 4 : 8;
            assert.equal(it.length, minimal);
          }
        }
      }),
    );
  });
}
