/**
 * MULTI_EXIT_DISC (type code 4), RFC 4271 §4.3 and §5.1.4: optional non-transitive, 4 octets.
 *
 *   +-------------------------------+
 *   | metric (4, unsigned)          |
 *   +-------------------------------+
 *
 * RFC 7606 §7.4: malformed when the length is not 4: treat-as-withdraw.
 */
import { AttrCode, expectLength, FLAG_OPTIONAL, type AttrBase, type AttributeDescriptor } from './types.js';

export interface MedAttribute extends AttrBase {
  type: 'med';
  value: number;
}

export const med: AttributeDescriptor<MedAttribute> = {
  code: AttrCode.MultiExitDisc,
  type: 'med',
  name: 'MULTI_EXIT_DISC',
  flags: FLAG_OPTIONAL,
  malformed: 'treat-as-withdraw',
  decode(r, flags) {
    expectLength(r, 4);
    return { type: 'med', flags, value: r.u32() };
  },
  encode(w, attr) {
    w.u32(attr.value);
  },
};
