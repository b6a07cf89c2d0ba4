/**
 * E-VPN instance, "EVI" (spec vpn.md §5; RFC 7432 with the VXLAN overlay of RFC 8365).
 *
 * Routes: one Inclusive Multicast Ethernet Tag route (type 3) per instance, with a PMSI Tunnel
 * attribute of type ingress replication carrying the VNI (RFC 8365 §5.1.3: the 24-bit field is
 * the VNI itself) and the dataplane address; one MAC/IP Advertisement route (type 2) per
 * endpoint, label field = the instance VNI. Received: type 2 routes (best per MAC) → unicast
 * forwarding entries; type 3 routes with ingress replication → the flooding list.
 *
 * Deviation (vpn.md §2.4, checklist H5): the multicast route follows export route target
 * changes; the original kept the RTs of the instance creation, so peers stopped flooding to it.
 */
import type { DataplaneDriver } from '../dataplane/driver.js';
import { makeEntry, type RouteEntry } from '../rib/route-entry.js';
import { Afi, Safi } from '../wire/afi.js';
import type { PathAttribute } from '../wire/attributes/registry.js';
import { fromMplsLabel, fromVni, mplsLabel, type Label24 } from '../wire/label.js';
import { macMobility } from '../wire/ext-communities/index.js';
import { isKnownEvpn } from '../wire/nlri/evpn/types.js';
import { rdText } from '../wire/route-distinguisher.js';
import { DEFAULT_LOCAL_PREF, type BestPathPolicy } from './best-path.js';
import { ApiError, InternalError } from './errors.js';
import { compareMobility, mobilityOf, nextSequence, stickyElsewhere } from './mac-mobility.js';
import { VpnInstance, type Endpoint, type InstanceDeps, type InstanceSettings } from './vpn-instance.js';

const ZERO_ESI = '00:00:00:00:00:00:00:00:00:00';
/**
 * How long after an instance's activation its view of the other PEs' routes is incomplete (they
 * arrive after its RT Constraint route): a remote route for a MAC plugged then may predate the
 * plug (RFC 7432 §15.1 follow-up, see followMobility).
 */
export const MOBILITY_SETTLE_MS = 3_000;

/** "52:54:0:a:b:c" → "52:54:00:0a:0b:0c"; undefined for any other format (only colons work, vpn.md §5.2). */
const COLON_MAC = /^[0-9a-fA-F]{1,2}(?::[0-9a-fA-F]{1,2}){5}$/;
const CANONICAL_MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;

export function colonMac(mac: string): string | undefined {
  if (CANONICAL_MAC.test(mac)) return mac;
  if (!COLON_MAC.test(mac)) return undefined;
  return mac
    .split(':')
    .map((g) => g.toLowerCase().padStart(2, '0'))
    .join(':');
}

export class Evi extends VpnInstance<'evpn'> {
  readonly vpnType = 'evpn';
  readonly instanceType = 'EVI';
  readonly afi = Afi.L2VPN;
  readonly safi = Safi.Evpn;
  private multicast: RouteEntry | undefined;
  /**
   * MAC mobility sequence number of our routes per MAC (RFC 7432 §15.1), fixed when the MAC is
   * first plugged (null: no other PE advertised it then, no community), forgotten with the MAC.
   */
  private readonly macSequence = new Map<string, number | null>();
  /**
   * Local MACs plugged while this instance could not see the other PEs' routes yet: until when
   * (epoch ms) a remote route for them may be older than the plug. One follow-up each.
   */
  private readonly macBlindUntil = new Map<string, number>();
  private activatedAt: number | undefined;
  /** The E-VPN→IP-VPN gateway port (vpn.md §5.4), when plugged into a VRF. */
  gatewayPort: { linuxif: string; vrf: { vpnInstanceId: string; name: string } } | undefined;

  /** Plugs the E-VPN side of a veth toward a VRF (vpn.md §5.4): the dataplane gets the VRF's gateway IP. */
  async setGatewayPort(linuxif: string, vrf: { vpnInstanceId: string; name: string; settings: { gatewayIp: unknown } }): Promise<void> {
    await this.dp(() => this.dataplane.setGatewayPort(linuxif, vrf.settings.gatewayIp));
    this.gatewayPort = { linuxif, vrf: { vpnInstanceId: vrf.vpnInstanceId, name: vrf.name } };
  }

