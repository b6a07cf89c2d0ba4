/**
 * E-VPN NLRI (RFC 7432 §7), AFI 25 / SAFI 70, next hop an IP address (RFC 7432 §7, RFC 8365).
 * The route type table below has one row per known route type; any other route type is kept
 * opaque ({ routeType, data }) and round-trips, as ExaBGP does: an unknown type is never an error.
 *
 *   +-----------------------------------+
 *   |    Route Type (1 octet)           |
 *   +-----------------------------------+
 *   |     Length (1 octet)              |
 *   +-----------------------------------+
 *   | Route Type specific (variable)    |
 *   +-----------------------------------+
 *
 * Errors (reader policy): 'truncated' (the length runs past the field), 'bad-evpn-length' (a
 * value length the known route type cannot have), and the per-type codes of the route type files.
 */
import { Afi, Safi } from '../../afi.js';
import { fromHex, toHex } from '../../hex.js';
import type { BufferReader } from '../../reader.js';
import type { BufferWriter } from '../../writer.js';
import type { NlriCodec } from '../codec.js';
import { ethernetAdRoute } from './ethernet-ad.js';
import { ethernetSegmentRoute } from './ethernet-segment.js';
import { encodeError } from './fields.js';
import { inclusiveMulticastRoute } from './inclusive-multicast.js';
import { ipPrefixRoute } from './ip-prefix.js';
import { macIpRoute } from './mac-ip.js';
import type { EvpnNlri, EvpnRouteTypeCodec } from './types.js';

export * from './types.js';
export { ethernetAdRoute, macIpRoute, inclusiveMulticastRoute, ethernetSegmentRoute, ipPrefixRoute };

/** The route type table: index = route type. */
const ROUTE_TYPES: readonly (EvpnRouteTypeCodec | undefined)[] = (() => {
  const rows: EvpnRouteTypeCodec[] = [ethernetAdRoute, macIpRoute, inclusiveMulticastRoute, ethernetSegmentRoute, ipPrefixRoute] as EvpnRouteTypeCodec[];
  const t: (EvpnRouteTypeCodec | undefined)[] = new Array<EvpnRouteTypeCodec | undefined>(256).fill(undefined);
  for (const row of rows) t[row.routeType] = row;
  return t;
})();

/** The row of a known route type (1 to 5), else undefined. */
export function evpnRouteType(routeType: number): EvpnRouteTypeCodec | undefined {
  return ROUTE_TYPES[routeType];
}

export function decodeEvpn(r: BufferReader): EvpnNlri {
  const routeType = r.u8();
  const length = r.u8();
  if (r.remaining < length) r.fail('truncated', `E-VPN route type ${routeType}: value of ${length} byte(s), ${r.remaining} left`);
  const row = ROUTE_TYPES[routeType];
  if (row === undefined) return { kind: 'evpn', routeType, data: toHex(r.bytes(length)) };
  if (!row.lengths.includes(length)) {
    r.fail('bad-evpn-length', `E-VPN ${row.name} route: value length ${length} (expected ${row.lengths.join(' or ')})`);
  }
  const end = r.offset + length;
  const nlri = row.decode(r, length);
  if (r.offset !== end) r.fail('bad-evpn-length', `E-VPN ${row.name} route: value length ${length} does not match its fields`);
  return nlri;
}

export function encodeEvpn(w: BufferWriter, nlri: EvpnNlri): void {
  if (!Number.isInteger(nlri.routeType) || nlri.routeType < 0 || nlri.routeType > 255) {
    encodeError('value-out-of-range', `E-VPN route type ${String(nlri.routeType)} is not 0..255`);
  }
  w.u8(nlri.routeType);
  if ('data' in nlri) {
    // Opaque value (any route type, so raw bytes can be sent as they are).
    const data = fromHex(nlri.data);
    w.u8(data.length);
    w.bytes(data);
    return;
  }
  const row = ROUTE_TYPES[nlri.routeType];
  if (row === undefined) encodeError('bad-evpn-route', `E-VPN route type ${nlri.routeType} without a data field`);
  w.lengthPrefixed(1, (v) => row.encode(v, nlri));
}

export const evpnCodec: NlriCodec<EvpnNlri> = {
  afi: Afi.L2VPN,
  safi: Safi.Evpn,
  nextHop: 'ip',
  decode: decodeEvpn,
  encode: encodeEvpn,
};
