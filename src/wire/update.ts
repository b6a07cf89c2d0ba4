/**
 * The UPDATE message body, RFC 4271 §4.3, with the error handling of RFC 7606.
 *
 *   +-----------------------------------------------------+
 *   |   Withdrawn Routes Length (2 octets)                |
 *   +-----------------------------------------------------+
 *   |   Withdrawn Routes (variable)                       |   IPv4 unicast prefixes
 *   +-----------------------------------------------------+
 *   |   Total Path Attribute Length (2 octets)            |
 *   +-----------------------------------------------------+
 *   |   Path Attributes (variable)                        |   attributes/list.ts
 *   +-----------------------------------------------------+
 *   |   Network Layer Reachability Information (variable) |   IPv4 unicast prefixes
 *   +-----------------------------------------------------+
 *
 * decodeUpdateBody returns the message, the errors that did not reset the session and their
 * strongest outcome (RFC 7606 §3 (h)); it throws a WireError when the session must reset:
 * - §3 (b) / RFC 4271 §6.3: the withdrawn or attribute length runs past the message
 *   (Malformed Attribute List);
 * - §3 (i), §5.3: a syntactically incorrect withdrawn routes or NLRI field (Invalid Network Field);
 * - §5.2: an error other than attribute discard in an UPDATE that carries attributes other than
 *   MP_UNREACH_NLRI but no reachable NLRI (the NLRI cannot be known to be parsed right);
 * - the attribute list's own reset cases (attributes/list.ts).
 * §3 (d): with reachable NLRI (NLRI field or MP_REACH_NLRI), a missing ORIGIN or AS_PATH (and
 * NEXT_HOP with a non-empty NLRI field; LOCAL_PREF when the peer is known internal) is
 * treat-as-withdraw.
 *
 * Received as is: the original BaGPipe sends withdrawals as MP_UNREACH_NLRI plus the full
 * attribute set of the withdrawn route (engine.md §4); nothing here objects to that.
 */
import { Afi, familyKey, Safi } from './afi.js';
import { attributeName, decodeAttributeList, findAttribute, writeAttribute, type AttributeListOptions, type AttributeOf, type PathAttribute } from './attributes/index.js';
import { AttrCode } from './attributes/types.js';
import type { MpReachAttribute } from './attributes/mp-reach.js';
import type { MpUnreachAttribute } from './attributes/mp-unreach.js';
import type { CodecContext } from './context.js';
import { guard, NotifyCode, strongerOutcome, UpdateSubcode, updateError, WireError, type ErrorOutcome } from './errors.js';
import type { IpPrefixNlri } from './nlri/ip-prefix.js';
import { decodeNlriField, encodeNlriField, type Nlri } from './nlri/registry.js';
import { BufferReader, type ShortReadPolicy } from './reader.js';
import type { BufferWriter } from './writer.js';

export interface UpdateMessage {
  type: 'update';
  /** Withdrawn IPv4 unicast routes (the classic field; other families use MP_UNREACH_NLRI). */
  withdrawn: IpPrefixNlri[];
  /** Path attributes in received order, flags as received. */
  attributes: PathAttribute[];
  /** Reachable IPv4 unicast routes (the classic field; their next hop is NEXT_HOP). */
  nlri: IpPrefixNlri[];
}

export type UpdateOutcome = Exclude<ErrorOutcome, 'session-reset'>;

export interface UpdateDecodeResult {
  message: UpdateMessage;
  /** Errors handled without a session reset, in order; each carries its own outcome. */
  errors: WireError[];
  /**
   * The strongest outcome among `errors`, absent when there is none. 'treat-as-withdraw': the
   * routes the message carries (routesToWithdraw) must be withdrawn; 'afi-safi-disable': the
   * families in `disabledFamilies` must be disabled (their routes from the peer removed); the
   * session may still choose to reset (each error has its NOTIFICATION).
   */
  outcome?: UpdateOutcome;
  /** Families whose MP_REACH_NLRI / MP_UNREACH_NLRI was malformed (RFC 4760 §7, RFC 7606 §7.11). */
  disabledFamilies?: { afi: number; safi: number }[];
}

export type UpdateDecodeOptions = AttributeListOptions;

const IPV4_UNICAST = familyKey(Afi.IPv4, Safi.Unicast);

const WITHDRAWN_POLICY: ShortReadPolicy = {
  what: 'UPDATE withdrawn routes',
  outcome: 'session-reset',
  notification: { code: NotifyCode.Update, subcode: UpdateSubcode.InvalidNetworkField },
};

