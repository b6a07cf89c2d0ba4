/**
 * A long-lived `ip -force -batch -` or `bridge -force -batch -` process fed line by line, with the
 * outcome of every line (issue 5: one process per FDB entry manages about 400 entries/s, a batch
 * process about 100,000/s).
 *
 * How a line's outcome is known: iproute2 in batch mode reports each failed line on its
 * (unbuffered) stderr as `Command failed -:<line number>`, after the error text of that line, and
 * with `-force` goes on with the next line. After every line the runner writes a marker line
 * naming an object iproute2 does not know: it fails at once, without a kernel call, and its
 * `Command failed -:<n>` says that the line before it has been processed. A line followed by
 * its marker without a failure of its own succeeded.
 *
 * Some iproute2 errors exit instead of returning (`ip neigh` exits on any kernel refusal,
 * argument errors exit too). The line after the last acknowledged one is then the one that
 * killed the process: it fails with iproute2's text and the exit status, and the lines after it
 * are sent again to a new process, so one bad entry never holds back the others.
 *
 * iproute2 caches interface names → indexes for the life of the process: a device deleted and
 * re-created under the same name (a port re-plugged, a VXLAN device re-created) then resolves to
 * an index that no longer exists. A line failing that way is run once more in a fresh process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../../util/logger.js';

export interface BatchLineResult {
  readonly line: string;
  readonly ok: boolean;
  /** iproute2's error text ("RTNETLINK answers: File exists"), when it failed. */
  readonly error?: string;
}

interface Chunk {
  readonly lines: readonly string[];
  readonly results: (BatchLineResult | undefined)[];
  done: number;
  readonly resolve: (r: BatchLineResult[]) => void;
  timer?: NodeJS.Timeout;
}

/** A line written to the current process, not acknowledged yet. */
interface Sent {
  readonly chunk: Chunk;
  readonly index: number;
}

const MARKER = 'bagpipe-batch-marker';
/** Errors of a name resolved to a stale (cached) interface index, or of a device really missing. */
const NAME_ERROR = /Cannot find device|unknown ifindex|does not exist|No such device/;
const FAILED = /^Command failed -:(\d+)$/;