  async gatewayPortDown(): Promise<void> {
    const gp = this.gatewayPort;
    if (!gp) return;
    this.gatewayPort = undefined;
    await this.dp(() => this.dataplane.gatewayPortDown(gp.linuxif));
  }

  constructor(deps: InstanceDeps, settings: InstanceSettings, driver: DataplaneDriver<'evpn'>) {
    super(deps, settings, driver, 'EVI');
    const e = driver.supportedEncaps;
    if (e.includes('vxlan') && (e.includes('mpls') || e.includes('gre') || e.includes('mpls-in-udp'))) {
      this.releaseIds();
      throw new InternalError("The dataplane can't support both an MPLS encap and a VXLAN encapsulation");
    }
  }

  /** VXLAN drivers read the 24-bit field as the VNI, others as an MPLS label (engine.md §5.3). */
  private get vxlan(): boolean {
    return this.driver.supportedEncaps.includes('vxlan');
  }
  private labelField(value: number): Label24 {
    return this.vxlan ? fromVni(value) : fromMplsLabel(value);
  }
  private readLabel(raw: Label24): number {
    return this.vxlan ? raw : mplsLabel(raw);
  }

  private multicastRoute(): RouteEntry {
    const attributes: PathAttribute[] = [
      { type: 'ext-communities', communities: this.routeCommunities() },
      {
        type: 'pmsi-tunnel',
        tunnelFlags: 0,
        tunnelType: 'ingress-replication',
        label: this.labelField(this.instanceLabel),
        tunnelId: { kind: 'address', address: this.driver.localAddress },
      },
    ];
    const local = this.deps.bgpLocalAddress;
    return makeEntry(this.afi, this.safi, { kind: 'evpn', routeType: 3, rd: { type: 1, value: this.instanceRd }, ethernetTag: 0, originatorIp: local }, attributes, local, this);
  }

  /** The multicast route is built once here so that a bad VNI fails the attach, not the route table manager's queue. */
  override async init(): Promise<void> {
    this.multicastRoute();
    await super.init();
  }

  protected override republishAll(): void {
    super.republishAll();
    const want = this.isActive && this.exportRts.length > 0 ? this.multicastRoute() : undefined;
    this.setPublished(this.multicast, want, (r) => (this.multicast = r));
  }

  protected override onStopped(): void {
    this.multicast = undefined;
  }

  protected endpointRoute(ep: Endpoint, _macLabel: number): RouteEntry | undefined {
    if (ep.rd === undefined) return undefined;
    if (ep.ip && ep.plen !== 32) throw new InternalError(`E-VPN endpoint ${ep.ip.text}: only /32 IP addresses can be advertised`);
    const mac = colonMac(ep.mac);
    if (mac === undefined) throw new InternalError(`MAC address ${ep.mac}: E-VPN routes need the colon format`);
    // IP endpoints use the instance RD, IP-less ones their own (vpn.md §2.2 step 6).
    const rd = ep.ip ? this.instanceRd : ep.rd;
    const sequence = this.sequenceFor(ep.mac, mac);
    const communities = this.routeCommunities();
    if (sequence !== null) communities.push(macMobility(sequence));
    const attributes: PathAttribute[] = [
      { type: 'ext-communities', communities },
      { type: 'local-pref', value: ep.localPref || DEFAULT_LOCAL_PREF },
    ];
    // The label field is the instance VNI; the per-MAC label is allocated but unused (vpn.md §5.2).
    const nlri = {
      kind: 'evpn' as const,
      routeType: 2 as const,
      rd: { type: 1, value: rd },
      esi: ZERO_ESI,
      ethernetTag: 0,
      mac,
      ...(ep.ip ? { ip: ep.ip.address } : {}),
      labels: [this.labelField(this.instanceLabel)],
    };
    return makeEntry(this.afi, this.safi, nlri, attributes, this.driver.localAddress, this);
  }

