/**
 * The route table manager: publish/subscribe of routes between workers, keyed by
 * (AFI, SAFI, route target) with wildcards (spec engine.md §7).
 *
 * - A route belongs to the matches {*, afi} × {*, safi} × {*, each of its RTs}; a worker subscribed
 *   to any of them receives it once, unless it is the route's source, or both are BGP peers.
 * - A new subscriber gets the existing routes of its match replayed; an unsubscriber gets
 *   withdrawals for the routes no other subscription of its covers.
 * - First / last *local* subscriber of a match is reported (RT Constraint origination hooks on it).
 * - Everything goes through one FIFO queue: an event published while another is being dispatched
 *   (a worker reacting synchronously) is processed after it, so a route-target change and the
 *   routes in flight cannot race. Processing is synchronous: when `publish`/`subscribe` return
 *   with an empty queue, every effect has been delivered.
 *
 * Memory: each route is kept once by source, family and NLRI key (its own key string) and indexed
 * once per route target in its family, not once per match: a million routes with one RT cost
 * one map slot and one set slot each.
 */
import { familyKey, type FamilyKey } from '../wire/afi.js';
import { sameRoute, type RouteEntry } from './route-entry.js';
import type { RouteEvent, Worker } from './worker.js';

/** undefined means "any" (the wildcard). */
export interface Match {
  readonly afi: number | undefined;
  readonly safi: number | undefined;
  readonly rt: string | undefined;
}

export function matchKey(m: Match): string {
  return `${m.afi ?? '*'}/${m.safi ?? '*'}/${m.rt ?? '*'}`;
}

export interface SubscriberHooks {
  /** The first local worker subscribed to this match. */
  firstLocalSubscriber?(m: Match): void;
  /** The last local worker left this match. */
  lastLocalSubscriber?(m: Match): void;
}

type QueuedEvent =
  | { op: 'advertise'; entry: RouteEntry }
  | { op: 'withdraw'; entry: RouteEntry }
  | { op: 'subscribe'; worker: Worker; match: Match }
  | { op: 'unsubscribe'; worker: Worker; match: Match }
  | { op: 'cleanup'; worker: Worker }
  | { op: 'drop-subscriptions'; worker: Worker }
  | { op: 'call'; fn: () => void };

/** A family's routes by route target (all of them are also in bySource: no second full set). */
interface FamilyIndex {
  count: number;
  byRt: Map<string, Set<RouteEntry>>;
}

interface MatchSubscribers {
  match: Match;
  workers: Set<Worker>;
  localCount: number;
}

export class RouteTableManager {
  private readonly queue: QueuedEvent[] = [];
  private draining = false;
  private readonly families = new Map<FamilyKey, FamilyIndex>();
  /** Routes by source, family and NLRI key (the key string the entry already holds). */
  private readonly bySource = new Map<Worker, Map<FamilyKey, Map<string, RouteEntry>>>();
  private readonly subs = new Map<string, MatchSubscribers>();
  /** The same subscriptions by afi → safi → route target (undefined: the wildcard), so that
   * dispatching a route builds no key string. */
  private readonly subIndex = new Map<number | undefined, Map<number | undefined, Map<string | undefined, MatchSubscribers>>>();
  private readonly workerMatches = new Map<Worker, Map<string, Match>>();

  constructor(private readonly hooks: SubscriberHooks = {}) {}

  // ---- public API: every call is queued, then the queue is drained in order ----

  advertise(entry: RouteEntry): void {
    this.enqueue({ op: 'advertise', entry });
  }
  withdraw(entry: RouteEntry): void {
    this.enqueue({ op: 'withdraw', entry });
  }
  subscribe(worker: Worker, match: Match): void {
    this.enqueue({ op: 'subscribe', worker, match });
  }
  unsubscribe(worker: Worker, match: Match): void {
    this.enqueue({ op: 'unsubscribe', worker, match });
  }
  /** Withdraws everything the worker published and removes all its subscriptions. */
  cleanup(worker: Worker): void {
    this.enqueue({ op: 'cleanup', worker });
  }
  /** Removes all the worker's subscriptions without withdrawing anything from it (its published
   * routes stay, e.g. a restarting peer's routes kept as stale, RFC 4724 §4.2). */
  dropSubscriptions(worker: Worker): void {
    this.enqueue({ op: 'drop-subscriptions', worker });
  }
  /** Runs fn in queue order (for configuration changes that must not overtake routes). */
  inOrder(fn: () => void): void {
    this.enqueue({ op: 'call', fn });
  }

  // ---- read side (looking glass, tests) ----

  /** Routes currently published by a worker. */
  routesFrom(worker: Worker): RouteEntry[] {
    const out: RouteEntry[] = [];
    for (const byKey of this.bySource.get(worker)?.values() ?? []) for (const e of byKey.values()) out.push(e);
    return out;
  }
  /** Every route of a family (or all families). */
  routes(afi?: number, safi?: number): RouteEntry[] {
    // A loop, not push(...set): spreading a million routes as arguments overflows the stack.
    const out: RouteEntry[] = [];
    for (const e of this.familyRoutes(afi, safi)) out.push(e);
    return out;
  }

