/**
 * What a session negotiated that changes the bytes. Decoders and encoders receive it explicitly
 * (never a global): one context for what we receive, one for what we send.
 */
import type { FamilyKey } from './afi.js';

export interface CodecContext {
  /** RFC 6793: both sides announced 4-octet AS, so AS_PATH/AGGREGATOR carry 4-byte ASNs. */
  readonly as4: boolean;
  /** RFC 7911: families whose NLRI carry a 4-byte path identifier in this direction. */
  readonly addPath: ReadonlySet<FamilyKey>;
  /** RFC 8950: families that may carry an IPv6 next hop for IPv4 NLRI. */
  readonly extendedNextHop: ReadonlySet<FamilyKey>;
  /** RFC 8654: messages up to 65535 bytes (otherwise 4096). */
  readonly extendedMessage: boolean;
}

export const DEFAULT_CONTEXT: CodecContext = {
  as4: true,
  addPath: new Set(),
  extendedNextHop: new Set(),
  extendedMessage: false,
};

/** The context of a session that negotiated nothing optional (2-octet AS). */
export const PLAIN_CONTEXT: CodecContext = { ...DEFAULT_CONTEXT, as4: false };

export function contextWith(overrides: Partial<CodecContext>): CodecContext {
  return { ...DEFAULT_CONTEXT, ...overrides };
}

export const MAX_MESSAGE = 4096;
export const MAX_EXTENDED_MESSAGE = 65535;
