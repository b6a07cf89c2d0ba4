/**
 * The `linux` E-VPN dataplane of one instance (spec dataplane.md §4) as desired-state
 * reconciliation: the VPN layer's calls only change the desired state (evpn-state.ts) and ask
 * for a pass of the reconcile loop; a pass reads the kernel (`ip -d -json link show`, `bridge -json
 * fdb show br`, `ip -json neigh show dev`), runs the difference through the driver's long-lived
 * `ip` / `bridge` batch processes, and reads the kernel again. A line that fails is recorded
 * under its entry (shown in the looking glass) and the pass is retried with a back-off; nothing
 * throws into the route-event path.
 *
 * Calls of the REST API path (plug, unplug, cleanup) wait for their pass, and a plug whose port
 * cannot be enslaved or programmed fails (500, as the original's failing command did) after its
 * own part of the desired state is taken back. Calls of the route-event path (remote MACs,
 * flooding) return at once: many of them are served by one pass.
 *
 * Adoption (issue 5): an instance whose devices were left by a previous run of the daemon keeps
 * every installed entry that is not desired until its hold-down ends (`adoption_hold_time`
 * after a BGP session is Established, and not before the instance exists), so that traffic keeps
 * flowing while its routes come back; then the stale entries go. A hold-down rather than the
 * peers' End-of-RIB: with RT Constraint an instance's routes arrive after its RTC route, long
 * after the session's End-of-RIB.
 */
import { isIP } from 'node:net';
import type { Logger } from '../../util/logger.js';
import { AdoptionHoldDown } from '../adoption-hold-down.js';
import type { Direction, Encapsulation, EvpnInstanceDataplane, InstanceParams, LocalPort } from '../driver.js';
import type { PrivilegedExec } from '../exec/privileged-exec.js';
import { ReconcileLoop } from '../reconcile-loop.js';
import {
  emptyDesired,
  floodKey,
  parseFdb,
  parseLinks,
  parseNeighbours,
  plan,
  planSize,
  type EvpnDesired,
  type EvpnInstalled,
  type EvpnPlan,
  type FdbJson,
  type IpLinkJson,
  type NeighJson,
  type VxlanSpec,
} from './evpn-state.js';
import { bridgeName, checkDeviceName, DeviceNameError, isOurBridge, normalMac, pinnedBridgeMac, vxlanName } from './names.js';

export interface LinuxEvpnContext {
  readonly exec: PrivilegedExec;
  readonly log: Logger;
  /** Tunnel source: dataplane_local_address or [BGP] local_address. */
  readonly localAddress: string;
  /** `vxlan_dst_port` (null: the kernel default). */
  readonly dstPort: number | null;
  /** How long an adopted instance keeps stale entries, counted from routingUp. */
  readonly holdDownMs: number;
  /** Resolves once routes can come back (a BGP session is up). */
  readonly routingUp: Promise<void>;
  /** Claims devices left by a previous run; true when one of them was there at start. */
  claim(names: readonly string[]): boolean;
  /** The instance's devices are gone (cleanup). */
  release(names: readonly string[]): void;
}

export interface ProgrammingError {
  readonly entry: string;
  readonly command: string;
  readonly error: string;
  readonly attempts: number;
  readonly since: string;
}

export class DataplaneProgrammingError extends Error {
  override readonly name = 'DataplaneProgrammingError';
}

function emptyInstalled(): EvpnInstalled {
  return { links: new Map(), localMacs: new Map(), remoteMacs: new Map(), neighbours: new Map(), flood: new Set() };
}

export class LinuxEvpnInstance implements EvpnInstanceDataplane {
  readonly desired: EvpnDesired;
  private installed: EvpnInstalled = emptyInstalled();
  readonly errors = new Map<string, ProgrammingError>();
  private readonly loop: ReconcileLoop;
  private readonly bridgeMac: string;
  /** While stale entries are kept (an adopted instance). */
  private readonly holdDown: AdoptionHoldDown;
  readonly adopted: boolean;
  private readonly log: Logger;