  /** The routes of the families matching afi/safi (undefined: any), source by source. */
  private *familyRoutes(afi: number | undefined, safi: number | undefined): Iterable<RouteEntry> {
    for (const byFamily of this.bySource.values())
      for (const [k, byKey] of byFamily) if ((afi === undefined || k >>> 8 === afi) && (safi === undefined || (k & 0xff) === safi)) yield* byKey.values();
  }
  routeCountFrom(worker: Worker): number {
    let n = 0;
    for (const byKey of this.bySource.get(worker)?.values() ?? []) n += byKey.size;
    return n;
  }
  subscriptionsOf(worker: Worker): Match[] {
    return [...(this.workerMatches.get(worker)?.values() ?? [])];
  }
  workers(): Worker[] {
    const all = new Set<Worker>([...this.bySource.keys(), ...this.workerMatches.keys()]);
    return [...all];
  }
  get routeCount(): number {
    let n = 0;
    for (const idx of this.families.values()) n += idx.count;
    return n;
  }

  // ---- queue ----

  private enqueue(e: QueuedEvent): void {
    this.queue.push(e);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let i = 0; i < this.queue.length; i++) this.process(this.queue[i]!);
    } finally {
      this.queue.length = 0;
      this.draining = false;
    }
  }

  private process(e: QueuedEvent): void {
    switch (e.op) {
      case 'advertise':
        return this.doAdvertise(e.entry);
      case 'withdraw':
        return this.doWithdraw(e.entry);
      case 'subscribe':
        return this.doSubscribe(e.worker, e.match);
      case 'unsubscribe':
        return this.doUnsubscribe(e.worker, e.match);
      case 'cleanup':
        return this.doCleanup(e.worker);
      case 'drop-subscriptions':
        for (const m of [...(this.workerMatches.get(e.worker)?.values() ?? [])]) this.doUnsubscribe(e.worker, m, false);
        return;
      case 'call':
        return e.fn();
    }
  }

  // ---- routes ----

  /** The routes a source published in a family, by NLRI key. */
  private sourceTable(source: Worker, fk: FamilyKey, create: boolean): Map<string, RouteEntry> | undefined {
    let byFamily = this.bySource.get(source);
    if (!byFamily) {
      if (!create) return undefined;
      this.bySource.set(source, (byFamily = new Map<FamilyKey, Map<string, RouteEntry>>()));
    }
    let byKey = byFamily.get(fk);
    if (!byKey && create) byFamily.set(fk, (byKey = new Map<string, RouteEntry>()));
    return byKey;
  }

  /** Workers interested in the entry per the dispatch rule (§7.2), each once, in a stable order. */
  private interested(entry: RouteEntry): Worker[] {
    const out: Worker[] = [];
    for (const a of [undefined, entry.afi]) {
      const bySafi = this.subIndex.get(a);
      if (!bySafi) continue;
      for (const s of [undefined, entry.safi]) {
        const byRt = bySafi.get(s);
        if (!byRt) continue;
        this.collect(byRt.get(undefined), entry, out);
        for (const rt of entry.routeTargets) this.collect(byRt.get(rt), entry, out);
      }
    }
    return out;
  }

  private collect(subs: MatchSubscribers | undefined, entry: RouteEntry, out: Worker[]): void {
    if (!subs) return;
    for (const w of subs.workers) if (this.deliverable(entry, w) && !out.includes(w)) out.push(w);
  }

  private deliverable(entry: RouteEntry, w: Worker): boolean {
    return w !== entry.source && !(w.kind === 'bgp-peer' && entry.source.kind === 'bgp-peer');
  }

  private send(w: Worker, ev: RouteEvent): void {
    w.onRouteEvent(ev);
  }

  private doAdvertise(entry: RouteEntry): void {
    const fk = familyKey(entry.afi, entry.safi);
    const mine = this.sourceTable(entry.source, fk, true)!;
    const prev = mine.get(entry.key);
    if (prev && sameRoute(prev, entry)) return; // duplicate (spec §7.3 step 2)
    const targets = this.interested(entry);
    for (const w of targets) this.send(w, prev ? { type: 'advertise', entry, replaces: prev } : { type: 'advertise', entry });
    if (prev) {
      for (const w of this.interested(prev)) if (!targets.includes(w)) this.send(w, { type: 'withdraw', entry: prev });
      this.unindex(prev, fk);
    }
    this.index(entry, fk);
    mine.set(entry.key, entry);
  }

  private doWithdraw(entry: RouteEntry): void {
    const fk = familyKey(entry.afi, entry.safi);
    const mine = this.sourceTable(entry.source, fk, false);
    const prev = mine?.get(entry.key);
    if (!prev) return; // nothing to withdraw (spec §7.3: warning only)
    for (const w of this.interested(prev)) this.send(w, { type: 'withdraw', entry: prev });
    this.unindex(prev, fk);
    mine!.delete(entry.key);
    if (mine!.size === 0) {
      const byFamily = this.bySource.get(entry.source)!;
      byFamily.delete(fk);
      if (byFamily.size === 0) this.bySource.delete(entry.source);
    }
  }

  private index(e: RouteEntry, fk: FamilyKey): void {
    let idx = this.families.get(fk);
    if (!idx) this.families.set(fk, (idx = { count: 0, byRt: new Map() }));
    idx.count++;
    for (const rt of e.routeTargets) {
      let set = idx.byRt.get(rt);
      if (!set) idx.byRt.set(rt, (set = new Set()));
      set.add(e);
    }
  }

  private unindex(e: RouteEntry, fk: FamilyKey): void {
    const idx = this.families.get(fk);
    if (!idx) return;
    idx.count--;
    for (const rt of e.routeTargets) {
      const set = idx.byRt.get(rt);
      if (!set) continue;
      set.delete(e);
      if (set.size === 0) idx.byRt.delete(rt);
    }
    if (idx.count === 0) this.families.delete(fk);
  }

  /** Entries belonging to a match. */
  private *entriesOf(m: Match): Iterable<RouteEntry> {
    if (m.rt === undefined) {
      yield* this.familyRoutes(m.afi, m.safi);
      return;
    }
    for (const [fk, idx] of this.families) {
      if (m.afi !== undefined && fk >>> 8 !== m.afi) continue;
      if (m.safi !== undefined && (fk & 0xff) !== m.safi) continue;
      yield* idx.byRt.get(m.rt) ?? [];
    }
  }

  private covers(m: Match, e: RouteEntry): boolean {
    return (
      (m.afi === undefined || m.afi === e.afi) &&
      (m.safi === undefined || m.safi === e.safi) &&
      (m.rt === undefined || e.routeTargets.includes(m.rt))
    );
  }

  /** Does one of the worker's subscriptions, other than `except`, cover the entry? */
  private coveredElsewhere(w: Worker, e: RouteEntry, except: string): boolean {
    for (const [k, m] of this.workerMatches.get(w) ?? []) if (k !== except && this.covers(m, e)) return true;
    return false;
  }

  // ---- subscriptions ----

  private doSubscribe(w: Worker, m: Match): void {
    const k = matchKey(m);
    let wm = this.workerMatches.get(w);
    if (wm?.has(k)) return; // already subscribed: no replay, no duplicates
    let subs = this.subs.get(k);
    if (!subs) {
      this.subs.set(k, (subs = { match: m, workers: new Set(), localCount: 0 }));
      let bySafi = this.subIndex.get(m.afi);
      if (!bySafi) this.subIndex.set(m.afi, (bySafi = new Map<number | undefined, Map<string | undefined, MatchSubscribers>>()));
      let byRt = bySafi.get(m.safi);
      if (!byRt) bySafi.set(m.safi, (byRt = new Map<string | undefined, MatchSubscribers>()));
      byRt.set(m.rt, subs);
    }
    subs.workers.add(w);
    if (!wm) this.workerMatches.set(w, (wm = new Map<string, Match>()));
    wm.set(k, m);
    if (w.kind === 'local' && ++subs.localCount === 1) this.hooks.firstLocalSubscriber?.(m);
    for (const e of [...this.entriesOf(m)])
      if (this.deliverable(e, w) && !this.coveredElsewhere(w, e, k)) this.send(w, { type: 'advertise', entry: e });
  }

  private doUnsubscribe(w: Worker, m: Match, sendWithdrawals = true): void {
    const k = matchKey(m);
    const wm = this.workerMatches.get(w);
    if (!wm?.has(k)) return;
    if (sendWithdrawals)
      for (const e of [...this.entriesOf(m)])
        if (this.deliverable(e, w) && !this.coveredElsewhere(w, e, k)) this.send(w, { type: 'withdraw', entry: e });
    wm.delete(k);
    if (wm.size === 0) this.workerMatches.delete(w);
    const subs = this.subs.get(k)!;
    subs.workers.delete(w);
    if (w.kind === 'local' && --subs.localCount === 0) this.hooks.lastLocalSubscriber?.(m);
    if (subs.workers.size === 0) {
      this.subs.delete(k);
      const bySafi = this.subIndex.get(m.afi)!;
      const byRt = bySafi.get(m.safi)!;
      byRt.delete(m.rt);
      if (byRt.size === 0) bySafi.delete(m.safi);
      if (bySafi.size === 0) this.subIndex.delete(m.afi);
    }
  }

  private doCleanup(w: Worker): void {
    for (const e of this.routesFrom(w)) this.doWithdraw(e);
    for (const m of [...(this.workerMatches.get(w)?.values() ?? [])]) this.doUnsubscribe(w, m, false);
  }
}
