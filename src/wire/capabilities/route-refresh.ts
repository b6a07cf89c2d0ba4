/**
 * Route Refresh capability, code 2 (RFC 2918 §2), and the same capability under the code Cisco
 * used before IANA assigned one, 128 (still announced by some implementations next to code 2).
 * Both have an empty value.
 *
 *   +------------------------------+
 *   | Capability Code = 2 (or 128) |
 *   +------------------------------+
 *   | Capability Length = 0        |
 *   +------------------------------+
 */
import type { BufferReader } from '../reader.js';
import { expectLength, type CapabilityCodec } from './codec.js';

export interface RouteRefreshCapability {
  type: 'route-refresh';
}

/** The pre-standard code 128 form. */
export interface CiscoRouteRefreshCapability {
  type: 'route-refresh-cisco';
}

export const routeRefreshCodec: CapabilityCodec<RouteRefreshCapability> = {
  code: 2,
  type: 'route-refresh',
  decode(r: BufferReader): RouteRefreshCapability {
    expectLength(r, 'route refresh', r.remaining === 0, '0');
    return { type: 'route-refresh' };
  },
  encode(): void {},
};

export const ciscoRouteRefreshCodec: CapabilityCodec<CiscoRouteRefreshCapability> = {
  code: 128,
  type: 'route-refresh-cisco',
  decode(r: BufferReader): CiscoRouteRefreshCapability {
    expectLength(r, 'route refresh (Cisco, code 128)', r.remaining === 0, '0');
    return { type: 'route-refresh-cisco' };
  },
  encode(): void {},
};