const NLRI_POLICY: ShortReadPolicy = {
  what: 'UPDATE NLRI',
  outcome: 'session-reset',
  notification: { code: NotifyCode.Update, subcode: UpdateSubcode.InvalidNetworkField },
};

function prefixes(body: Buffer, start: number, end: number, policy: ShortReadPolicy, ctx: CodecContext): IpPrefixNlri[] {
  if (start === end) return [];
  return decodeNlriField(Afi.IPv4, Safi.Unicast, new BufferReader(body, start, end, policy), ctx) as IpPrefixNlri[];
}

function decodeBody(body: Buffer, ctx: CodecContext, options: UpdateDecodeOptions): UpdateDecodeResult {
  const n = body.length;
  if (n < 4) throw updateError('bad-update-length', `UPDATE: body of ${n} byte(s), at least 4 needed`, UpdateSubcode.MalformedAttributeList);
  const withdrawnLength = body.readUInt16BE(0);
  if (4 + withdrawnLength > n) {
    throw updateError('bad-withdrawn-length', `UPDATE: withdrawn routes length ${withdrawnLength} exceeds the ${n - 4} byte(s) available`, UpdateSubcode.MalformedAttributeList);
  }
  const attrStart = 4 + withdrawnLength;
  const attrLength = body.readUInt16BE(2 + withdrawnLength);
  if (attrStart + attrLength > n) {
    throw updateError('bad-attribute-list-length', `UPDATE: total path attribute length ${attrLength} exceeds the ${n - attrStart} byte(s) left`, UpdateSubcode.MalformedAttributeList);
  }
  const attrEnd = attrStart + attrLength;
  const withdrawn = prefixes(body, 2, 2 + withdrawnLength, WITHDRAWN_POLICY, ctx);
  const list = decodeAttributeList(body, attrStart, attrEnd, ctx, options);
  const nlri = prefixes(body, attrEnd, n, NLRI_POLICY, ctx);
  const { errors, seen } = list;

  // §3 (d): well-known mandatory attributes with reachable NLRI (RFC 4760 §3 for MP_REACH_NLRI).
  const reach = nlri.length > 0 || seen[AttrCode.MpReachNlri] === 1;
  if (reach) {
    const needed: number[] = [AttrCode.Origin, AttrCode.AsPath];
    if (nlri.length > 0) needed.push(AttrCode.NextHop);
    if (options.peerType === 'internal') needed.push(AttrCode.LocalPref);
    for (const code of needed) {
      if (seen[code]) continue;
      errors.push(
        new WireError('missing-well-known-attribute', `UPDATE: ${attributeName(code)} missing with reachable NLRI (RFC 7606 §3 (d))`, 'treat-as-withdraw', {
          code: NotifyCode.Update,
          subcode: UpdateSubcode.MissingWellKnownAttribute,
          data: Uint8Array.of(code),
        }),
      );
    }
  }

  let outcome: UpdateOutcome | undefined;
  for (const e of errors) outcome = outcome === undefined ? (e.outcome as UpdateOutcome) : (strongerOutcome(outcome, e.outcome) as UpdateOutcome);

  // §5.2: attributes but no reachable NLRI: only attribute discard can be trusted.
  if (!reach && list.others > 0 && outcome !== undefined && outcome !== 'attribute-discard') {
    const e = errors.find((x) => x.outcome !== 'attribute-discard')!;
    throw e.withOutcome('session-reset', e.notification, 'UPDATE without reachable NLRI (RFC 7606 §5.2)');
  }

  const result: UpdateDecodeResult = { message: { type: 'update', withdrawn, attributes: list.attributes, nlri }, errors };
  if (outcome !== undefined) result.outcome = outcome;
  if (list.disabled.length > 0) result.disabledFamilies = list.disabled;
  return result;
}

/** Decodes an UPDATE body (the bytes after the 19-byte header). Throws WireError on session reset. */
export function decodeUpdateBody(body: Buffer, ctx: CodecContext, options: UpdateDecodeOptions = {}): UpdateDecodeResult {
  return guard('UPDATE', () => decodeBody(body, ctx, options));
}

