/**
 * ORIGIN (type code 1), RFC 4271 §4.3 and §5.1.1: well-known mandatory, 1 octet.
 *
 *   +-------+
 *   | value |   0 IGP, 1 EGP, 2 INCOMPLETE
 *   +-------+
 *
 * RFC 7606 §7.1: malformed when the length is not 1 or the value is undefined: treat-as-withdraw.
 */
import { UpdateSubcode } from '../errors.js';
import { AttrCode, encodeError, expectLength, FLAG_TRANSITIVE, malformed, type AttrBase, type AttributeDescriptor } from './types.js';

export type OriginValue = 'igp' | 'egp' | 'incomplete';

const VALUES: readonly OriginValue[] = ['igp', 'egp', 'incomplete'];

export interface OriginAttribute extends AttrBase {
  type: 'origin';
  value: OriginValue;
}

export const origin: AttributeDescriptor<OriginAttribute> = {
  code: AttrCode.Origin,
  type: 'origin',
  name: 'ORIGIN',
  flags: FLAG_TRANSITIVE,
  malformed: 'treat-as-withdraw',
  decode(r, flags) {
    expectLength(r, 1);
    const v = r.u8();
    const value = VALUES[v];
    if (value === undefined) malformed(r, 'bad-origin-value', `undefined value ${v}`, UpdateSubcode.InvalidOrigin);
    return { type: 'origin', flags, value };
  },
  encode(w, attr) {
    const v = VALUES.indexOf(attr.value);
    if (v < 0) encodeError('bad-origin-value', `ORIGIN: ${JSON.stringify(attr.value)} is not igp, egp or incomplete`);
    w.u8(v);
  },
};
