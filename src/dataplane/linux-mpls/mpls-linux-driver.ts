/**
 * The `linux` IP VPN dataplane driver: Linux kernel MPLS with a VRF device per VPN instance
 * (spec dataplane.md §5). encaps: MPLS and Default (GRE and Default in MPLS-over-GRE mode);
 * ECMP: yes (multipath routes); directions: both only; IPv4 only.
 *
 * The planning is pure (vrf-plan.ts, driver-plan.ts); this file runs the plans through an
 * executor (executor.ts: long-lived `ip -batch` processes) and records each change's outcome, so
 * that the looking glass shows what should be installed, what is, and what failed.
 *
 * Calls of one instance are serialised by the VPN layer; instances share only the MPLS label
 * table (labels are unique per daemon) and, in GRE mode, the per-PE neighbours (GreNeighbours,
 * counted synchronously at planning time).
 */
import type { Logger } from '../../util/logger.js';
import type { DataplaneDriver, Direction, Encapsulation, InstanceParams, IpvpnInstanceDataplane, LocalPort, TrafficClassifier } from '../driver.js';
import { GreNeighbours, initializeSteps, resetSteps, vrfSetupSteps, vrfTeardownSteps } from './driver-plan.js';
import type { MplsExecutor, StepResult } from './executor.js';
import { GRE_DEVICE, isIpv4, validInterfaceName, validLabel, vrfDevice, vrfTable } from './names.js';
import type { NextHop, NextHopMode } from './next-hop.js';
import { stepText, type Step } from './steps.js';
import { VrfPlan, type Change, type VrfConfig } from './vrf-plan.js';

/** The MPLS interface option: `*gre*` selects MPLS over GRE (the original refused it). */
export function nextHopMode(mplsInterface: string | null): NextHopMode {
  if (mplsInterface === null || mplsInterface === '') {
    throw new Error('[DATAPLANE_DRIVER_IPVPN] mpls_interface must be set for the linux driver: the interface sending and receiving MPLS, or *gre* for MPLS over GRE');
  }
  if (mplsInterface.includes('*gre*')) return { kind: 'gre', device: GRE_DEVICE };
  if (!validInterfaceName(mplsInterface)) throw new Error(`[DATAPLANE_DRIVER_IPVPN] mpls_interface: not an interface name: ${JSON.stringify(mplsInterface)}`);
  return { kind: 'bare', mplsInterface };
}

export class DataplaneCommandError extends Error {
  override readonly name = 'DataplaneCommandError';
}

/** One failed command, kept for the looking glass. */
export interface CommandFailure {
  readonly time: string;
  readonly command: string;
  readonly error: string;
}

const KEEP_FAILURES = 50;

export interface MplsLinuxDriverOptions {
  readonly localAddress: string;
  readonly mplsInterface: string | null;
  /** The driver's options as configured (looking glass). */
  readonly config: Record<string, unknown>;
  readonly executor: MplsExecutor;
  readonly log: Logger;
}

export class MplsLinuxDataplaneDriver implements DataplaneDriver<'ipvpn'> {
  readonly vpnType = 'ipvpn';
  readonly name = 'MPLSLinuxDataplaneDriver';
  readonly ecmp = true;
  readonly supportedEncaps: readonly Encapsulation[];
  readonly localAddress: string;
  /** null: no mpls_interface (enough for reset_state: bagpipe-bgp-cleanup); initialize refuses. */
  readonly mode: NextHopMode | null;
  readonly gre: GreNeighbours;
  readonly instances = new Map<number, MplsLinuxVrf>();
  readonly failures: CommandFailure[] = [];
  private readonly executor: MplsExecutor;
  readonly log: Logger;

  constructor(private readonly options: MplsLinuxDriverOptions) {
    this.localAddress = options.localAddress;
    this.mode = options.mplsInterface === null ? null : nextHopMode(options.mplsInterface);
    this.supportedEncaps = this.mode?.kind === 'gre' ? ['gre', 'default'] : ['mpls', 'default'];
    this.gre = new GreNeighbours(GRE_DEVICE);
    this.executor = options.executor;
    this.log = options.log;
  }

  supportsDirection(direction: Direction): boolean {
    return direction === 'both';
  }

