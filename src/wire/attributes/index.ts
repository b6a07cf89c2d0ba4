/**
 * Path attributes (RFC 4271 §4.3, §5): one file per attribute, the table in registry.ts, the
 * RFC 7606 list decoder in list.ts. This module encodes one attribute and gathers the API.
 */
import { DEFAULT_CONTEXT, type CodecContext } from '../context.js';
import { NotifyCode, UpdateSubcode, WireError } from '../errors.js';
import { fromHex } from '../hex.js';
import { BufferWriter } from '../writer.js';
import { decodeAttributeList } from './list.js';
import { attributeByType, type PathAttribute } from './registry.js';
import { encodeError, FLAG_EXTENDED_LENGTH, FLAG_OPTIONAL, FLAG_PARTIAL, FLAG_TRANSITIVE } from './types.js';

export type { AggregatorAttribute } from './aggregator.js';
export type { As4AggregatorAttribute } from './as4-aggregator.js';
export type { As4PathAttribute } from './as4-path.js';
export { asPathText, type AsPathAttribute, type AsPathSegment, type AsPathSegmentType } from './as-path.js';
export type { AtomicAggregateAttribute } from './atomic-aggregate.js';
export type { ClusterListAttribute } from './cluster-list.js';
export { communityText, communityValue, WELL_KNOWN_COMMUNITIES, type CommunitiesAttribute } from './communities.js';
export type { ExtCommunitiesAttribute } from './ext-communities.js';
export type { LargeCommunitiesAttribute } from './large-communities.js';
export type { LocalPrefAttribute } from './local-pref.js';
export type { MedAttribute } from './med.js';
export type { MpReachAttribute } from './mp-reach.js';
export type { MpUnreachAttribute } from './mp-unreach.js';
export type { NextHopAttribute } from './next-hop.js';
export type { OriginAttribute, OriginValue } from './origin.js';
export type { OriginatorIdAttribute } from './originator-id.js';
export { PMSI_TUNNEL_TYPES, pmsiTunnelTypeCode, type PmsiTunnelAttribute, type PmsiTunnelId, type PmsiTunnelTypeName } from './pmsi-tunnel.js';
export type { UnknownAttribute } from './unknown.js';
export { decodeAttributeList, type AttributeList, type AttributeListOptions } from './list.js';
export {
  attributeByCode,
  attributeByType,
  attributeCode,
  attributeName,
  knownAttributes,
  type AttributeType,
  type KnownAttribute,
  type PathAttribute,
} from './registry.js';
export { AttrCode, FLAG_EXTENDED_LENGTH, FLAG_OPTIONAL, FLAG_PARTIAL, FLAG_TRANSITIVE, type AttributeDescriptor } from './types.js';

/** The attribute of a given JSON type. */
export type AttributeOf<T extends PathAttribute['type']> = Extract<PathAttribute, { type: T }>;

/** The first attribute of a type in a list (an UPDATE holds at most one of each). */
export function findAttribute<T extends PathAttribute['type']>(attrs: readonly PathAttribute[], type: T): AttributeOf<T> | undefined {
  for (const a of attrs) if (a.type === type) return a as AttributeOf<T>;
  return undefined;
}

/** Standard flags of a JSON type (Optional/Transitive bits), undefined for 'unknown'. */
export function standardFlags(type: string): number | undefined {
  return attributeByType(type)?.flags;
}

function tooLong(what: string): never {
  return encodeError('attribute-too-long', `${what}: the value exceeds 255 bytes, it needs the Extended Length flag (0x10)`);
}

/** Writes one attribute: flags, code, length and value (see AttrBase.flags for the flags rules). */
export function writeAttribute(w: BufferWriter, attr: PathAttribute, ctx: CodecContext = DEFAULT_CONTEXT): void {
  if (attr.type === 'unknown') {
    if (attr.flags === undefined) encodeError('missing-flags', `attribute ${attr.code}: an unknown attribute needs its flags`);
    const value = fromHex(attr.hex);
    const ext = (attr.flags & FLAG_EXTENDED_LENGTH) !== 0;
    if (!ext && value.length > 255) tooLong(`attribute ${attr.code}`);
    w.u8(attr.flags).u8(attr.code);
    if (ext) w.u16(value.length);
    else w.u8(value.length);
    w.bytes(value);
    return;
  }
  const desc = attributeByType((attr as { type: unknown }).type as string);
  if (desc === undefined) encodeError('unknown-attribute-type', `no attribute of type ${JSON.stringify((attr as { type: unknown }).type)}`);
  if (attr.flags !== undefined) {
    const ext = (attr.flags & FLAG_EXTENDED_LENGTH) !== 0;
    w.u8(attr.flags).u8(desc.code);
    try {
      w.lengthPrefixed(ext ? 2 : 1, () => desc.encode(w, attr, ctx));
    } catch (e) {
      if (!ext && e instanceof WireError && e.code === 'value-out-of-range' && e.message.startsWith('length field')) tooLong(desc.name);
      throw e;
    }
    return;
  }
  const scratch = new BufferWriter(64);
  desc.encode(scratch, attr, ctx);
  const value = scratch.finish();
  if (value.length > 0xffff) encodeError('attribute-too-long', `${desc.name}: value of ${value.length} bytes exceeds 65535`);
  w.u8(desc.flags | (value.length > 255 ? FLAG_EXTENDED_LENGTH : 0)).u8(desc.code);
  if (value.length > 255) w.u16(value.length);
  else w.u8(value.length);
  w.bytes(value);
}

/** One attribute's bytes. */
export function encodeAttribute(attr: PathAttribute, ctx: CodecContext = DEFAULT_CONTEXT): Buffer {
  const w = new BufferWriter(64);
  writeAttribute(w, attr, ctx);
  return w.finish();
}

/**
 * Exactly one attribute (flags, code, length, value), strictly: any error, even one that would
 * only discard the attribute inside an UPDATE, is thrown. For tools and tests.
 */
export function decodeAttribute(bytes: Buffer, ctx: CodecContext = DEFAULT_CONTEXT): PathAttribute {
  const list = decodeAttributeList(bytes, 0, bytes.length, ctx);
  if (list.errors.length > 0) throw list.errors[0]!;
  if (list.attributes.length !== 1) {
    throw new WireError('not-one-attribute', `expected one attribute, found ${list.attributes.length}`, 'session-reset', {
      code: NotifyCode.Update,
      subcode: UpdateSubcode.MalformedAttributeList,
    });
  }
  return list.attributes[0]!;
}

/**
 * The attributes to pass on to another peer, RFC 4271 §5 and §9: an unrecognised optional
 * transitive attribute gets the Partial bit, an unrecognised optional non-transitive one is
 * dropped (and so is an unrecognised well-known one, which a decoded UPDATE never holds); known attributes are unchanged (the caller applies their own rules: NEXT_HOP, MED,
 * LOCAL_PREF, ...). Returns a new list; the input is not modified.
 */
export function forPropagation(attrs: readonly PathAttribute[]): PathAttribute[] {
  const out: PathAttribute[] = [];
  for (const a of attrs) {
    if (a.type !== 'unknown') out.push(a);
    else if ((a.flags & (FLAG_OPTIONAL | FLAG_TRANSITIVE)) === (FLAG_OPTIONAL | FLAG_TRANSITIVE)) out.push({ ...a, flags: a.flags | FLAG_PARTIAL });
  }
  return out;
}
