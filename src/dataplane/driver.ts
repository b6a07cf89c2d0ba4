/**
 * The dataplane driver interface (spec dataplane.md §2): one driver per VPN type, created at
 * daemon start, and one dataplane object per VPN instance. The VPN layer calls these; a driver
 * programs the kernel / OVS (Linux and OVS drivers come in later issues) or only records the
 * calls (the dummy drivers).
 *
 * Every per-instance call is asynchronous (real drivers run commands or talk netlink); the VPN
 * instance serialises its calls, so a driver never sees two calls of one instance at once.
 * The 24-bit label field is passed already interpreted: an MPLS label to IP VPN drivers, a VNI to
 * E-VPN drivers (RFC 8365 §5.1.3; see wire/label.ts).
 */

export type VpnType = 'ipvpn' | 'evpn';

/** RFC 9012 tunnel types the drivers speak; 'default' is the original's "no encapsulation community". */
export type Encapsulation = 'default' | 'mpls' | 'gre' | 'vxlan' | 'mpls-in-udp';

export type Direction = 'both' | 'to-port' | 'from-port';

/** The API's local_port object (rest-api.md §4.3), `linuxif` filled in. */
export interface LocalPort {
  readonly linuxif: string;
  readonly [key: string]: unknown;
}

export interface InstanceParams {
  /** Internal instance number (VRF-n / EVI-n). */
  readonly instanceId: number;
  /** The API's vpn_instance_id. */
  readonly vpnInstanceId: string;
  readonly gatewayIp: unknown;
  readonly subnetLength: number | null;
  /** Instance label (IP VPN) or VNI (E-VPN). */
  readonly instanceLabel: number;
  readonly linuxbr?: string;
  readonly vni?: number;
}

interface InstanceDataplaneBase {
  vifPlugged(mac: string, ip: string | null, port: LocalPort, label: number, direction: Direction): Promise<void>;
  vifUnplugged(mac: string, ip: string | null, port: LocalPort, label: number, direction: Direction, lastEndpoint: boolean): Promise<void>;
  updateFallback(fallback: unknown): Promise<void>;
  /** True: on instance stop the VPN layer replays removal calls for every installed route first. */
  needsCleanupAssist(): boolean;
  cleanup(): Promise<void>;
  /** Driver-specific looking-glass data of the instance. */
  lookingGlass(): Record<string, unknown>;
}

/** An inclusive port range; a single port has min === max. */
export interface PortRange {
  readonly min: number;
  readonly max: number;
}

/**
 * Traffic to redirect (service chaining, spec vpn.md §7): decoded from a received FlowSpec
 * route's rules. An absent field matches anything.
 */
export interface TrafficClassifier {
  /** "a.b.c.d/len". */
  readonly sourcePrefix?: string;
  readonly destinationPrefix?: string;
  readonly sourcePort?: PortRange;
  readonly destinationPort?: PortRange;
  /** IANA protocol name ("tcp", "udp", "icmp"…) or the number as text when it has no name. */
  readonly protocol?: string;
}

export interface IpvpnInstanceDataplane extends InstanceDataplaneBase {
  setupRemoteEndpoint(prefix: string, remotePe: string, label: number, encaps: Encapsulation[], hashOrder: number): Promise<void>;
  removeRemoteEndpoint(prefix: string, remotePe: string, label: number, encaps: Encapsulation[], hashOrder: number): Promise<void>;
  /** FlowSpec redirect-to-VRF (vpn.md §4.6): traffic matching the classifier goes to that instance's VRF. */
  addTrafficClassifier(classifier: TrafficClassifier, redirectInstanceId: number): Promise<void>;
  removeTrafficClassifier(classifier: TrafficClassifier): Promise<void>;
}

export interface EvpnInstanceDataplane extends InstanceDataplaneBase {
  /** A remote MAC (and the IP of its MAC/IP route, if any, for neighbour entries). */
  setupRemoteEndpoint(mac: string, ip: string | undefined, remotePe: string, vni: number, encaps: Encapsulation[]): Promise<void>;
  removeRemoteEndpoint(mac: string, ip: string | undefined, remotePe: string, vni: number): Promise<void>;
  addBumEndpoint(remotePe: string, vni: number, encaps: Encapsulation[]): Promise<void>;
  removeBumEndpoint(remotePe: string, vni: number): Promise<void>;
  setGatewayPort(linuxif: string, gatewayIp: unknown): Promise<void>;
  gatewayPortDown(linuxif: string): Promise<void>;
}

export interface InstanceDataplaneOf {
  ipvpn: IpvpnInstanceDataplane;
  evpn: EvpnInstanceDataplane;
}

export interface DataplaneDriver<T extends VpnType = VpnType> {
  readonly vpnType: T;
  /** Class name shown in the looking glass ("DummyDataplaneDriver"...). */
  readonly name: string;
  /** Next hop of our routes and tunnel source: dataplane_local_address or [BGP] local_address. */
  readonly localAddress: string;
  /** Encapsulations the driver handles (routes advertised with all but 'default'). */
  readonly supportedEncaps: readonly Encapsulation[];
  /** Several next hops per destination (engine.md §8.1). */
  readonly ecmp: boolean;
  /** Whether the driver accepts this direction (the original: only 'both' except OVS MPLS). */
  supportsDirection(direction: Direction): boolean;
  /**
   * Start-up checks and preparation (dataplane.md §2.1 "driver init", §6.1), run once by the
   * daemon before it serves anything; a failure stops the daemon. Optional.
   */
  start?(): Promise<void>;
  /** Removes whatever a previous run left (also `bagpipe-bgp-cleanup`). */
  resetState(): Promise<void>;
  /**
   * Optional, instead of resetState at daemon start: take over what a previous run left (its
   * instances re-created by the orchestrator reconcile it instead of starting from nothing, so a
   * restart does not cut traffic). Idempotent (the first call's argument counts). Drivers
   * without it are reset as the original did.
   * @param routingUp resolves once routes can come back (a BGP session is Established): what
   *   is kept for the previous run's sake is kept until a hold-down counted from then.
   * @returns true when state of a previous run was found and kept: its forwarding survived the
   *   restart, which the BGP side announces (RFC 4724 F bit, session/local-restart.ts).
   */
  adoptState?(routingUp?: Promise<void>): Promise<boolean>;
  /** One-time setup, after resetState / adoptState, before the first instance. */
  initialize(): Promise<void>;
  createInstance(params: InstanceParams): Promise<InstanceDataplaneOf[T]>;
  /** Driver-specific looking-glass data (dataplane.md §2.10), `config` included. */
  lookingGlass(): Record<string, unknown>;
  /** Optional: releases the driver's processes and timers (daemon stop, after every instance stopped). */
  close?(): Promise<void>;
}

export interface DataplaneDrivers {
  readonly ipvpn: DataplaneDriver<'ipvpn'>;
  readonly evpn: DataplaneDriver<'evpn'>;
}

/** Looking-glass text of an encapsulation, as the original shows it ("encap:MPLS"). */
export function encapText(e: Encapsulation): string {
  const names: Record<Encapsulation, string> = { default: 'Default', mpls: 'MPLS', gre: 'GRE', vxlan: 'VXLAN', 'mpls-in-udp': 'MPLS-in-UDP' };
  return `encap:${names[e]}`;
}
