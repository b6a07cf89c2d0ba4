/**
 * FlowSpec NLRI JSON forms and the component descriptor table (RFC 8955 §4.2, RFC 8956 §3,
 * IANA "Flow Spec Component Types"). One row per component type code; the decoder, the encoder
 * and the rule text all look a component up here, so adding a type is adding a row (and, for a
 * new kind of encoding, a file beside prefix-component.ts / numeric-component.ts /
 * bitmask-component.ts).
 *
 *   code  IPv4 (RFC 8955)      IPv6 (RFC 8956)         encoding
 *   1     Destination Prefix   Destination IPv6 Prefix prefix (IPv6: with offset)
 *   2     Source Prefix        Source IPv6 Prefix      prefix (IPv6: with offset)
 *   3     IP Protocol          Upper-Layer Protocol    numeric
 *   4     Port                 Port                    numeric
 *   5     Destination Port     Destination Port        numeric
 *   6     Source Port          Source Port             numeric
 *   7     ICMP Type            ICMPv6 Type             numeric
 *   8     ICMP Code            ICMPv6 Code             numeric
 *   9     TCP Flags            TCP Flags               bitmask
 *   10    Packet Length        Packet Length           numeric
 *   11    DSCP                 DSCP (traffic class)    numeric
 *   12    Fragment             Fragment                bitmask (IPv6: no DF bit)
 *   13    -                    Flow Label              numeric
 */
import { NotifyCode, UpdateSubcode, WireError, type NotificationSpec } from '../../errors.js';
import type { IpVersion } from '../../ip.js';
import type { ShortReadPolicy } from '../../reader.js';

/**
 * An operator value: a number when it is at most 2^53-1 (always the case for 1, 2 and 4-byte
 * values), otherwise its exact decimal text (only 8-byte values can be that large).
 */
export type FlowspecValue = number | string;

/** Size of an operator's value on the wire (the operator's `len` bits: 00, 01, 10, 11). */
export type ValueLength = 1 | 2 | 4 | 8;

/**
 * The lt/gt/eq bits of a numeric operator (RFC 8955 §4.2.1.1): 'false' (000) and 'true' (111)
 * do not depend on the value.
 */
export type NumericOp = 'false' | '==' | '>' | '>=' | '<' | '<=' | '!=' | 'true';

/** One {numeric_op, value} pair. */
export interface NumericItem {
  /** AND with the previous term (otherwise OR). Always false on the first item (RFC 8955 §4.2.1.1). */
  and: boolean;
  op: NumericOp;
  value: FlowspecValue;
  /** Value size on the wire; always present when decoded; the encoder picks the minimal one without it. */
  length?: ValueLength;
}

/** One {bitmask_op, bitmask} pair (RFC 8955 §4.2.1.2). */
export interface BitmaskItem {
  /** AND with the previous term (otherwise OR). Always false on the first item. */
  and: boolean;
  /** Negate the result of this term. */
  not: boolean;
  /** true: (data AND value) == value (all bits); false: (data AND value) != 0 (any bit). */
  match: boolean;
  value: FlowspecValue;
  /** As in NumericItem. */
  length?: ValueLength;
}

export type FlowspecPrefixType = 'destination-prefix' | 'source-prefix';
export type FlowspecNumericType =
  | 'ip-protocol'
  | 'port'
  | 'destination-port'
  | 'source-port'
  | 'icmp-type'
  | 'icmp-code'
  | 'packet-length'
  | 'dscp'
  | 'flow-label';
export type FlowspecBitmaskType = 'tcp-flags' | 'fragment';

/** Types 1 and 2. */
export interface FlowspecPrefixComponent {
  type: FlowspecPrefixType;
  /**
   * "addr/len", bits outside the matched range cleared. IPv6: the matched bits are those from
   * `offset` to `len` (RFC 8956 §3.1), shown at their place in the address.
   */
  prefix: string;
  /** IPv6 only: bits skipped before matching starts (RFC 8956 §3.1); present only when non-zero. */
  offset?: number;
}

/** Types 3-8, 10, 11, 13. */
export interface FlowspecNumericComponent {
  type: FlowspecNumericType;
  /** At least one. */
  items: NumericItem[];
}

/** Types 9 and 12. */
export interface FlowspecBitmaskComponent {
  type: FlowspecBitmaskType;
  /** At least one. */
  items: BitmaskItem[];
}

export type FlowspecComponent = FlowspecPrefixComponent | FlowspecNumericComponent | FlowspecBitmaskComponent;
export type FlowspecComponentType = FlowspecComponent['type'];

export type ComponentEncoding = 'prefix' | 'numeric' | 'bitmask';

