/**
 * Workers are what publish and subscribe to routes: VPN instances, the RTC originator ("local"
 * workers) and BGP peer sessions ("bgp-peer" workers). The route table manager never sends a
 * route from one BGP peer to another, nor back to its source (spec engine.md §7.2).
 */
import type { RouteEntry } from './route-entry.js';

export type WorkerKind = 'local' | 'bgp-peer';

export type RouteEvent =
  /** A new route, or a new version of `replaces` (same source and NLRI key). */
  | { type: 'advertise'; entry: RouteEntry; replaces?: RouteEntry }
  | { type: 'withdraw'; entry: RouteEntry };

export interface Worker {
  readonly name: string;
  readonly kind: WorkerKind;
  /** Called synchronously, in order, by the route table manager's queue. Must not throw; a
   * worker that needs async work queues it itself. */
  onRouteEvent(event: RouteEvent): void;
}
