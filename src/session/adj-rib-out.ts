/**
 * A peer's Adj-RIB-Out (RFC 4271 §3.2): what we want the peer to have versus what it has, turned
 * into UPDATE messages on demand. No sockets: the peer driver pulls messages while its socket is
 * writable, so a slow peer only ever costs one pending change per route (changes to the same route
 * coalesce), never a growing queue of messages.
 *
 * - Advertisements with the same family, next hop and attributes are packed into one UPDATE, as
 *   many NLRI as fit the negotiated maximum message size.
 * - A withdrawal names exactly the NLRI that was advertised (MP_UNREACH_NLRI only).
 * - Re-advertising what the peer already has sends nothing.
 * - End-of-RIB (RFC 4724 §2) goes out per family once its initial content has been sent.
 * - Families can be held back (RT Constraint, RFC 4684 §6: VPN routes wait for the peer's RTC
 *   End-of-RIB) and released later.
 */
import { familyKey, type FamilyKey } from '../wire/afi.js';
import type { PathAttribute } from '../wire/attributes/registry.js';
import type { CodecContext } from '../wire/context.js';
import { encodeMessage, maxMessageLength } from '../wire/message.js';
import { encodeNlriField, type Nlri } from '../wire/nlri/registry.js';
import { endOfRib, type UpdateMessage } from '../wire/update.js';
import { BufferWriter } from '../wire/writer.js';

export interface OutRoute {
  readonly afi: number;
  readonly safi: number;
  /** NLRI identity (rib nlriKey). */
  readonly key: string;
  readonly nlri: Nlri;
  /** Attributes to send, MP_REACH excluded (the packer adds it). */
  readonly attributes: readonly PathAttribute[];
  /** MP_REACH next hop addresses (empty for FlowSpec). */
  readonly nextHop: readonly string[];
}

const fingerprints = new WeakMap<readonly PathAttribute[], string>();
function fingerprint(attrs: readonly PathAttribute[]): string {
  let f = fingerprints.get(attrs);
  if (f === undefined) fingerprints.set(attrs, (f = JSON.stringify(attrs)));
  return f;
}

function sameOut(a: OutRoute, b: OutRoute): boolean {
  return (
    a.nextHop.join() === b.nextHop.join() &&
    fingerprint(a.attributes) === fingerprint(b.attributes) &&
    JSON.stringify(a.nlri) === JSON.stringify(b.nlri)
  );
}

export class AdjRibOut {
  /** What the peer has been sent, by family|key. */
  private readonly sent = new Map<string, OutRoute>();
  /** Desired changes not sent yet: a route, or null for a withdrawal. Insertion ordered. */
  private readonly pending = new Map<string, OutRoute | null>();
  private readonly held = new Set<FamilyKey>();
  private readonly eorDue = new Set<FamilyKey>();

  constructor(private readonly ctx: CodecContext) {}

  /** Families whose End-of-RIB is sent once their pending routes are out. */
  expectEndOfRib(afi: number, safi: number): void {
    this.eorDue.add(familyKey(afi, safi));
  }
  hold(afi: number, safi: number): void {
    this.held.add(familyKey(afi, safi));
  }
  release(afi: number, safi: number): void {
    this.held.delete(familyKey(afi, safi));
  }
  isHeld(afi: number, safi: number): boolean {
    return this.held.has(familyKey(afi, safi));
  }

  advertise(r: OutRoute): void {
    const k = `${familyKey(r.afi, r.safi)}|${r.key}`;
    const has = this.sent.get(k);
    if (has && sameOut(has, r)) this.pending.delete(k);
    else this.pending.set(k, r);
  }

  withdraw(afi: number, safi: number, key: string): void {
    const k = `${familyKey(afi, safi)}|${key}`;
    if (this.sent.has(k)) this.pending.set(k, null);
    else this.pending.delete(k);
  }

  /** Route refresh (RFC 2918): everything of the family sent again. */
  resend(afi: number, safi: number): void {
    const prefix = `${familyKey(afi, safi)}|`;
    // Kept in `sent` too, so that a withdrawal arriving meanwhile still goes out.
    for (const [k, r] of this.sent) if (k.startsWith(prefix) && !this.pending.has(k)) this.pending.set(k, r);
  }

