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
import { isKnownEvpn } from '../wire/nlri/evpn/types.js';
import { rdText } from '../wire/route-distinguisher.js';
import { DEFAULT_LOCAL_PREF } from './best-path.js';
import { InternalError } from './errors.js';
import { VpnInstance, type Endpoint, type InstanceDeps, type InstanceSettings } from './vpn-instance.js';

const ZERO_ESI = '00:00:00:00:00:00:00:00:00:00';

/** "52:54:0:a:b:c" → "52:54:00:0a:0b:0c"; undefined for any other format (only colons work, vpn.md §5.2). */
export function colonMac(mac: string): string | undefined {
  const groups = mac.split(':');
  if (groups.length !== 6 || !groups.every((g) => /^[0-9a-fA-F]{1,2}$/.test(g))) return undefined;
  return groups.map((g) => g.toLowerCase().padStart(2, '0')).join(':');
}

export class Evi extends VpnInstance<'evpn'> {
  readonly vpnType = 'evpn';
  readonly instanceType = 'EVI';
  readonly afi = Afi.L2VPN;
  readonly safi = Safi.Evpn;
  private multicast: RouteEntry | undefined;
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
    const attributes: PathAttribute[] = [
      { type: 'ext-communities', communities: this.routeCommunities() },
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
