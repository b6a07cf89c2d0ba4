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
 * A route is identified within the tracker by (source, family, NLRI key): a new advertisement
 * with the same identity replaces the previous one.
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

interface Tracked {
  /** Every route of the entry by identity. */
  readonly routes: Map<string, RouteEntry>;
  best: BestRoute[];
}

export function routeIdentity(e: RouteEntry): string {
  return `${e.source.name}|${e.afi}/${e.safi}|${e.key}`;
}

export class BestPathTracker {
  private readonly entries = new Map<string, Tracked>();
  /** Route identity → tracked entry it was filed under (a replacement may move entries). */
  private readonly entryOf = new Map<string, string>();

  constructor(private readonly policy: BestPathPolicy) {}

  /** A route advertised (or replaced: same identity) under a tracked entry. */
  advertise(entry: string, route: RouteEntry): TrackerAction[] {
    const id = routeIdentity(route);
    const actions: TrackerAction[] = [];
    const previousEntry = this.entryOf.get(id);
    if (previousEntry !== undefined && previousEntry !== entry) actions.push(...this.withdrawId(previousEntry, id));
    let t = this.entries.get(entry);
    if (!t) this.entries.set(entry, (t = { routes: new Map(), best: [] }));
    t.routes.set(id, route);
    this.entryOf.set(id, entry);
    actions.push(...this.reselect(entry, t));
    return actions;
  }

  /** A route withdrawn (matched by identity; its attributes do not matter). */
  withdraw(route: RouteEntry): TrackerAction[] {
    const id = routeIdentity(route);
    const entry = this.entryOf.get(id);
    return entry === undefined ? [] : this.withdrawId(entry, id);
  }

  private withdrawId(entry: string, id: string): TrackerAction[] {
    const t = this.entries.get(entry);
    this.entryOf.delete(id);
    if (!t?.routes.delete(id)) return [];
    return this.reselect(entry, t);
  }

  private reselect(entry: string, t: Tracked): TrackerAction[] {
    const before = t.best;
    t.best = selectBest([...t.routes.values()], this.policy);
    if (t.routes.size === 0) this.entries.delete(entry);
    const last = t.routes.size === 0;
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
    return this.entries.get(entry)?.best ?? [];
  }

  /** Every route of an entry. */
  routes(entry: string): RouteEntry[] {
    return [...(this.entries.get(entry)?.routes.values() ?? [])];
  }

  trackedEntries(): string[] {
    return [...this.entries.keys()];
  }

  /** Every route tracked (for synthesised withdrawals at instance stop). */
  allRoutes(): RouteEntry[] {
    return [...this.entries.values()].flatMap((t) => [...t.routes.values()]);
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
