/**
 * The contract every NLRI family implements (one file or folder per family, BIRD-style table in
 * registry.ts). A codec decodes and encodes ONE NLRI; the ADD-PATH path identifier (RFC 7911)
 * and the looping over an NLRI field are generic and live in registry.ts.
 */
import type { Afi, Safi } from '../afi.js';
import type { CodecContext } from '../context.js';
import type { BufferReader } from '../reader.js';
import type { BufferWriter } from '../writer.js';

/** Every NLRI's JSON form has a `kind` and, when ADD-PATH is in use, a `pathId`. */
export interface NlriBase {
  kind: string;
  /** RFC 7911 path identifier, present only when ADD-PATH applies to the family. */
  pathId?: number;
}

/**
 * Layout of the MP_REACH_NLRI next hop of the family (RFC 4760 §3):
 * - 'ip': an IPv4 (4) or IPv6 (16, or 32 with a link-local) address;
 * - 'vpn-ip': RD (8 zero bytes) + address, RFC 4364 §4.3.2 / RFC 4659 §3.2 (12, 24 or 48);
 * - 'none': length 0 (FlowSpec, RFC 8955 §4: receivers ignore a non-zero one).
 */
export type NextHopForm = 'ip' | 'vpn-ip' | 'none';

export interface NlriCodec<N extends NlriBase = NlriBase> {
  readonly afi: Afi;
  readonly safi: Safi;
  readonly nextHop: NextHopForm;
  /** Decodes one NLRI (its path id, if any, was already read) and advances past it. */
  decode(r: BufferReader, ctx: CodecContext): N;
  /** Encodes one NLRI (without its path id). */
  encode(w: BufferWriter, nlri: N, ctx: CodecContext): void;
}
