/**
 * The desired flows and groups of one bridge, and what has been written to it (DESIGN habit 8:
 * drivers keep desired state and apply the difference, batched).
 *
 * Drivers set and delete flows and groups in memory; `flush()` writes what changed since the
 * last write, in at most three `ovs-ofctl` processes whatever the number of changes:
 *
 *   1. groups added or whose buckets changed (`add_or_mod`), so that new flows find them;
 *   2. flows added or replaced (`add`: OVS keeps the counters of a replaced flow) and flows
 *      deleted (`delete_strict`, exact identity and cookie), in one OpenFlow bundle;
 *   3. groups deleted (OVS would delete the flows still pointing at a deleted group: they went
 *      in step 2).
 *
 * Changes made while a write is running go in the next one, so bursts (10,000 routes) coalesce.
 * A batch that fails is split in halves until the lines at fault are isolated: those are
 * recorded as errors (looking glass) and the rest is applied. Flow programming errors never fail
 * the caller (the original only logged them, spec dataplane.md §1); OVSDB operations do.
 *
 * `reconcile()` compares the bridge with the desired state (`ovs-ofctl diff-flows`, OVS's own
 * canonical text on both sides): flows and groups that belong to the driver (its `scope`) but are
 * not desired are deleted, missing ones written again. After a restart it removes what the
 * previous run left and nobody wanted again; the looking glass shows its last result.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../util/logger.js';
import { canonicalDeleteLine, canonicalText, parseDiffFlow, parseDump, parseGroups, type CanonicalFlow } from './canonical-flow.js';
import { flowAddLine, flowDeleteLine, flowKey, groupAddLine, groupDeleteLine, type Flow, type Group } from './flow.js';
import type { Ofctl } from './ofctl.js';

export interface FlowError {
  readonly time: string;
  readonly line: string;
  readonly error: string;
}

export interface ReconcileResult {
  readonly time: string;
  /** Installed flows of ours that were not desired (deleted unless a dry run). */
  readonly extraFlows: string[];
  /** Desired flows the bridge did not have (written again unless a dry run). */
  readonly missingFlows: number;
  readonly extraGroups: number[];
  readonly missingGroups: number[];
}

/** Which installed flows and groups belong to the driver. */
export interface FlowScope {
  ownsFlow(f: CanonicalFlow): boolean;
  ownsGroup(id: number): boolean;
}

const KEEP_ERRORS = 100;

export class FlowSync {
  private readonly desiredFlows = new Map<string, Flow>();
  /** key → the add line written (or the flow whose add failed, to delete it all the same). */
  private readonly appliedFlows = new Map<string, { line: string; flow: Flow; ok: boolean }>();
  private readonly desiredGroups = new Map<number, Group>();
  private readonly appliedGroups = new Map<number, string>();
  private readonly dirtyFlows = new Set<string>();
  private readonly dirtyGroups = new Set<number>();
  private running: Promise<void> = Promise.resolve();
  private next: Promise<void> | undefined;
  private scheduled = false;
  readonly errors: FlowError[] = [];
  /** Flow and group lines written, writes done (looking glass, benchmarks). */
  readonly stats = { lines: 0, writes: 0 };
  lastReconcile: ReconcileResult | undefined;
  /** The last read of the bridge (looking glass): our installed flows with counters, and their difference with the desired state. */
  lastAudit: { readonly time: number; readonly flows: readonly CanonicalFlow[]; readonly diff: ReconcileResult } | undefined;
  private auditing: Promise<void> | undefined;

  constructor(
    readonly ofctl: Ofctl,
    private readonly scope: FlowScope,
    private readonly log: Logger,
  ) {}

  // ---- desired state ----

  setFlow(f: Flow): void {
    const k = flowKey(f);
    this.desiredFlows.set(k, f);
    this.dirtyFlows.add(k);
  }

  deleteFlow(f: Pick<Flow, 'table' | 'priority' | 'match'>): void {
    const k = flowKey(f);
    if (this.desiredFlows.delete(k) || this.appliedFlows.has(k)) this.dirtyFlows.add(k);
  }

  hasFlow(f: Pick<Flow, 'table' | 'priority' | 'match'>): boolean {
    return this.desiredFlows.has(flowKey(f));
  }

  setGroup(g: Group): void {
    this.desiredGroups.set(g.id, g);
    this.dirtyGroups.add(g.id);
  }

  deleteGroup(id: number): void {
    if (this.desiredGroups.delete(id) || this.appliedGroups.has(id)) this.dirtyGroups.add(id);
  }

  flows(): Flow[] {
    return [...this.desiredFlows.values()];
  }

