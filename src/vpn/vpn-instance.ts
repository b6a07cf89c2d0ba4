/**
 * What VRFs and EVIs share (spec vpn.md §2): a local worker of the route table manager that
 * subscribes to its import route targets, tracks the best route per destination and turns
 * changes into dataplane calls, and advertises one route per plugged endpoint.
 *
 * Life cycle (vpn.md §1.1, with the bug fixes of rest-api.md §4.7):
 *   constructed (ids allocated) → init() (dataplane instance) → first plug (dataplane only) →
 *   activate() (subscriptions and routes, one step in the route table manager's queue) → start()
 *   (received routes processed) … → stop() (everything withdrawn and released).
 * Nothing reaches the route table manager before the first plug succeeded, so a failed first
 * attach leaves nothing behind (the original left a zombie instance advertising routes).
 *
 * Dataplane calls of one instance run one after the other (an ordered promise chain): route
 * events arrive synchronously from the route table manager, their dataplane work is queued;
 * API-driven calls (plug, unplug) wait for theirs and fail the request when it fails.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Direction, Encapsulation, InstanceDataplaneOf, LocalPort, DataplaneDriver, VpnType } from '../dataplane/driver.js';
import type { RouteEntry } from '../rib/route-entry.js';
import { extCommunitiesOf } from '../rib/route-entry.js';
import { matchKey, type Match, type RouteTableManager } from '../rib/route-table-manager.js';
import type { RouteEvent, Worker } from '../rib/worker.js';
import { Safi } from '../wire/afi.js';
import { encapsulation, routeTarget, type ExtCommunity } from '../wire/ext-communities/index.js';
import type { Logger } from '../util/logger.js';
import type { ChainingConfig } from './chaining.js';
import { ApiError, InternalError } from './errors.js';
import type { LabelAllocator, RdAllocator } from './identifier-allocator.js';
import { pyRepr, pySet, pyTuple } from './py-repr.js';
import type { EndpointIp, PlugParams } from './requests.js';
import type { BestPathPolicy } from './best-path.js';
import { BestPathTracker } from './tracker.js';

export interface InstanceDeps {
  readonly rtm: RouteTableManager;
  readonly labels: LabelAllocator;
  readonly rds: RdAllocator;
  /** [BGP] local_address: E-VPN multicast next hop and originating IP. */
  readonly bgpLocalAddress: string;
  /** Mixed into the best-path tie-break (the original: hostname + instance name). */
  readonly salt: string;
  readonly log: Logger;
  /** The manager's FlowSpec redirect instances (VRFs receiving redirect-to-VRF routes). */
  readonly redirects?: RedirectRegistry;
}

/** Redirect instances (vpn.md §1.3): one VRF per redirect route target, alive while it has users. */
export interface RedirectRegistry {
  /** The redirect instance of this route target (created if needed), `user` registered. */
  acquire(rt: string, user: string): Promise<{ readonly settings: { readonly instanceId: number } }>;
  /** `user` no longer redirects to it; the instance stops with its last user. */
  release(rt: string, user: string): Promise<void>;
}

export interface InstanceSettings {
  readonly instanceId: number;
  readonly vpnInstanceId: string;
  readonly importRts: readonly string[];
  readonly exportRts: readonly string[];
  readonly gatewayIp: unknown;
  /** Prefix length of the IP of the creating attach (null without IP). */
  readonly subnetLength: number | null;
  /** Non-zero: forced instance label / VNI. */
  readonly vni: number;
  readonly linuxbr: string | undefined;
  readonly fallback: unknown;
  /** IP VPN service chaining (vpn.md §4); none by default. */
  readonly chaining?: ChainingConfig;
}

export interface Endpoint {
  readonly mac: string;
  readonly ip: EndpointIp | null;
  readonly linuxif: string;
  /** The endpoint's own RD (directions both / to-port), released at unplug. */
  rd: string | undefined;
  /** Prefix length advertised: 32 unless advertise_subnet (null without IP). */
  plen: number | null;
  localPref: number | null;
  direction: Direction;
  description: unknown;
  /** The route currently in the route table manager for this endpoint. */
  published: RouteEntry | undefined;
}

