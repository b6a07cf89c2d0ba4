/**
 * ECMP for one VRF (spec dataplane.md §6.4 "remote route"): each remote prefix has one OpenFlow
 * select group, one bucket per next hop, and one flow in the VRF table pointing at the group.
 *
 * - A next hop is (label, remote PE, encapsulations); the same one again is a no-op.
 * - `dec_ttl`, a property of the prefix, is in the prefix flow (see prefixFlow).
 * - The bucket id is the route's consistent-hash sort order when free (the original's hint), so
 *   that every node orders the buckets of a prefix alike.
 * - First next hop: the group and the prefix flow; further ones replace the group's buckets
 *   (`add_or_mod`, OVS's `mod-group --may-create`); the last one removed deletes the flow, then
 *   the group.
 * - Group ids are the driver's (one pool per bridge). After a restart, the group the previous run
 *   used for the same VRF and prefix is taken over, so that the prefix flow is replaced by an
 *   identical one rather than re-pointed.
 */
import type { Encapsulation } from '../driver.js';
import type { FlowSync } from '../ovs/flow-sync.js';
import { IdPool } from '../ovs/id-pool.js';
import type { OvsTables } from './settings.js';
import { nextHopGroup, prefixFlow, prefixFlowMatch, type Bucket } from './vrf-flows.js';

export interface NextHop {
  readonly label: number;
  readonly remotePe: string;
  readonly encaps: readonly Encapsulation[];
}

export function nextHopKey(nh: NextHop): string {
  return `${nh.label}|${nh.remotePe}|${[...nh.encaps].sort().join('+')}`;
}

/** OpenFlow 1.5: bucket ids above 0xFFFFFF00 are reserved. */
const MAX_BUCKET_ID = 0xffffff00 - 1;

interface PrefixState {
  readonly group: number;
  readonly buckets: Map<string, Bucket & { readonly nextHop: NextHop }>;
  readonly bucketIds: IdPool;
}

export interface GroupIds {
  take(): number;
  release(id: number): void;
  /** The group a previous run used for this VRF and prefix, if it is still reserved. */
  adopt(vrf: number, prefix: string): number | undefined;
}

export class NextHopGroups {
  private readonly prefixes = new Map<string, PrefixState>();

  constructor(
    private readonly sync: FlowSync,
    private readonly ids: GroupIds,
    private readonly tables: OvsTables,
    private readonly vrf: number,
    private readonly selectionMethod: string,
    private readonly selectionMethodParam: string,
  ) {}

  has(prefix: string, nh: NextHop): boolean {
    return this.prefixes.get(prefix)?.buckets.has(nextHopKey(nh)) ?? false;
  }

  add(prefix: string, nh: NextHop, actions: readonly string[], hashOrder: number, decTtl: boolean): void {
    let p = this.prefixes.get(prefix);
    const first = p === undefined;
    if (!p) {
      p = { group: this.ids.adopt(this.vrf, prefix) ?? this.ids.take(), buckets: new Map(), bucketIds: new IdPool(0, MAX_BUCKET_ID) };
      this.prefixes.set(prefix, p);
    }
    const key = nextHopKey(nh);
    if (p.buckets.has(key)) return;
    p.buckets.set(key, { id: p.bucketIds.take(hashOrder), actions, nextHop: nh });
    this.writeGroup(p);
    if (first) this.sync.setFlow(prefixFlow(this.tables, this.vrf, prefix, p.group, decTtl));
  }

  /** Removes a next hop; false when it was not there. */
  remove(prefix: string, nh: NextHop): boolean {
    const p = this.prefixes.get(prefix);
    const key = nextHopKey(nh);
    const b = p?.buckets.get(key);
    if (!p || !b) return false;
    p.buckets.delete(key);
    p.bucketIds.release(b.id);
    if (p.buckets.size > 0) {
      this.writeGroup(p);
      return true;
    }
    this.sync.deleteFlow(prefixFlowMatch(this.tables, this.vrf, prefix));
    this.sync.deleteGroup(p.group);
    this.ids.release(p.group);
    this.prefixes.delete(prefix);
    return true;
  }

  /** Everything removed (instance cleanup). */
  clear(): void {
    for (const [prefix, p] of this.prefixes) {
      this.sync.deleteFlow(prefixFlowMatch(this.tables, this.vrf, prefix));
      this.sync.deleteGroup(p.group);
      this.ids.release(p.group);
    }
    this.prefixes.clear();
  }

  get size(): number {
    return this.prefixes.size;
  }

  private writeGroup(p: PrefixState): void {
    const buckets = [...p.buckets.values()].sort((a, b) => a.id - b.id);
    this.sync.setGroup(nextHopGroup(p.group, this.selectionMethod, this.selectionMethodParam, buckets));
  }

  /** Looking glass: prefix → group and next hops. */
  lookingGlass(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [prefix, p] of this.prefixes) {
      out[prefix] = {
        group: p.group,
        next_hops: [...p.buckets.values()]
          .sort((a, b) => a.id - b.id)
          .map((b) => ({ bucket: b.id, label: b.nextHop.label, remote_pe: b.nextHop.remotePe, encaps: b.nextHop.encaps, actions: b.actions.filter((a) => a !== '').join(',') })),
      };
    }
    return out;
  }
}
