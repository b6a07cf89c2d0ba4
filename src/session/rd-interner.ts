/**
 * One object per route distinguisher among the routes a peer sends: a full feed has a million
 * routes but far fewer RDs (one per VRF and PE), while the decoder makes an RD object and its text
 * for every NLRI. Received NLRI get the shared object instead, so a route costs a pointer for its
 * RD rather than an object and a string (docs/benchmarks.md, ingestion memory).
 *
 * Bounded: past `max` distinct RDs the table starts again (RDs seen before keep their objects;
 * only the sharing with later routes is lost).
 */
import type { RouteDistinguisher } from '../wire/route-distinguisher.js';
import type { Nlri } from '../wire/nlri/registry.js';

export class RdInterner {
  private readonly table = new Map<string, RouteDistinguisher>();

  constructor(private readonly max = 65_536) {}

  /** The shared RD equal to `rd` (`rd` itself the first time). */
  intern(rd: RouteDistinguisher): RouteDistinguisher {
    const known = this.table.get(rd.value);
    if (known !== undefined && known.type === rd.type) return known;
    if (known === undefined) {
      if (this.table.size >= this.max) this.table.clear();
      this.table.set(rd.value, rd);
    }
    return rd;
  }

  /** Replaces the NLRI's RD, if it has one, by the shared one (the NLRI is the decoder's: ours). */
  share(n: Nlri): void {
    if ('rd' in n && n.rd !== undefined) n.rd = this.intern(n.rd);
  }

  get size(): number {
    return this.table.size;
  }
}
