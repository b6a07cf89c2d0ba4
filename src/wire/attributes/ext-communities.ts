/**
 * EXTENDED_COMMUNITIES (type code 16), RFC 4360 §2: optional transitive, a list of 8-octet
 * extended communities (each decoded by src/wire/ext-communities/).
 *
 *   +---------------+---------------+-------------------------------------------+
 *   | type (1)      | sub-type (1)  | value (6)                                 |  ... repeated
 *   +---------------+---------------+-------------------------------------------+
 *
 * Order is kept (BaGPipe builds it in a meaningful order). RFC 7606 §7.14: malformed when the
 * length is not a non-zero multiple of 8: treat-as-withdraw.
 */
import { readExtCommunity, writeExtCommunity, type ExtCommunity } from '../ext-communities/index.js';
import { AttrCode, encodeError, expectMultipleOf, FLAG_OPTIONAL, FLAG_TRANSITIVE, type AttrBase, type AttributeDescriptor } from './types.js';

export interface ExtCommunitiesAttribute extends AttrBase {
  type: 'ext-communities';
  communities: ExtCommunity[];
}

export const extCommunities: AttributeDescriptor<ExtCommunitiesAttribute> = {
  code: AttrCode.ExtendedCommunities,
  type: 'ext-communities',
  name: 'EXTENDED_COMMUNITIES',
  flags: FLAG_OPTIONAL | FLAG_TRANSITIVE,
  malformed: 'treat-as-withdraw',
  decode(r, flags) {
    expectMultipleOf(r, 8);
    const list: ExtCommunity[] = [];
    while (!r.atEnd) list.push(readExtCommunity(r));
    return { type: 'ext-communities', flags, communities: list };
  },
  encode(w, attr) {
    if (attr.communities.length === 0) encodeError('empty-attribute', 'EXTENDED_COMMUNITIES: needs at least one community');
    for (const c of attr.communities) {
      const before = w.length;
      writeExtCommunity(w, c);
      if (w.length - before !== 8) encodeError('bad-ext-community', `EXTENDED_COMMUNITIES: ${JSON.stringify(c)} did not encode to 8 bytes`);
    }
  },
};