export interface ComponentDescriptor {
  /** IANA component type code. */
  readonly code: number;
  readonly type: FlowspecComponentType;
  readonly encoding: ComponentEncoding;
  /** Families where the type exists (13, flow label, is IPv6 only). */
  readonly v4: boolean;
  readonly v6: boolean;
  /** Keyword in the rule text (GoBGP CLI names). */
  readonly keyword: string;
}

/** The table, in code order. */
export const COMPONENTS: readonly ComponentDescriptor[] = [
  { code: 1, type: 'destination-prefix', encoding: 'prefix', v4: true, v6: true, keyword: 'destination' },
  { code: 2, type: 'source-prefix', encoding: 'prefix', v4: true, v6: true, keyword: 'source' },
  { code: 3, type: 'ip-protocol', encoding: 'numeric', v4: true, v6: true, keyword: 'protocol' },
  { code: 4, type: 'port', encoding: 'numeric', v4: true, v6: true, keyword: 'port' },
  { code: 5, type: 'destination-port', encoding: 'numeric', v4: true, v6: true, keyword: 'destination-port' },
  { code: 6, type: 'source-port', encoding: 'numeric', v4: true, v6: true, keyword: 'source-port' },
  { code: 7, type: 'icmp-type', encoding: 'numeric', v4: true, v6: true, keyword: 'icmp-type' },
  { code: 8, type: 'icmp-code', encoding: 'numeric', v4: true, v6: true, keyword: 'icmp-code' },
  { code: 9, type: 'tcp-flags', encoding: 'bitmask', v4: true, v6: true, keyword: 'tcp-flags' },
  { code: 10, type: 'packet-length', encoding: 'numeric', v4: true, v6: true, keyword: 'packet-length' },
  { code: 11, type: 'dscp', encoding: 'numeric', v4: true, v6: true, keyword: 'dscp' },
  { code: 12, type: 'fragment', encoding: 'bitmask', v4: true, v6: true, keyword: 'fragment' },
  { code: 13, type: 'flow-label', encoding: 'numeric', v4: false, v6: true, keyword: 'label' },
];

const BY_CODE: (ComponentDescriptor | undefined)[] = [];
const BY_TYPE = new Map<string, ComponentDescriptor>();
for (const d of COMPONENTS) {
  BY_CODE[d.code] = d;
  BY_TYPE.set(d.type, d);
}

/** The descriptor of a wire code in a family; undefined when the family does not define it. */
export function componentByCode(code: number, version: IpVersion): ComponentDescriptor | undefined {
  const d = BY_CODE[code];
  return d !== undefined && (version === 4 ? d.v4 : d.v6) ? d : undefined;
}

/** The descriptor of a JSON type name (any family); undefined for an unknown name. */
export function componentByType(type: string): ComponentDescriptor | undefined {
  return BY_TYPE.get(type);
}

/**
 * Fragment bitmask bits each family defines (RFC 8955 §4.2.2.12: LF FF IsF DF; RFC 8956 §3.6:
 * LF FF IsF 0). The others are reserved: cleared when decoding, refused when encoding.
 */
export const FRAGMENT_BITS: Readonly<Record<IpVersion, number>> = { 4: 0x0f, 6: 0x0e };

/** Largest NLRI length: the 2-octet form keeps 12 bits (0xF000 | length, RFC 8955 §4.1). */
export const MAX_NLRI_LENGTH = 0xfff;

/**
 * RFC 8955 §4.2 and §10, RFC 7606 §5.3: an NLRI whose value is malformed (unknown component
 * type, components out of order or repeated, bad operator list, bad prefix) while its length
 * field is sound leaves the rest of the NLRI field parseable, so the UPDATE is treated as
 * withdraw. The NOTIFICATION is only used if the receiver escalates (MP_REACH_NLRI is an
 * optional attribute: Optional Attribute Error, RFC 4760 §7).
 */
export const FLOWSPEC_NOTIFICATION: NotificationSpec = {
  code: NotifyCode.Update,
  subcode: UpdateSubcode.OptionalAttributeError,
};

export const FLOWSPEC_BODY_POLICY: ShortReadPolicy = {
  what: 'FlowSpec NLRI',
  outcome: 'treat-as-withdraw',
  notification: FLOWSPEC_NOTIFICATION,
};

/** An encoder input error (JSON from the API or a bug), like the writer's range errors. */
export function invalidFlowspec(code: string, message: string): never {
  throw new WireError(code, `FlowSpec: ${message}`, 'session-reset', { code: NotifyCode.Cease, subcode: 0 });
}

/** Array.isArray without its narrowing to any[] (JSON input may not be an array at all). */
export function isList(x: unknown): boolean {
  return Array.isArray(x);
}
