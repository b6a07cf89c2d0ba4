/**
 * The NLRI descriptor table (BIRD-style: one row per AFI/SAFI, adding a family is adding a row)
 * and the generic parts of an NLRI field: the loop over the field and the RFC 7911 ADD-PATH path
 * identifier, read before each NLRI of the families where it was negotiated.
 *
 *   +--------------------------------+
 *   | Path Identifier (4 octets)     |   only when ADD-PATH applies (RFC 7911 §3)
 *   +--------------------------------+
 *   | NLRI of the family (variable)  |
 *   +--------------------------------+
 *   ... repeated to the end of the field
 *
 * A family without a row cannot be split into NLRI (their lengths are family specific), so its
 * whole field is kept as one OpaqueNlri and round-trips.
 *
 * Errors: decoding fails with the reader's policy (the caller gives the field a reader whose
 * policy carries the RFC 7606 outcome, e.g. AFI/SAFI disable for MP_REACH_NLRI); codec bugs are
 * wrapped as 'internal' by guard(). Encoding: 'nlri-kind-mismatch' (an NLRI of another kind than
 * the family's), 'missing-path-id' (ADD-PATH applies but the NLRI has no pathId).
 */
import { familyKey, type FamilyKey } from '../afi.js';
import type { CodecContext } from '../context.js';
import { guard, NotifyCode, WireError } from '../errors.js';
import { fromHex, toHex } from '../hex.js';
import type { BufferReader } from '../reader.js';
import type { BufferWriter } from '../writer.js';
import type { NlriBase, NlriCodec } from './codec.js';
import { evpnCodec, type EvpnNlri } from './evpn/index.js';
import { flowspecCodecs, type FlowspecNlri } from './flowspec/index.js';
import { ipv4MulticastCodec, ipv4UnicastCodec, ipv6MulticastCodec, ipv6UnicastCodec, type IpPrefixNlri } from './ip-prefix.js';
import { rtcCodec, type RtcNlri } from './rtc.js';
import { vpnIpv4Codec, vpnIpv6Codec, type VpnPrefixNlri } from './vpn-prefix.js';

/** The whole NLRI field of a family we have no codec for. */
export interface OpaqueNlri extends NlriBase {
  kind: 'opaque';
  /** The field's bytes, hex (path identifiers included, if any). */
  data: string;
}

export type Nlri = IpPrefixNlri | VpnPrefixNlri | EvpnNlri | RtcNlri | FlowspecNlri | OpaqueNlri;

interface NlriRow {
  readonly codec: NlriCodec;
  /** The `kind` of the NLRI the codec produces and accepts. */
  readonly kind: Nlri['kind'];
}

const ROWS: readonly NlriRow[] = [
  { codec: ipv4UnicastCodec, kind: 'prefix' },
  { codec: ipv4MulticastCodec, kind: 'prefix' },
  { codec: ipv6UnicastCodec, kind: 'prefix' },
  { codec: ipv6MulticastCodec, kind: 'prefix' },
  { codec: vpnIpv4Codec, kind: 'vpn' },
  { codec: vpnIpv6Codec, kind: 'vpn' },
  { codec: evpnCodec, kind: 'evpn' },
  { codec: rtcCodec, kind: 'rtc' },
  ...flowspecCodecs.map((codec): NlriRow => ({ codec, kind: 'flowspec' })),
];

const TABLE = new Map<FamilyKey, NlriRow>(ROWS.map((row) => [familyKey(row.codec.afi, row.codec.safi), row]));

/** The codec of a family, undefined when we do not know it. */
export function nlriCodec(afi: number, safi: number): NlriCodec | undefined {
  return TABLE.get(familyKey(afi, safi))?.codec;
}

export function isKnownFamily(afi: number, safi: number): boolean {
  return TABLE.has(familyKey(afi, safi));
}

/** Every family with a codec, in table order. */
export function knownFamilies(): { afi: number; safi: number }[] {
  return ROWS.map((row) => ({ afi: row.codec.afi, safi: row.codec.safi }));
}

/**
 * All NLRI of a field (withdrawn routes, NLRI, or the NLRI part of MP_REACH/MP_UNREACH), up to
 * the end of r. An empty field gives []; a family without a codec gives one OpaqueNlri.
 */
export function decodeNlriField(afi: number, safi: number, r: BufferReader, ctx: CodecContext, errors?: WireError[]): Nlri[] {
  const out: Nlri[] = [];
  if (r.atEnd) return out;
  const key = familyKey(afi, safi);
  const row = TABLE.get(key);
  if (row === undefined) {
    out.push({ kind: 'opaque', data: toHex(r.rest()) });
    return out;
  }
  const codec = row.codec;
  return guard('NLRI', () => {
    const withPathId = ctx.addPath.has(key);
    while (!r.atEnd) {
      const pathId = withPathId ? r.u32() : undefined;
      const start = r.offset;
      let nlri: Nlri;
      try {
        nlri = codec.decode(r, ctx) as Nlri;
      } catch (e) {
        // An NLRI that is malformed but whose length was sound (FlowSpec, RFC 8955 §4.2): the
        // reader is past it, so the rest of the field still decodes; the UPDATE is then handled
        // by treat-as-withdraw (RFC 7606 §5.4) instead of losing the family.
        if (errors && e instanceof WireError && e.outcome === 'treat-as-withdraw' && r.offset > start) {
          errors.push(e);
          continue;
        }
        throw e;
      }
      if (pathId !== undefined) nlri.pathId = pathId;
      out.push(nlri);
    }
    return out;
  });
}

function encodeError(code: string, message: string): never {
  throw new WireError(code, message, 'session-reset', { code: NotifyCode.Cease, subcode: 0 });
}

/** Writes the NLRI of a field (with their path ids where ADD-PATH applies), no length. */
export function encodeNlriField(afi: number, safi: number, w: BufferWriter, nlris: readonly Nlri[], ctx: CodecContext): void {
  const key = familyKey(afi, safi);
  const row = TABLE.get(key);
  if (row === undefined) {
    for (const n of nlris) {
      if (n.kind !== 'opaque') encodeError('nlri-kind-mismatch', `family ${afi}/${safi} has no codec: only opaque NLRI can be encoded, got ${n.kind}`);
      w.bytes(fromHex(n.data));
    }
    return;
  }
  const addPath = ctx.addPath.has(key);
  for (const n of nlris) {
    if (n.kind !== row.kind) encodeError('nlri-kind-mismatch', `family ${afi}/${safi} carries ${row.kind} NLRI, got ${String(n.kind)}`);
    if (addPath) {
      if (n.pathId === undefined) encodeError('missing-path-id', `family ${afi}/${safi} uses ADD-PATH: the NLRI needs a pathId`);
      w.u32(n.pathId);
    }
    row.codec.encode(w, n, ctx);
  }
}
