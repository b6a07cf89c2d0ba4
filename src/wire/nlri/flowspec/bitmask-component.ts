/**
 * Bitmask operator components (RFC 8955 §4.2.1.2; type 9 TCP flags, type 12 fragment):
 *
 *   Encoding: <type (1 octet), [bitmask_op, bitmask]+>
 *
 *     0   1   2   3   4   5   6   7
 *   +---+---+---+---+---+---+---+---+
 *   | e | a |  len  | 0 | 0 |not| m |
 *   +---+---+---+---+---+---+---+---+
 *
 *   e, a, len  as for numeric operators
 *   0 0        reserved: 0 when encoding, ignored when decoding
 *   not        negate the term
 *   m          match: (data AND value) == value; unset: (data AND value) != 0
 *
 * Fragment bitmask (RFC 8955 §4.2.2.12, RFC 8956 §3.6):
 *
 *     0   1   2   3   4   5   6   7
 *   +---+---+---+---+---+---+---+---+
 *   | 0 | 0 | 0 | 0 |LF |FF |IsF|DF |    IPv6: DF is reserved (0)
 *   +---+---+---+---+---+---+---+---+
 *
 * Decoding drops what the RFCs say to ignore (reserved operator bits, the AND bit of the first
 * pair, reserved fragment bits of the family); encoding refuses them. TCP flags accept any value
 * size (RFC 8955 §4.2.2.9 uses 1 or 2 octets).
 */
import type { IpVersion } from '../../ip.js';
import type { BufferReader } from '../../reader.js';
import type { BufferWriter } from '../../writer.js';
import { lengthBits, OP_AND, OP_END, operatorValueLength, readValue, resolveValue, writeValue } from './operator-value.js';
import { FRAGMENT_BITS, invalidFlowspec, isList, type BitmaskItem, type FlowspecBitmaskType } from './types.js';

const OP_NOT = 0x02;
const OP_MATCH = 0x01;

/** Reads the [bitmask_op, bitmask]+ list after the type byte. */
export function readBitmaskItems(r: BufferReader, type: FlowspecBitmaskType, version: IpVersion): BitmaskItem[] {
  const items: BitmaskItem[] = [];
  const mask = type === 'fragment' ? FRAGMENT_BITS[version] : -1;
  for (;;) {
    const op = r.u8();
    const length = operatorValueLength(op);
    let value = readValue(r, length);
    // Reserved fragment bits are ignored; they only live in the low octet, whatever its size.
    if (mask !== -1) value = typeof value === 'number' ? (value % 256) & mask : Number(BigInt(value) & BigInt(mask));
    items.push({
      and: items.length > 0 && (op & OP_AND) !== 0,
      not: (op & OP_NOT) !== 0,
      match: (op & OP_MATCH) !== 0,
      value,
      length,
    });
    if (op & OP_END) return items;
  }
}

/** Writes the list (not the type byte); the end-of-list bit goes on the last item. */
export function writeBitmaskItems(w: BufferWriter, type: FlowspecBitmaskType, items: readonly BitmaskItem[], version: IpVersion): void {
  if (!isList(items) || items.length === 0) invalidFlowspec('flowspec-empty-component', `${type}: needs at least one operator`);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (i === 0 && item.and) invalidFlowspec('flowspec-bad-operator', `${type}: the first operator cannot be ANDed (RFC 8955 §4.2.1.1)`);
    const v = resolveValue(item.value, item.length);
    if (type === 'fragment') {
      const allowed = BigInt(FRAGMENT_BITS[version]);
      if ((BigInt(v.value) & ~allowed) !== 0n) {
        invalidFlowspec('flowspec-bad-fragment', `fragment bitmask ${String(item.value)} sets bits IPv${version} reserves (allowed 0x${allowed.toString(16)})`);
      }
    }
    w.u8((i === items.length - 1 ? OP_END : 0) | (item.and ? OP_AND : 0) | lengthBits(v.length) | (item.not ? OP_NOT : 0) | (item.match ? OP_MATCH : 0));
    writeValue(w, v.value, v.length);
  }
}
