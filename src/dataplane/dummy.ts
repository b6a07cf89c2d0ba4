/**
 * The dummy dataplane drivers (spec dataplane.md §3): they program nothing and record every call,
 * so that the looking glass (and the tests) can see what a real driver would have been asked.
 *
 * |                   | IP VPN dummy      | E-VPN dummy                     |
 * |-------------------|-------------------|---------------------------------|
 * | encapsulations    | Default, MPLS     | VXLAN (label field = VNI)       |
 * | ECMP              | no                | no                              |
 * | directions        | both only         | both only                       |
 */
import type { Logger } from '../util/logger.js';
import type {
  DataplaneDriver,
  Direction,
  Encapsulation,
  EvpnInstanceDataplane,
  InstanceDataplaneOf,
  InstanceParams,
  IpvpnInstanceDataplane,
  LocalPort,
  TrafficClassifier,
  VpnType,
} from './driver.js';

export interface DataplaneCall {
  /** Order of the call across the driver (1, 2, …). */
  readonly seq: number;
  /** The driver method ("vifPlugged", "setupRemoteEndpoint"…). */
  readonly call: string;
  readonly args: Record<string, unknown>;
}

/** Calls kept per instance and per driver (oldest dropped first). */
const KEEP = 1000;

class CallLog {
  private seq = 0;
  /** Keeps the last KEEP calls: drops the oldest half at once, so a call costs O(1) amortised. */
  record(into: DataplaneCall[], call: string, args: Record<string, unknown>): void {
    into.push({ seq: ++this.seq, call, args });
    if (into.length >= 2 * KEEP) into.splice(0, into.length - KEEP);
  }
}

/** The last KEEP calls of a list `CallLog.record` fills. */
function lastCalls(calls: readonly DataplaneCall[]): DataplaneCall[] {
  return calls.slice(-KEEP);
}

/** The NLRI as the looking glass shows it: plain JSON. */
abstract class DummyInstance {
  readonly calls: DataplaneCall[] = [];
  constructor(
    protected readonly log: CallLog,
    protected readonly logger: Logger,
    readonly params: InstanceParams,
  ) {}

  protected rec(call: string, args: Record<string, unknown>): Promise<void> {
    this.log.record(this.calls, call, args);
    if (this.logger.debugEnabled) this.logger.log('debug', `dummy dataplane ${this.params.vpnInstanceId}: ${call} ${JSON.stringify(args)}`);
    return Promise.resolve();
  }

  vifPlugged(mac: string, ip: string | null, port: LocalPort, label: number, direction: Direction): Promise<void> {
    return this.rec('vifPlugged', { mac, ip, port, label, direction });
  }
  vifUnplugged(mac: string, ip: string | null, port: LocalPort, label: number, direction: Direction, lastEndpoint: boolean): Promise<void> {
    return this.rec('vifUnplugged', { mac, ip, port, label, direction, lastEndpoint });
  }
  updateFallback(fallback: unknown): Promise<void> {
    return this.rec('updateFallback', { fallback });
  }
  needsCleanupAssist(): boolean {
    return false;
  }
  cleanup(): Promise<void> {
    return this.rec('cleanup', {});
  }
  lookingGlass(): Record<string, unknown> {
    return { calls: lastCalls(this.calls) };
  }
}

class DummyIpvpnInstance extends DummyInstance implements IpvpnInstanceDataplane {
  setupRemoteEndpoint(prefix: string, remotePe: string, label: number, encaps: Encapsulation[], hashOrder: number): Promise<void> {
    return this.rec('setupRemoteEndpoint', { prefix, remotePe, label, encaps, hashOrder });
  }
  removeRemoteEndpoint(prefix: string, remotePe: string, label: number, encaps: Encapsulation[], hashOrder: number): Promise<void> {
    return this.rec('removeRemoteEndpoint', { prefix, remotePe, label, encaps, hashOrder });
  }
  addTrafficClassifier(classifier: TrafficClassifier, redirectInstanceId: number): Promise<void> {
    return this.rec('addTrafficClassifier', { classifier, redirectInstanceId });
  }
  removeTrafficClassifier(classifier: TrafficClassifier): Promise<void> {
    return this.rec('removeTrafficClassifier', { classifier });
  }
}

class DummyEvpnInstance extends DummyInstance implements EvpnInstanceDataplane {
  setupRemoteEndpoint(mac: string, ip: string | undefined, remotePe: string, vni: number, encaps: Encapsulation[]): Promise<void> {
    return this.rec('setupRemoteEndpoint', { mac, ip: ip ?? null, remotePe, vni, encaps });
  }
  removeRemoteEndpoint(mac: string, ip: string | undefined, remotePe: string, vni: number): Promise<void> {
    return this.rec('removeRemoteEndpoint', { mac, ip: ip ?? null, remotePe, vni });
  }
  addBumEndpoint(remotePe: string, vni: number, encaps: Encapsulation[]): Promise<void> {
    return this.rec('addBumEndpoint', { remotePe, vni, encaps });
  }
  removeBumEndpoint(remotePe: string, vni: number): Promise<void> {
    return this.rec('removeBumEndpoint', { remotePe, vni });
  }
  setGatewayPort(linuxif: string, gatewayIp: unknown): Promise<void> {
    return this.rec('setGatewayPort', { linuxif, gatewayIp });
  }
  gatewayPortDown(linuxif: string): Promise<void> {
    return this.rec('gatewayPortDown', { linuxif });
  }
}

const ENCAPS: Record<VpnType, readonly Encapsulation[]> = { ipvpn: ['default', 'mpls'], evpn: ['vxlan'] };

export interface DummyOptions {
  /**
   * Behave as an ECMP-capable driver (the original's dummies are not): lets the multipath paths
   * of the VPN layer run before a real ECMP driver (Linux MPLS, OVS) exists. Not configurable.
   */
  readonly ecmp?: boolean;
}

export class DummyDataplaneDriver<T extends VpnType> implements DataplaneDriver<T> {
  readonly name = 'DummyDataplaneDriver';
  readonly ecmp: boolean;
  readonly supportedEncaps: readonly Encapsulation[];
  /** Driver-level calls (resetState, initialize, createInstance). */
  readonly calls: DataplaneCall[] = [];
  private readonly callLog = new CallLog();

  constructor(
    readonly vpnType: T,
    readonly localAddress: string,
    private readonly config: Record<string, unknown>,
    private readonly log: Logger,
    options: DummyOptions = {},
  ) {
    this.supportedEncaps = ENCAPS[vpnType];
    this.ecmp = options.ecmp ?? false;
  }

  supportsDirection(direction: Direction): boolean {
    return direction === 'both';
  }

  resetState(): Promise<void> {
    this.callLog.record(this.calls, 'resetState', {});
    return Promise.resolve();
  }

  initialize(): Promise<void> {
    this.callLog.record(this.calls, 'initialize', {});
    this.log.log('warning', "Dummy dataplane driver, won't do anything useful");
    return Promise.resolve();
  }

  createInstance(params: InstanceParams): Promise<InstanceDataplaneOf[T]> {
    this.callLog.record(this.calls, 'createInstance', { ...params });
    const log = this.log.child(params.vpnInstanceId);
    const instance = this.vpnType === 'ipvpn' ? new DummyIpvpnInstance(this.callLog, log, params) : new DummyEvpnInstance(this.callLog, log, params);
    return Promise.resolve(instance as unknown as InstanceDataplaneOf[T]);
  }

  lookingGlass(): Record<string, unknown> {
    return { name: this.name, local_address: this.localAddress, config: this.config };
  }
}
