/**
 * COMMUNITIES (type code 8), RFC 1997: optional transitive, a list of 4-octet communities.
 *
 *   +---------------------------------+---------------------------------+
 *   | AS (2)                          | value (2)                       |  ... repeated
 *   +---------------------------------+---------------------------------+
 *
 * JSON: each community as text, "65000:100", or the name of a well-known one ("no-export", see
 * WELL_KNOWN below; IANA "BGP Well-known Communities"). RFC 7606 §7.8: malformed when the length
 * is not a non-zero multiple of 4: treat-as-withdraw.
 */
import { AttrCode, encodeError, expectMultipleOf, FLAG_OPTIONAL, FLAG_TRANSITIVE, type AttrBase, type AttributeDescriptor } from './types.js';

export interface CommunitiesAttribute extends AttrBase {
  type: 'communities';
  /** "asn:value" or a well-known name, in wire order. */
  communities: string[];
}

/** Well-known communities and their names. */
export const WELL_KNOWN_COMMUNITIES: ReadonlyMap<number, string> = new Map([
  [0xffff0000, 'graceful-shutdown'], // RFC 8326
  [0xffff0001, 'accept-own'], // RFC 7611
  [0xffff0006, 'llgr-stale'], // RFC 9494
  [0xffff0007, 'no-llgr'], // RFC 9494
  [0xffff0008, 'accept-own-nexthop'], // draft-agrewal-idr-accept-own-nexthop
  [0xffff029a, 'blackhole'], // RFC 7999
  [0xffffff01, 'no-export'], // RFC 1997
  [0xffffff02, 'no-advertise'], // RFC 1997
  [0xffffff03, 'no-export-subconfed'], // RFC 1997
  [0xffffff04, 'no-peer'], // RFC 3765
]);

const BY_NAME = new Map([...WELL_KNOWN_COMMUNITIES].map(([v, n]) => [n, v]));

/** Text of a community value: its well-known name, else "asn:value". */
export function communityText(v: number): string {
  return WELL_KNOWN_COMMUNITIES.get(v) ?? `${v >>> 16}:${v & 0xffff}`;
}

/** The 32-bit value of a community text (name or "asn:value"). */
export function communityValue(text: string): number {
  const named = BY_NAME.get(text);
  if (named !== undefined) return named;
  const m = /^(\d{1,5}):(\d{1,5})$/.exec(text);
  const hi = m ? Number(m[1]) : NaN;
  const lo = m ? Number(m[2]) : NaN;
  if (!(hi <= 0xffff && lo <= 0xffff)) encodeError('bad-community', `COMMUNITIES: ${JSON.stringify(text)} is not "asn:value" (0..65535 each) nor a well-known name`);
  return hi * 0x10000 + lo;
}

export const communities: AttributeDescriptor<CommunitiesAttribute> = {
  code: AttrCode.Communities,
  type: 'communities',
  name: 'COMMUNITIES',
  flags: FLAG_OPTIONAL | FLAG_TRANSITIVE,
  malformed: 'treat-as-withdraw',
  decode(r, flags) {
    expectMultipleOf(r, 4);
    const list: string[] = [];
    while (!r.atEnd) list.push(communityText(r.u32()));
    return { type: 'communities', flags, communities: list };
  },
  encode(w, attr) {
    if (attr.communities.length === 0) encodeError('empty-attribute', 'COMMUNITIES: needs at least one community');
    for (const c of attr.communities) w.u32(communityValue(c));
  },
};
