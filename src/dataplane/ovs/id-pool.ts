/**
 * Small identifier pools of the OVS drivers: OpenFlow group ids (1 … 2^32−1) and bucket ids
 * (0 … 0xFFFFFF00 − 1: higher values are reserved by OpenFlow 1.5 §7.3.4.3).
 *
 * A released id is reused only after every never-used one (a cursor, then FIFO), so a group id
 * freed by one prefix does not come back at once for another while a batch may still refer to it.
 * Ids can be reserved (groups a previous run left, kept until they are adopted or swept).
 */
export class IdPool {
  private readonly used = new Set<number>();
  private readonly reserved = new Set<number>();
  private readonly released: number[] = [];
  private cursor: number;

  constructor(
    readonly min: number,
    readonly max: number,
  ) {
    this.cursor = min;
  }

  /** A free id: the hint if it is free, else the next never-used one, else the oldest released. */
  take(hint?: number): number {
    if (hint !== undefined && hint >= this.min && hint <= this.max && this.free(hint)) return this.mark(hint);
    while (this.cursor <= this.max && !this.free(this.cursor)) this.cursor++;
    if (this.cursor <= this.max) return this.mark(this.cursor++);
    for (let i = 0; i < this.released.length; i++) {
      const id = this.released[i]!;
      if (this.free(id)) {
        this.released.splice(i, 1);
        return this.mark(id);
      }
    }
    throw new Error(`no free identifier left in ${this.min}…${this.max}`);
  }

  release(id: number): void {
    if (this.used.delete(id)) this.released.push(id);
  }

  /** Keeps an id out of `take()` until adopted or unreserved. */
  reserve(id: number): void {
    if (!this.used.has(id)) this.reserved.add(id);
  }

  /** Turns a reserved id into a used one. */
  adopt(id: number): boolean {
    if (!this.reserved.delete(id)) return false;
    this.used.add(id);
    return true;
  }

  unreserve(id: number): void {
    this.reserved.delete(id);
  }

  isUsed(id: number): boolean {
    return this.used.has(id);
  }

  private free(id: number): boolean {
    return !this.used.has(id) && !this.reserved.has(id);
  }

  private mark(id: number): number {
    this.used.add(id);
    return id;
  }
}
