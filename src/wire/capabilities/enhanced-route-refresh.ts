/**
 * Enhanced Route Refresh capability, code 70 (RFC 7313 §3.1): empty value. Announcing it means
 * the speaker sends and understands the BoRR / EoRR ROUTE-REFRESH subtypes
 * (messages/route-refresh.ts).
 *
 *   +------------------------------+
 *   | Capability Code = 70         |
 *   +------------------------------+
 *   | Capability Length = 0        |
 *   +------------------------------+
 */
import type { BufferReader } from '../reader.js';
import { expectLength, type CapabilityCodec } from './codec.js';

export interface EnhancedRouteRefreshCapability {
  type: 'enhanced-route-refresh';
}

export const enhancedRouteRefreshCodec: CapabilityCodec<EnhancedRouteRefreshCapability> = {
  code: 70,
  type: 'enhanced-route-refresh',
  decode(r: BufferReader): EnhancedRouteRefreshCapability {
    expectLength(r, 'enhanced route refresh', r.remaining === 0, '0');
    return { type: 'enhanced-route-refresh' };
  },
  encode(): void {},
};