  /**
   * The sequence number of our routes for a MAC (RFC 7432 §15.1): the other PEs' highest + 1 when
   * they advertise it (the MAC was last seen remote: it moved here), computed once per MAC. A
   * MAC another PE advertises as sticky is not plugged here (§15.2).
   */
  private sequenceFor(apiMac: string, mac: string): number | null {
    const known = this.macSequence.get(mac);
    // Fixed once the MAC is plugged; recomputed while a first plug is only being checked.
    if (known !== undefined && this.macs.has(apiMac)) return known;
    const remote = this.tracker.routes(`mac ${mac}`);
    const sticky = stickyElsewhere(remote);
    if (sticky) throw new ApiError(`MAC address ${mac} is advertised as sticky by ${sticky.nextHop ?? '?'}: it cannot move here (RFC 7432 §15.2)`);
    const seq = nextSequence(remote) ?? null;
    if (seq !== null) this.log.log('info', `MAC ${mac} was last seen at ${remote.map((r) => `${r.nextHop ?? '?'} (sequence ${mobilityOf(r).sequence})`).join(', ')}: advertised with sequence ${seq}`);
    this.macSequence.set(mac, seq);
    const blindUntil = (this.activatedAt ?? Date.now()) + MOBILITY_SETTLE_MS;
    if (blindUntil > Date.now()) this.macBlindUntil.set(mac, blindUntil);
    return seq;
  }

  override activate(): void {
    this.activatedAt = Date.now();
    super.activate();
  }

  /**
   * A remote route for a MAC plugged here while this instance was new (its RT Constraint route
   * just sent, the other PEs' routes not all received: MOBILITY_SETTLE_MS), with a sequence
   * number not below ours: it may predate our plug, which could not take it into account. Our
   * plug is then taken as the newer event and advertised again with that sequence + 1 (RFC 7432
   * §15.1), once per plug, so that two such plugs never outbid each other. Outside that window a
   * higher sequence means the MAC moved away from here, and the remote route wins the best path.
   */
  private followMobility(mac: string, route: RouteEntry): void {
    const until = this.macBlindUntil.get(mac);
    if (until === undefined) return;
    if (Date.now() > until) {
      this.macBlindUntil.delete(mac);
      return;
    }
    const theirs = mobilityOf(route);
    const ours = this.macSequence.get(mac) ?? null;
    if (theirs.sticky || (ours !== null && theirs.sequence < ours)) return;
    this.macBlindUntil.delete(mac);
    const seq = Math.min(theirs.sequence + 1, 0xffffffff);
    this.log.log('info', `MAC ${mac} plugged here is also advertised by ${route.nextHop ?? '?'} (sequence ${theirs.sequence}), maybe from before our plug: advertised again with sequence ${seq}`);
    this.macSequence.set(mac, seq);
    this.deps.rtm.inOrder(() => this.republishAll());
  }

  protected override onMacForgotten(mac: string): void {
    const m = colonMac(mac);
    if (m === undefined) return;
    this.macSequence.delete(m);
    this.macBlindUntil.delete(m);
  }

  /** MAC/IP routes of one MAC are compared by MAC mobility first (RFC 7432 §15). */
  protected override bestPathFirst(): BestPathPolicy['first'] {
    return (a, b) => {
      const na = a.nlri;
      const nb = b.nlri;
      if (na.kind !== 'evpn' || nb.kind !== 'evpn' || !isKnownEvpn(na) || !isKnownEvpn(nb) || na.routeType !== 2 || nb.routeType !== 2) return undefined;
      const m = compareMobility(a, b);
      if (m) return m;
      // One PE's MAC-only and MAC/IP routes (FRR sends both): the one with the IP gives the
      // neighbour entry that answers ARP locally (with `proxy`, an unknown IP is not flooded).
      if ((na.ip === undefined) !== (nb.ip === undefined)) return { cmp: na.ip !== undefined ? 1 : -1, reason: 'MAC/IP route preferred to the MAC-only route' };
      return undefined;
    };
  }