  private constructor(
    private readonly ctx: LinuxEvpnContext,
    readonly params: InstanceParams,
    bridge: string,
    vxlan: VxlanSpec,
  ) {
    this.log = ctx.log.child(params.vpnInstanceId);
    this.desired = emptyDesired(bridge, vxlan);
    this.bridgeMac = pinnedBridgeMac(bridge);
    this.loop = new ReconcileLoop(() => this.pass(), { log: this.log });
    this.adopted = ctx.claim([bridge, vxlan.name]);
    this.holdDown = new AdoptionHoldDown(ctx.holdDownMs, () => {
      this.log.log('info', `adoption hold-down over: stale entries of ${bridge} removed`);
      void this.loop.request();
    });
    // Held until the hold-down, counted from when routes can come back, is over.
    if (this.adopted && ctx.holdDownMs > 0) this.holdDown.start(ctx.routingUp);
  }

  /**
   * Instance creation (dataplane.md §4 "Instance creation"): the bridge (ours or `linuxbr`), a
   * VXLAN port of the instance's VNI on that bridge reused if there is one, else ours; then a
   * first pass, whose device errors fail the attach (and leave nothing behind).
   */
  static async create(ctx: LinuxEvpnContext, params: InstanceParams): Promise<LinuxEvpnInstance> {
    const bridge = checkDeviceName(params.linuxbr ?? bridgeName(params.vpnInstanceId));
    const own = vxlanName(params.vpnInstanceId);
    checkDeviceName(own);
    const vni = params.vni ?? params.instanceLabel;
    const links = parseLinks(await ctx.exec.json<IpLinkJson>(['ip', '-d', '-json', 'link', 'show']));
    const reused = [...links.values()].find((l) => l.master === bridge && l.vxlan?.id === vni && l.name !== own);
    const vxlan: VxlanSpec = reused
      ? { name: reused.name, vni, local: ctx.localAddress, dstPort: ctx.dstPort, own: false }
      : { name: own, vni, local: ctx.localAddress, dstPort: ctx.dstPort, own: true };
    const i = new LinuxEvpnInstance(ctx, params, bridge, vxlan);
    if (reused) i.log.log('info', `reusing VXLAN interface ${reused.name} (VNI ${vni}) on bridge ${bridge}`);
    if (i.adopted) i.log.log('info', `adopting ${bridge} left by a previous run: stale entries kept for ${ctx.holdDownMs} ms`);
    await i.loop.request();
    const failed = [...i.errors.values()].filter((e) => e.entry.startsWith('device '));
    if (failed.length > 0) {
      await i.cleanup();
      throw new DataplaneProgrammingError(failed.map((e) => `${e.command}: ${e.error}`).join('; '));
    }
    return i;
  }

  get bridge(): string {
    return this.desired.bridge;
  }
  get vxlan(): VxlanSpec {
    return this.desired.vxlan;
  }
  private get ownBridge(): boolean {
    return isOurBridge(this.desired.bridge);
  }

  // ---- the VPN layer's calls ----

  async vifPlugged(mac: string, _ip: string | null, port: LocalPort, _label: number, _direction: Direction): Promise<void> {
    const linuxif = checkDeviceName(port.linuxif);
    const m = normalMac(mac);
    const d = this.desired;
    const addedPort = this.ownBridge && !d.ports.has(linuxif);
    const previous = d.localMacs.get(m);
    if (addedPort) d.ports.add(linuxif);
    d.localMacs.set(m, linuxif);
    await this.loop.request();
    const err = this.errors.get(`port ${linuxif}`) ?? this.errors.get(`local ${m}`);
    if (err === undefined) return;
    // Take back this call's part of the desired state; the endpoint is not plugged.
    if (addedPort) d.ports.delete(linuxif);
    if (previous === undefined) d.localMacs.delete(m);
    else d.localMacs.set(m, previous);
    await this.loop.request();
    throw new DataplaneProgrammingError(`${err.command}: ${err.error}`);
  }

  async vifUnplugged(mac: string, _ip: string | null, port: LocalPort, _label: number, _direction: Direction, lastEndpoint: boolean): Promise<void> {
    const m = normalMac(mac);
    const d = this.desired;
    if (d.localMacs.get(m) === port.linuxif) d.localMacs.delete(m);
    if (lastEndpoint && ![...d.localMacs.values()].includes(port.linuxif) && port.linuxif !== this.gatewayPort) d.ports.delete(port.linuxif);
    await this.loop.request();
  }

  updateFallback(_fallback: unknown): Promise<void> {
    return Promise.resolve();
  }

  /** Our cleanup removes our entries from a reused VXLAN device itself: no replayed removals needed. */
  needsCleanupAssist(): boolean {
    return false;
  }

