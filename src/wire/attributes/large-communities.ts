/**
 * LARGE_COMMUNITY (type code 32), RFC 8092: optional transitive, a list of 12-octet communities.
 *
 *   +-------------------------+-------------------------+-------------------------+
 *   | global administrator (4)| local data part 1 (4)   | local data part 2 (4)   |  ... repeated
 *   +-------------------------+-------------------------+-------------------------+
 *
 * JSON: each community as "global:local1:local2". RFC 8092 §6 / RFC 7606: malformed when the
 * length is not a non-zero multiple of 12: treat-as-withdraw.
 */
import { AttrCode, encodeError, expectMultipleOf, FLAG_OPTIONAL, FLAG_TRANSITIVE, type AttrBase, type AttributeDescriptor } from './types.js';

export interface LargeCommunitiesAttribute extends AttrBase {
  type: 'large-communities';
  /** "global:local1:local2" (decimal, 0..2^32-1 each), in wire order. */
  communities: string[];
}

export const largeCommunities: AttributeDescriptor<LargeCommunitiesAttribute> = {
  code: AttrCode.LargeCommunity,
  type: 'large-communities',
  name: 'LARGE_COMMUNITY',
  flags: FLAG_OPTIONAL | FLAG_TRANSITIVE,
  malformed: 'treat-as-withdraw',
  decode(r, flags) {
    expectMultipleOf(r, 12);
    const list: string[] = [];
    while (!r.atEnd) list.push(`${r.u32()}:${r.u32()}:${r.u32()}`);
    return { type: 'large-communities', flags, communities: list };
  },
  encode(w, attr) {
    if (attr.communities.length === 0) encodeError('empty-attribute', 'LARGE_COMMUNITY: needs at least one community');
    for (const c of attr.communities) {
      const m = /^(\d{1,10}):(\d{1,10}):(\d{1,10})$/.exec(c);
      const parts = m ? m.slice(1, 4).map(Number) : [];
      if (!m || parts.some((p) => p > 0xffffffff)) encodeError('bad-community', `LARGE_COMMUNITY: ${JSON.stringify(c)} is not "global:local1:local2"`);
      for (const p of parts) w.u32(p);
    }
  },
};