  /** reset_state (spec §5): whatever a previous run left, read from the kernel, removed. */
  async resetState(): Promise<void> {
    const seen = await this.executor.observe();
    await this.runSteps(resetSteps(seen));
  }

  /** The next-hop mode; without mpls_interface, the original's failure at the first attach. */
  private requireMode(): NextHopMode {
    return this.mode ?? nextHopMode(null);
  }

  async initialize(): Promise<void> {
    const failed = await this.runSteps(initializeSteps(this.requireMode(), this.localAddress));
    if (failed) throw new DataplaneCommandError(`linux MPLS dataplane initialization failed: ${failed}`);
  }

  async createInstance(params: InstanceParams): Promise<MplsLinuxVrf> {
    const vrf = new MplsLinuxVrf(this, params, this.vrfConfig(params));
    try {
      await vrf.setup();
    } catch (e) {
      // The attach fails and the VPN layer forgets the instance: nothing of it may stay.
      await this.runSteps(vrfTeardownSteps(vrf.vrfDevice, vrf.table));
      throw e;
    }
    this.instances.set(params.instanceId, vrf);
    return vrf;
  }

  private vrfConfig(params: InstanceParams): VrfConfig {
    let gateway: VrfConfig['gateway'] = null;
    if (params.gatewayIp !== null && params.gatewayIp !== undefined && params.subnetLength !== null) {
      if (typeof params.gatewayIp !== 'string' || !isIpv4(params.gatewayIp)) throw new DataplaneCommandError(`gateway_ip ${JSON.stringify(params.gatewayIp)} is not an IPv4 address`);
      gateway = { address: params.gatewayIp, length: params.subnetLength };
    }
    return { vrfDevice: vrfDevice(params.instanceId), table: vrfTable(params.instanceId), gateway, mode: this.requireMode(), localAddress: this.localAddress };
  }

  /**
   * Runs steps; records and logs failures. Returns the first failure of a required step
   * ("<command>: <error>"), undefined when every required step succeeded.
   */
  async runSteps(steps: readonly Step[]): Promise<string | undefined> {
    if (steps.length === 0) return undefined;
    const results = await this.executor.run(steps);
    let first: string | undefined;
    steps.forEach((s, i) => {
      const why = this.outcome(s, results[i]);
      if (why !== undefined && first === undefined) first = why;
    });
    return first;
  }

  /** Applies a plan's changes (then `after`): each change's outcome goes back to the plan. */
  async applyChanges(plan: VrfPlan, changes: readonly Change[], after: readonly Step[] = []): Promise<string | undefined> {
    const steps = [...changes.flatMap((c) => c.steps), ...after];
    if (steps.length === 0) return undefined;
    const results = await this.executor.run(steps);
    let first: string | undefined;
    let i = 0;
    const take = (list: readonly Step[]): string | undefined => {
      let failure: string | undefined;
      for (const s of list) {
        const why = this.outcome(s, results[i++]);
        if (why !== undefined && failure === undefined) failure = why;
      }
      if (failure !== undefined && first === undefined) first = failure;
      return failure;
    };
    for (const c of changes) plan.applied(c, take(c.steps));
    take(after);
    return first;
  }

  /** Logs a step's failure; returns "<command>: <error>" when it counts as a failure. */
  private outcome(step: Step, result: StepResult | undefined): string | undefined {
    if (result?.ok === true) return undefined;
    const error = result?.error ?? 'no outcome';
    const command = stepText(step);
    if (step.tolerance !== 'required') {
      this.log.log(step.tolerance === 'absent-ok' ? 'debug' : 'warning', `'${command}' failed (tolerated): ${error}`);
      return undefined;
    }
    this.failures.push({ time: new Date().toISOString(), command, error });
    if (this.failures.length > KEEP_FAILURES) this.failures.splice(0, this.failures.length - KEEP_FAILURES);
    this.log.log('error', `'${command}' failed: ${error}`);
    return `'${command}': ${error}`;
  }

  linkExists(ifname: string): Promise<boolean> {
    return this.executor.linkExists(ifname);
  }

  /** Ends the batch processes (daemon stop). */
  close(): Promise<void> {
    return this.executor.close();
  }

