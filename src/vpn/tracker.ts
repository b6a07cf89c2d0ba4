/**
 * Best-path tracking per VPN instance (spec engine.md §8, the original's TrackerWorker), as a
 * pure state machine: route events in, actions out, no I/O.
 *
 * Each received route maps to a *tracked entry* (a VRF's prefix, an EVI's MAC...); per entry the
 * tracker keeps every route and the best set. After each event the best set is recomputed from
 * all the routes of the entry (so the result never depends on arrival order) and compared with
 * the previous one:
 * - `new-best` for each best route with no equivalent route (engine.md §8.2) in the previous
 *   best set (emitted first, so a non-ECMP dataplane replaces its state in place);
 * - `best-removed` for each previous best route with no equivalent in the new best set, with
 *   `last` when the entry has no route left.
 *
 * A route is identified within its entry by (source, family, NLRI key): a new advertisement with
 * the same identity replaces the previous one. The caller names the entry of every advertisement
 * and withdrawal, so the entry of a route must follow from its identity (a VRF's prefix, an
 * EVI's MAC: both part of the NLRI key).
 *
 * Cost: an entry holding one route (what a full feed mostly is) costs one map slot, no object of
 * its own; only entries with several routes run the selection and compare the routes'
 * equivalence texts.
 */
import type { RouteEntry } from '../rib/route-entry.js';
import { compareRoutes, equivalenceText, type BestPathPolicy } from './best-path.js';

export type TrackerAction =
  | { type: 'new-best'; entry: string; route: RouteEntry }
  | { type: 'best-removed'; entry: string; route: RouteEntry; last: boolean };

export interface BestRoute {
  readonly route: RouteEntry;
  /** Why it is best: "only route", "LOCAL_PREF 200 > 100", "tie-break: …", "ECMP: …". */
  readonly reason: string;
}

/**
 * The routes of an entry with two or more of them, and their best set. An entry with a single
 * route (nearly every prefix of a full feed) is stored as that route alone: no map, no array, no
 * best-route object (memory per route is what limits a full table, docs/benchmarks.md).
 */
interface Tracked {
  readonly routes: RouteEntry[];
  best: BestRoute[];
}

type Slot = RouteEntry | Tracked;

function isMulti(s: Slot): s is Tracked {
  return (s as Tracked).best !== undefined;
}

/** Same source, family and NLRI key: a new version replaces the route. */
function sameIdentity(a: RouteEntry, b: RouteEntry): boolean {
  return a.source === b.source && a.key === b.key && a.afi === b.afi && a.safi === b.safi;
}

export function routeIdentity(e: RouteEntry): string {
  return `${e.source.name}|${e.afi}/${e.safi}|${e.key}`;
}

const ONLY_ROUTE = 'only route';

export class BestPathTracker {
  private readonly entries = new Map<string, Slot>();

  constructor(private readonly policy: BestPathPolicy) {}

  /** A route advertised (or replaced: same identity) under a tracked entry. */
  advertise(entry: string, route: RouteEntry): TrackerAction[] {
    const slot = this.entries.get(entry);
    if (slot === undefined) {
      this.entries.set(entry, route);
      return [{ type: 'new-best', entry, route }];
    }
    if (!isMulti(slot)) {
      if (sameIdentity(slot, route)) {
        // A new version of the only route: the dataplane hears of it unless it is equivalent.
        this.entries.set(entry, route);
        if (equivalenceText(slot) === equivalenceText(route)) return [];
        return [
          { type: 'new-best', entry, route },
          { type: 'best-removed', entry, route: slot, last: false },
        ];
      }
      const t: Tracked = { routes: [slot, route], best: [{ route: slot, reason: ONLY_ROUTE }] };
      this.entries.set(entry, t);
      return this.reselect(entry, t);
    }
    const i = slot.routes.findIndex((r) => sameIdentity(r, route));
    if (i >= 0) slot.routes[i] = route;
    else slot.routes.push(route);
    return this.reselect(entry, slot);
  }

