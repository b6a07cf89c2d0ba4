/**
 * The routes of a restarting peer kept as stale (RFC 4724 §4.2, the helper side): marked when its
 * session drops, unmarked when the peer announces them again, and swept per family at its
 * End-of-RIB, when its new session does not keep that family's forwarding state, or when the
 * restart time runs out. Bookkeeping only: the peer withdraws what a sweep returns.
 */
import type { RouteEntry } from '../rib/route-entry.js';
import { familyKey, familyName, familyOfKey, type FamilyKey } from '../wire/afi.js';
import type { Clock } from '../util/clock.js';

export class StaleRoutes {
  private readonly byFamily = new Map<FamilyKey, Set<string>>();
  private cancelTimer: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    /** Withdraws the given stale routes of a family (they are still the peer's routes in the RIB). */
    private readonly sweepOut: (family: FamilyKey, keys: ReadonlySet<string>) => void,
  ) {}

  get count(): number {
    let n = 0;
    for (const s of this.byFamily.values()) n += s.size;
    return n;
  }

  get active(): boolean {
    return this.byFamily.size > 0;
  }

  /** The session dropped: these routes become stale, for up to `seconds` (then `onExpiry` and a sweep of all). */
  keep(routes: Iterable<RouteEntry>, seconds: number, onExpiry: () => void): void {
    this.byFamily.clear();
    for (const e of routes) {
      const fk = familyKey(e.afi, e.safi);
      let s = this.byFamily.get(fk);
      if (!s) this.byFamily.set(fk, (s = new Set()));
      s.add(e.key);
    }
    this.restartTimer(seconds, onExpiry);
  }

  /** The peer announced the route again: no longer stale. */
  refreshed(afi: number, safi: number, key: string): void {
    this.byFamily.get(familyKey(afi, safi))?.delete(key);
  }

  /**
   * The peer is back: families its new capability does not list with the Forwarding State bit
   * are swept at once (their names returned, for the log); the others wait again, up to `seconds`.
   */
  peerBack(forwarded: ReadonlySet<string>, seconds: number, onExpiry: () => void): string[] {
    const swept: string[] = [];
    for (const fk of [...this.byFamily.keys()]) {
      const f = familyOfKey(fk);
      const name = familyName(f.afi, f.safi);
      if (forwarded.has(name)) continue;
      swept.push(name);
      this.sweep(fk);
    }
    if (this.active) this.restartTimer(seconds, onExpiry);
    return swept;
  }

  /** Sweeps one family's stale routes (its End-of-RIB). */
  sweep(fk: FamilyKey): void {
    const keys = this.byFamily.get(fk);
    if (!keys) return;
    this.byFamily.delete(fk);
    if (keys.size > 0) this.sweepOut(fk, keys);
    if (!this.active) this.end();
  }

  sweepAll(): void {
    for (const fk of [...this.byFamily.keys()]) this.sweep(fk);
  }

  /** Forgets everything (the routes themselves are the caller's business). */
  end(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.byFamily.clear();
  }

  private restartTimer(seconds: number, onExpiry: () => void): void {
    this.cancelTimer?.();
    this.cancelTimer = this.clock.after(seconds * 1000, () => {
      onExpiry();
      this.sweepAll();
    });
  }
}
