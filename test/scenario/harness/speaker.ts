/**
 * Our speaker in scenario tests: a BgpManager with an in-memory log (shown when a test fails), and
 * a Collector, a local worker that subscribes to any match (one RT or the wildcard, any family)
 * and records what it receives.
 */
import { BgpManager, type BgpManagerConfig } from '../../../src/session/bgp-manager.js';
import type { Peer } from '../../../src/session/peer.js';
import { makeEntry, type RouteEntry } from '../../../src/rib/route-entry.js';
import type { PathAttribute } from '../../../src/wire/attributes/registry.js';
import type { Nlri } from '../../../src/wire/nlri/registry.js';
import type { Match, RouteTableManager } from '../../../src/rib/route-table-manager.js';
import type { RouteEvent, Worker } from '../../../src/rib/worker.js';
import { memoryLogger, type LogLevel } from '../../../src/util/logger.js';
import type { Teardown } from './process.js';
import { TestVrf } from '../../helpers/vrf-worker.js';

export interface Speaker {
  manager: BgpManager;
  records: { level: LogLevel; name: string; msg: string }[];
  /** The log's last lines, for assertion messages. */
  logTail(lines?: number): string;
  peer(address: string): Peer;
}

/** A BgpManager stopped at teardown (started by the caller). */
export function speaker(cfg: BgpManagerConfig, teardown: Teardown): Speaker {
  const log = memoryLogger([], `speaker.${cfg.localAddress}`);
  const manager = new BgpManager(cfg, log);
  teardown.add(() => manager.stop());
  return {
    manager,
    records: log.records,
    logTail(lines = 40) {
      return `--- our speaker ${cfg.localAddress} log ---\n${log.records
        .slice(-lines)
        .map((r) => `${r.level} ${r.name}: ${r.msg}`)
        .join('\n')}`;
    },
    peer(address) {
      const p = manager.peers.get(address);
      if (!p) throw new Error(`no peer ${address} configured on ${cfg.localAddress}`);
      return p;
    },
  };
}

/** Records the routes the route table manager delivers to it, by family and NLRI key; can publish. */
export class Collector implements Worker {
  readonly kind = 'local';
  readonly received = new Map<string, RouteEntry>();
  /** Every event, in order (for counting withdrawals, replacements). */
  readonly events: RouteEvent[] = [];
  constructor(
    readonly name: string,
    private readonly rtm: RouteTableManager,
  ) {}
  onRouteEvent(e: RouteEvent): void {
    this.events.push(e);
    const k = `${e.entry.afi}/${e.entry.safi}|${e.entry.key}`;
    if (e.type === 'advertise') this.received.set(k, e.entry);
    else this.received.delete(k);
  }
  subscribe(afi: number | undefined, safi: number | undefined, rt?: string): this {
    const m: Match = { afi, safi, rt };
    this.rtm.subscribe(this, m);
    return this;
  }
  routes(afi?: number, safi?: number): RouteEntry[] {
    return [...this.received.values()].filter((e) => (afi === undefined || e.afi === afi) && (safi === undefined || e.safi === safi));
  }
  /** Publishes a route of any family from this worker. */
  advertise(afi: number, safi: number, nlri: Nlri, attributes: PathAttribute[], nextHop: string | undefined): RouteEntry {
    const e = makeEntry(afi, safi, nlri, attributes, nextHop, this);
    this.rtm.advertise(e);
    return e;
  }
  withdraw(e: RouteEntry): void {
    this.rtm.withdraw(e);
  }
  /** The VPN-IPv4 route for a prefix (any RD), if received. */
  vpn(prefix: string): RouteEntry | undefined {
    return this.routes(1, 128).find((e) => e.nlri.kind === 'vpn' && e.nlri.prefix === prefix);
  }
}

/** A route reflector client: our speaker peering with `rr` (iBGP, RTC on), and a VRF named
 * `name` importing 64512:1 (its RD and next hop are the speaker's address). Not started. */
export function rrClient(name: string, address: string, rr: string, rrPort: number, teardown: Teardown): { speaker: Speaker; vrf: TestVrf } {
  const s = speaker({ localAddress: address, localAs: 64512, enableRtc: true, peerPort: rrPort, peers: [{ address: rr }], connectRetrySeconds: 1 }, teardown);
  const vrf = new TestVrf(name, s.manager.rtm, `${address}:1`, address);
  vrf.import('64512:1');
  return { speaker: s, vrf };
}
