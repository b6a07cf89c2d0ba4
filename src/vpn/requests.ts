/**
 * Attach and detach requests as the VPN layer receives them: already validated and converted by
 * the REST API (rest-api.md §4.2 steps 1-11), so that everything left to fail here is instance
 * lookup/creation and the endpoint plug (steps 12-14).
 */
import type { Direction, LocalPort, VpnType } from '../dataplane/driver.js';

/** `readvertise` (vpn.md §4.1): received routes carrying a from RT are re-advertised with the to RTs. */
export interface Readvertise {
  readonly fromRts: readonly string[];
  readonly toRts: readonly string[];
}

/** `attract_traffic` (rest-api.md §4.4), as given; whether it is enabled is the instance's decision. */
export interface AttractTraffic {
  readonly redirectRts: readonly string[];
  /** As given; undefined when the key is missing. Checked only if attract-traffic is enabled (vpn/chaining.ts). */
  readonly classifier: unknown;
  /** `to_rt`, when given. */
  readonly toRts: readonly string[] | undefined;
  /** As given (checked with the classifier). */
  readonly staticDestinationPrefixes: unknown;
}

/** An endpoint's IP: the string exactly as the client gave it (the endpoint key) and its parts. */
export interface EndpointIp {
  /** As given ("10.0.0.1", "10.0.0.1/32", "10.1/16"…): "10.0.0.1" and "10.0.0.1/32" are two endpoints. */
  readonly text: string;
  /** The address without mask, normalised ("10.1" → "10.1.0.0"). */
  readonly address: string;
  /** The prefix length given (32 / 128 when none). */
  readonly length: number;
  readonly version: 4 | 6;
}

export interface AttachRequest {
  readonly vpnType: VpnType;
  readonly vpnInstanceId: string;
  readonly macAddress: string;
  readonly ip: EndpointIp | null;
  /** `linuxif` or `evpn` present (rest-api.md §4.3). */
  readonly localPort: LocalPort | { readonly evpn: unknown; readonly [key: string]: unknown };
  /** "asn:nn" route targets, deduplicated. */
  readonly importRts: readonly string[];
  readonly exportRts: readonly string[];
  /** Not validated (rest-api.md §4.1): shown in the looking glass, given to the dataplane. */
  readonly gatewayIp: unknown;
  readonly advertiseSubnet: boolean;
  /** 0: allocate the instance label / VNI. */
  readonly vni: number;
  readonly linuxbr: string | undefined;
  /** null: 100 (also for 0: the original's falsy test). */
  readonly localPref: number | null;
  readonly direction: Direction;
  readonly fallback: unknown;
  /** null: disabled (absent, null or {}). */
  readonly readvertise: Readvertise | null;
  readonly attractTraffic: AttractTraffic | null;
  readonly lbConsistentHashOrder: number;
  readonly description: unknown;
  readonly instanceDescription: unknown;
}

export interface DetachRequest {
  readonly vpnType: VpnType;
  readonly vpnInstanceId: string;
  readonly macAddress: string;
  /** null: every endpoint of the MAC (E-VPN wildcard detach). */
  readonly ip: EndpointIp | null;
  readonly localPort: Readonly<Record<string, unknown>>;
}

/** What plugging one endpoint needs (vpn.md §2.2). */
export interface PlugParams {
  readonly mac: string;
  readonly ip: EndpointIp | null;
  readonly localPort: LocalPort;
  readonly advertiseSubnet: boolean;
  readonly hashOrder: number;
  readonly localPref: number | null;
  readonly direction: Direction;
  readonly description: unknown;
}
