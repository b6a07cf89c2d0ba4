/**
 * fast-check arbitraries for FlowSpec NLRI (src/wire/nlri/flowspec/). Every value they produce is
 * in the canonical decoded JSON form (lengths present, first item not ANDed, prefixes
 * normalised, offset only when non-zero, fragment bits of the family only), so
 * decode(encode(x)) deep-equals x.
 */
import fc from 'fast-check';
import { ipv6ToText, type IpVersion } from '../../src/wire/ip.js';
import type {
  BitmaskItem,
  FlowspecBitmaskType,
  FlowspecComponent,
  FlowspecNlri,
  FlowspecNumericType,
  FlowspecPrefixComponent,
  FlowspecPrefixType,
  FlowspecValue,
  NumericItem,
  NumericOp,
  ValueLength,
} from '../../src/wire/nlri/flowspec/index.js';
import { BufferReader } from '../../src/wire/reader.js';
import { readRd, type RouteDistinguisher } from '../../src/wire/route-distinguisher.js';

export const valueLengthArb: fc.Arbitrary<ValueLength> = fc.constantFrom<ValueLength>(1, 2, 4, 8);

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A value that fits `length` octets: a number up to 2^53-1, decimal text above. */
export function flowspecValueArb(length: ValueLength): fc.Arbitrary<FlowspecValue> {
  if (length < 8) return fc.integer({ min: 0, max: 2 ** (8 * length) - 1 });
  return fc
    .oneof(fc.bigInt({ min: 0n, max: MAX_SAFE }), fc.bigInt({ min: MAX_SAFE - 2n, max: (1n << 64n) - 1n }))
    .map((v) => (v <= MAX_SAFE ? Number(v) : v.toString()));
}

const sizedValueArb = valueLengthArb.chain((length) => flowspecValueArb(length).map((value) => ({ value, length })));

export const numericOpArb: fc.Arbitrary<NumericOp> = fc.constantFrom<NumericOp>('false', '==', '>', '>=', '<', '<=', '!=', 'true');

/** The first item of a list never has `and` (RFC 8955 §4.2.1.1). */
function firstNotAnded<T extends { and: boolean }>(items: T[]): T[] {
  if (items[0]) items[0] = { ...items[0], and: false };
  return items;
}

export const numericItemArb: fc.Arbitrary<NumericItem> = fc
  .record({ and: fc.boolean(), op: numericOpArb, v: sizedValueArb })
  .map(({ and, op, v }) => ({ and, op, value: v.value, length: v.length }));

export const numericItemsArb: fc.Arbitrary<NumericItem[]> = fc.array(numericItemArb, { minLength: 1, maxLength: 4 }).map(firstNotAnded);

/** Bitmask items; fragment values only use the bits the family defines. */
export function bitmaskItemsArb(type: FlowspecBitmaskType, version: IpVersion): fc.Arbitrary<BitmaskItem[]> {
  const value: fc.Arbitrary<{ value: FlowspecValue; length: ValueLength }> =
    type === 'fragment'
      ? fc.record({ value: fc.integer({ min: 0, max: 15 }).map((v) => v & (version === 4 ? 0x0f : 0x0e)), length: valueLengthArb })
      : sizedValueArb;
  const item = fc
    .record({ and: fc.boolean(), not: fc.boolean(), match: fc.boolean(), v: value })
    .map(({ and, not, match, v }): BitmaskItem => ({ and, not, match, value: v.value, length: v.length }));
  return fc.array(item, { minLength: 1, maxLength: 4 }).map(firstNotAnded);
}

function maskBits(bytes: Uint8Array, from: number, to: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = from; i < to; i++) if (bytes[i >>> 3]! & (0x80 >>> (i & 7))) out[i >>> 3] = out[i >>> 3]! | (0x80 >>> (i & 7));
  return out;
}

export function prefixComponentArb(type: FlowspecPrefixType, version: IpVersion): fc.Arbitrary<FlowspecPrefixComponent> {
  if (version === 4) {
    return fc.record({ len: fc.integer({ min: 0, max: 32 }), bytes: fc.uint8Array({ minLength: 4, maxLength: 4 }) }).map(({ len, bytes }) => {
      const b = maskBits(bytes, 0, len);
      return { type, prefix: `${b[0]}.${b[1]}.${b[2]}.${b[3]}/${len}` };
    });
  }
  return fc
    .record({ len: fc.integer({ min: 0, max: 128 }), off: fc.oneof(fc.constant(0), fc.nat(127)), bytes: fc.uint8Array({ minLength: 16, maxLength: 16 }) })
    .map(({ len, off, bytes }) => {
      const offset = len === 0 ? 0 : off % len;
      const prefix = `${ipv6ToText(maskBits(bytes, offset, len))}/${len}`;
      return offset === 0 ? { type, prefix } : { type, prefix, offset };
    });
}

const CODES: Readonly<Record<IpVersion, readonly number[]>> = { 4: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 6: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13] };
const NUMERIC: Readonly<Record<number, FlowspecNumericType>> = {
  3: 'ip-protocol',
  4: 'port',
  5: 'destination-port',
  6: 'source-port',
  7: 'icmp-type',
  8: 'icmp-code',
  10: 'packet-length',
  11: 'dscp',
  13: 'flow-label',
};

export function flowspecComponentArb(code: number, version: IpVersion): fc.Arbitrary<FlowspecComponent> {
  if (code === 1) return prefixComponentArb('destination-prefix', version);
  if (code === 2) return prefixComponentArb('source-prefix', version);
  if (code === 9) return bitmaskItemsArb('tcp-flags', version).map((items) => ({ type: 'tcp-flags' as const, items }));
  if (code === 12) return bitmaskItemsArb('fragment', version).map((items) => ({ type: 'fragment' as const, items }));
  const type = NUMERIC[code];
  if (type === undefined) throw new Error(`no FlowSpec component type ${code}`);
  return numericItemsArb.map((items) => ({ type, items }));
}

/** One or more components of the family, in strictly increasing type order. */
export function flowspecComponentsArb(version: IpVersion): fc.Arbitrary<FlowspecComponent[]> {
  return fc
    .subarray([...CODES[version]], { minLength: 1 })
    .chain((codes) => fc.tuple(...codes.map((c) => flowspecComponentArb(c, version))));
}

/** Route distinguishers in decoded form (types 0, 1, 2 and an unknown type kept as hex). */
export const flowspecRdArb: fc.Arbitrary<RouteDistinguisher> = fc
  .record({ type: fc.oneof(fc.constantFrom(0, 1, 2), fc.integer({ min: 3, max: 0xffff })), value: fc.uint8Array({ minLength: 6, maxLength: 6 }) })
  .map(({ type, value }) => {
    const b = Buffer.alloc(8);
    b.writeUInt16BE(type, 0);
    b.set(value, 2);
    return readRd(BufferReader.of(b));
  });

/** A FlowSpec NLRI of the family (afi 1 or 2, safi 133 or 134). */
export function flowspecNlriArb(afi: number, safi: number): fc.Arbitrary<FlowspecNlri> {
  const version: IpVersion = afi === 1 ? 4 : 6;
  if (safi === 134) {
    return fc.record({ rd: flowspecRdArb, components: flowspecComponentsArb(version) }).map(({ rd, components }) => ({ kind: 'flowspec' as const, rd, components }));
  }
  return flowspecComponentsArb(version).map((components) => ({ kind: 'flowspec' as const, components }));
}