  setupRemoteEndpoint(mac: string, ip: string | undefined, remotePe: string, vni: number, _encaps: Encapsulation[]): Promise<void> {
    const m = normalMac(mac);
    checkAddress(remotePe);
    this.desired.remoteMacs.set(m, { dst: remotePe, vni });
    if (ip !== undefined) this.desired.neighbours.set(checkAddress(ip), m);
    void this.loop.request();
    return Promise.resolve();
  }

  removeRemoteEndpoint(mac: string, ip: string | undefined, remotePe: string, _vni: number): Promise<void> {
    const m = normalMac(mac);
    const d = this.desired;
    // A newer best route may already point the MAC elsewhere (it is announced first).
    if (d.remoteMacs.get(m)?.dst === remotePe) d.remoteMacs.delete(m);
    if (ip !== undefined && d.neighbours.get(ip) === m && !d.remoteMacs.has(m)) d.neighbours.delete(ip);
    void this.loop.request();
    return Promise.resolve();
  }

  addBumEndpoint(remotePe: string, vni: number, _encaps: Encapsulation[]): Promise<void> {
    // Our own multicast route never floods to ourselves.
    if (checkAddress(remotePe) !== this.ctx.localAddress) this.desired.flood.add(floodKey(remotePe, vni));
    void this.loop.request();
    return Promise.resolve();
  }

  removeBumEndpoint(remotePe: string, vni: number): Promise<void> {
    this.desired.flood.delete(floodKey(remotePe, vni));
    void this.loop.request();
    return Promise.resolve();
  }

  private gatewayPort: string | undefined;

  async setGatewayPort(linuxif: string, _gatewayIp: unknown): Promise<void> {
    this.gatewayPort = checkDeviceName(linuxif);
    if (this.ownBridge) this.desired.ports.add(linuxif);
    await this.loop.request();
  }

  async gatewayPortDown(linuxif: string): Promise<void> {
    if (this.gatewayPort === linuxif) this.gatewayPort = undefined;
    if (![...this.desired.localMacs.values()].includes(linuxif)) this.desired.ports.delete(linuxif);
    await this.loop.request();
  }

  /** Everything of ours goes: ports released, our devices deleted, our entries on others removed. */
  async cleanup(): Promise<void> {
    this.desired.present = false;
    this.holdDown.cancel();
    await this.loop.request();
    this.loop.close();
    this.ctx.release([this.bridge, this.vxlan.name]);
    for (const e of this.errors.values()) this.log.log('error', `left after cleanup: ${e.command}: ${e.error}`);
  }

  /** Resolves after a full pass started now (tests, benchmarks). */
  settle(): Promise<void> {
    return this.loop.request();
  }

  // ---- one reconciliation pass ----

  private async read(): Promise<EvpnInstalled> {
    const { exec } = this.ctx;
    const d = this.desired;
    const links = parseLinks(await exec.json<IpLinkJson>(['ip', '-d', '-json', 'link', 'show']));
    const br = links.get(d.bridge);
    const vx = links.get(d.vxlan.name);
    const ports = new Set<string>([...d.ports, ...d.localMacs.values()]);
    if (this.ownBridge) for (const l of links.values()) if (l.master === d.bridge) ports.add(l.name);
    const fdb = br ? await exec.json<FdbJson>(['bridge', '-json', 'fdb', 'show', 'br', d.bridge]) : [];
    const neigh = vx ? await exec.json<NeighJson>(['ip', '-json', 'neigh', 'show', 'dev', d.vxlan.name]) : [];
    const installed: EvpnInstalled = { links, ...parseFdb(fdb, d.bridge, d.vxlan.name, vx?.vxlan?.id ?? d.vxlan.vni, ports), neighbours: parseNeighbours(neigh) };
    return this.ownBridge && d.vxlan.own ? installed : this.onlyOurs(installed);
  }

  /**
   * On devices that are not ours (a linuxbr bridge, a reused VXLAN port), other software (the
   * Neutron Linux bridge agent's l2population) may program entries too: only the entries this
   * instance programmed count as installed, so that none of theirs is ever removed.
   */
  private onlyOurs(i: EvpnInstalled): EvpnInstalled {
    const p = this.programmed;
    const pick = <V>(m: Map<string, V>, keep: Set<string>): Map<string, V> => new Map([...m].filter(([k]) => keep.has(k)));
    return {
      links: i.links,
      localMacs: this.ownBridge ? i.localMacs : pick(i.localMacs, p.localMacs),
      remoteMacs: this.desired.vxlan.own ? i.remoteMacs : pick(i.remoteMacs, p.remoteMacs),
      neighbours: this.desired.vxlan.own ? i.neighbours : pick(i.neighbours, p.neighbours),
      flood: this.desired.vxlan.own ? i.flood : new Set([...i.flood].filter((f) => p.flood.has(f))),
    };
  }