/** Writes an UPDATE body (no header): attributes in the given order, with their flags. */
export function encodeUpdateBody(w: BufferWriter, msg: UpdateMessage, ctx: CodecContext): void {
  w.lengthPrefixed(2, () => encodeNlriField(Afi.IPv4, Safi.Unicast, w, msg.withdrawn, ctx));
  w.lengthPrefixed(2, () => {
    for (const a of msg.attributes) writeAttribute(w, a, ctx);
  });
  encodeNlriField(Afi.IPv4, Safi.Unicast, w, msg.nlri, ctx);
}

/** The MP_REACH_NLRI attribute, if any. */
export function mpReach(msg: UpdateMessage): MpReachAttribute | undefined {
  return findAttribute(msg.attributes, 'mp-reach');
}

/** The MP_UNREACH_NLRI attribute, if any. */
export function mpUnreach(msg: UpdateMessage): MpUnreachAttribute | undefined {
  return findAttribute(msg.attributes, 'mp-unreach');
}

/**
 * RFC 4724 §2 End-of-RIB: for IPv4 unicast an UPDATE with nothing in it; for another family an
 * UPDATE whose only content is an MP_UNREACH_NLRI of that family without NLRI.
 */
export function isEndOfRib(msg: UpdateMessage): { afi: number; safi: number } | undefined {
  if (msg.withdrawn.length > 0 || msg.nlri.length > 0) return undefined;
  if (msg.attributes.length === 0) return { afi: Afi.IPv4, safi: Safi.Unicast };
  const only = msg.attributes[0]!;
  if (msg.attributes.length === 1 && only.type === 'mp-unreach' && only.nlri.length === 0) return { afi: only.afi, safi: only.safi };
  return undefined;
}

/** The End-of-RIB marker of a family (RFC 4724 §2). */
export function endOfRib(afi: number, safi: number): UpdateMessage {
  if (familyKey(afi, safi) === IPV4_UNICAST) return { type: 'update', withdrawn: [], attributes: [], nlri: [] };
  return { type: 'update', withdrawn: [], attributes: [{ type: 'mp-unreach', afi, safi, nlri: [] }], nlri: [] };
}

/**
 * Every route the UPDATE carries, by family: what treat-as-withdraw (RFC 7606 §2) removes. The
 * classic fields count as IPv4 unicast; MP_REACH_NLRI and MP_UNREACH_NLRI as their family.
 */
export function routesToWithdraw(msg: UpdateMessage): { afi: number; safi: number; nlri: Nlri[] }[] {
  const out: { afi: number; safi: number; nlri: Nlri[] }[] = [];
  const classic = [...msg.withdrawn, ...msg.nlri];
  if (classic.length > 0) out.push({ afi: Afi.IPv4, safi: Safi.Unicast, nlri: classic });
  for (const a of msg.attributes) {
    if ((a.type !== 'mp-reach' && a.type !== 'mp-unreach') || a.nlri.length === 0) continue;
    const same = out.find((f) => f.afi === a.afi && f.safi === a.safi);
    if (same) same.nlri.push(...a.nlri);
    else out.push({ afi: a.afi, safi: a.safi, nlri: [...a.nlri] });
  }
  return out;
}

/** The attribute of a type in the UPDATE, if any. */
export function attributeOf<T extends PathAttribute['type']>(msg: UpdateMessage, type: T): AttributeOf<T> | undefined {
  return findAttribute(msg.attributes, type);
}

/** Common attribute values (undefined / empty when absent). */
export const originOf = (msg: UpdateMessage) => attributeOf(msg, 'origin')?.value;
export const asPathOf = (msg: UpdateMessage) => attributeOf(msg, 'as-path')?.segments;
export const nextHopOf = (msg: UpdateMessage) => attributeOf(msg, 'next-hop')?.value;
export const medOf = (msg: UpdateMessage) => attributeOf(msg, 'med')?.value;
export const localPrefOf = (msg: UpdateMessage) => attributeOf(msg, 'local-pref')?.value;
export const communitiesOf = (msg: UpdateMessage) => attributeOf(msg, 'communities')?.communities ?? [];
export const extCommunitiesOf = (msg: UpdateMessage) => attributeOf(msg, 'ext-communities')?.communities ?? [];
export const largeCommunitiesOf = (msg: UpdateMessage) => attributeOf(msg, 'large-communities')?.communities ?? [];
export const originatorIdOf = (msg: UpdateMessage) => attributeOf(msg, 'originator-id')?.value;
export const clusterListOf = (msg: UpdateMessage) => attributeOf(msg, 'cluster-list')?.clusterIds ?? [];
export const pmsiTunnelOf = (msg: UpdateMessage) => attributeOf(msg, 'pmsi-tunnel');