export interface MacData {
  readonly label: number;
  readonly localPort: LocalPort;
  readonly hashOrder: number;
  readonly endpoints: Set<string>;
}

/** A queued dataplane call: API-driven ones have a promise to settle, route-driven ones a name for the log. */
interface DataplaneTask {
  readonly fn: () => Promise<void>;
  readonly resolve?: () => void;
  readonly reject?: (e: unknown) => void;
  readonly what?: string;
}

export function forwardsToPort(d: Direction): boolean {
  return d === 'both' || d === 'to-port';
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function endpointKey(mac: string, ipText: string | null): string {
  // A MAC and an IP text never hold a space (the API validated both).
  return ipText === null ? mac : `${mac} ${ipText}`;
}

export abstract class VpnInstance<T extends VpnType = VpnType> implements Worker {
  readonly kind = 'local';
  abstract readonly vpnType: T;
  /** "VRF" / "EVI". */
  abstract readonly instanceType: string;
  abstract readonly afi: number;
  abstract readonly safi: number;

  readonly instanceLabel: number;
  readonly forcedVni: boolean;
  readonly instanceRd: string;
  importRts: string[];
  exportRts: string[];
  /** The route targets of the last updateRouteTargets (applied in the route table manager's queue). */
  private askedImports: readonly string[];
  private askedExports: readonly string[];
  description: unknown = null;
  fallback: unknown = null;

  readonly endpoints = new Map<string, Endpoint>();
  readonly macs = new Map<string, MacData>();
  /** linuxif → endpoint keys. */
  readonly ports = new Map<string, Set<string>>();
  readonly ipToMacs = new Map<string, Set<string>>();
  readonly macToIps = new Map<string, Set<string>>();
  /** Endpoints plugged at least once (the VRF's detach answers 500 for others, a quirk). */
  protected readonly everPlugged = new Set<string>();

  protected readonly tracker: BestPathTracker;
  protected dataplane!: InstanceDataplaneOf[T];
  protected readonly log: Logger;
  private active = false;
  private started = false;
  private stopped = false;
  private readonly pending: RouteEvent[] = [];
  /** Current subscriptions, by "afi/safi/rt". */
  private readonly subscribed = new Map<string, Match>();
  /** Dataplane calls waiting their turn, run one after the other by drainDataplane(). */
  private readonly dpQueue: DataplaneTask[] = [];
  private dpDraining: Promise<void> | undefined;

  constructor(
    protected readonly deps: InstanceDeps,
    readonly settings: InstanceSettings,
    protected readonly driver: DataplaneDriver<T>,
    prefix: string,
  ) {
    this.name = `${prefix}-${settings.instanceId}`;
    this.log = deps.log.child(this.name);
    this.importRts = [...settings.importRts];
    this.exportRts = [...settings.exportRts];
    this.askedImports = this.importRts;
    this.askedExports = this.exportRts;
    this.forcedVni = settings.vni !== 0;
    this.instanceLabel = this.forcedVni ? settings.vni : deps.labels.allocate(`Incoming traffic for ${this.name}`);
    try {
      this.instanceRd = deps.rds.allocate(`Default route distinguisher for ${this.name}`);
    } catch (e) {
      if (!this.forcedVni) deps.labels.release(this.instanceLabel);
      throw e;
    }
    const first = this.bestPathFirst();
    this.tracker = new BestPathTracker({ ecmp: driver.ecmp, salt: `${deps.salt}|${this.name}`, ...(first ? { first } : {}) });
  }

  readonly name: string;

  /** Subclass hook: a comparison that decides before LOCAL_PREF (E-VPN MAC mobility). Runs in the constructor. */
  protected bestPathFirst(): BestPathPolicy['first'] {
    return undefined;
  }

  /** Subclass hook: a MAC's last endpoint is gone. */
  protected onMacForgotten(_mac: string): void {}

  get vpnInstanceId(): string {
    return this.settings.vpnInstanceId;
  }
  get isStarted(): boolean {
    return this.started;
  }
  get isStopped(): boolean {
    return this.stopped;
  }
  /** Subscribed and publishing (after the first plug, until stop). */
  get isActive(): boolean {
    return this.active;
  }

  /** Creates the dataplane instance (the driver was initialised by the manager). */
  async init(): Promise<void> {
    const s = this.settings;
    this.dataplane = await this.driver.createInstance({
      instanceId: s.instanceId,
      vpnInstanceId: s.vpnInstanceId,
      gatewayIp: s.gatewayIp,
      subnetLength: s.subnetLength,
      instanceLabel: this.instanceLabel,
      ...(s.linuxbr !== undefined ? { linuxbr: s.linuxbr } : {}),
      ...(this.forcedVni ? { vni: s.vni } : {}),
    });
    await this.updateFallback(s.fallback);
  }

  /** Releases the instance's ids when init() or the first plug failed (nothing was published). */
  releaseIds(): void {
    if (!this.forcedVni && this.deps.labels.isAllocated(this.instanceLabel)) this.deps.labels.release(this.instanceLabel);
    this.deps.rds.release(this.instanceRd);
  }

  // ---- route targets, fallback (every attach: vpn.md §2.4, §2.5) ----

  /**
   * Replaces the import and export route targets as one step of the route table manager's queue:
   * the import list used to filter received routes, the subscriptions and the re-advertisement
   * of our routes change together, so no route in flight sees half of it.
   */
  updateRouteTargets(imports: readonly string[], exports: readonly string[]): void {
    // Most attaches repeat the instance's route targets: nothing to queue then. Compared with the
    // last ones asked for (a change may still wait in the queue), not with those applied.
    if (sameList(imports, this.askedImports) && sameList(exports, this.askedExports)) return;
    this.askedImports = [...imports];
    this.askedExports = [...exports];
    this.deps.rtm.inOrder(() => {
      this.importRts = [...imports];
      this.syncSubscriptions();
      const same = exports.length === this.exportRts.length && exports.every((rt) => this.exportRts.includes(rt));
      if (!same) {
        this.exportRts = [...exports];
        this.republishAll();
      }
    });
  }

  async updateFallback(fallback: unknown): Promise<void> {
    if (fallback === null || fallback === undefined || isDeepStrictEqual(fallback, this.fallback)) return;
    await this.dp(() => this.dataplane.updateFallback(fallback));
    this.fallback = fallback;
  }

  /**
   * What the instance subscribes to (vpn.md §2.1 step 4): (afi, safi, rt) and (afi, flow-vpn, rt)
   * per import route target, plus the subclass's own (re-advertisement).
   */
  private wantedSubscriptions(): Match[] {
    const out: Match[] = [];
    for (const rt of this.importRts) out.push({ afi: this.afi, safi: this.safi, rt }, { afi: this.afi, safi: Safi.FlowSpecVpn, rt });
    out.push(...this.extraSubscriptions());
    return out;
  }

  /** Subscriptions beyond the import route targets (VRF: readvertise from_rt). */
  protected extraSubscriptions(): Match[] {
    return [];
  }

  /** Subscribes / unsubscribes so that the route table manager has exactly what the instance wants. */
  private syncSubscriptions(): void {
    if (!this.active) return;
    const want = new Map(this.wantedSubscriptions().map((m) => [matchKey(m), m]));
    for (const [k, m] of this.subscribed) {
      if (want.has(k)) continue;
      this.deps.rtm.unsubscribe(this, m);
      this.subscribed.delete(k);
    }
    for (const [k, m] of want) {
      if (this.subscribed.has(k)) continue;
      this.deps.rtm.subscribe(this, m);
      this.subscribed.set(k, m);
    }
  }

  // ---- publication ----

  /** Extended communities of our routes: non-default encapsulations, then the export RTs. */
  protected routeCommunities(): ExtCommunity[] {
    return [...this.encapCommunities(), ...this.exportRts.map((rt) => routeTarget(rt))];
  }

  /** One encapsulation community per driver encapsulation but Default (vpn.md §3.2). */
  protected encapCommunities(): ExtCommunity[] {
    return this.driver.supportedEncaps.filter((e) => e !== 'default').map((e) => encapsulation(e));
  }

  /** The route an endpoint should have in the route table manager now (none for from-port). */
  protected abstract endpointRoute(ep: Endpoint, label: number): RouteEntry | undefined;

  /** Publishes / withdraws an endpoint's route to match what it should be. */
  private syncEndpoint(ep: Endpoint): void {
    const md = this.macs.get(ep.mac);
    const want = this.active && this.exportRts.length > 0 && md ? this.endpointRoute(ep, md.label) : undefined;
    this.setPublished(ep.published, want, (r) => (ep.published = r));
  }

  protected setPublished(current: RouteEntry | undefined, want: RouteEntry | undefined, store: (r: RouteEntry | undefined) => void): void {
    if (current && (!want || current.key !== want.key)) this.deps.rtm.withdraw(current);
    if (want) this.deps.rtm.advertise(want);
    store(want);
  }

  /** Every route of the instance again (export route targets changed, activation). */
  protected republishAll(): void {
    for (const ep of this.endpoints.values()) this.syncEndpoint(ep);
    this.syncExtraRoutes();
  }

  /** Subclass hook, run in the route table manager's queue when endpoints change: routes besides endpoint routes. */
  protected syncExtraRoutes(): void {}

  /**
   * Subscriptions and routes, as one step of the route table manager's queue (after the first
   * plug succeeded).
   */
  activate(): void {
    this.deps.rtm.inOrder(() => {
      this.active = true;
      this.syncSubscriptions();
      this.republishAll();
    });
  }

  /** Starts processing received routes (those received since activation first). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    for (const e of this.pending.splice(0)) this.handle(e);
  }

  // ---- endpoints (vpn.md §2.2, §2.3) ----

  /** The consistency checks of a plug that need no change (400s): run before anything is applied. */
  checkPlug(p: PlugParams): void {
    const md = this.macs.get(p.mac);
    if (md && !isDeepStrictEqual(md.localPort, p.localPort)) {
      throw new ApiError(
        `Port information is not consistent. MAC address cannot be bound to two different ports. Previous plug for port ${p.localPort.linuxif} (${pyRepr(md.localPort)} != ${pyRepr(p.localPort)})`,
      );
    }
    if (p.ip && this.effectiveLength(p) === 32) {
      const macs = this.ipToMacs.get(p.ip.text);
      if (macs && !macs.has(p.mac)) {
        throw new ApiError(`Inconsistent endpoint info: IP ${p.ip.text} already bound to a MAC address different from ${p.mac} (${pySet(macs)})`);
      }
    }
  }

  private effectiveLength(p: PlugParams): number | null {
    return p.ip ? (p.advertiseSubnet ? p.ip.length : 32) : null;
  }

  /**
   * Plugs an endpoint: dataplane first (unless it is only a refresh), then the bookkeeping and
   * the route. A failure undoes what this call allocated and nothing else (the original deleted
   * the MAC's data even when other endpoints used it).
   */
  async plug(p: PlugParams): Promise<void> {
    this.checkPlug(p);
    const { mac, ip, localPort, direction } = p;
    const linuxif = localPort.linuxif;
    const key = endpointKey(mac, ip?.text ?? null);
    const plen = this.effectiveLength(p);
    const md = this.macs.get(mac);
    const refresh = ip === null ? md !== undefined : plen === 32 && this.ipToMacs.has(ip.text);
    const existing = this.endpoints.get(key);
    const what = `${this.name}, interface ${linuxif}, endpoint ${pyTuple([mac, ip?.text ?? null])}`;
    let newLabel: number | undefined;
    let newRd: string | undefined;
    let ep: Endpoint;
    let label: number;
    try {
      newLabel = md ? undefined : this.deps.labels.allocate(`Incoming traffic for ${what}`);
      label = md?.label ?? newLabel!;
      let rd = existing?.rd;
      if (forwardsToPort(direction) && rd === undefined) rd = newRd = this.deps.rds.allocate(`Route distinguisher for ${what}`);
      ep = { mac, ip, linuxif, rd, plen, localPref: p.localPref, direction, description: p.description, published: existing?.published };
      // Route generation errors (vpn.md §5.2: E-VPN non-/32, MAC format) before any dataplane call.
      if (forwardsToPort(direction)) this.endpointRoute(ep, label);
      if (!refresh) {
        if (!this.driver.supportsDirection(direction)) throw new ApiError(`Unsupported direction: ${direction}`);
        await this.dp(() => this.dataplane.vifPlugged(mac, ip?.address ?? null, localPort, label, direction));
      }
    } catch (e) {
      if (newLabel !== undefined) this.deps.labels.release(newLabel);
      if (newRd !== undefined) this.deps.rds.release(newRd);
      throw e;
    }
    // Commit: nothing below can fail.
    this.endpoints.set(key, ep);
    this.everPlugged.add(key);
    const data = md ?? { label, localPort, hashOrder: p.hashOrder, endpoints: new Set<string>() };
    data.endpoints.add(key);
    this.macs.set(mac, data);
    addTo(this.ports, linuxif, key);
    if (ip) {
      addTo(this.ipToMacs, ip.text, mac);
      addTo(this.macToIps, mac, ip.text);
    }
    // An IP endpoint replaces the MAC's IP-less endpoint on the same port (vpn.md §2.2 step 8).
    const wildcard = this.endpoints.get(endpointKey(mac, null));
    if (ip && wildcard && wildcard.linuxif === linuxif) this.forget(wildcard);
    this.deps.rtm.inOrder(() => {
      this.syncEndpoint(ep);
      this.syncExtraRoutes();
    });
  }

  /** Removes an endpoint's route, RD and records (not the dataplane: the caller's business). */
  private forget(ep: Endpoint): void {
    const key = endpointKey(ep.mac, ep.ip?.text ?? null);
    if (ep.published) this.deps.rtm.withdraw(ep.published);
    ep.published = undefined;
    if (ep.rd !== undefined) this.deps.rds.release(ep.rd);
    this.endpoints.delete(key);
    removeFrom(this.ports, ep.linuxif, key);
    const md = this.macs.get(ep.mac);
    if (md) {
      md.endpoints.delete(key);
      // A MAC's label goes with its last endpoint (the original leaked it while other MACs
      // remained on the port).
      if (md.endpoints.size === 0) {
        this.deps.labels.release(md.label);
        this.macs.delete(ep.mac);
        this.onMacForgotten(ep.mac);
      }
    }
    if (ep.ip) {
      removeFrom(this.ipToMacs, ep.ip.text, ep.mac);
      removeFrom(this.macToIps, ep.mac, ep.ip.text);
    }
  }

  /** Unplugs (mac, ip), or every endpoint of the MAC when ip is null (vpn.md §2.3). */
  async unplug(mac: string, ipText: string | null): Promise<void> {
    if (ipText !== null) return this.unplugOne(mac, ipText);
    let failures = 0;
    for (const ip of [...(this.macToIps.get(mac) ?? [])]) {
      try {
        await this.unplugOne(mac, ip);
      } catch (e) {
        failures++;
        this.log.log('error', `Exception while unplugging ${pyTuple([mac, ip])}: ${String(e)}`);
      }
    }
    if (failures > 0) throw new InternalError('There were errors on at least one of the unplug resulting from the wildcard unplug');
    if (this.endpoints.has(endpointKey(mac, null))) await this.unplugOne(mac, null);
  }

  protected async unplugOne(mac: string, ipText: string | null): Promise<void> {
    const md = this.macs.get(mac);
    if (!md) throw new ApiError(`Endpoint ${pyTuple([mac, ipText])} not plugged yet, can't unplug`);
    if (ipText !== null) {
      const macs = this.ipToMacs.get(ipText);
      if (!macs?.has(mac)) throw new ApiError(`Inconsistent endpoint info: IP ${ipText} already bound to a MAC address different from ${mac} (${pySet(macs ?? [])})`);
    }
    const ep = this.endpoints.get(endpointKey(mac, ipText));
    if (!ep) throw new InternalError(`Endpoint record missing: ${pyTuple([mac, ipText])}`);
    const last = (this.ports.get(ep.linuxif)?.size ?? 0) <= 1;
    // Route first (peers stop sending traffic), then the dataplane; the records go whatever the
    // dataplane says, so that a failed unplug does not leave a half-known endpoint.
    if (ep.published) this.deps.rtm.withdraw(ep.published);
    ep.published = undefined;
    let failure: Error | undefined;
    if (forwardsToPort(ep.direction)) {
      try {
        await this.dp(() => this.dataplane.vifUnplugged(mac, ep.ip?.address ?? null, md.localPort, md.label, ep.direction, last));
      } catch (e) {
        failure = e instanceof Error ? e : new Error(String(e));
      }
    }
    this.forget(ep);
    this.deps.rtm.inOrder(() => this.syncExtraRoutes());
    if (failure !== undefined) throw failure;
  }

  isEmpty(): boolean {
    return this.endpoints.size === 0;
  }

  // ---- received routes ----

  onRouteEvent(e: RouteEvent): void {
    if (this.stopped) return;
    if (!this.started) {
      this.pending.push(e);
      return;
    }
    this.handle(e);
  }

  private handle(e: RouteEvent): void {
    try {
      let actions;
      if (e.type === 'advertise') {
        const entry = this.trackedEntry(e.entry);
        if (entry !== undefined) actions = this.tracker.advertise(entry, e.entry);
        else {
          // Replaced by a version we do not track: the old one goes.
          const old = e.replaces && this.trackedEntry(e.replaces);
          if (old === undefined) return;
          actions = this.tracker.withdraw(old, e.replaces!);
        }
      } else {
        const entry = this.trackedEntry(e.entry);
        if (entry === undefined) return;
        actions = this.tracker.withdraw(entry, e.entry);
      }
      for (const a of actions) {
        try {
          if (a.type === 'new-best') this.newBestRoute(a.entry, a.route);
          else this.bestRouteRemoved(a.entry, a.route, a.last);
        } catch (err) {
          this.log.log('error', `Exception in ${a.type === 'new-best' ? 'new_best_route' : 'best_route_removed'}: ${String(err)}`);
        }
      }
    } catch (err) {
      this.log.log('error', `route event not processed: ${String(err)}`);
    }
  }

  /** The tracked entry a received route belongs to (engine.md §8); undefined: ignored. */
  protected abstract trackedEntry(route: RouteEntry): string | undefined;
  protected abstract newBestRoute(entry: string, route: RouteEntry): void;
  protected abstract bestRouteRemoved(entry: string, route: RouteEntry, last: boolean): void;

  /** Encapsulations of a received route (none: Default) that the driver supports (vpn.md §3.3). */
  protected commonEncaps(route: RouteEntry): Encapsulation[] {
    const adv: string[] = [];
    for (const ec of extCommunitiesOf(route.attributes)) {
      if (ec.type === 'encapsulation') adv.push(ec.tunnelType === 0 ? 'default' : String(ec.tunnelType));
    }
    if (adv.length === 0) adv.push('default');
    const good = this.driver.supportedEncaps.filter((e) => adv.includes(e));
    if (good.length === 0) {
      this.log.log(
        'warning',
        `No encap supported by dataplane driver for route ${route.key}, advertized: ${adv.join(', ')}, dataplane supports: {${this.driver.supportedEncaps.join(', ')}}`,
      );
    }
    return good;
  }

  /** Runs a dataplane call after the previous ones of this instance; resolves with its result. */
  protected dp(fn: () => Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => this.queueDataplane({ fn, resolve, reject }));
  }

  /** Queues a dataplane call triggered by a route event: failures are logged (never thrown). */
  protected dpLater(what: string, fn: () => Promise<void>): void {
    this.queueDataplane({ fn, what });
  }

  /**
   * One queue and one loop per instance rather than a promise chain: a full feed queues a call
   * per route, and each link of a chain cost three promises (docs/benchmarks.md, ingestion).
   */
  private queueDataplane(t: DataplaneTask): void {
    this.dpQueue.push(t);
    this.dpDraining ??= this.drainDataplane();
  }

  private async drainDataplane(): Promise<void> {
    // Never synchronously inside the caller (a route event being dispatched): calls run later.
    await Promise.resolve();
    let i = 0;
    try {
      while (i < this.dpQueue.length) {
        const t = this.dpQueue[i++]!;
        // Drop what has run once it is most of the queue (a long feed keeps adding).
        if (i >= 1024 && 2 * i >= this.dpQueue.length) {
          this.dpQueue.splice(0, i);
          i = 0;
        }
        try {
          await t.fn();
          t.resolve?.();
        } catch (e) {
          if (t.reject) t.reject(e);
          else this.log.log('error', `dataplane ${t.what ?? 'call'} failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    } finally {
      this.dpQueue.length = 0;
      this.dpDraining = undefined;
    }
  }

  /** Resolves once every queued dataplane call has run (tests, looking glass consistency). */
  async settled(): Promise<void> {
    while (this.dpDraining) await this.dpDraining;
  }

  // ---- stop (vpn.md §2.6) ----

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.pending.length = 0;
    if (this.dataplane?.needsCleanupAssist()) {
      for (const { entry, route } of this.tracker.allRoutes()) {
        for (const a of this.tracker.withdraw(entry, route)) if (a.type === 'best-removed') this.safely(() => this.bestRouteRemoved(a.entry, a.route, a.last));
      }
    }
    // Routes withdrawn (to peers too) and subscriptions removed (RTC withdrawals) at once.
    this.deps.rtm.cleanup(this);
    this.subscribed.clear();
    this.active = false;
    for (const ep of this.endpoints.values()) ep.published = undefined;
    this.onStopped();
    if (this.dataplane) {
      try {
        await this.dp(() => this.dataplane.cleanup());
      } catch (e) {
        this.log.log('error', `dataplane cleanup failed: ${String(e)}`);
      }
    }
    // The original never released the instance RD (a leak); released ids are reused late anyway.
    this.releaseIds();
  }

  /** Subclass hook: drop what was published besides endpoint routes. */
  protected onStopped(): void {}

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log.log('error', String(e));
    }
  }

  // ---- looking glass ----

  /** Tracked entries with all their routes, and the best ones with the reason of the choice. */
  receivedRoutes(): { entry: string; routes: RouteEntry[]; best: { route: RouteEntry; reason: string }[] }[] {
    return this.tracker.trackedEntries().map((entry) => ({ entry, routes: this.tracker.routes(entry), best: [...this.tracker.best(entry)] }));
  }

  advertisedRoutes(): RouteEntry[] {
    return this.deps.rtm.routesFrom(this);
  }

  dataplaneInfo(): Record<string, unknown> {
    return this.dataplane?.lookingGlass() ?? {};
  }

  /** Re-advertisement route targets (service chaining, vpn.md §4), null when off. */
  readvertiseInfo(): { from: readonly string[]; to: readonly string[] } | null {
    return null;
  }

  /** Attract-traffic settings in the looking glass's form (looking-glass.md §2.8: redirect_rts, classifier, to,
   * static_destination_prefixes; route targets as "target:…"), null when off (service chaining, vpn.md §4.2). */
  attractTrafficInfo(): Record<string, unknown> | null {
    return null;
  }

  /** Routes currently re-advertised by the instance (service chaining). */
  readvertisedRoutes(): RouteEntry[] {
    return [];
  }
}

function addTo<V>(m: Map<string, Set<V>>, k: string, v: V): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}

function removeFrom<V>(m: Map<string, Set<V>>, k: string, v: V): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(v);
  if (s.size === 0) m.delete(k);
}