  lookingGlass(): Record<string, unknown> {
    const mpls: Record<string, unknown>[] = [];
    for (const vrf of this.instances.values()) {
      for (const [, inst] of vrf.plan.installedResources()) {
        const r = inst.resource;
        if (r.kind === 'pop') mpls.push({ [String(r.label)]: { via: r.ip, dev: r.ifname, vrf_if: vrf.plan.config.vrfDevice, installed: !inst.failed } });
      }
    }
    return {
      name: this.name,
      local_address: this.localAddress,
      config: this.options.config,
      mode: this.mode === null ? null : this.mode.kind === 'gre' ? `MPLS over GRE (${this.mode.device})` : `bare MPLS (${this.mode.mplsInterface})`,
      mpls,
      ...(this.mode?.kind === 'gre' ? { gre_neighbours: this.gre.peers() } : {}),
      failures: this.failures,
    };
  }
}

/** One VRF: its VRF device, ports and routes (spec §5). */
export class MplsLinuxVrf implements IpvpnInstanceDataplane {
  readonly plan: VrfPlan;
  private readonly log: Logger;
  private cleanedUp = false;

  constructor(
    private readonly driver: MplsLinuxDataplaneDriver,
    readonly params: InstanceParams,
    config: VrfConfig,
  ) {
    this.plan = new VrfPlan(config);
    this.log = driver.log.child(`VRF-${params.instanceId}`);
  }

  get vrfDevice(): string {
    return this.plan.config.vrfDevice;
  }
  get table(): number {
    return this.plan.config.table;
  }

  async setup(): Promise<void> {
    this.log.log('info', `Initializing VRF interface ${this.vrfDevice} (table ${this.table})`);
    const failed = await this.driver.runSteps(vrfSetupSteps(this.vrfDevice, this.table));
    if (failed) throw new DataplaneCommandError(`VRF ${this.vrfDevice}: ${failed}`);
  }

  private async apply(changes: readonly Change[], what: string, after?: readonly Step[]): Promise<void> {
    const failed = await this.driver.applyChanges(this.plan, changes, after);
    if (failed) throw new DataplaneCommandError(`${what}: ${failed}`);
  }

  async vifPlugged(mac: string, ip: string | null, port: LocalPort, label: number, _direction: Direction): Promise<void> {
    const ifname = checkInterface(port);
    if (!validLabel(label)) throw new DataplaneCommandError(`invalid MPLS label ${label}`);
    if (!this.plan.hasPort(ifname) && !(await this.driver.linkExists(ifname))) {
      this.log.log('warning', `interface ${ifname} not in interfaces, ignoring plug`);
      return;
    }
    await this.apply(this.plan.plug(ifname, { mac, ip, label }), `plug ${ifname} ${mac} ${ip ?? ''}`);
  }

  async vifUnplugged(mac: string, ip: string | null, port: LocalPort, label: number, _direction: Direction, _lastEndpoint: boolean): Promise<void> {
    const ifname = checkInterface(port);
    if (!this.plan.hasPort(ifname)) {
      this.log.log('warning', `interface ${ifname} not plugged, ignoring unplug`);
      return;
    }
    await this.apply(this.plan.unplug(ifname, mac, ip, label), `unplug ${ifname} ${mac} ${ip ?? ''}`);
  }

  updateFallback(_fallback: unknown): Promise<void> {
    // The kernel driver has no fallback (the original's does nothing either).
    return Promise.resolve();
  }

  needsCleanupAssist(): boolean {
    return false;
  }

  async setupRemoteEndpoint(prefix: string, remotePe: string, label: number, _encaps: Encapsulation[], _hashOrder: number): Promise<void> {
    checkRoute(prefix, remotePe, label);
    const nh: NextHop = { pe: remotePe, label };
    const changes = this.plan.addNextHop(prefix, nh);
    if (changes.length === 0) {
      this.log.log('debug', `next hop ${remotePe} label ${label} already on ${prefix}`);
      return;
    }
    if (this.usesGre(remotePe)) {
      // The PE's GRE neighbour first (only with the PE's first user): without it the route
      // would send to nowhere.
      const neighbour = this.driver.gre.use(remotePe, this.greUser(prefix));
      const failed = await this.driver.runSteps(neighbour);
      if (failed) {
        this.driver.gre.failed(remotePe, this.greUser(prefix));
        this.plan.removeNextHop(prefix, nh);
        throw new DataplaneCommandError(`GRE neighbour of ${remotePe}: ${failed}`);
      }
    }
    await this.apply(changes, `route ${prefix} via ${remotePe} label ${label}`);
  }

