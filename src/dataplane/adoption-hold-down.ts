/**
 * The adoption hold-down of the real drivers (issue 5, docs/graceful-restart.md): what a previous
 * run of the daemon left in the dataplane is kept, so that traffic goes on across a restart, until
 * `adoption_hold_time` after routing is up (a BGP session Established: routes can come back; the
 * daemon's `routingUp`), then what nobody wanted again is removed (`onEnd`). The BGP side waits as
 * long before its End-of-RIB (cli/bgp-settings.ts `restartStart`, session/local-restart.ts).
 *
 * A driver's `adoptState` is idempotent (driver.ts): `adopt` runs the driver's search once and
 * keeps the first `routingUp` for what counts from it later (the Linux E-VPN instances). The
 * timer does not keep the process alive; `cancel` (a sweep run early, cleanup, close) is final.
 */
import type { Clock } from '../util/clock.js';

/** The system clock, with timers that do not keep the process alive. */
const backgroundClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    return () => clearTimeout(t);
  },
};

export class AdoptionHoldDown {
  private adoption: Promise<boolean> | undefined;
  private up: Promise<void> | undefined;
  /** Undefined: not holding; Infinity: held until routing is up; else the end (clock ms). */
  private until: number | undefined;
  private cancelTimer: (() => void) | undefined;
  private over = false;

  /**
   * @param holdMs `adoption_hold_time` in milliseconds, counted from routing up.
   * @param onEnd the hold-down is over (not called after `cancel`).
   */
  constructor(
    readonly holdMs: number,
    private readonly onEnd: () => void,
    private readonly clock: Clock = backgroundClock,
  ) {}

  /** The `routingUp` of the first adoption (none: routing counts as up). */
  get routingUp(): Promise<void> {
    return this.up ?? Promise.resolve();
  }

  /**
   * A driver's `adoptState`: the first call counts, later calls get its answer. A driver that
   * gives `reset` keeps nothing with a zero hold-down: it resets at start, as the original did.
   */
  adopt(routingUp: Promise<void> | undefined, find: (routingUp: Promise<void>) => Promise<boolean>, reset?: () => Promise<void>): Promise<boolean> {
    this.up ??= routingUp ?? Promise.resolve();
    this.adoption ??= this.holdMs === 0 && reset ? reset().then(() => false) : find(this.up);
    return this.adoption;
  }

  /** Holds from now; the count starts once `routingUp` resolves. Once only; nothing after `cancel`. */
  start(routingUp: Promise<void> = this.routingUp): void {
    if (this.over || this.until !== undefined) return;
    this.until = Infinity;
    void routingUp.then(() => {
      if (this.over) return;
      this.until = this.clock.now() + this.holdMs;
      this.cancelTimer = this.clock.after(this.holdMs, () => {
        this.end();
        this.onEnd();
      });
    });
  }

  /** Ends the hold-down without `onEnd`, for good. */
  cancel(): void {
    this.cancelTimer?.();
    this.end();
  }

  private end(): void {
    this.over = true;
    this.until = undefined;
    this.cancelTimer = undefined;
  }

  /** Started, and not over (neither ended nor cancelled). */
  get holding(): boolean {
    return this.until !== undefined && this.clock.now() < this.until;
  }

  /** When it ends (clock ms), once routing is up and while holding. */
  get deadline(): number | undefined {
    return this.until === Infinity ? undefined : this.until;
  }
}
