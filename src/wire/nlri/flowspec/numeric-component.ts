/**
 * Numeric operator components (RFC 8955 §4.2.1.1; types 3-8, 10, 11, and 13 of RFC 8956 §3.7):
 *
 *   Encoding: <type (1 octet), [numeric_op, value]+>
 *
 *     0   1   2   3   4   5   6   7
 *   +---+---+---+---+---+---+---+---+
 *   | e | a |  len  | 0 |lt |gt |eq |
 *   +---+---+---+---+---+---+---+---+
 *
 *   e   end-of-list: set on the last pair of the component
 *   a   AND with the previous term (otherwise OR); unset on the first pair
 *   len value size: 00 = 1, 01 = 2, 10 = 4, 11 = 8 octets
 *   0   reserved: 0 when encoding, ignored when decoding
 *   lt/gt/eq  000 false, 001 ==, 010 >, 011 >=, 100 <, 101 <=, 110 !=, 111 true
 *
 * Decoding follows the RFC's "ignored / treated as unset" rules: the reserved bit and the AND
 * bit of the first pair are dropped, so such bytes do not round-trip (they re-encode clean).
 * A list cut short (no end-of-list bit before the NLRI ends) fails with the reader's policy.
 * The value sizes are not checked against the field (a 2-octet protocol is accepted and kept).
 */
import type { BufferReader } from '../../reader.js';
import type { BufferWriter } from '../../writer.js';
import { lengthBits, OP_AND, OP_END, operatorValueLength, readValue, resolveValue, writeValue } from './operator-value.js';
import { invalidFlowspec, isList, type FlowspecNumericType, type NumericItem, type NumericOp } from './types.js';

/** Indexed by the lt/gt/eq bits. */
export const NUMERIC_OPS: readonly NumericOp[] = ['false', '==', '>', '>=', '<', '<=', '!=', 'true'];

const OP_BITS: Readonly<Record<string, number>> = Object.fromEntries(NUMERIC_OPS.map((op, i) => [op, i]));

/** Reads the [numeric_op, value]+ list after the type byte. */
export function readNumericItems(r: BufferReader): NumericItem[] {
  const items: NumericItem[] = [];
  for (;;) {
    const op = r.u8();
    const length = operatorValueLength(op);
    const value = readValue(r, length);
    items.push({ and: items.length > 0 && (op & OP_AND) !== 0, op: NUMERIC_OPS[op & 7]!, value, length });
    if (op & OP_END) return items;
  }
}

/** Writes the list (not the type byte); the end-of-list bit goes on the last item. */
export function writeNumericItems(w: BufferWriter, type: FlowspecNumericType, items: readonly NumericItem[]): void {
  if (!isList(items) || items.length === 0) invalidFlowspec('flowspec-empty-component', `${type}: needs at least one operator`);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const bits = OP_BITS[item.op];
    if (bits === undefined) invalidFlowspec('flowspec-bad-operator', `${type}: unknown numeric operator ${JSON.stringify(item.op)}`);
    if (i === 0 && item.and) invalidFlowspec('flowspec-bad-operator', `${type}: the first operator cannot be ANDed (RFC 8955 §4.2.1.1)`);
    const v = resolveValue(item.value, item.length);
    w.u8((i === items.length - 1 ? OP_END : 0) | (item.and ? OP_AND : 0) | lengthBits(v.length) | bits);
    writeValue(w, v.value, v.length);
  }
}
