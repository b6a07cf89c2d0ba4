/**
 * Identifier allocation (spec engine.md §9): MPLS labels, route distinguisher numbers and VPN
 * instance ids share one algorithm.
 *
 * - A cursor starts at MIN; a new id is the cursor value, then the cursor moves to the next
 *   unallocated value. Released ids are therefore NOT reused while the cursor has room: a label
 *   freed by one endpoint never reaches another endpoint's traffic while peers may still hold
 *   routes carrying it.
 * - Once the cursor has passed MAX, released ids are reused oldest-released first (FIFO).
 * - Nothing left: AllocatorExhausted (an internal error: 500 on the API).
 * - A hint, if free, is allocated instead of the cursor (the cursor skips it when equal).
 *
 * Every allocated id carries a description (shown in the looking glass, `vpns/dataplane/ids`).
 */

export class AllocatorExhausted extends Error {
  override readonly name = 'AllocatorExhausted';
}

export class IdAllocator {
  private readonly allocated = new Map<number, string>();
  private readonly released: number[] = [];
  private cursor: number;

  constructor(
    readonly min: number,
    readonly max: number,
    readonly what = 'identifier',
  ) {
    this.cursor = min;
  }

  allocate(description: string, hint?: number): number {
    if (hint !== undefined && hint >= this.min && hint <= this.max && !this.allocated.has(hint)) {
      const i = this.released.indexOf(hint);
      if (i >= 0) this.released.splice(i, 1);
      return this.take(hint, description);
    }
    if (this.cursor <= this.max) return this.take(this.cursor, description);
    const reused = this.released.shift();
    if (reused === undefined) throw new AllocatorExhausted(`Could not allocate ${this.what}, maximum (${this.max}) was reached`);
    return this.take(reused, description);
  }

  release(id: number): void {
    if (!this.allocated.delete(id)) throw new Error(`Asked to release a non-allocated ${this.what}: ${id}`);
    this.released.push(id);
  }

  isAllocated(id: number): boolean {
    return this.allocated.has(id);
  }

  /** id → description of everything allocated now, in id order. */
  entries(): [number, string][] {
    return [...this.allocated].sort((a, b) => a[0] - b[0]);
  }

  get size(): number {
    return this.allocated.size;
  }

  private take(id: number, description: string): number {
    this.allocated.set(id, description);
    if (id === this.cursor) {
      let next = this.cursor + 1;
      while (this.allocated.has(next)) next++;
      this.cursor = next;
    }
    return id;
  }
}

/** MPLS labels 16 … 2^20−1 (0-15 are reserved, RFC 3032 §2.1): per instance and per MAC. */
export class LabelAllocator extends IdAllocator {
  constructor() {
    super(16, 2 ** 20 - 1, 'label');
  }
}

/**
 * Route distinguishers of type 1 (RFC 4364 §4.2) `<local address>:<n>`, n in 0 … 65535: one per
 * instance and one per endpoint.
 */
export class RdAllocator {
  private readonly ids = new IdAllocator(0, 2 ** 16 - 1, 'route distinguisher');
  constructor(readonly localAddress: string) {}

  /** The RD text "a.b.c.d:n". */
  allocate(description: string): string {
    return `${this.localAddress}:${this.ids.allocate(description)}`;
  }

  release(rd: string): void {
    this.ids.release(Number(rd.slice(rd.lastIndexOf(':') + 1)));
  }

  entries(): [number, string][] {
    return this.ids.entries();
  }
}

/** VPN instance ids 1 … 2^32−1, never reused (VRF-1, EVI-2…). */
export class InstanceIdAllocator {
  private next = 1;
  allocate(): number {
    if (this.next > 2 ** 32 - 1) throw new AllocatorExhausted('Could not create VPN instance: max instance id was reached');
    return this.next++;
  }
}