/** Characters iproute2's batch parser would read as syntax (quotes, comments, continuations). */
const UNSAFE = /["'#\\\n\r]/;

export class BatchLineError extends Error {
  override readonly name = 'BatchLineError';
}

export class BatchRunner {
  private proc: ChildProcess | undefined;
  /** Lines written to the current process and not acknowledged, in order. */
  private sent: Sent[] = [];
  /** Lines of the current process acknowledged so far (the position of sent[0]). */
  private acked = 0;
  private errorText: string[] = [];
  private stderrRest = '';
  /** Processes started (the first one and every restart after a death). */
  starts = 0;
  /** The current process's name cache may be stale: replace it when idle. */
  private recycle = false;

  /**
   * @param argv the batch command without `-force -batch -`, root helper included
   *   (e.g. `['sudo', 'bridge']`).
   */
  constructor(
    private readonly argv: readonly string[],
    private readonly log?: Logger,
    private readonly chunkTimeoutMs = 60_000,
  ) {}

  /** Rejects lines iproute2 would not read as one plain command. */
  static check(line: string): void {
    if (line.trim() === '' || UNSAFE.test(line)) throw new BatchLineError(`not a plain iproute2 batch line: ${JSON.stringify(line)}`);
  }

  /** Runs the lines in order; resolves with one result per line (never rejects for a failed line). */
  run(lines: readonly string[]): Promise<BatchLineResult[]> {
    for (const l of lines) BatchRunner.check(l);
    return this.runRecovering(lines);
  }

  /** Lines that failed on an interface name are run once more, in a fresh process. */
  private async runRecovering(lines: readonly string[]): Promise<BatchLineResult[]> {
    const results = await this.runOnce(lines);
    const again = results.flatMap((r, k) => (!r.ok && NAME_ERROR.test(r.error ?? '') ? [k] : []));
    if (again.length === 0) return results;
    this.recycle = true;
    const second = await this.runOnce(again.map((k) => lines[k]!));
    again.forEach((k, j) => (results[k] = second[j]!));
    return results;
  }

  private runOnce(lines: readonly string[]): Promise<BatchLineResult[]> {
    if (lines.length === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      const chunk: Chunk = { lines, results: new Array<BatchLineResult | undefined>(lines.length), done: 0, resolve };
      chunk.timer = setTimeout(() => {
        this.log?.log('error', `${this.argv.join(' ')} -batch: no answer after ${this.chunkTimeoutMs} ms, killing it`);
        this.proc?.kill('SIGKILL');
      }, this.chunkTimeoutMs);
      this.send(lines.map((_, index) => ({ chunk, index })));
    });
  }

  /** Ends the process (stdin closed) and waits for it. */
  async close(): Promise<void> {
    const p = this.proc;
    if (!p) return;
    await new Promise<void>((resolve) => {
      if (p.exitCode !== null || p.signalCode !== null) return resolve();
      p.once('exit', () => resolve());
      p.stdin!.end();
    });
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  private send(items: readonly Sent[]): void {
    if (items.length === 0) return;
    if (this.recycle && this.sent.length === 0) {
      // Idle: end the process whose name cache may be stale (its exit is not a death).
      const old = this.proc;
      this.proc = undefined;
      old?.stdin!.end();
      this.recycle = false;
    }
    const proc = this.process();
    if (!proc) return;
    this.sent.push(...items);
    proc.stdin!.write(items.map((s) => `${s.chunk.lines[s.index]}\n${MARKER}\n`).join(''));
  }

  private process(): ChildProcess | undefined {
    if (this.proc) return this.proc;
    const [cmd, ...args] = this.argv;
    const p = spawn(cmd!, [...args, '-force', '-batch', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.starts++;
    this.proc = p;
    this.acked = 0;
    this.errorText = [];
    this.stderrRest = '';
    // Nothing we send prints on stdout, but a full pipe would block the process.
    p.stdout.resume();
    p.stderr.setEncoding('utf8');
    p.stderr.on('data', (s: string) => this.onStderr(s));
    // EPIPE after a death is handled by the exit handler.
    p.stdin.on('error', () => undefined);
    p.once('error', (e) => this.died(p, `cannot run ${this.argv.join(' ')}: ${e.message}`, false));
    p.once('exit', (code, signal) => this.died(p, `${this.argv.join(' ')} -batch exited (${signal ?? `status ${code}`})`, true));
    return p;
  }

  private onStderr(s: string): void {
    const text = this.stderrRest + s;
    const lines = text.split('\n');
    this.stderrRest = lines.pop()!;
    for (const l of lines) {
      const m = FAILED.exec(l);
      if (!m) {
        if (l.trim() !== '') this.errorText.push(l.trim());
        continue;
      }
      // Line 2k+1 of the process is the k-th line sent, line 2k+2 its marker.
      const n = Number(m[1]);
      const pos = Math.floor((n - 1) / 2);
      if (n % 2 === 1) {
        const item = this.sent[pos - this.acked];
        if (item) item.chunk.results[item.index] = { line: item.chunk.lines[item.index]!, ok: false, error: this.errorText.join('; ') || 'failed' };
      } else {
        while (this.acked <= pos && this.sent.length > 0) this.ack(this.sent.shift()!, undefined);
      }
      this.errorText = [];
    }
  }

  /** A line processed (or, with `died`, the line that killed the process). */
  private ack(item: Sent, died: string | undefined): void {
    this.acked++;
    const c = item.chunk;
    if (c.results[item.index] === undefined) {
      const line = c.lines[item.index]!;
      c.results[item.index] = died === undefined ? { line, ok: true } : { line, ok: false, error: died };
    }
    if (++c.done === c.lines.length) {
      clearTimeout(c.timer);
      c.resolve(c.results as BatchLineResult[]);
    }
  }

  /**
   * The process is gone. After an exit, the first unacknowledged line killed it and the others
   * go to a new process; when the program cannot even start, every line fails.
   */
  private died(p: ChildProcess, why: string, resend: boolean): void {
    if (this.proc !== p) return;
    this.proc = undefined;
    const detail = this.errorText.length > 0 ? `${this.errorText.join('; ')} (${why})` : why;
    this.errorText = [];
    const pending = this.sent.splice(0);
    if (pending.length === 0) return;
    this.log?.log('warning', `${pending[0]!.chunk.lines[pending[0]!.index]}: ${detail}`);
    if (!resend) {
      for (const item of pending) this.ack(item, detail);
      return;
    }
    this.ack(pending.shift()!, detail);
    this.send(pending);
  }
}
