/**
 * What numeric and bitmask operators share (RFC 8955 §4.2.1.1 and §4.2.1.2): the operator
 * byte's end-of-list, AND and length bits, and the value that follows it.
 *
 *     0   1   2   3   4   5   6   7
 *   +---+---+---+---+---+---+---+---+
 *   | e | a |  len  |  (kind bits)  |    len: 00 = 1, 01 = 2, 10 = 4, 11 = 8 octets
 *   +---+---+---+---+---+---+---+---+
 *   value: len octets, big-endian
 *
 * 8-octet values above 2^53-1 are kept exact as decimal text (see FlowspecValue).
 */
import type { BufferReader } from '../../reader.js';
import type { BufferWriter } from '../../writer.js';
import { invalidFlowspec, type FlowspecValue, type ValueLength } from './types.js';

export const OP_END = 0x80;
export const OP_AND = 0x40;
const OP_LEN_SHIFT = 4;

const LENGTHS: readonly ValueLength[] = [1, 2, 4, 8];
const MAX_SAFE_HIGH = 0x200000; // 2^53 / 2^32: a high word below it keeps the value exact

/** The value size coded in an operator byte. */
export function operatorValueLength(op: number): ValueLength {
  return LENGTHS[(op >>> OP_LEN_SHIFT) & 3]!;
}

/** The `len` bits of an operator byte for a value size. */
export function lengthBits(length: ValueLength): number {
  return (length === 1 ? 0 : length === 2 ? 1 : length === 4 ? 2 : 3) << OP_LEN_SHIFT;
}

export function readValue(r: BufferReader, length: ValueLength): FlowspecValue {
  switch (length) {
    case 1:
      return r.u8();
    case 2:
      return r.u16();
    case 4:
      return r.u32();
    case 8: {
      const hi = r.u32();
      const lo = r.u32();
      if (hi < MAX_SAFE_HIGH) return hi * 0x100000000 + lo;
      return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
    }
  }
}

const MAX_U64 = (1n << 64n) - 1n;

/** The value as a bigint, checked: a non-negative safe integer, or decimal text below 2^64. */
function valueBigInt(value: FlowspecValue): bigint {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) invalidFlowspec('value-out-of-range', `operator value ${String(value)} is not an integer in 0..2^53-1 (use decimal text above)`);
    return BigInt(value);
  }
  if (typeof value !== 'string' || !/^\d{1,20}$/.test(value)) invalidFlowspec('value-out-of-range', `operator value ${JSON.stringify(value)} is not decimal text`);
  const b = BigInt(value);
  if (b > MAX_U64) invalidFlowspec('value-out-of-range', `operator value ${value} exceeds 2^64-1`);
  return b;
}

function minimalLength(v: bigint): ValueLength {
  return v <= 0xffn ? 1 : v <= 0xffffn ? 2 : v <= 0xffffffffn ? 4 : 8;
}

/**
 * Validates a value and its size (the minimal size when none is given) and returns both; the
 * value comes back as a bigint only when it needs 8 octets.
 */
export function resolveValue(value: FlowspecValue, length: ValueLength | undefined): { length: ValueLength; value: number | bigint } {
  const v = valueBigInt(value);
  const need = minimalLength(v);
  let len: ValueLength;
  if (length === undefined) len = need;
  else {
    if (!LENGTHS.includes(length)) invalidFlowspec('bad-value-length', `value length ${String(length)} is not 1, 2, 4 or 8`);
    if (length < need) invalidFlowspec('value-out-of-range', `operator value ${String(value)} does not fit ${length} octet(s)`);
    len = length;
  }
  return { length: len, value: len === 8 ? v : Number(v) };
}

/** Writes a value resolved by resolveValue. */
export function writeValue(w: BufferWriter, value: number | bigint, length: ValueLength): void {
  switch (length) {
    case 1:
      w.u8(value as number);
      return;
    case 2:
      w.u16(value as number);
      return;
    case 4:
      w.u32(value as number);
      return;
    case 8: {
      const v = BigInt(value);
      w.u32(Number(v >> 32n));
      w.u32(Number(v & 0xffffffffn));
    }
  }
}