  /** Number of changes not yet turned into messages. */
  get pendingCount(): number {
    return this.pending.size;
  }
  get sentCount(): number {
    return this.sent.size;
  }
  /** Routes the peer has (for the looking glass). */
  advertised(): OutRoute[] {
    return [...this.sent.values()];
  }
  /** Nothing left to send (held families aside). */
  get idle(): boolean {
    return this.nextBatch(1, true).length === 0;
  }

  /**
   * Up to `maxMessages` encoded messages for the pending changes of families not held, marking
   * them sent. Order: withdrawals and advertisements as they were queued (per family and
   * attribute group), then due End-of-RIB markers.
   */
  nextBatch(maxMessages: number, dryRun = false): Buffer[] {
    const out: Buffer[] = [];
    const limit = maxMessageLength(this.ctx);
    // Group the pending changes, in queue order of each group's first member.
    const groups = new Map<string, { withdraw: boolean; afi: number; safi: number; routes: [string, OutRoute | null][] }>();
    // Scan only as far as the batch can use: a message holds at most ~1,000 NLRI.
    let collected = 0;
    for (const [k, r] of this.pending) {
      if (groups.size > maxMessages || collected >= maxMessages * 1024) break;
      collected++;
      const fk = Number(k.slice(0, k.indexOf('|')));
      if (this.held.has(fk)) continue;
      const afi = fk >>> 8;
      const safi = fk & 0xff;
      const gk = r === null ? `w|${fk}` : `a|${fk}|${r.nextHop.join()}|${fingerprint(r.attributes)}`;
      let g = groups.get(gk);
      if (!g) groups.set(gk, (g = { withdraw: r === null, afi, safi, routes: [] }));
      g.routes.push([k, r]);
    }
    for (const g of groups.values()) {
      let i = 0;
      while (i < g.routes.length && out.length < maxMessages) {
        const first = g.routes[i]![1] ?? this.sent.get(g.routes[i]![0])!;
        const base = g.withdraw ? this.withdrawMessage(g.afi, g.safi, []) : this.reachMessage(first, []);
        let size = encodeMessage(base, this.ctx).length + 2; // + extended-length slack
        const nlri: Nlri[] = [];
        const keys: string[] = [];
        for (; i < g.routes.length; i++) {
          const [k, r] = g.routes[i]!;
          const n = r ? r.nlri : this.sent.get(k)!.nlri;
          const len = this.nlriLength(g.afi, g.safi, n);
          if (nlri.length > 0 && size + len > limit) break;
          size += len;
          nlri.push(n);
          keys.push(k);
        }
        const msg = g.withdraw ? this.withdrawMessage(g.afi, g.safi, nlri) : this.reachMessage(first, nlri);
        out.push(encodeMessage(msg, this.ctx));
        if (dryRun) continue;
        for (const k of keys) {
          const r = this.pending.get(k);
          this.pending.delete(k);
          if (r) this.sent.set(k, r);
          else this.sent.delete(k);
        }
      }
      if (out.length >= maxMessages) return out;
    }
    for (const fk of [...this.eorDue]) {
      if (out.length >= maxMessages) break;
      if (this.held.has(fk) || this.hasPending(fk)) continue;
      out.push(encodeMessage(endOfRib(fk >>> 8, fk & 0xff), this.ctx));
      if (!dryRun) this.eorDue.delete(fk);
    }
    return out;
  }

  private hasPending(fk: FamilyKey): boolean {
    const prefix = `${fk}|`;
    for (const k of this.pending.keys()) if (k.startsWith(prefix)) return true;
    return false;
  }

  private nlriLength(afi: number, safi: number, n: Nlri): number {
    const w = new BufferWriter(64);
    encodeNlriField(afi, safi, w, [n], this.ctx);
    return w.length;
  }

  private reachMessage(r: OutRoute, nlri: Nlri[]): UpdateMessage {
    return {
      type: 'update',
      withdrawn: [],
      nlri: [],
      attributes: [...r.attributes, { type: 'mp-reach', afi: r.afi, safi: r.safi, nextHop: [...r.nextHop], nlri }],
    };
  }

  private withdrawMessage(afi: number, safi: number, nlri: Nlri[]): UpdateMessage {
    return { type: 'update', withdrawn: [], nlri: [], attributes: [{ type: 'mp-unreach', afi, safi, nlri }] };
  }
}
