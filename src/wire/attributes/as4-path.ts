/**
 * AS4_PATH (type code 17), RFC 6793 §3: optional transitive, the AS_PATH segment layout with
 * 4-octet AS numbers, sent by a 2-octet-AS speaker alongside an AS_PATH that uses AS_TRANS.
 *
 *   +-----------------+-----------------+------------------------------+
 *   | segment type (1)| AS count (1)    | AS numbers (count x 4)       |  ... repeated
 *   +-----------------+-----------------+------------------------------+
 *
 * RFC 6793 §6 / RFC 7606: a malformed AS4_PATH (same checks as AS_PATH, plus an empty one) is
 * handled by attribute discard, and so is one received on a session where both sides use 4-octet
 * AS numbers (RFC 6793 §3: such a peer must not send it; the UPDATE decoder discards it). Its
 * confederation segments (RFC 6793 §3: must not be there) are kept here; merging AS4_PATH into
 * AS_PATH (RFC 6793 §4.2.3) is the RIB's business.
 */
import { UpdateSubcode } from '../errors.js';
import { readSegments, writeSegments, type AsPathSegment } from './as-path.js';
import { AttrCode, FLAG_OPTIONAL, FLAG_TRANSITIVE, malformed, type AttrBase, type AttributeDescriptor } from './types.js';

export interface As4PathAttribute extends AttrBase {
  type: 'as4-path';
  segments: AsPathSegment[];
}

export const as4Path: AttributeDescriptor<As4PathAttribute> = {
  code: AttrCode.As4Path,
  type: 'as4-path',
  name: 'AS4_PATH',
  flags: FLAG_OPTIONAL | FLAG_TRANSITIVE,
  malformed: 'attribute-discard',
  flagsError: 'attribute-discard',
  decode(r, flags) {
    if (r.atEnd) malformed(r, 'bad-attribute-length', 'length 0, expected at least one segment', UpdateSubcode.AttributeLengthError);
    return { type: 'as4-path', flags, segments: readSegments(r, 4) };
  },
  encode(w, attr) {
    writeSegments(w, 'AS4_PATH', attr.segments, 4);
  },
};
