/**
 * The routes a service-chaining VRF publishes besides its endpoint routes (spec vpn.md §4.2-4.5),
 * computed as a pure function of its state: the chaining configuration, its endpoints (label, RD,
 * hash order) and the received best routes that qualify for re-advertisement. The VRF publishes
 * the difference with what it published before, so plug, unplug, new and removed routes all go
 * through one path and nothing can be left behind (the original tracked each case by hand, and
 * with several best routes for a prefix withdrew on the first removal).
 *
 *  Without attract-traffic (§4.3): each qualifying VPN-IPv4 route R re-advertised once per
 *    endpoint E: R's prefix, E's label and RD, next hop us, encapsulations + RT-records +
 *    Consistent-Hash-Sort-Order(E) + the "to" RTs, no LOCAL_PREF.
 *  With attract-traffic (§4.4, §4.5):
 *    - per endpoint E, a default route 0.0.0.0/0 (E's label and RD, encapsulations +
 *      Consistent-Hash-Sort-Order(E) + the "to" RT) while there is a route to re-advertise or a
 *      static destination prefix;
 *    - while the VRF has an endpoint, per qualifying VPN-IPv4 route and per static prefix, a
 *      FlowSpec VPN route (instance RD, the classifier with that destination prefix) with
 *      Redirect-to-VRF(the "to" RT) and the attract route targets;
 *    - per qualifying received FlowSpec route (multi-hop chains): its rules with the instance
 *      RD, RT-records + Redirect-to-VRF(first attract RT), and the "to" RTs.
 */
import { makeEntry, extCommunitiesOf, type RouteEntry } from '../rib/route-entry.js';
import type { Worker } from '../rib/worker.js';
import { Afi, Safi } from '../wire/afi.js';
import { adminText } from '../wire/ext-communities/admin-specific.js';
import { consistentHashSortOrder, redirectToVrf, routeTarget, rtRecord, type ExtCommunity, type RtRecordEc } from '../wire/ext-communities/index.js';
import { fromMplsLabel } from '../wire/label.js';
import type { RouteDistinguisher } from '../wire/route-distinguisher.js';
import type { ChainingConfig } from './chaining.js';
import { classifierRules } from './traffic-classifier.js';

/** What chain routes need of an endpoint (direction both / to-port). */
export interface ChainEndpoint {
  readonly rd: string;
  readonly label: number;
  readonly hashOrder: number;
}

export interface ChainContext {
  readonly config: ChainingConfig;
  readonly instanceRd: string;
  /** Next hop of our VPN-IPv4 routes. */
  readonly localAddress: string;
  /** The driver's encapsulation communities (all but Default). */
  readonly encaps: readonly ExtCommunity[];
  readonly source: Worker;
}

const rd = (value: string): RouteDistinguisher => ({ type: 1, value });

/** Whether a received best route is re-advertised (vpn.md §4.2): a from RT, and no RT-record of ours (loops). */
export function qualifies(route: RouteEntry, config: ChainingConfig): boolean {
  if (!config.readvertise || !route.routeTargets.some((rt) => config.fromRts.includes(rt))) return false;
  const ours = new Set([...config.toRts, ...(config.attract?.redirectRts ?? [])]);
  for (const ec of extCommunitiesOf(route.attributes)) if (ec.type === 'rt-record' && ours.has(adminText(ec.form, ec.value))) return false;
  return true;
}

/** RT-records carried on a re-advertised route: R's RT-records plus a record of each of R's RTs. */
export function rtRecordsFor(route: RouteEntry): RtRecordEc[] {
  const out = new Map<string, RtRecordEc>();
  const ecs = extCommunitiesOf(route.attributes);
  for (const ec of ecs) if (ec.type === 'rt-record') out.set(adminText(ec.form, ec.value), ec);
  for (const ec of ecs) if (ec.type === 'route-target' && !out.has(adminText(ec.form, ec.value))) out.set(adminText(ec.form, ec.value), rtRecord(ec));
  return [...out.values()];
}

function vpnRoute(ctx: ChainContext, prefix: string, ep: ChainEndpoint, extra: readonly ExtCommunity[]): RouteEntry {
  const communities = [...ctx.encaps, ...extra, consistentHashSortOrder(ep.hashOrder), ...ctx.config.toRts.map((t) => routeTarget(t))];
  return makeEntry(Afi.IPv4, Safi.MplsVpn, { kind: 'vpn', labels: [fromMplsLabel(ep.label)], rd: rd(ep.rd), prefix }, [{ type: 'ext-communities', communities }], ctx.localAddress, ctx.source);
}

/** The chain routes the VRF should publish now, by route key. */
export function chainRoutes(ctx: ChainContext, endpoints: readonly ChainEndpoint[], readvertised: readonly RouteEntry[]): Map<string, RouteEntry> {
  const out = new Map<string, RouteEntry>();
  const add = (r: RouteEntry): void => void out.set(`${r.safi}|${r.key}`, r);
  const { config } = ctx;
  const attract = config.attract;
  if (!attract) {
    for (const r of readvertised) {
      if (r.nlri.kind !== 'vpn') continue; // FlowSpec needs attract-traffic (vpn.md §4.3 edge case)
      const records = rtRecordsFor(r);
      for (const ep of endpoints) add(vpnRoute(ctx, r.nlri.prefix, ep, records));
    }
    return out;
  }
  const toRt = config.toRts[0]!;
  if (readvertised.length > 0 || attract.staticPrefixes.length > 0) for (const ep of endpoints) add(vpnRoute(ctx, '0.0.0.0/0', ep, []));
  const flow = (components: ReturnType<typeof classifierRules>, communities: ExtCommunity[]): RouteEntry =>
    makeEntry(Afi.IPv4, Safi.FlowSpecVpn, { kind: 'flowspec', rd: rd(ctx.instanceRd), components }, [{ type: 'ext-communities', communities }], undefined, ctx.source);
  const attractCommunities = (): ExtCommunity[] => [redirectToVrf(toRt), ...attract.redirectRts.map((t) => routeTarget(t))];
  if (endpoints.length > 0) {
    for (const r of readvertised) if (r.nlri.kind === 'vpn') add(flow(classifierRules(attract.classifier, r.nlri.prefix), attractCommunities()));
    for (const p of attract.staticPrefixes) add(flow(classifierRules(attract.classifier, p), attractCommunities()));
  }
  for (const r of readvertised) {
    if (r.nlri.kind !== 'flowspec') continue;
    const communities: ExtCommunity[] = [...rtRecordsFor(r), ...(attract.redirectRts[0] ? [redirectToVrf(attract.redirectRts[0])] : []), ...config.toRts.map((t) => routeTarget(t))];
    add(flow(r.nlri.components, communities));
  }
  return out;
}
