/**
 * Peer side of RT Constraint (RFC 4684 §4, spec engine.md §7.5): the route targets a peer asks
 * for with its RTC routes, turned into the peer worker's subscriptions in the route table manager,
 * reference-counted (several RTC routes, e.g. from different origin ASes, may ask for one RT).
 *
 * The default route, an origin-AS-only route or a partial RT prefix asks for more than one route
 * target: the peer then gets everything of the family (a superset is correct).
 */
import type { RtcNlri } from '../wire/nlri/rtc.js';
import { routeTargetText } from '../rib/route-entry.js';
import { matchKey, type Match, type RouteTableManager } from '../rib/route-table-manager.js';
import type { Worker } from '../rib/worker.js';

export class RtcInterest {
  /** Match key → the match and how many RTC routes ask for it. */
  private readonly subs = new Map<string, { match: Match; count: number }>();
  /** RTC route key → the match keys it asked for. */
  private readonly wanted = new Map<string, string[]>();

  constructor(
    private readonly rtm: RouteTableManager,
    private readonly worker: Worker,
  ) {}

  /** The peer advertised (or replaced) an RTC route; `families` are the constrained ones. */
  advertised(key: string, n: RtcNlri, families: readonly { afi: number; safi: number }[]): void {
    this.withdrawn(key);
    const wildcard = n.routeTarget === undefined;
    const rt = n.routeTarget ? routeTargetText(n.routeTarget) : undefined;
    if (!wildcard && rt === undefined) return; // another community type: asks for nothing we have
    const keys: string[] = [];
    for (const f of families) {
      const m: Match = { afi: f.afi, safi: f.safi, rt: wildcard ? undefined : rt };
      const k = matchKey(m);
      keys.push(k);
      const s = this.subs.get(k);
      if (s) s.count++;
      else {
        this.subs.set(k, { match: m, count: 1 });
        this.rtm.subscribe(this.worker, m);
      }
    }
    this.wanted.set(key, keys);
  }

  /** The peer withdrew an RTC route. */
  withdrawn(key: string): void {
    const keys = this.wanted.get(key);
    if (!keys) return;
    this.wanted.delete(key);
    for (const k of keys) {
      const s = this.subs.get(k)!;
      if (--s.count === 0) {
        this.subs.delete(k);
        this.rtm.unsubscribe(this.worker, s.match);
      }
    }
  }

  /** The route targets asked for, '*' for everything (looking glass). */
  routeTargets(): string[] {
    return [...new Set([...this.subs.values()].map((s) => s.match.rt ?? '*'))];
  }

  /** Session down: forget everything (the worker's subscriptions are dropped as a whole). */
  clear(): void {
    this.subs.clear();
    this.wanted.clear();
  }
}
