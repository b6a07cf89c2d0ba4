/**
 * Real-peer daemons for the scenario tests: start them, keep their output, stop them by PID, and
 * never leak them. Every child is started under `setpriv --pdeathsig KILL`, so the kernel kills it
 * when the test process dies (even by SIGKILL); children still alive when the process exits
 * normally, or on SIGINT/SIGTERM, are killed too. Missing binaries fail loudly: scenario tests
 * never skip (CI installs everything with scripts/install-deps.sh).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { waitFor } from '../../helpers/wait.js';

const live = new Set<ChildProcess>();

function killAll(): void {
  for (const c of live) {
    try {
      c.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    killAll();
    process.exit(128 + (sig === 'SIGINT' ? 2 : 15));
  });
}

/** The full path of an executable (PATH searched for bare names); throws a clear error when missing. */
export function requireBinary(name: string): string {
  const candidates = name.includes('/') ? [name] : (process.env['PATH'] ?? '').split(delimiter).map((d) => join(d, name));
  for (const p of candidates) {
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  throw new Error(`${name} is not installed: run scripts/install-deps.sh (as root) first`);
}

const PDEATHSIG = requireBinary('setpriv');

export interface StartOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Keep stdin open as a pipe (default: /dev/null). */
  stdin?: boolean;
}

/** One daemon process; its stdout and stderr are kept (the last 256 KiB) for failure messages. */
export class Daemon {
  private out = '';
  readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    live.add(child);
    const keep = (b: Buffer): void => {
      this.out += b.toString();
      if (this.out.length > 262_144) this.out = this.out.slice(-131_072);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        live.delete(child);
        this.exitCode = code ?? (signal ? null : 0);
        resolve(this.exitCode);
      });
      child.once('error', (err) => {
        live.delete(child);
        this.out += `\n[spawn error] ${err.message}\n`;
        this.exitCode = null;
        resolve(null);
      });
    });
  }

  static start(name: string, cmd: string, args: string[], opts: StartOptions = {}): Daemon {
    const bin = requireBinary(cmd);
    const child = spawn(PDEATHSIG, ['--pdeathsig', 'KILL', '--', bin, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    return new Daemon(name, child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }
  get alive(): boolean {
    return this.exitCode === undefined;
  }
  get output(): string {
    return this.out;
  }

  write(line: string): void {
    this.child.stdin?.write(line);
  }

  /**
   * Polls `ready` (waitFor) until it holds; a process that exits first fails at once with its
   * output (`tail`: its own by default), rather than at the timeout.
   */
  async waitReady(what: string, ready: () => boolean | Promise<boolean>, timeoutMs = 15_000, everyMs = 50, tail = (): string => this.tail()): Promise<void> {
    await waitFor(what, () => {
      if (!this.alive) throw new Error(`${this.name} exited\n${tail()}`);
      return ready();
    }, timeoutMs, everyMs);
  }

  /** Signals the process by its PID and waits for it; SIGKILL after `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 3000): Promise<void> {
    if (!this.alive) return;
    try {
      process.kill(this.pid, signal);
    } catch {
      // already gone
    }
    const t = setTimeout(() => {
      if (this.alive) process.kill(this.pid, 'SIGKILL');
    }, graceMs);
    await this.exited;
    clearTimeout(t);
  }

  /** The last lines of output, for assertion messages. */
  tail(lines = 40): string {
    return `--- ${this.name} (pid ${this.pid}) output ---\n${this.out.split('\n').slice(-lines).join('\n')}`;
  }
}

/** A peer's harness around its one daemon (started by its own `start()`): a crash, its PID, its output. */
export abstract class DaemonHarness {
  protected daemon: Daemon | undefined;

  protected constructor(private readonly what: string) {}

  /** Kills the daemon by PID (SIGKILL: no NOTIFICATION, like a crash). */
  async kill(): Promise<void> {
    await this.daemon?.stop('SIGKILL');
  }

  get pid(): number {
    return this.daemon?.pid ?? -1;
  }

  tail(lines = 40): string {
    return this.daemon?.tail(lines) ?? `(${this.what} not started)`;
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (a CLI query), with a timeout. */
export function run(cmd: string, args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunResult> {
  const bin = requireBinary(cmd);
  return new Promise((resolve) => {
    execFile(bin, args, { env: { ...process.env, ...opts.env }, timeout: opts.timeoutMs ?? 10_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr || (err && code !== 0 ? err.message : '') });
    });
  });
}

/** Like run, but throws with the command's output when it fails. */
export async function runOk(cmd: string, args: string[], opts: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Cleanup steps run in reverse order, each one even when an earlier one fails. */
export class Teardown {
  private readonly steps: (() => unknown)[] = [];
  add(step: () => unknown): void {
    this.steps.push(step);
  }
  /** A temporary directory removed at teardown. */
  tempDir(tag: string): string {
    const d = mkdtempSync(join(tmpdir(), `bgp-scenario-${tag}-`));
    this.add(() => rmSync(d, { recursive: true, force: true }));
    return d;
  }
  /** A daemon stopped at teardown. */
  daemon(d: Daemon): Daemon {
    this.add(() => d.stop());
    return d;
  }
  async run(): Promise<void> {
    const errors: unknown[] = [];
    while (this.steps.length > 0) {
      const s = this.steps.pop()!;
      try {
        await s();
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'teardown failed');
  }
}
