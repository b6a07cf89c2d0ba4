/**
 * IP VPN instance, "VRF" (spec vpn.md §3; RFC 4364): one VPN-IPv4 route per endpoint, received
 * VPN-IPv4 best routes installed in the dataplane.
 *
 * Endpoint route (vpn.md §3.2): `<ip>/32` with the instance RD, or with advertise_subnet the
 * prefix of the given length with the endpoint's own RD; label = the MAC's label; next hop = the
 * IP VPN dataplane address; communities = the driver's encapsulations then the export RTs;
 * LOCAL_PREF = local_pref or 100. (The original meant to add a Consistent-Hash-Sort-Order
 * community too, but its library dropped it: reproduced by not adding it.)
 *
 * Service chaining (vpn.md §4): received best routes qualifying for re-advertisement are kept
 * per tracked entry and the chain routes (chain-routes.ts) published as the difference with what
 * was published; received FlowSpec routes with one redirect-to-VRF action redirect the
 * classified traffic to the manager's redirect instance of that route target (vpn.md §4.6).
 */
import { isDeepStrictEqual } from 'node:util';
import type { DataplaneDriver } from '../dataplane/driver.js';
import type { Match } from '../rib/route-table-manager.js';
import { extCommunitiesOf, makeEntry, type RouteEntry } from '../rib/route-entry.js';
import { Afi, Safi } from '../wire/afi.js';
import { adminText } from '../wire/ext-communities/admin-specific.js';
import type { PathAttribute } from '../wire/attributes/registry.js';
import { fromMplsLabel, mplsLabel } from '../wire/label.js';
import { flowspecRuleText } from '../wire/nlri/flowspec/index.js';
import { InternalError } from './errors.js';
import { DEFAULT_LOCAL_PREF } from './best-path.js';
import { chainRoutes, qualifies, type ChainEndpoint } from './chain-routes.js';
import { NO_CHAINING, type ChainingConfig } from './chaining.js';
import type { EvpnPlug } from './evpn-plug.js';
import { RedirectBook, type RedirectStep } from './flowspec-redirect.js';
import { classifierOf } from './traffic-classifier.js';
import { pyTuple } from './py-repr.js';
import { endpointKey, forwardsToPort, VpnInstance, type Endpoint, type InstanceDeps, type InstanceSettings } from './vpn-instance.js';

/** FlowSpec actions other than redirect-to-VRF: a route carrying one is not a plain redirection (vpn.md §3.4). */
const OTHER_ACTIONS = new Set(['traffic-rate', 'traffic-action', 'traffic-marking', 'redirect-to-ip', 'redirect-to-nexthop']);

/** "a.b.c.d/len" with the host bits cleared (only the prefix goes on the wire). */
export function ipv4Network(address: string, length: number): string {
  const n = address.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  const net = (n & mask) >>> 0;
  return `${net >>> 24}.${(net >>> 16) & 255}.${(net >>> 8) & 255}.${net & 255}/${length}`;
}

function firstLabel(route: RouteEntry): number {
  const raw = route.nlri.kind === 'vpn' ? route.nlri.labels[0] : undefined;
  return raw === undefined ? -1 : mplsLabel(raw);
}

export class Vrf extends VpnInstance<'ipvpn'> {
  readonly vpnType = 'ipvpn';
  readonly instanceType = 'VRF';
  readonly afi = Afi.IPv4;
  readonly safi = Safi.MplsVpn;

  readonly chaining: ChainingConfig;
  /** The E-VPN plugged into this VRF (vpn.md §6), if any. */
  evpnPlug: EvpnPlug | undefined;
  /** Received best routes re-advertised, per tracked entry (the latest last). */
  private readonly readvertised = new Map<string, RouteEntry[]>();
  /** Chain routes in the route table manager, by family and key. */
  private chainPublished = new Map<string, RouteEntry>();
  private readonly redirectBook = new RedirectBook();
  /** Redirect route target → the redirect instance's id, once acquired. */
  private readonly redirectTargets = new Map<string, number>();

  constructor(deps: InstanceDeps, settings: InstanceSettings, driver: DataplaneDriver<'ipvpn'>) {
    super(deps, settings, driver, 'VRF');
    this.chaining = settings.chaining ?? NO_CHAINING;
  }

  // ---- service chaining: re-advertisement and attract-traffic (vpn.md §4) ----

  /** readvertise from_rt: VPN-IPv4 only, not FlowSpec (vpn.md §2.1 step 4). */
  protected override extraSubscriptions(): Match[] {
    return this.chaining.readvertise ? this.chaining.fromRts.map((rt) => ({ afi: this.afi, safi: this.safi, rt })) : [];
  }

  private chainEndpoints(): ChainEndpoint[] {
    const out: ChainEndpoint[] = [];
    for (const ep of this.endpoints.values()) {
      const md = this.macs.get(ep.mac);
      if (md && ep.rd !== undefined && forwardsToPort(ep.direction)) out.push({ rd: ep.rd, label: md.label, hashOrder: md.hashOrder });
    }
    return out;
  }