  protected trackedEntry(route: RouteEntry): string | undefined {
    const n = route.nlri;
    if (n.kind !== 'evpn') return undefined;
    if (isKnownEvpn(n) && n.routeType === 2) return `mac ${n.mac}`;
    if (isKnownEvpn(n) && n.routeType === 3) return `multicast ${n.originatorIp} ${rdText(n.rd)}`;
    this.log.log('warning', `Received EVPN route of unsupported subtype: ${n.routeType}`);
    return undefined;
  }

  private static pmsi(route: RouteEntry): { address: string; label: Label24 } | undefined {
    for (const a of route.attributes)
      if (a.type === 'pmsi-tunnel' && a.tunnelType === 'ingress-replication' && a.tunnelId.kind === 'address') return { address: a.tunnelId.address, label: a.label };
    return undefined;
  }

  /**
   * Where a multicast route asks to be flooded to: its PMSI ingress-replication tunnel (RFC 8365
   * §5.1.3, VNI in the label field). Without a PMSI attribute, ingress replication is assumed
   * (the only mode VXLAN E-VPNs use, RFC 8365 §8.3) toward the next hop with our own VNI, with a
   * warning (the original ignored the route, so such a peer never received flooded traffic).
   * A PMSI of another tunnel type is still ignored.
   */
  private floodTarget(route: RouteEntry, warn: boolean): { address: string; label: Label24 } | undefined {
    const p = Evi.pmsi(route);
    if (p) return p;
    const other = route.attributes.some((a) => a.type === 'pmsi-tunnel');
    if (other || route.nextHop === undefined) {
      if (warn) this.log.log('warning', `Received PMSITunnel of unsupported type: ${route.key}`);
      return undefined;
    }
    if (warn) this.log.log('warning', `multicast route without PMSI tunnel attribute, ingress replication to ${route.nextHop} assumed: ${route.key}`);
    return { address: route.nextHop, label: this.labelField(this.instanceLabel) };
  }

  protected newBestRoute(_entry: string, route: RouteEntry): void {
    const n = route.nlri;
    if (n.kind !== 'evpn' || !isKnownEvpn(n)) return;
    const encaps = this.commonEncaps(route);
    if (encaps.length === 0) return;
    if (n.routeType === 2) {
      this.followMobility(n.mac, route);
      const vni = this.readLabel(n.labels[0]!);
      const nextHop = route.nextHop ?? '0.0.0.0';
      this.dpLater(`setup ${n.mac}`, () => this.dataplane.setupRemoteEndpoint(n.mac, n.ip, nextHop, vni, encaps));
    } else if (n.routeType === 3) {
      const p = this.floodTarget(route, true);
      if (!p) return;
      const vni = this.readLabel(p.label);
      this.dpLater(`add BUM ${p.address}`, () => this.dataplane.addBumEndpoint(p.address, vni, encaps));
    }
  }

  protected bestRouteRemoved(entry: string, route: RouteEntry, last: boolean): void {
    const n = route.nlri;
    if (n.kind !== 'evpn' || !isKnownEvpn(n)) return;
    const best = this.tracker.best(entry);
    if (n.routeType === 2) {
      if (!last && !this.driver.ecmp) return;
      const vni = this.readLabel(n.labels[0]!);
      const same = best.some((b) => {
        const m = b.route.nlri;
        return m.kind === 'evpn' && isKnownEvpn(m) && m.routeType === 2 && b.route.nextHop === route.nextHop && this.readLabel(m.labels[0]!) === vni;
      });
      if (same) return;
      const nextHop = route.nextHop ?? '0.0.0.0';
      this.dpLater(`remove ${n.mac}`, () => this.dataplane.removeRemoteEndpoint(n.mac, n.ip, nextHop, vni));
    } else if (n.routeType === 3) {
      const p = this.floodTarget(route, false);
      if (!p) return;
      const vni = this.readLabel(p.label);
      const same = best.some((b) => {
        const q = this.floodTarget(b.route, false);
        return q !== undefined && q.address === p.address && this.readLabel(q.label) === vni;
      });
      if (same) return;
      this.dpLater(`remove BUM ${p.address}`, () => this.dataplane.removeBumEndpoint(p.address, vni));
    }
  }
}
