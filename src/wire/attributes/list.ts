/**
 * The path attribute list of an UPDATE (RFC 4271 §4.3) with the error handling of RFC 7606:
 *
 * - §4: an attribute header cut short, or a length running past the list, stops the parse:
 *   treat-as-withdraw (the total length still locates the NLRI field);
 * - §3 (g): a repeated attribute is discarded (all but the first), a repeated MP_REACH_NLRI or
 *   MP_UNREACH_NLRI resets the session (Malformed Attribute List);
 * - RFC 4271 §6.3: an unrecognised well-known attribute (Optional bit clear) resets the session;
 * - §3 (c): Optional/Transitive bits in conflict with the attribute's → its flags-error approach
 *   (treat-as-withdraw; attribute discard for AS4_*; AFI/SAFI disable for MP_*). A Partial bit on
 *   a well-known attribute (RFC 4271 §4.3: must be 0) is a flags error too; on optional ones it is
 *   accepted;
 * - §7: a malformed value → the attribute's approach (descriptor `malformed`); for MP_REACH_NLRI
 *   and MP_UNREACH_NLRI AFI/SAFI disable when the family can be read, else session reset;
 * - §7.5, §7.9, §7.10: LOCAL_PREF, ORIGINATOR_ID, CLUSTER_LIST from an external peer are
 *   discarded; RFC 6793 §3: AS4_PATH / AS4_AGGREGATOR between 4-octet-AS speakers are discarded.
 *
 * Session-reset errors are thrown; the others are returned in `errors`, and the attribute they
 * concern is left out of `attributes` (the UPDATE decoder combines the outcomes, §3 (h)).
 */
import { familyName } from '../afi.js';
import type { CodecContext } from '../context.js';
import { NotifyCode, UpdateSubcode, WireError, updateError, type ErrorOutcome, type NotificationSpec } from '../errors.js';
import { toHex } from '../hex.js';
import { BufferReader, type ShortReadPolicy } from '../reader.js';
import { attributeByCode, attributeName, knownAttributes, type PathAttribute } from './registry.js';
import { AttrCode, FLAG_EXTENDED_LENGTH, FLAG_OPTIONAL, FLAG_PARTIAL, FLAG_TRANSITIVE } from './types.js';

export interface AttributeListOptions {
  /**
   * The kind of session the UPDATE came from, when the caller knows it: 'external' discards
   * LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST (RFC 7606 §7.5, §7.9, §7.10); 'internal' makes
   * LOCAL_PREF mandatory with reachable NLRI (RFC 4271 §5.1.5, RFC 4760 §3).
   */
  peerType?: 'internal' | 'external';
}

export interface AttributeList {
  /** Attributes in received order, without the discarded and malformed ones. */
  attributes: PathAttribute[];
  /** Errors that do not reset the session, in order; each knows its RFC 7606 outcome. */
  errors: WireError[];
  /** 1 at each type code that occurred (the first occurrence, even if malformed). */
  seen: Uint8Array;
  /** Families whose MP_REACH_NLRI / MP_UNREACH_NLRI was malformed (AFI/SAFI disable). */
  disabled: { afi: number; safi: number }[];
  /** Number of attributes other than MP_UNREACH_NLRI met, counting a truncated one (§5.2). */
  others: number;
}

const POLICIES: readonly (ShortReadPolicy | undefined)[] = (() => {
  const t = new Array<ShortReadPolicy | undefined>(256).fill(undefined);
  for (const d of knownAttributes()) {
    const mp = d.code === AttrCode.MpReachNlri || d.code === AttrCode.MpUnreachNlri;
    t[d.code] = {
      what: d.name,
      outcome: d.malformed,
      notification: { code: NotifyCode.Update, subcode: mp ? UpdateSubcode.OptionalAttributeError : UpdateSubcode.AttributeLengthError },
    };
  }
  return t;
})();

const IBGP_ONLY = new Set<number>([AttrCode.LocalPref, AttrCode.OriginatorId, AttrCode.ClusterList]);

