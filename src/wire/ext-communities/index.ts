/**
 * BGP extended communities (RFC 4360; RFC 5668, 7153, 9012, 7432, 9135, 8955, 7674, 4364):
 * the JSON forms, the 8-byte codec and constructors. One file per type, rows in registry.ts;
 * the JSON forms are documented in docs/wire-json/ext-communities.md.
 *
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Type high    |   Sub-type    |        Value (6 bytes) ...    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
import { parseAdminValue } from '../admin-value.js';
import { NotifyCode, WireError } from '../errors.js';
import { BufferReader } from '../reader.js';
import { BufferWriter } from '../writer.js';
import type { ConsistentHashSortOrderEc } from './consistent-hash-sort-order.js';
import type { DefaultGatewayEc } from './default-gateway.js';
import { tunnelTypeCode, tunnelTypeOf, type EncapsulationEc, type TunnelTypeName } from './encapsulation.js';
import type { EsImportRouteTargetEc } from './es-import-route-target.js';
import type { EsiLabelEc } from './esi-label.js';
import type { MacMobilityEc } from './mac-mobility.js';
import type { OpaqueEc } from './opaque.js';
import type { RedirectToIpEc } from './redirect-to-ip.js';
import type { RedirectToNexthopEc } from './redirect-to-nexthop.js';
import type { RedirectToVrfEc } from './redirect-to-vrf.js';
import type { RouteOriginEc } from './route-origin.js';
import type { RouteTargetEc } from './route-target.js';
import type { RouterMacEc } from './router-mac.js';
import { checkBool, checkInt } from './row.js';
import type { RtRecordEc } from './rt-record.js';
import type { TrafficActionEc } from './traffic-action.js';
import type { TrafficMarkingEc } from './traffic-marking.js';
import type { TrafficRateBytesEc, TrafficRatePacketsEc } from './traffic-rate.js';
import { readExtCommunity, writeExtCommunity } from './registry.js';

export type {
  ConsistentHashSortOrderEc,
  DefaultGatewayEc,
  EncapsulationEc,
  EsImportRouteTargetEc,
  EsiLabelEc,
  MacMobilityEc,
  OpaqueEc,
  RedirectToIpEc,
  RedirectToNexthopEc,
  RedirectToVrfEc,
  RouteOriginEc,
  RouteTargetEc,
  RouterMacEc,
  RtRecordEc,
  TrafficActionEc,
  TrafficMarkingEc,
  TrafficRateBytesEc,
  TrafficRatePacketsEc,
  TunnelTypeName,
};
export type { AdminSpecificEc } from './admin-specific.js';
export { TUNNEL_TYPES, tunnelTypeCode, tunnelTypeOf } from './encapsulation.js';
export { EXT_COMMUNITY_ROWS, extCommunityRow, extCommunityText, readExtCommunity, writeExtCommunity } from './registry.js';

/** Every extended community's JSON form; `type` discriminates. */
export type ExtCommunity =
  | RouteTargetEc
  | RouteOriginEc
  | RtRecordEc
  | EncapsulationEc
  | DefaultGatewayEc
  | ConsistentHashSortOrderEc
  | MacMobilityEc
  | EsiLabelEc
  | EsImportRouteTargetEc
  | RouterMacEc
  | TrafficRateBytesEc
  | TrafficRatePacketsEc
  | TrafficActionEc
  | RedirectToVrfEc
  | TrafficMarkingEc
  | RedirectToNexthopEc
  | RedirectToIpEc
  | OpaqueEc;

export type ExtCommunityType = ExtCommunity['type'];

/** The 8 bytes of one community. */
export function encodeExtCommunity(ec: ExtCommunity): Buffer {
  const w = new BufferWriter(8);
  writeExtCommunity(w, ec);
  return w.finish();
}

/** Decodes exactly 8 bytes (a WireError 'bad-ext-community-length' otherwise). */
export function decodeExtCommunity(bytes: Uint8Array): ExtCommunity {
  if (bytes.length !== 8) {
    throw new WireError('bad-ext-community-length', `extended community: ${bytes.length} bytes, not 8`, 'session-reset', {
      code: NotifyCode.Cease,
      subcode: 0,
    });
  }
  return readExtCommunity(BufferReader.of(bytes));
}

function adminPart(label: string, text: string): string {
  return text.startsWith(`${label}:`) ? text.slice(label.length + 1) : text;
}

/**
 * A route target from operator text: "64512:1" (2-octet AS), "192.0.2.1:1" (IPv4), "4200000000:1"
 * or "64512L:1" (4-octet AS); an optional "target:" prefix is accepted (the display form).
 */
export function routeTarget(text: string): RouteTargetEc {
  const a = parseAdminValue(adminPart('target', text));
  return { type: 'route-target', form: a.type, value: a.value };
}

/** A route origin (site of origin) from text, as routeTarget (optional "origin:" prefix). */
export function routeOrigin(text: string): RouteOriginEc {
  const a = parseAdminValue(adminPart('origin', text));
  return { type: 'route-origin', form: a.type, value: a.value };
}

/** The RT-record of a route target (same layout), or from text (optional "rt-record:" prefix). */
export function rtRecord(rt: RouteTargetEc | string): RtRecordEc {
  if (typeof rt === 'string') {
    const a = parseAdminValue(adminPart('rt-record', rt));
    return { type: 'rt-record', form: a.type, value: a.value };
  }
  return { type: 'rt-record', form: rt.form, value: rt.value, ...(rt.transitive === false ? { transitive: false as const } : {}) };
}

/** A FlowSpec redirect-to-VRF action (RFC 7674) for the VRF importing this route target text. */
export function redirectToVrf(text: string): RedirectToVrfEc {
  const a = parseAdminValue(adminPart('redirect', text));
  return { type: 'redirect-to-vrf', form: a.type, value: a.value };
}

/** An encapsulation community for a tunnel type name ('vxlan', 'mpls'...) or number. */
export function encapsulation(tunnelType: TunnelTypeName | number): EncapsulationEc {
  return { type: 'encapsulation', tunnelType: tunnelTypeOf(tunnelTypeCode(tunnelType)) };
}

export function consistentHashSortOrder(order: number): ConsistentHashSortOrderEc {
  return { type: 'consistent-hash-sort-order', order: checkInt('hash sort order', order, 0xffffffff) };
}

export function macMobility(sequence: number, sticky = false): MacMobilityEc {
  return {
    type: 'mac-mobility',
    sticky: checkBool('sticky', sticky),
    sequence: checkInt('MAC mobility sequence number', sequence, 0xffffffff),
  };
}

export function isRouteTarget(ec: ExtCommunity): ec is RouteTargetEc {
  return ec.type === 'route-target';
}
