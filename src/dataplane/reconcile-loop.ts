/**
 * Coalesced, retried reconciliation passes (STYLE habit 8: drivers receive desired state and
 * apply the difference idempotently, batched).
 *
 * Changes to the desired state call `request()`; at most one pass runs at a time, and every
 * request made while a pass runs is served by one next pass: 10,000 route events arriving
 * together cost a few passes, not 10,000. A pass that leaves a difference (a failed command, a
 * device not there yet) is retried after a back-off that doubles up to `maxDelayMs`; a clean pass
 * resets it. The timers are unref'ed: they never keep a process alive on their own.
 */
import type { Logger } from '../util/logger.js';

/** One pass: reads, applies, reads back; resolves true when installed = desired. */
export type Pass = () => Promise<boolean>;

export interface ReconcileLoopOptions {
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly log?: Logger;
}

interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export class ReconcileLoop {
  private running = false;
  private next: Deferred | undefined;
  private retry: NodeJS.Timeout | undefined;
  private delayMs: number;
  private closed = false;
  /** Passes run so far, and how many left a difference. */
  passes = 0;
  unclean = 0;
  lastPassMs = 0;
  /** When the next retry is due (epoch ms), if one is scheduled. */
  retryAt: number | undefined;

  constructor(
    private readonly pass: Pass,
    private readonly opts: ReconcileLoopOptions = {},
  ) {
    this.delayMs = opts.minDelayMs ?? 500;
  }

  /** Asks for a pass; resolves when a pass that started after this call has finished. */
  request(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.next ??= deferred();
    const p = this.next.promise;
    this.kick();
    return p;
  }

  /** No more passes or retries (a pass running goes to its end). */
  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.retryAt = undefined;
    this.next?.resolve();
    this.next = undefined;
  }

  private kick(): void {
    if (this.running || !this.next) return;
    const d = this.next;
    this.next = undefined;
    this.running = true;
    clearTimeout(this.retry);
    this.retryAt = undefined;
    void this.runPass(d);
  }

  private async runPass(d: Deferred): Promise<void> {
    const t0 = Date.now();
    let clean = false;
    try {
      clean = await this.pass();
    } catch (e) {
      this.opts.log?.log('error', `reconciliation pass failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.passes++;
    this.lastPassMs = Date.now() - t0;
    this.running = false;
    d.resolve();
    if (clean) this.delayMs = this.opts.minDelayMs ?? 500;
    else {
      this.unclean++;
      if (!this.closed && !this.next) {
        const delay = this.delayMs;
        this.delayMs = Math.min(this.delayMs * 2, this.opts.maxDelayMs ?? 30_000);
        this.retryAt = Date.now() + delay;
        this.retry = setTimeout(() => void this.request(), delay);
        this.retry.unref();
      }
    }
    if (!this.closed) this.kick();
  }
}
