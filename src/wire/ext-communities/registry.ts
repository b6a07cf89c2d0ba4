/**
 * The extended-community registry (STYLE habit 4, BIRD-style): one row per community type,
 * looked up by its 2 type bytes (type, sub-type) when decoding and by its JSON `type` when
 * encoding. Adding a type is adding a file and a row. Codes without a row decode as 'opaque'.
 *
 * Generic parts handled here, once for all rows:
 * - the non-transitive twin (RFC 4360 §2: type bit 0x40) of rows that declare one: decoded as
 *   the same type with `transitive: false`, encoded back with the bit set;
 * - reserved bits (each row's `reservedMask` over the 6 value bytes): decoded into `reserved`
 *   (12 hex digits, the value with every non-reserved bit cleared) only when a sender set some,
 *   and OR-ed back when encoding, so every 8-byte input round-trips exactly.
 */
import type { BufferReader } from '../reader.js';
import type { BufferWriter } from '../writer.js';
import { consistentHashSortOrderRow } from './consistent-hash-sort-order.js';
import { defaultGatewayRow } from './default-gateway.js';
import { encapsulationRow } from './encapsulation.js';
import { esImportRouteTargetRow } from './es-import-route-target.js';
import { esiLabelRow } from './esi-label.js';
import type { ExtCommunity } from './index.js';
import { macMobilityRow } from './mac-mobility.js';
import { opaqueBytes, opaqueText } from './opaque.js';
import { redirectToIpRow } from './redirect-to-ip.js';
import { redirectToNexthopRow } from './redirect-to-nexthop.js';
import { redirectToVrfRow } from './redirect-to-vrf.js';
import { routeOriginRow } from './route-origin.js';
import { routeTargetRow } from './route-target.js';
import { routerMacRow } from './router-mac.js';
import { badEc, type EcRow } from './row.js';
import { rtRecordRow } from './rt-record.js';
import { trafficActionRow } from './traffic-action.js';
import { trafficMarkingRow } from './traffic-marking.js';
import { trafficRateBytesRow, trafficRatePacketsRow } from './traffic-rate.js';

/** Every known type, in IANA order of the type byte. */
export const EXT_COMMUNITY_ROWS: readonly EcRow<ExtCommunity>[] = [
  routeTargetRow, // 0x00-0x02 / 0x02
  routeOriginRow, // 0x00-0x02 / 0x03
  rtRecordRow, // 0x00-0x02 / 0x13
  redirectToIpRow, // 0x01 / 0x0C
  encapsulationRow, // 0x03 / 0x0C
  defaultGatewayRow, // 0x03 / 0x0D
  consistentHashSortOrderRow, // 0x03 / 0x14
  macMobilityRow, // 0x06 / 0x00
  esiLabelRow, // 0x06 / 0x01
  esImportRouteTargetRow, // 0x06 / 0x02
  routerMacRow, // 0x06 / 0x03
  redirectToNexthopRow, // 0x08 / 0x00
  trafficRateBytesRow, // 0x80 / 0x06
  trafficActionRow, // 0x80 / 0x07
  redirectToVrfRow, // 0x80-0x82 / 0x08
  trafficMarkingRow, // 0x80 / 0x09
  trafficRatePacketsRow, // 0x80 / 0x0C
];

const BY_CODE = new Map<number, EcRow<ExtCommunity>>();
const BY_TYPE = new Map<string, EcRow<ExtCommunity>>();
for (const row of EXT_COMMUNITY_ROWS) {
  BY_TYPE.set(row.type, row);
  for (const [type, sub] of row.codes) {
    BY_CODE.set((type << 8) | sub, row);
    if (row.twin) BY_CODE.set(((type | 0x40) << 8) | sub, row);
  }
}

/** The registry row decoding these two type bytes, if any (twins included). */
export function extCommunityRow(type: number, subtype: number): EcRow<ExtCommunity> | undefined {
  return BY_CODE.get((type << 8) | subtype);
}

interface Generic {
  transitive?: unknown;
  reserved?: unknown;
}

const HEX = '0123456789abcdef';
const HEX12 = /^[0-9a-fA-F]{12}$/;

/** Reads exactly 8 bytes. Only a short read can fail (with the reader's policy). */
export function readExtCommunity(r: BufferReader): ExtCommunity {
  const b = r.bytes(8);
  const row = BY_CODE.get((b[0]! << 8) | b[1]!);
  if (row === undefined) return { type: 'opaque', hex: b.toString('hex') };
  const ec = row.decode(b);
  const mask = row.reservedMask;
  if (mask !== undefined) {
    let any = 0;
    for (let i = 0; i < 6; i++) any |= b[2 + i]! & mask[i]!;
    if (any !== 0) {
      let hex = '';
      for (let i = 0; i < 6; i++) {
        const v = b[2 + i]! & mask[i]!;
        hex += HEX[v >>> 4]! + HEX[v & 15]!;
      }
      (ec as Generic).reserved = hex;
    }
  }
  if (row.twin && (b[0]! & 0x40) !== 0) (ec as Generic).transitive = false;
  return ec;
}

/** Writes the 8 bytes of ec; throws WireError ('bad-ext-community', ...) on invalid JSON. */
export function writeExtCommunity(w: BufferWriter, ec: ExtCommunity): void {
  if (ec.type === 'opaque') {
    w.bytes(opaqueBytes(ec));
    return;
  }
  const row = BY_TYPE.get(ec.type);
  if (row === undefined) badEc(`unknown type ${JSON.stringify((ec as { type: unknown }).type)}`);
  const out = Buffer.alloc(8);
  row.encode(ec, out);
  const g = ec as Generic;
  if (g.transitive !== undefined) {
    if (g.transitive !== false || !row.twin) badEc(`${ec.type}: "transitive" may only be false, on types with a non-transitive twin`);
    out[0] = out[0]! | 0x40;
  }
  if (g.reserved !== undefined) {
    const mask = row.reservedMask;
    if (mask === undefined) badEc(`${ec.type} has no reserved bits`);
    if (typeof g.reserved !== 'string' || !HEX12.test(g.reserved)) badEc(`${ec.type}: reserved must be 12 hex digits`);
    const v = Buffer.from(g.reserved, 'hex');
    for (let i = 0; i < 6; i++) {
      if ((v[i]! & ~mask[i]!) !== 0) badEc(`${ec.type}: reserved ${JSON.stringify(g.reserved)} sets bits that are not reserved`);
      out[2 + i] = out[2 + i]! | v[i]!;
    }
  }
  w.bytes(out);
}

/** Display text ("target:64512:1", "encap:vxlan", "mac-mobility:5:sticky", "opaque:<hex>"). */
export function extCommunityText(ec: ExtCommunity): string {
  if (ec.type === 'opaque') return opaqueText(ec);
  const row = BY_TYPE.get(ec.type);
  if (row === undefined) badEc(`unknown type ${JSON.stringify((ec as { type: unknown }).type)}`);
  const text = row.text(ec);
  return (ec as Generic).transitive === false ? `${text} (non-transitive)` : text;
}
