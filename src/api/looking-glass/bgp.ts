/**
 * The `bgp` node (spec looking-glass.md §2.5), the BGP manager's object:
 *
 *   peers         COLLECTION  {id: <peer address>, state}; item: the peer object (peer.ts)
 *   routes        FORWARD     → the route table manager's `routes`: every route by family
 *   workers       FORWARD     → the route table manager's `workers`: the peers and VPN instances
 *                             that subscribe or publish; item: their object (`BGPManager`, the
 *                             RT Constraint originator, is listed by no one: 404, as the original)
 *   route_counts  SUBITEM     local and received routes, RT Constraint routes not counted
 *   adv_routes    SUBTREE     the RT Constraint routes this daemon originates
 *
 * The original kept stopped instances in `workers` (with no subscriptions); here a worker goes
 * with its last route and subscription (the spec allows it).
 */
import type { RouteEntry } from '../../rib/route-entry.js';
import type { Worker } from '../../rib/worker.js';
import type { BgpManager } from '../../session/bgp-manager.js';
import { familyKey, familyName, Safi } from '../../wire/afi.js';
import type { LookingGlassContext } from './context.js';
import { instanceObject } from './instance.js';
import { peerObject } from './peer.js';
import { routeObject } from './route-object.js';
import { collection, forward, subitem, subtree, type LgObject } from './tree.js';

export function routeCounts(bgp: BgpManager): { local_routes_count: number; received_routes_count: number } {
  let local = 0;
  let received = 0;
  for (const r of bgp.rtm.routes()) {
    if (r.safi === (Safi.Rtc as number)) continue;
    if (r.source.kind === 'bgp-peer') received++;
    else local++;
  }
  return { local_routes_count: local, received_routes_count: received };
}

/** The original's four families first (always present), then any other family holding routes. */
const FAMILIES = ['ipv4/mpls-vpn', 'l2vpn/evpn', 'ipv4/rtc', 'ipv4/flow-vpn'];

function routesByFamily(routes: readonly RouteEntry[], prefix: string): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const f of FAMILIES) out[`${f},*`] = [];
  const sorted = [...routes].sort((a, b) => familyKey(a.afi, a.safi) - familyKey(b.afi, b.safi));
  for (const r of sorted) (out[`${familyName(r.afi, r.safi)},*`] ??= []).push(routeObject(r, prefix));
  return out;
}

/** The object of a worker of the route table manager, by name (peers and VPN instances). */
function workerObject(ctx: LookingGlassContext, name: string): LgObject | undefined {
  for (const p of ctx.bgp.peers.values()) if (p.name === name) return peerObject(p, ctx);
  for (const i of ctx.vpn.instances.values()) if (i.name === name) return instanceObject(i, ctx);
  return undefined;
}

/** The workers the looking glass has an object for. */
function shownWorkers(ctx: LookingGlassContext): Set<Worker> {
  return new Set<Worker>([...ctx.bgp.peers.values(), ...ctx.vpn.instances.values()]);
}

/** The route table manager's object, reached through the `bgp` node's FORWARD entries. */
function routeTableObject(ctx: LookingGlassContext): LgObject {
  return {
    entries: () => ({
      workers: collection(
        () => {
          const shown = shownWorkers(ctx);
          return ctx.bgp.rtm.workers().filter((w) => shown.has(w)).map((w) => ({ id: w.name }));
        },
        (name) => workerObject(ctx, name),
      ),
      routes: subtree((prefix) => routesByFamily(ctx.bgp.rtm.routes(), prefix)),
    }),
  };
}

export function bgpObject(ctx: LookingGlassContext): LgObject {
  const { bgp } = ctx;
  const rtm = routeTableObject(ctx);
  return {
    entries: () => ({
      peers: collection(
        () => [...bgp.peers.values()].map((p) => ({ id: p.cfg.address, state: p.state })),
        (address) => {
          const p = bgp.peers.get(address);
          return p && peerObject(p, ctx);
        },
      ),
      routes: forward(() => rtm),
      workers: forward(() => rtm),
      route_counts: subitem(() => routeCounts(bgp)),
      adv_routes: subtree((prefix) => bgp.rtc.advertisedRoutes().map((r) => routeObject(r, prefix))),
    }),
  };
}
