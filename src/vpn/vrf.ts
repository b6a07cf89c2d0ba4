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
 * Not yet (service chaining, issue 7): re-advertisement, attract-traffic, FlowSpec redirection
 * (received FlowSpec routes are tracked and logged, not acted on).
 */
import type { DataplaneDriver } from '../dataplane/driver.js';
import { extCommunitiesOf, makeEntry, type RouteEntry } from '../rib/route-entry.js';
import { Afi, Safi } from '../wire/afi.js';
import type { PathAttribute } from '../wire/attributes/registry.js';
import { fromMplsLabel, mplsLabel } from '../wire/label.js';
import { flowspecRuleText } from '../wire/nlri/flowspec/index.js';
import { InternalError } from './errors.js';
import { DEFAULT_LOCAL_PREF } from './best-path.js';
import { pyTuple } from './py-repr.js';
import { endpointKey, VpnInstance, type Endpoint, type InstanceDeps, type InstanceSettings } from './vpn-instance.js';

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

  constructor(deps: InstanceDeps, settings: InstanceSettings, driver: DataplaneDriver<'ipvpn'>) {
    super(deps, settings, driver, 'VRF');
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
    if (!this.imported(route)) return;
    if (route.nlri.kind === 'flowspec') {
      this.log.log('warning', `FlowSpec redirection is not supported yet: ignoring ${route.key}`);
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
