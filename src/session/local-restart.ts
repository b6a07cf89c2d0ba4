/**
 * Graceful restart as the restarting speaker (RFC 4724 §4.1), shared by every peer of the daemon:
 * the R and F bits of our OPENs and when our End-of-RIB markers may go.
 *
 * How a new process knows it restarted: the dataplane drivers found forwarding state a previous
 * run of the daemon left (devices, FDB entries, flows) and adopted it instead of flushing it. That
 * state is the very thing the F bit speaks of, so it is the evidence: after a crash, a kill or an
 * upgrade it is there; after a clean stop (every instance cleaned up) or a reboot it is not, and a
 * fresh start must not claim any forwarding state. No state file is needed.
 *
 * While restoring (restarted, and the local routes not back yet):
 * - OPENs carry the R bit (peers must not wait for our End-of-RIB before sending us theirs) and
 *   the F bit for each family whose forwarding state survived;
 * - the End-of-RIB of those families is held: a helper keeps our routes of the previous run as
 *   stale until it, so sending it before the orchestrator has re-attached its ports would
 *   withdraw the routes of the ports not back yet. `restored` ends this (the daemon ties it to the
 *   drivers' adoption hold-down: what is not back then is removed locally too).
 *
 * Afterwards, and in a process that did not restart once its first session with a peer is up,
 * OPENs carry the F bit for every family: a session that drops while the process lives loses no
 * forwarding state. Restart time 0 turns the restarting side off (the capability lists no family:
 * helper only).
 */
import type { RestartFlags } from './negotiation.js';

export interface RestartStart {
  /** Families whose forwarding state a previous run left and the dataplane kept (empty: not restarted). */
  readonly preserved: ReadonlySet<string>;
  /** Resolves when the local routes are back: the End-of-RIB markers held until then go. */
  readonly restored: Promise<void>;
}

export class LocalRestart {
  private preserved: ReadonlySet<string> = new Set();
  private restoring = false;
  private readonly listeners = new Set<() => void>();

  /** @param time restart time we announce, seconds (0: we do not restart gracefully, helper only). */
  constructor(readonly time: number) {}

  /** Called once, before the first OPEN. */
  begin(start: RestartStart): void {
    if (this.time === 0 || start.preserved.size === 0) return;
    this.preserved = new Set(start.preserved);
    this.restoring = true;
    void start.restored.then(() => this.finish());
  }

  /** True from a restart until the local routes are back. */
  get isRestoring(): boolean {
    return this.restoring;
  }
  get preservedFamilies(): string[] {
    return [...this.preserved];
  }

  /**
   * The bits of our capability for an OPEN to a peer announcing `families`; `hadSession`: this
   * process had a session with that peer already (what it was sent is still being forwarded).
   * Undefined: helper only.
   */
  flags(families: readonly string[], hadSession: boolean): RestartFlags | undefined {
    if (this.time === 0) return undefined;
    return { restarting: this.restoring, families: families.map((family) => ({ family, forwarding: hadSession || this.preserved.has(family) })) };
  }

  /** Whether the End-of-RIB of a family must wait for the local routes to be back. */
  holdsEndOfRib(family: string): boolean {
    return this.restoring && this.preserved.has(family);
  }

  /** Calls fn when the restoration ends; returns a function that unsubscribes. */
  onRestored(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private finish(): void {
    if (!this.restoring) return;
    this.restoring = false;
    for (const fn of [...this.listeners]) fn();
  }
}
