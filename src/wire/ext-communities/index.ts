/**
 * BGP extended communities (RFC 4360 and successors). Work in progress: the full union and codec
 * land shortly; these names and signatures are stable.
 */
import type { AdminType } from '../admin-value.js';
import type { BufferReader } from '../reader.js';
import type { BufferWriter } from '../writer.js';
import { toHex, fromHex } from '../hex.js';
import { parseAdminValue } from '../admin-value.js';

export interface RouteTargetEc {
  type: 'route-target';
  form: AdminType;
  value: string;
  transitive?: false;
}
export interface OpaqueEc {
  type: 'opaque';
  hex: string;
}
export interface EncapsulationEc {
  type: 'encapsulation';
  tunnelType: string | number;
}
export type ExtCommunity = RouteTargetEc | EncapsulationEc | OpaqueEc;

export function readExtCommunity(r: BufferReader): ExtCommunity {
  return { type: 'opaque', hex: toHex(r.bytes(8)) };
}
export function writeExtCommunity(w: BufferWriter, ec: ExtCommunity): void {
  if (ec.type === 'opaque') w.bytes(fromHex(ec.hex));
}
export function extCommunityText(ec: ExtCommunity): string {
  return ec.type;
}
export function routeTarget(text: string): RouteTargetEc {
  const a = parseAdminValue(text);
  return { type: 'route-target', form: a.type, value: a.value };
}
export function encapsulation(tunnelType: string | number): EncapsulationEc {
  return { type: 'encapsulation', tunnelType };
}