  /** A route withdrawn from its entry (matched by identity; its attributes do not matter). */
  withdraw(entry: string, route: RouteEntry): TrackerAction[] {
    const slot = this.entries.get(entry);
    if (slot === undefined) return [];
    if (!isMulti(slot)) {
      if (!sameIdentity(slot, route)) return [];
      this.entries.delete(entry);
      return [{ type: 'best-removed', entry, route: slot, last: true }];
    }
    const i = slot.routes.findIndex((r) => sameIdentity(r, route));
    if (i < 0) return [];
    slot.routes.splice(i, 1);
    return this.reselect(entry, slot);
  }

  private reselect(entry: string, t: Tracked): TrackerAction[] {
    const before = t.best;
    t.best = selectBest(t.routes, this.policy);
    const last = t.routes.length === 0;
    if (last) this.entries.delete(entry);
    else if (t.routes.length === 1) this.entries.set(entry, t.routes[0]!);
    const oldKeys = new Set(before.map((b) => equivalenceText(b.route)));
    const newKeys = new Set(t.best.map((b) => equivalenceText(b.route)));
    const actions: TrackerAction[] = [];
    const emitted = new Set<string>();
    for (const b of t.best) {
      const k = equivalenceText(b.route);
      if (oldKeys.has(k) || emitted.has(k)) continue;
      emitted.add(k);
      actions.push({ type: 'new-best', entry, route: b.route });
    }
    emitted.clear();
    for (const b of before) {
      const k = equivalenceText(b.route);
      if (newKeys.has(k) || emitted.has(k)) continue;
      emitted.add(k);
      actions.push({ type: 'best-removed', entry, route: b.route, last });
    }
    return actions;
  }

  /** The best routes of an entry, with reasons (empty when unknown). */
  best(entry: string): readonly BestRoute[] {
    const slot = this.entries.get(entry);
    if (slot === undefined) return [];
    return isMulti(slot) ? slot.best : [{ route: slot, reason: ONLY_ROUTE }];
  }

  /** Every route of an entry. */
  routes(entry: string): RouteEntry[] {
    const slot = this.entries.get(entry);
    if (slot === undefined) return [];
    return isMulti(slot) ? [...slot.routes] : [slot];
  }

  trackedEntries(): string[] {
    return [...this.entries.keys()];
  }

  /** Every route tracked, with its entry (for synthesised withdrawals at instance stop). */
  allRoutes(): { entry: string; route: RouteEntry }[] {
    const out: { entry: string; route: RouteEntry }[] = [];
    for (const [entry, slot] of this.entries) {
      if (isMulti(slot)) for (const route of slot.routes) out.push({ entry, route });
      else out.push({ entry, route: slot });
    }
    return out;
  }
}

/**
 * The best set of a list of routes, whatever their order: the maximum under compareRoutes and,
 * with ECMP, every route equal to it. Each carries the reason it beat the best other route.
 */
export function selectBest(routes: readonly RouteEntry[], policy: BestPathPolicy): BestRoute[] {
  if (routes.length === 0) return [];
  if (routes.length === 1) return [{ route: routes[0]!, reason: 'only route' }];
  let top = routes[0]!;
  for (const r of routes) if (compareRoutes(r, top, policy).cmp > 0) top = r;
  const best = routes.filter((r) => r === top || compareRoutes(r, top, policy).cmp === 0);
  // Stable presentation order for ECMP members (content text).
  best.sort((a, b) => (equivalenceText(a) + a.source.name < equivalenceText(b) + b.source.name ? -1 : 1));
  const others = routes.filter((r) => !best.includes(r));
  if (others.length === 0) return best.map((route) => ({ route, reason: `ECMP: ${best.length} routes of equal LOCAL_PREF` }));
  let runnerUp = others[0]!;
  for (const r of others) if (compareRoutes(r, runnerUp, policy).cmp > 0) runnerUp = r;
  const why = compareRoutes(top, runnerUp, policy).reason;
  return best.map((route) => ({ route, reason: best.length > 1 ? `ECMP (${best.length} routes); over the others: ${why}` : why }));
}
