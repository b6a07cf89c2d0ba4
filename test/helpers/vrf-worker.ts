/** A minimal local worker for speaker tests: publishes VPN-IPv4 routes, records what it receives. */
import type { PathAttribute } from '../../src/wire/attributes/registry.js';
import { encapsulation, routeTarget } from '../../src/wire/ext-communities/index.js';
import { fromMplsLabel } from '../../src/wire/label.js';
import { makeEntry, type RouteEntry } from '../../src/rib/route-entry.js';
import type { RouteTableManager } from '../../src/rib/route-table-manager.js';
import type { RouteEvent, Worker } from '../../src/rib/worker.js';

export class TestVrf implements Worker {
  readonly kind = 'local';
  readonly received = new Map<string, RouteEntry>();
  constructor(
    readonly name: string,
    private readonly rtm: RouteTableManager,
    private readonly rd: string,
    private readonly nextHop: string,
  ) {}
  onRouteEvent(e: RouteEvent): void {
    if (e.type === 'advertise') this.received.set(e.entry.key, e.entry);
    else this.received.delete(e.entry.key);
  }
  import(rt: string): void {
    this.rtm.subscribe(this, { afi: 1, safi: 128, rt });
  }
  unimport(rt: string): void {
    this.rtm.unsubscribe(this, { afi: 1, safi: 128, rt });
  }
  route(prefix: string, rts: string[], label = 100, localPref?: number): RouteEntry {
    const attrs: PathAttribute[] = [{ type: 'ext-communities', communities: [...rts.map((t) => routeTarget(t)), encapsulation('mpls')] }];
    if (localPref !== undefined) attrs.push({ type: 'local-pref', value: localPref });
    return makeEntry(1, 128, { kind: 'vpn', labels: [fromMplsLabel(label)], rd: { type: 1, value: this.rd }, prefix }, attrs, this.nextHop, this);
  }
  advertise(prefix: string, rts: string[], label = 100, localPref?: number): void {
    this.rtm.advertise(this.route(prefix, rts, label, localPref));
  }
  withdraw(prefix: string): void {
    this.rtm.withdraw(this.route(prefix, []));
  }
  prefixes(): string[] {
    return [...this.received.values()].map((e) => (e.nlri.kind === 'vpn' ? e.nlri.prefix : e.key)).sort();
  }
}