  groups(): Group[] {
    return [...this.desiredGroups.values()];
  }

  get pending(): number {
    return this.dirtyFlows.size + this.dirtyGroups.size;
  }

  // ---- writing ----

  /** Writes every change made so far; resolves when they are on the bridge (or recorded as errors). */
  flush(): Promise<void> {
    if (this.next) return this.next;
    const next = this.running.then(() => {
      this.next = undefined;
      return this.write();
    });
    this.next = next;
    this.running = next.catch(() => undefined);
    return next;
  }

  /** A flush soon, without waiting for it (route-driven changes): bursts end up in one write. */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush().catch((e: unknown) => this.log.log('error', `OVS flow write failed: ${String(e)}`));
    });
  }

  private async write(): Promise<void> {
    if (this.dirtyFlows.size === 0 && this.dirtyGroups.size === 0) return;
    const groupAdds: { id: number; line: string }[] = [];
    const groupDeletes: number[] = [];
    for (const id of this.dirtyGroups) {
      const g = this.desiredGroups.get(id);
      if (g) {
        const line = groupAddLine(g);
        if (this.appliedGroups.get(id) !== line) groupAdds.push({ id, line });
      } else if (this.appliedGroups.has(id)) groupDeletes.push(id);
    }
    const flowLines: { key: string; line: string; flow: Flow | undefined }[] = [];
    for (const key of this.dirtyFlows) {
      const f = this.desiredFlows.get(key);
      const applied = this.appliedFlows.get(key);
      if (f) {
        const line = flowAddLine(f);
        if (applied?.line !== line || !applied.ok) flowLines.push({ key, line, flow: f });
      } else if (applied) flowLines.push({ key, line: flowDeleteLine(applied.flow), flow: undefined });
    }
    this.dirtyFlows.clear();
    this.dirtyGroups.clear();
    this.stats.writes++;

    const groupFailures = await this.apply(
      (lines) => this.ofctl.groups(lines),
      groupAdds.map((g) => g.line),
    );
    for (const g of groupAdds) {
      if (groupFailures.has(g.line)) this.appliedGroups.delete(g.id);
      else this.appliedGroups.set(g.id, g.line);
    }
    const flowFailures = await this.apply(
      (lines) => this.ofctl.flows(lines),
      flowLines.map((f) => f.line),
    );
    for (const f of flowLines) {
      const failed = flowFailures.has(f.line);
      if (f.flow) this.appliedFlows.set(f.key, { line: f.line, flow: f.flow, ok: !failed });
      else if (!failed) this.appliedFlows.delete(f.key);
    }
    const deleteFailures = await this.apply(
      (lines) => this.ofctl.groups(lines),
      groupDeletes.map(groupDeleteLine),
    );
    for (const id of groupDeletes) if (!deleteFailures.has(groupDeleteLine(id))) this.appliedGroups.delete(id);
  }

  /** Applies lines in one process; on failure, halves until the faulty lines are known. */
  private async apply(run: (lines: readonly string[]) => Promise<void>, lines: readonly string[]): Promise<Map<string, string>> {
    const failures = new Map<string, string>();
    if (lines.length === 0) return failures;
    try {
      await run(lines);
      this.stats.lines += lines.length;
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      if (lines.length === 1) {
        failures.set(lines[0]!, error);
        this.recordError(lines[0]!, error);
      } else {
        const half = Math.ceil(lines.length / 2);
        for (const [l, err] of await this.apply(run, lines.slice(0, half))) failures.set(l, err);
        for (const [l, err] of await this.apply(run, lines.slice(half))) failures.set(l, err);
      }
    }
    return failures;
  }

  private recordError(line: string, error: string): void {
    this.log.log('error', `OVS ${this.ofctl.bridge}: '${line}' failed: ${error}`);
    this.errors.push({ time: new Date().toISOString(), line, error });
    if (this.errors.length > KEEP_ERRORS) this.errors.splice(0, this.errors.length - KEEP_ERRORS);
  }

  // ---- installed state ----

  /** The bridge against the desired flows (diff-flows reads them from a file, without verbs). */
  private async diff(): Promise<{ extra: CanonicalFlow[]; missing: number }> {
    const dir = mkdtempSync(join(tmpdir(), 'bagpipe-ovs-'));
    try {
      const file = join(dir, 'desired.flows');
      writeFileSync(file, [...this.desiredFlows.values()].map((f) => flowAddLine(f).slice('add '.length)).join('\n') + '\n');
      const out = await this.ofctl.diffFlows(file);
      const plus: CanonicalFlow[] = [];
      const minus = new Set<string>();
      for (const line of out.split('\n')) {
        const f = line.length > 1 ? parseDiffFlow(line.slice(1)) : undefined;
        if (!f) continue;
        if (line.startsWith('-')) minus.add(identity(f));
        else if (line.startsWith('+') && this.scope.ownsFlow(f)) plus.push(f);
      }
      // A flow whose actions or cookie differ is printed on both sides: written again, not extra.
      return { extra: plus.filter((f) => !minus.has(identity(f))), missing: minus.size };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /**
   * Compares the bridge with the desired state; unless `dryRun`, deletes what is ours but not
   * desired and writes again what is missing or different (all desired flows: OVS keeps the
   * counters of the flows it already had).
   */
  reconcile(dryRun = false): Promise<ReconcileResult> {
    // In the write chain: no write of ours runs between the comparison and the deletions.
    const p = this.running.then(() => this.doReconcile(dryRun));
    this.running = p.then(
      () => undefined,
      () => undefined,
    );
    return p;
  }

  /**
   * Reads the bridge back: our installed flows (with their counters) and a dry-run comparison
   * with the desired state. The looking glass is synchronous: it shows the last audit and asks
   * for a new one when it is older than `maxAgeMs` (so a second read is fresh).
   */
  auditIfOlder(maxAgeMs: number): void {
    if (this.auditing || (this.lastAudit && Date.now() - this.lastAudit.time < maxAgeMs)) return;
    this.auditing = this.audit()
      .catch((e: unknown) => this.log.log('warning', `OVS ${this.ofctl.bridge}: reading the flows back failed: ${String(e)}`))
      .finally(() => (this.auditing = undefined));
  }

  /** Reads the bridge back now (see auditIfOlder). */
  async audit(): Promise<void> {
    const diff = await this.reconcile(true);
    const flows = parseDump(await this.ofctl.dumpFlows()).filter((f) => this.scope.ownsFlow(f));
    this.lastAudit = { time: Date.now(), flows, diff };
  }

  private async doReconcile(dryRun: boolean): Promise<ReconcileResult> {
    await this.write();
    const { extra, missing } = await this.diff();
    const installedGroups = parseGroups(await this.ofctl.dumpGroups());
    const extraGroups = [...installedGroups.keys()].filter((id) => !this.desiredGroups.has(id) && this.scope.ownsGroup(id));
    const missingGroups = [...this.desiredGroups.keys()].filter((id) => !installedGroups.has(id));
    const result: ReconcileResult = {
      time: new Date().toISOString(),
      extraFlows: extra.map(canonicalText),
      missingFlows: missing,
      extraGroups,
      missingGroups,
    };
    if (dryRun) return result;
    for (const id of missingGroups) {
      this.appliedGroups.delete(id);
      this.dirtyGroups.add(id);
    }
    if (missing > 0) {
      for (const [k, a] of this.appliedFlows) this.appliedFlows.set(k, { ...a, ok: false });
      for (const k of this.desiredFlows.keys()) this.dirtyFlows.add(k);
    }
    await this.write();
    await this.apply(
      (lines) => this.ofctl.flows(lines),
      extra.map(canonicalDeleteLine),
    );
    await this.apply(
      (lines) => this.ofctl.groups(lines),
      extraGroups.map(groupDeleteLine),
    );
    this.lastReconcile = result;
    return result;
  }
}

function identity(f: CanonicalFlow): string {
  return [f.table, f.priority, ...f.match].join(',');
}

/** A driver's `flow_state` in the looking glass (docs/dataplane-ovs.md): what it wants, wrote, found. */
export function flowStateView(sync: FlowSync): Record<string, unknown> {
  return {
    desired_flows: sync.flows().length,
    desired_groups: sync.groups().length,
    pending_changes: sync.pending,
    lines_written: sync.stats.lines,
    writes: sync.stats.writes,
    ofctl_processes: sync.ofctl.processes,
    last_reconcile: sync.lastReconcile ?? null,
    installed: auditView(sync),
    errors: sync.errors,
  };
}

/** Desired against installed for the looking glass, from the last read of the bridge (asked for when older than 2 s). */
function auditView(sync: FlowSync): Record<string, unknown> {
  sync.auditIfOlder(2000);
  const a = sync.lastAudit;
  if (!a) return { not_read_yet: true };
  return {
    read_at: new Date(a.time).toISOString(),
    flows_of_ours: a.flows.length,
    missing_flows: a.diff.missingFlows,
    extra_flows: a.diff.extraFlows,
    missing_groups: a.diff.missingGroups,
    extra_groups: a.diff.extraGroups,
  };
}