  /** Publishes exactly the chain routes the current state calls for. */
  protected override syncExtraRoutes(): void {
    if (!this.chaining.readvertise && !this.chaining.attract) return;
    const latest = [...this.readvertised.values()].map((l) => l[l.length - 1]!);
    const want = this.isActive
      ? chainRoutes({ config: this.chaining, instanceRd: this.instanceRd, localAddress: this.driver.localAddress, encaps: this.encapCommunities(), source: this }, this.chainEndpoints(), latest)
      : new Map<string, RouteEntry>();
    for (const [k, r] of this.chainPublished) if (!want.has(k)) this.deps.rtm.withdraw(r);
    for (const [k, r] of want) {
      const cur = this.chainPublished.get(k);
      if (!cur || !isDeepStrictEqual([cur.nlri, cur.attributes, cur.nextHop], [r.nlri, r.attributes, r.nextHop])) this.deps.rtm.advertise(r);
    }
    this.chainPublished = want;
  }

  private readvertiseAdd(entry: string, route: RouteEntry): void {
    const list = (this.readvertised.get(entry) ?? []).filter((r) => !(r.key === route.key && r.source === route.source));
    this.readvertised.set(entry, [...list, route]);
    this.syncExtraRoutes();
  }

  private readvertiseRemove(entry: string, route: RouteEntry): void {
    const list = this.readvertised.get(entry);
    if (!list) return;
    const rest = list.filter((r) => !(r.key === route.key && r.source === route.source));
    if (rest.length === list.length) return;
    if (rest.length === 0) this.readvertised.delete(entry);
    else this.readvertised.set(entry, rest);
    this.syncExtraRoutes();
  }

  protected override onStopped(): void {
    this.chainPublished.clear();
  }

  // ---- FlowSpec redirection, receiving side (vpn.md §3.4, §4.6) ----

  /** The redirect-to-VRF route target of a FlowSpec route, if it is a plain redirection. */
  private redirectRt(route: RouteEntry): string | undefined {
    const ecs = extCommunitiesOf(route.attributes);
    const redirects = ecs.filter((ec) => ec.type === 'redirect-to-vrf');
    const others = ecs.filter((ec) => OTHER_ACTIONS.has(ec.type));
    if (redirects.length !== 1 || others.length > 0) {
      this.log.log('warning', `FlowSpec route ${route.key}: only a single redirect-to-VRF action is supported (${redirects.length} redirect(s), other actions: ${others.map((e) => e.type).join(', ') || 'none'}), ignored`);
      return undefined;
    }
    const r = redirects[0]!;
    return r.type === 'redirect-to-vrf' ? adminText(r.form, r.value) : undefined;
  }

  private redirect(route: RouteEntry, start: boolean): void {
    if (route.nlri.kind !== 'flowspec') return;
    const rt = this.redirectRt(route);
    if (rt === undefined) return;
    const classifier = classifierOf(route.nlri.components);
    this.runRedirectSteps(start ? this.redirectBook.add(rt, classifier) : this.redirectBook.remove(rt, classifier));
  }

  private runRedirectSteps(steps: readonly RedirectStep[]): void {
    const registry = this.deps.redirects;
    for (const s of steps) {
      switch (s.type) {
        case 'acquire':
          this.dpLater(`redirect instance for ${s.rt}`, async () => {
            if (!registry) throw new InternalError('no redirect instance registry');
            const target = await registry.acquire(s.rt, this.name);
            this.redirectTargets.set(s.rt, target.settings.instanceId);
          });
          break;
        case 'add-classifier':
          this.dpLater(`traffic classifier to ${s.rt}`, () => {
            const id = this.redirectTargets.get(s.rt);
            if (id === undefined) throw new InternalError(`no redirect instance for ${s.rt}`);
            return this.dataplane.addTrafficClassifier(s.classifier, id);
          });
          break;
        case 'remove-classifier':
          this.dpLater('traffic classifier removal', () => this.dataplane.removeTrafficClassifier(s.classifier));
          break;
        case 'release':
          this.dpLater(`redirect instance for ${s.rt} release`, async () => {
            this.redirectTargets.delete(s.rt);
            await registry?.release(s.rt, this.name);
          });
          break;
      }
    }
  }

  /** Stops, then leaves the redirect instances it used (each stops with its last user). */
  override async stop(): Promise<void> {
    await super.stop();
    for (const rt of this.redirectBook.routeTargets()) {
      try {
        await this.deps.redirects?.release(rt, this.name);
      } catch (e) {
        this.log.log('error', `releasing the redirect instance for ${rt}: ${String(e)}`);
      }
    }
  }

  // ---- looking glass ----

  /** The original's `readvertise` node: {from, to} when enabled. */
  override readvertiseInfo(): { from: readonly string[]; to: readonly string[] } | null {
    return this.chaining.readvertise ? { from: this.chaining.fromRts, to: this.chaining.toRts } : null;
  }