  /** Every entry this instance asked for (what it may remove on devices that are not ours). */
  private readonly programmed = { localMacs: new Set<string>(), remoteMacs: new Set<string>(), neighbours: new Set<string>(), flood: new Set<string>() };

  private remember(): void {
    const d = this.desired;
    const p = this.programmed;
    for (const m of d.localMacs.keys()) p.localMacs.add(m);
    for (const m of d.remoteMacs.keys()) p.remoteMacs.add(m);
    for (const ip of d.neighbours.keys()) p.neighbours.add(ip);
    for (const f of d.flood) p.flood.add(f);
  }

  private plan(installed: EvpnInstalled): EvpnPlan {
    return plan(this.desired, installed, { keepStale: this.holdDown.holding, bridgeMac: this.bridgeMac });
  }

  private async pass(): Promise<boolean> {
    this.remember();
    const before = await this.read();
    const p = this.plan(before);
    if (planSize(p) === 0) {
      this.installed = before;
      this.errors.clear();
      return true;
    }
    const { exec } = this.ctx;
    const runs = [
      { lines: p.devices, runner: exec.ip },
      { lines: p.fdb, runner: exec.bridge },
      { lines: p.late, runner: exec.ip },
    ];
    const now = new Date().toISOString();
    for (const { lines, runner } of runs) {
      if (lines.length === 0) continue;
      const results = await runner.run(lines.map((l) => l.line));
      results.forEach((r, k) => {
        if (r.ok) return;
        const key = lines[k]!.key;
        const prev = this.errors.get(key);
        this.errors.set(key, { entry: key, command: r.line, error: r.error ?? 'failed', attempts: (prev?.attempts ?? 0) + 1, since: prev?.since ?? now });
        this.log.log('warning', `${r.line}: ${r.error ?? 'failed'}`);
      });
    }
    this.installed = await this.read();
    const left = this.plan(this.installed);
    const pending = new Set([...left.devices, ...left.fdb, ...left.late].map((l) => l.key));
    for (const key of [...this.errors.keys()]) if (!pending.has(key)) this.errors.delete(key);
    return planSize(left) === 0;
  }

  // ---- looking glass ----

  lookingGlass(): Record<string, unknown> {
    const d = this.desired;
    const i = this.installed;
    const state = (s: { ports?: Iterable<string>; localMacs: Map<string, string>; remoteMacs: Map<string, { dst: string; vni: number }>; neighbours: Map<string, string>; flood: Set<string> }) => ({
      ...(s.ports ? { ports: [...s.ports].sort() } : {}),
      local_macs: Object.fromEntries([...s.localMacs].sort()),
      remote_macs: Object.fromEntries([...s.remoteMacs].sort().map(([m, r]) => [m, { vtep: r.dst, vni: r.vni }])),
      neighbours: Object.fromEntries([...s.neighbours].sort()),
      flooding: [...s.flood].sort().map((f) => ({ vtep: f.split(' ')[0], vni: Number(f.split(' ')[1]) })),
    });
    const installedPorts = [...i.links.values()].filter((l) => l.master === d.bridge && l.name !== d.vxlan.name).map((l) => l.name);
    return {
      linux_bridge: d.bridge,
      vxlan_if: d.vxlan.name,
      vxlan_if_reused: !d.vxlan.own,
      adopted: this.adopted,
      stale_entries_kept_until: this.holdDown.holding ? (this.holdDown.deadline === undefined ? 'BGP up + hold-down' : new Date(this.holdDown.deadline).toISOString()) : null,
      desired: state(d),
      installed: { bridge: i.links.has(d.bridge), vxlan: i.links.has(d.vxlan.name), ...state({ ...i, ports: installedPorts }) },
      programming_errors: [...this.errors.values()],
      reconciliation: { passes: this.loop.passes, unclean_passes: this.loop.unclean, last_pass_ms: this.loop.lastPassMs, next_retry: this.loop.retryAt ? new Date(this.loop.retryAt).toISOString() : null },
    };
  }
}

function checkAddress(a: string): string {
  if (isIP(a) === 0) throw new DeviceNameError(`not an IP address: ${JSON.stringify(a)}`);
  return a;
}