  async removeRemoteEndpoint(prefix: string, remotePe: string, label: number, _encaps: Encapsulation[], _hashOrder: number): Promise<void> {
    const changes = this.plan.removeNextHop(prefix, { pe: remotePe, label });
    if (changes.length === 0) {
      this.log.log('warning', `no route found on remove_dataplane_for_remote_endpoint for ${prefix} via ${remotePe} label ${label}`);
      return;
    }
    const stillUsed = this.plan.nextHops(prefix).some((n) => n.pe === remotePe);
    const after = this.usesGre(remotePe) && !stillUsed ? this.driver.gre.release(remotePe, this.greUser(prefix)) : [];
    await this.apply(changes, `remove ${prefix} via ${remotePe} label ${label}`, after);
  }

  /**
   * FlowSpec redirection needs per-flow classification, which this driver does not do (the
   * original raised "not implemented" too): the VPN layer logs the error and keeps the route.
   */
  addTrafficClassifier(_classifier: TrafficClassifier, _redirectInstanceId: number): Promise<void> {
    return Promise.reject(new Error('traffic redirection (FlowSpec redirect-to-VRF) is not supported by the linux IP VPN driver: use the ovs driver'));
  }

  removeTrafficClassifier(_classifier: TrafficClassifier): Promise<void> {
    return Promise.resolve();
  }

  private usesGre(pe: string): boolean {
    return this.plan.config.mode.kind === 'gre' && pe !== this.driver.localAddress;
  }

  private greUser(prefix: string): string {
    return `${this.vrfDevice} ${prefix}`;
  }

  /**
   * Ports set down and released, neighbours and pop routes removed (the original left the MPLS
   * routes behind: the label table is not the VRF's), then the device, its rules and its table.
   */
  async cleanup(): Promise<void> {
    if (this.cleanedUp) return;
    this.cleanedUp = true;
    const changes = this.plan.teardown();
    const after = [...this.driver.gre.releaseAll(`${this.vrfDevice} `), ...vrfTeardownSteps(this.vrfDevice, this.table)];
    try {
      await this.apply(changes, `cleanup ${this.vrfDevice}`, after);
    } finally {
      this.plan.tableFlushed();
      this.driver.instances.delete(this.params.instanceId);
    }
  }

  lookingGlass(): Record<string, unknown> {
    const installed = new Map(this.plan.installedResources());
    const routes: Record<string, unknown>[] = [];
    for (const r of this.plan.desiredResources()) {
      if (r.kind !== 'route') continue;
      const inst = installed.get(`route ${r.prefix}`);
      routes.push({
        [r.prefix]: {
          nexthops: r.nextHops.map((n) => ({ via: n.pe, label: n.label })),
          installed: inst !== undefined && !inst.failed && JSON.stringify(inst.resource) === JSON.stringify(r),
          ...(inst?.error !== undefined ? { error: inst.error } : {}),
        },
      });
    }
    const ports = this.plan.portNames().map((p) => ({ [p]: { installed: installed.get(`port ${p}`)?.failed === false } }));
    const failed = [...installed].filter(([, i]) => i.failed).map(([key, i]) => ({ [key]: i.error }));
    return { routes, route_table: this.table, vrf_if: this.vrfDevice, ports, failed };
  }
}

function checkInterface(port: LocalPort): string {
  const ifname = port.linuxif;
  if (!validInterfaceName(ifname)) throw new DataplaneCommandError(`not an interface name: ${JSON.stringify(ifname)}`);
  return ifname;
}

function checkRoute(prefix: string, pe: string, label: number): void {
  const [address, len] = prefix.split('/');
  if (address === undefined || !isIpv4(address) || !/^\d+$/.test(len ?? '') || Number(len) > 32) {
    throw new DataplaneCommandError(`prefix ${prefix}: the linux MPLS driver handles IPv4 prefixes only`);
  }
  if (!isIpv4(pe)) throw new DataplaneCommandError(`next hop ${pe} is not an IPv4 address`);
  // Any 20-bit label may be pushed (reserved ones included: the remote PE chose it).
  if (!Number.isInteger(label) || label < 0 || label >= 2 ** 20) throw new DataplaneCommandError(`invalid MPLS label ${label}`);
}
