/**
 * ATOMIC_AGGREGATE (type code 6), RFC 4271 §4.3 and §5.1.6: well-known discretionary, no value.
 *
 *   (length 0)
 *
 * RFC 7606 §7.6: malformed when the length is not 0: attribute discard.
 */
import { AttrCode, expectLength, FLAG_TRANSITIVE, type AttrBase, type AttributeDescriptor } from './types.js';

export interface AtomicAggregateAttribute extends AttrBase {
  type: 'atomic-aggregate';
}

export const atomicAggregate: AttributeDescriptor<AtomicAggregateAttribute> = {
  code: AttrCode.AtomicAggregate,
  type: 'atomic-aggregate',
  name: 'ATOMIC_AGGREGATE',
  flags: FLAG_TRANSITIVE,
  malformed: 'attribute-discard',
  decode(r, flags) {
    expectLength(r, 0);
    return { type: 'atomic-aggregate', flags };
  },
  encode() {
    // no value
  },
};