function hex2(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

function notify(subcode: UpdateSubcode, data?: Uint8Array): NotificationSpec {
  return data ? { code: NotifyCode.Update, subcode, data } : { code: NotifyCode.Update, subcode };
}

/** Decodes the attributes in buf[start, end). Throws a WireError for session-reset cases. */
export function decodeAttributeList(buf: Buffer, start: number, end: number, ctx: CodecContext, options: AttributeListOptions = {}): AttributeList {
  const attributes: PathAttribute[] = [];
  const errors: WireError[] = [];
  const seen = new Uint8Array(256);
  const disabled: { afi: number; safi: number }[] = [];
  let others = 0;
  let pos = start;
  while (pos < end) {
    const at = pos;
    const left = end - pos;
    const flags = buf[pos]!;
    const header = flags & FLAG_EXTENDED_LENGTH ? 4 : 3;
    if (left < header) {
      others++;
      errors.push(
        new WireError(
          'attribute-header-truncated',
          `attribute list: ${left} byte(s) left at offset ${at - start}, an attribute header needs ${header} (RFC 7606 §4)`,
          'treat-as-withdraw',
          notify(UpdateSubcode.MalformedAttributeList),
        ),
      );
      break;
    }
    const code = buf[pos + 1]!;
    const length = header === 4 ? buf.readUInt16BE(pos + 2) : buf[pos + 2]!;
    const vstart = pos + header;
    const vend = vstart + length;
    const name = attributeName(code);
    if (code !== AttrCode.MpUnreachNlri) others++;
    if (vend > end) {
      errors.push(
        new WireError(
          'attribute-length-overrun',
          `${name}: length ${length} runs past the attribute list (${end - vstart} byte(s) left) (RFC 7606 §4)`,
          'treat-as-withdraw',
          notify(UpdateSubcode.AttributeLengthError),
        ),
      );
      break;
    }
    pos = vend;
    const raw = (): Buffer => Buffer.from(buf.subarray(at, vend));

    // §3 (g): duplicates.
    if (seen[code]) {
      if (code === AttrCode.MpReachNlri || code === AttrCode.MpUnreachNlri) {
        throw updateError('duplicate-mp-attribute', `${name}: appears more than once (RFC 7606 §3 (g))`, UpdateSubcode.MalformedAttributeList);
      }
      errors.push(new WireError('duplicate-attribute', `${name}: repeated at offset ${at - start}, discarded (RFC 7606 §3 (g))`, 'attribute-discard', notify(UpdateSubcode.MalformedAttributeList)));
      continue;
    }
    seen[code] = 1;

    const desc = attributeByCode(code);
    if (desc === undefined) {
      if (!(flags & FLAG_OPTIONAL)) {
        throw updateError('unrecognized-well-known-attribute', `${name}: flags ${hex2(flags)} say well-known, but the type is not recognised`, UpdateSubcode.UnrecognizedWellKnownAttribute, raw());
      }
      attributes.push({ type: 'unknown', code, flags, hex: toHex(buf.subarray(vstart, vend)) });
      continue;
    }

    let failure: WireError | undefined;
    if ((flags & (FLAG_OPTIONAL | FLAG_TRANSITIVE)) !== desc.flags || (!(desc.flags & FLAG_OPTIONAL) && flags & FLAG_PARTIAL)) {
      failure = new WireError(
        'bad-attribute-flags',
        `${name}: flags ${hex2(flags)} conflict with the attribute's ${hex2(desc.flags)} (RFC 7606 §3 (c))`,
        desc.flagsError ?? 'treat-as-withdraw',
        notify(UpdateSubcode.AttributeFlagsError, raw()),
      );
    } else if (options.peerType === 'external' && IBGP_ONLY.has(code)) {
      errors.push(new WireError('ibgp-only-attribute', `${name}: received from an external peer, discarded (RFC 7606 §7)`, 'attribute-discard', notify(UpdateSubcode.OptionalAttributeError)));
      continue;
    } else if (ctx.as4 && (code === AttrCode.As4Path || code === AttrCode.As4Aggregator)) {
      errors.push(new WireError('unexpected-as4-attribute', `${name}: received although both sides use 4-octet AS numbers, discarded (RFC 6793 §3)`, 'attribute-discard', notify(UpdateSubcode.OptionalAttributeError)));
      continue;
    } else {
      try {
        const r = new BufferReader(buf, vstart, vend, POLICIES[code]);
        const attr = desc.decode(r, flags, ctx, errors);
        if (!r.atEnd) r.fail('bad-attribute-length', `${r.remaining} byte(s) left over after the value`);
        attributes.push(attr);
        continue;
      } catch (e) {
        const err = e instanceof WireError ? e : new WireError('internal', `${name}: ${String((e as Error)?.message ?? e)}`, 'session-reset', notify(UpdateSubcode.MalformedAttributeList));
        failure = new WireError(err.code, err.message, err.outcome, { ...err.notification, data: raw() });
      }
    }

    let outcome: ErrorOutcome = failure.outcome;
    let message = failure.message;
    let notification = failure.notification;
    if (code === AttrCode.MpReachNlri || code === AttrCode.MpUnreachNlri) {
      notification = { ...notification, subcode: UpdateSubcode.OptionalAttributeError };
      if (length >= 3) {
        const family = { afi: buf.readUInt16BE(vstart), safi: buf[vstart + 2]! };
        outcome = 'afi-safi-disable';
        message = `${familyName(family.afi, family.safi)} ${message}`;
        disabled.push(family);
      } else outcome = 'session-reset';
    }
    const error = new WireError(failure.code, message, outcome, notification);
    if (outcome === 'session-reset') throw error;
    errors.push(error);
  }
  return { attributes, errors, seen, disabled, others };
}
