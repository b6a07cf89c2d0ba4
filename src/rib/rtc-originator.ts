/**
 * Local side of RT Constraint (RFC 4684 §4, spec engine.md §7.5): one RTC route (origin AS, RT)
 * per route target that local workers import, advertised when the first local worker subscribes
 * to it in a VPN family and withdrawn when the last one leaves.
 *
 * Bug fixed from the original: it withdrew the RTC route when the last subscriber of ONE family
 * left although the other family (VPN-IPv4 / E-VPN) still needed it. Here the route is
 * reference-counted per route target across families.
 */
import { Afi, Safi } from '../wire/afi.js';
import { routeTarget } from '../wire/ext-communities/index.js';
import type { PathAttribute } from '../wire/attributes/registry.js';
import { makeEntry, type RouteEntry } from './route-entry.js';
import type { Match, RouteTableManager, SubscriberHooks } from './route-table-manager.js';
import type { RouteEvent, Worker } from './worker.js';

/** Families whose subscriptions call for an RTC route (FlowSpec is covered by the same RT's). */
const CONSTRAINED = new Set([(Afi.IPv4 << 8) | Safi.MplsVpn, (Afi.IPv6 << 8) | Safi.MplsVpn, (Afi.L2VPN << 8) | Safi.Evpn]);

const NO_ATTRIBUTES: readonly PathAttribute[] = [];

export class RtcOriginator implements Worker, SubscriberHooks {
  readonly name = 'BGPManager';
  readonly kind = 'local';
  private rtm: RouteTableManager | undefined;
  private readonly counts = new Map<string, number>();
  private readonly routes = new Map<string, RouteEntry>();

  constructor(
    private readonly originAs: number,
    private readonly localAddress: string,
    private readonly enabled: boolean,
  ) {}

  /** Connects to the route table manager it is the hooks of (they are created together). */
  bind(rtm: RouteTableManager): void {
    this.rtm = rtm;
  }

  onRouteEvent(_e: RouteEvent): void {
    // The originator subscribes to nothing.
  }

  /** Route targets with an RTC route advertised. */
  advertisedTargets(): string[] {
    return [...this.routes.keys()];
  }
  advertisedRoutes(): RouteEntry[] {
    return [...this.routes.values()];
  }

  firstLocalSubscriber(m: Match): void {
    if (!this.enabled || m.rt === undefined || m.afi === undefined || m.safi === undefined) return;
    if (!CONSTRAINED.has((m.afi << 8) | m.safi)) return;
    const n = (this.counts.get(m.rt) ?? 0) + 1;
    this.counts.set(m.rt, n);
    if (n > 1) return;
    const entry = makeEntry(
      Afi.IPv4,
      Safi.Rtc,
      { kind: 'rtc', originAs: this.originAs, routeTarget: routeTarget(m.rt) },
      NO_ATTRIBUTES,
      this.localAddress,
      this,
      [],
    );
    this.routes.set(m.rt, entry);
    this.rtm?.advertise(entry);
  }

  lastLocalSubscriber(m: Match): void {
    if (!this.enabled || m.rt === undefined || m.afi === undefined || m.safi === undefined) return;
    if (!CONSTRAINED.has((m.afi << 8) | m.safi)) return;
    const n = (this.counts.get(m.rt) ?? 0) - 1;
    if (n > 0) {
      this.counts.set(m.rt, n);
      return;
    }
    this.counts.delete(m.rt);
    const entry = this.routes.get(m.rt);
    this.routes.delete(m.rt);
    if (entry) this.rtm?.withdraw(entry);
  }
}