  /** The original's `attract_traffic` node (route targets in its "target:asn:nn" text). */
  override attractTrafficInfo(): Record<string, unknown> | null {
    const a = this.chaining.attract;
    if (!a) return null;
    const text = (rts: readonly string[]): string[] => rts.map((rt) => `target:${rt}`);
    return {
      redirect_rts: text(a.redirectRts),
      classifier: a.rawClassifier,
      to: text(this.chaining.toRts),
      static_destination_prefixes: a.staticPrefixes.length > 0 ? [...a.staticPrefixes] : null,
    };
  }

  /** Received routes currently re-advertised, and the FlowSpec redirections in place. */
  override readvertisedRoutes(): RouteEntry[] {
    return [...this.readvertised.values()].flat();
  }
  redirections(): { classifier: string; rts: string[] }[] {
    return this.redirectBook.entries();
  }

  protected endpointRoute(ep: Endpoint, label: number): RouteEntry | undefined {
    if (ep.rd === undefined || !ep.ip || ep.plen === null) return undefined;
    if (ep.ip.version !== 4) throw new InternalError(`IPv6 endpoint ${ep.ip.text}: IP VPN instances are IPv4 only`);
    const prefix = ep.plen === 32 ? `${ep.ip.address}/32` : ipv4Network(ep.ip.address, ep.plen);
    const rd = ep.plen === 32 ? this.instanceRd : ep.rd;
    const attributes: PathAttribute[] = [
      { type: 'ext-communities', communities: this.routeCommunities() },
      { type: 'local-pref', value: ep.localPref || DEFAULT_LOCAL_PREF },
    ];
    return makeEntry(this.afi, this.safi, { kind: 'vpn', labels: [fromMplsLabel(label)], rd: { type: 1, value: rd }, prefix }, attributes, this.driver.localAddress, this);
  }

  /** The VRF's detach of an endpoint never plugged fails with 500 (the original's KeyError, rest-api.md §5.3). */
  protected override async unplugOne(mac: string, ipText: string | null): Promise<void> {
    if (!this.everPlugged.has(endpointKey(mac, ipText))) throw new InternalError(`no direction recorded for endpoint ${pyTuple([mac, ipText])}`);
    return super.unplugOne(mac, ipText);
  }

  protected trackedEntry(route: RouteEntry): string | undefined {
    if (route.nlri.kind === 'vpn') return route.nlri.prefix;
    if (route.nlri.kind === 'flowspec') return `flow ${flowspecRuleText({ components: route.nlri.components })}`;
    this.log.log('error', `We should not receive routes of type ${route.nlri.kind}`);
    return undefined;
  }

  private imported(route: RouteEntry): boolean {
    return route.routeTargets.some((rt) => this.importRts.includes(rt));
  }

  private static hashOrder(route: RouteEntry): number {
    for (const ec of extCommunitiesOf(route.attributes)) if (ec.type === 'consistent-hash-sort-order') return ec.order;
    return 0;
  }

  protected newBestRoute(prefix: string, route: RouteEntry): void {
    if (qualifies(route, this.chaining)) this.readvertiseAdd(prefix, route);
    if (!this.imported(route)) return;
    if (route.nlri.kind === 'flowspec') {
      this.redirect(route, true);
      return;
    }
    if (route.nlri.kind !== 'vpn') return;
    const encaps = this.commonEncaps(route);
    if (encaps.length === 0) return;
    if (route.nlri.labels.length !== 1) throw new Error(`route ${route.key}: ${route.nlri.labels.length} labels, exactly one supported`);
    const label = mplsLabel(route.nlri.labels[0]!);
    const nextHop = route.nextHop ?? '0.0.0.0';
    const order = Vrf.hashOrder(route);
    this.dpLater(`setup ${prefix}`, () => this.dataplane.setupRemoteEndpoint(prefix, nextHop, label, encaps, order));
  }

  protected bestRouteRemoved(prefix: string, route: RouteEntry, last: boolean): void {
    this.readvertiseRemove(prefix, route);
    if (route.nlri.kind === 'flowspec') {
      if (last && this.imported(route)) this.redirect(route, false);
      return;
    }
    if (route.nlri.kind !== 'vpn') return;
    // A non-ECMP dataplane replaced the entry when the new best route was set up.
    if (!last && !this.driver.ecmp) return;
    const label = firstLabel(route);
    const sameDataplane = this.tracker
      .best(prefix)
      .some((b) => b.route.nlri.kind === 'vpn' && b.route.nextHop === route.nextHop && firstLabel(b.route) === label);
    if (sameDataplane) return;
    // Deliberately no "imported?" test: state installed under a route target since removed from
    // the import list is cleaned up too (vpn.md §3.3).
    const encaps = this.commonEncaps(route);
    if (encaps.length === 0) return;
    const nextHop = route.nextHop ?? '0.0.0.0';
    const order = Vrf.hashOrder(route);
    this.dpLater(`remove ${prefix}`, () => this.dataplane.removeRemoteEndpoint(prefix, nextHop, label, encaps, order));
  }
}
