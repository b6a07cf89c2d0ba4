/**
 * AS_PATH (type code 2), RFC 4271 §4.3 and §5.1.2, segment types of RFC 5065 §3; the width of
 * the AS numbers follows RFC 6793: 4 octets when both sides announced the 4-octet AS capability
 * (ctx.as4), else 2. AS4_PATH (as4-path.ts) shares the segment codec, always with 4 octets.
 *
 *   +-----------------+-----------------+------------------------------+
 *   | segment type (1)| AS count (1)    | AS numbers (count x 2 or 4)  |  ... repeated
 *   +-----------------+-----------------+------------------------------+
 *   segment types: 1 AS_SET, 2 AS_SEQUENCE, 3 AS_CONFED_SEQUENCE, 4 AS_CONFED_SET
 *
 * An empty AS_PATH (length 0) is valid (iBGP). RFC 7606 §7.2: the attribute is malformed if a
 * segment type is unknown, a segment overruns the attribute, fewer than 2 bytes remain after the
 * last segment, or a segment has a count of 0; RFC 7607 §2: an AS number 0 makes it malformed too.
 * A malformed AS_PATH is treat-as-withdraw.
 */
import type { CodecContext } from '../context.js';
import { UpdateSubcode } from '../errors.js';
import type { BufferReader } from '../reader.js';
import type { BufferWriter } from '../writer.js';
import { AttrCode, encodeError, FLAG_TRANSITIVE, malformed, type AttrBase, type AttributeDescriptor } from './types.js';

export type AsPathSegmentType = 'as-set' | 'as-sequence' | 'as-confed-sequence' | 'as-confed-set';

const SEGMENT_TYPES: readonly (AsPathSegmentType | undefined)[] = [undefined, 'as-set', 'as-sequence', 'as-confed-sequence', 'as-confed-set'];

export interface AsPathSegment {
  type: AsPathSegmentType;
  /** AS numbers, 1..255 of them, in wire order. */
  asns: number[];
}

export interface AsPathAttribute extends AttrBase {
  type: 'as-path';
  segments: AsPathSegment[];
}

/** Reads segments up to the end of r, with AS numbers of `size` bytes. */
export function readSegments(r: BufferReader, size: 2 | 4): AsPathSegment[] {
  const segments: AsPathSegment[] = [];
  while (!r.atEnd) {
    const i = segments.length;
    if (r.remaining < 2) malformed(r, 'bad-as-path', `${r.remaining} byte left after segment ${i - 1}, a segment header needs 2`, UpdateSubcode.MalformedAsPath);
    const t = r.u8();
    const count = r.u8();
    const type = SEGMENT_TYPES[t];
    if (type === undefined) malformed(r, 'bad-as-path', `segment ${i} has unknown type ${t}`, UpdateSubcode.MalformedAsPath);
    if (count === 0) malformed(r, 'bad-as-path', `segment ${i} has an AS count of 0`, UpdateSubcode.MalformedAsPath);
    if (count * size > r.remaining) {
      malformed(r, 'bad-as-path', `segment ${i} of ${count} AS needs ${count * size} bytes, ${r.remaining} left`, UpdateSubcode.MalformedAsPath);
    }
    const asns = new Array<number>(count);
    for (let k = 0; k < count; k++) {
      const asn = size === 4 ? r.u32() : r.u16();
      if (asn === 0) malformed(r, 'as-zero', `segment ${i} contains AS 0 (RFC 7607)`, UpdateSubcode.MalformedAsPath);
      asns[k] = asn;
    }
    segments.push({ type, asns });
  }
  return segments;
}

export function writeSegments(w: BufferWriter, what: string, segments: readonly AsPathSegment[], size: 2 | 4): void {
  const max = size === 4 ? 0xffffffff : 0xffff;
  for (const s of segments) {
    const t = SEGMENT_TYPES.indexOf(s.type);
    if (t < 1) encodeError('bad-as-path', `${what}: unknown segment type ${JSON.stringify(s.type)}`);
    if (s.asns.length < 1 || s.asns.length > 255) encodeError('bad-as-path', `${what}: a segment holds 1..255 AS numbers, got ${s.asns.length}`);
    w.u8(t).u8(s.asns.length);
    for (const asn of s.asns) {
      if (!Number.isInteger(asn) || asn < 0 || asn > max) {
        encodeError('bad-as-path', `${what}: AS ${String(asn)} does not fit ${size} octets${size === 2 ? ' (use AS_TRANS and AS4_PATH)' : ''}`);
      }
      if (size === 4) w.u32(asn);
      else w.u16(asn);
    }
  }
}

export const asPath: AttributeDescriptor<AsPathAttribute> = {
  code: AttrCode.AsPath,
  type: 'as-path',
  name: 'AS_PATH',
  flags: FLAG_TRANSITIVE,
  malformed: 'treat-as-withdraw',
  decode(r, flags, ctx: CodecContext) {
    return { type: 'as-path', flags, segments: readSegments(r, ctx.as4 ? 4 : 2) };
  },
  encode(w, attr, ctx) {
    writeSegments(w, 'AS_PATH', attr.segments, ctx.as4 ? 4 : 2);
  },
};

/** Display text in the usual form: "64512 65000 {1 2} (3 4) [5]" (set, confed sequence, confed set). */
export function asPathText(segments: readonly AsPathSegment[]): string {
  return segments
    .map((s) => {
      const list = s.asns.join(' ');
      switch (s.type) {
        case 'as-sequence':
          return list;
        case 'as-set':
          return `{${list}}`;
        case 'as-confed-sequence':
          return `(${list})`;
        case 'as-confed-set':
          return `[${list}]`;
      }
    })
    .join(' ');
}
