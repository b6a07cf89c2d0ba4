/**
 * The codec's one error type. Every decoding failure is a WireError that knows
 * - a stable code (for logs, tests and the looking glass),
 * - its RFC 7606 outcome (what the session must do with the UPDATE or message), and
 * - the NOTIFICATION (RFC 4271 §4.5, §6) it maps to when the outcome resets the session.
 *
 * Decoders never throw anything else: property tests feed random bytes and check that.
 */

/** RFC 7606 §2 error handling approaches, weakest first. */
export type ErrorOutcome = 'attribute-discard' | 'treat-as-withdraw' | 'afi-safi-disable' | 'session-reset';

const STRENGTH: Record<ErrorOutcome, number> = {
  'attribute-discard': 0,
  'treat-as-withdraw': 1,
  'afi-safi-disable': 2,
  'session-reset': 3,
};

/** The stronger of two outcomes (RFC 7606 §3 (j): the strongest applicable approach wins). */
export function strongerOutcome(a: ErrorOutcome, b: ErrorOutcome): ErrorOutcome {
  return STRENGTH[a] >= STRENGTH[b] ? a : b;
}

/** NOTIFICATION error codes, RFC 4271 §4.5 and RFC 7313 (route-refresh). */
export enum NotifyCode {
  MessageHeader = 1,
  Open = 2,
  Update = 3,
  HoldTimerExpired = 4,
  Fsm = 5,
  Cease = 6,
  RouteRefresh = 7,
}

/** Subcodes of Message Header Error (RFC 4271 §6.1). */
export enum HeaderSubcode {
  ConnectionNotSynchronized = 1,
  BadMessageLength = 2,
  BadMessageType = 3,
}

/** Subcodes of OPEN Message Error (RFC 4271 §6.2, RFC 5492, RFC 9234). */
export enum OpenSubcode {
  UnsupportedVersion = 1,
  BadPeerAs = 2,
  BadBgpIdentifier = 3,
  UnsupportedOptionalParameter = 4,
  UnacceptableHoldTime = 6,
  UnsupportedCapability = 7,
  RoleMismatch = 11,
}

/** Subcodes of UPDATE Message Error (RFC 4271 §6.3). */
export enum UpdateSubcode {
  MalformedAttributeList = 1,
  UnrecognizedWellKnownAttribute = 2,
  MissingWellKnownAttribute = 3,
  AttributeFlagsError = 4,
  AttributeLengthError = 5,
  InvalidOrigin = 6,
  InvalidNextHop = 8,
  OptionalAttributeError = 9,
  InvalidNetworkField = 10,
  MalformedAsPath = 11,
}

/** Subcodes of Cease (RFC 4486, RFC 8203, RFC 9003). */
export enum CeaseSubcode {
  MaxPrefixes = 1,
  AdministrativeShutdown = 2,
  PeerDeconfigured = 3,
  AdministrativeReset = 4,
  ConnectionRejected = 5,
  OtherConfigurationChange = 6,
  ConnectionCollisionResolution = 7,
  OutOfResources = 8,
  HardReset = 9,
  BfdDown = 10,
}

/** Subcodes of ROUTE-REFRESH Message Error (RFC 7313 §5). */
export enum RouteRefreshSubcode {
  InvalidMessageLength = 1,
}

export interface NotificationSpec {
  code: NotifyCode;
  subcode: number;
  /** Data field of the NOTIFICATION (e.g. the offending attribute), if any. */
  data?: Uint8Array;
}

export class WireError extends Error {
  override readonly name = 'WireError';
  constructor(
    /** Stable, kebab-case identifier such as 'truncated' or 'bad-origin-value'. */
    readonly code: string,
    message: string,
    readonly outcome: ErrorOutcome,
    readonly notification: NotificationSpec,
  ) {
    super(message);
  }

  /** The same error with another outcome/notification, keeping code and message (used when an
   * enclosing decoder knows better, e.g. a short read inside an optional attribute). */
  withOutcome(outcome: ErrorOutcome, notification: NotificationSpec = this.notification, prefix?: string): WireError {
    return new WireError(this.code, prefix ? `${prefix}: ${this.message}` : this.message, outcome, notification);
  }
}

/** A session-resetting UPDATE error (the most common kind at message level). */
export function updateError(code: string, message: string, subcode: UpdateSubcode, data?: Uint8Array): WireError {
  return new WireError(code, message, 'session-reset', { code: NotifyCode.Update, subcode, ...(data ? { data } : {}) });
}

/** Runs fn; any non-WireError thrown inside is a codec bug, so it is wrapped, never leaked. */
export function guard<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof WireError) throw e;
    throw new WireError('internal', `${what}: ${(e as Error)?.message ?? String(e)}`, 'session-reset', {
      code: NotifyCode.MessageHeader,
      subcode: HeaderSubcode.ConnectionNotSynchronized,
    });
  }
}
