/**
 * A long-lived `ip -force -batch -` or `bridge -force -batch -` process fed line by line, with the
 * outcome of every line (issue 5: one process per FDB entry manages about 400 entries/s, a batch
 * process about 100,000/s).
 *
 * How a line's outcome is known: iproute2 in batch mode reports each failed line on its
 * (unbuffered) stderr as `Command failed -:<line number>`, after the error text of that line, and
 * with `-force` goes on with the next line. After each chunk of lines the runner writes a marker
 * line naming an object iproute2 does not know: it fails at once, without a kernel call, and its
 * `Command failed -:<n>` says that every line before it has been processed. Lines of the chunk not
 * reported as failed succeeded.
 *
 * When the process dies (some iproute2 argument errors exit instead of returning), the lines of
 * the chunks in flight whose outcome is unknown are reported as failed with the exit reason: the
 * drivers read the installed state back before deciding anything, so a line reported failed
 * although it was applied is only retried. The next chunk starts a new process.
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
  /** Line number (1-based, in the current process) of the chunk's first line. */
  readonly first: number;
  /** Line number of the chunk's marker. */
  readonly marker: number;
  readonly failures: Map<number, string>;
  readonly resolve: (r: BatchLineResult[]) => void;
  timer?: NodeJS.Timeout;
}

const MARKER = 'bagpipe-batch-marker';
const FAILED = /^Command failed -:(\d+)$/;

/** Characters iproute2's batch parser would read as syntax (quotes, comments, continuations). */
const UNSAFE = /["'#\\\n\r]/;

export class BatchLineError extends Error {
  override readonly name = 'BatchLineError';
}

export class BatchRunner {
  private proc: ChildProcess | undefined;
  private lineNo = 0;
  private readonly inFlight: Chunk[] = [];
  private errorText: string[] = [];
  private stderrRest = '';
  /** Processes started (the first one and every restart after a death). */
  starts = 0;

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
    if (lines.length === 0) return Promise.resolve([]);
    const proc = this.process();
    const first = this.lineNo + 1;
    this.lineNo += lines.length + 1;
    return new Promise((resolve) => {
      const chunk: Chunk = { lines, first, marker: this.lineNo, failures: new Map(), resolve };
      chunk.timer = setTimeout(() => {
        this.log?.log('error', `${this.argv.join(' ')} -batch: no answer after ${this.chunkTimeoutMs} ms, killing it`);
        proc.kill('SIGKILL');
      }, this.chunkTimeoutMs);
      this.inFlight.push(chunk);
      proc.stdin!.write(lines.join('\n') + `\n${MARKER}\n`);
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

  private process(): ChildProcess {
    if (this.proc) return this.proc;
    const [cmd, ...args] = this.argv;
    const p = spawn(cmd!, [...args, '-force', '-batch', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.starts++;
    this.proc = p;
    this.lineNo = 0;
    this.errorText = [];
    this.stderrRest = '';
    // Nothing we send prints on stdout, but a full pipe would block the process.
    p.stdout.resume();
    p.stderr.setEncoding('utf8');
    p.stderr.on('data', (s: string) => this.onStderr(s));
    // EPIPE after a death is handled by the exit handler.
    p.stdin.on('error', () => undefined);
    const died = (why: string): void => {
      if (this.proc !== p) return;
      this.proc = undefined;
      this.failInFlight(why);
    };
    p.once('error', (e) => died(`cannot run ${this.argv.join(' ')}: ${e.message}`));
    p.once('exit', (code, signal) => died(`${this.argv.join(' ')} -batch exited (${signal ?? `status ${code}`})`));
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
      const n = Number(m[1]);
      const why = this.errorText.join('; ') || 'failed';
      this.errorText = [];
      const chunk = this.inFlight.find((c) => n >= c.first && n <= c.marker);
      if (!chunk) continue;
      if (n < chunk.marker) chunk.failures.set(n, why);
      else {
        this.inFlight.splice(this.inFlight.indexOf(chunk), 1);
        this.finish(chunk, undefined);
      }
    }
  }

  private failInFlight(why: string): void {
    const detail = this.errorText.length > 0 ? `${why}: ${this.errorText.join('; ')}` : why;
    this.log?.log('warning', detail);
    for (const c of this.inFlight.splice(0)) this.finish(c, detail);
  }

  /** Resolves a chunk; `died`: lines without a reported failure have an unknown outcome. */
  private finish(c: Chunk, died: string | undefined): void {
    clearTimeout(c.timer);
    c.resolve(
      c.lines.map((line, i) => {
        const error = c.failures.get(c.first + i) ?? died;
        return error === undefined ? { line, ok: true } : { line, ok: false, error };
      }),
    );
  }
}
