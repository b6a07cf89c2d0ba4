/**
 * BGP capabilities (RFC 5492), one file per capability, the descriptor table in registry.ts.
 * This is the public face of the folder: the OPEN codec and other layers import from here.
 */
export * from './registry.js';
export { CAPABILITY_POLICY, type CapabilityCodec } from './codec.js';
export { multiprotocol, multiprotocolCodec, type MultiprotocolCapability } from './multiprotocol.js';
export {
  routeRefreshCodec,
  ciscoRouteRefreshCodec,
  type RouteRefreshCapability,
  type CiscoRouteRefreshCapability,
} from './route-refresh.js';
export { extendedNextHopCodec, type ExtendedNextHopCapability, type ExtendedNextHopEntry } from './extended-next-hop.js';
export { extendedMessageCodec, type ExtendedMessageCapability } from './extended-message.js';
export { roleCodec, type RoleCapability, type BgpRole } from './role.js';
export {
  gracefulRestartCodec,
  type GracefulRestartCapability,
  type GracefulRestartFamily,
} from './graceful-restart.js';
export { AS_TRANS, fourOctetAsCodec, type FourOctetAsCapability } from './four-octet-as.js';
export {
  addPathCodec,
  addPathReceives,
  addPathSends,
  type AddPathCapability,
  type AddPathFamily,
  type AddPathMode,
} from './add-path.js';
export { enhancedRouteRefreshCodec, type EnhancedRouteRefreshCapability } from './enhanced-route-refresh.js';
export {
  longLivedGracefulRestartCodec,
  type LongLivedGracefulRestartCapability,
  type LongLivedGracefulRestartFamily,
} from './long-lived-graceful-restart.js';
export { fqdnCodec, type FqdnCapability } from './fqdn.js';
export { softwareVersionCodec, type SoftwareVersionCapability } from './software-version.js';
export { pathsLimitCodec, type PathsLimitCapability, type PathsLimitFamily } from './paths-limit.js';
