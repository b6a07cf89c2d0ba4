/**
 * `ovs-ofctl` against one bridge (spec dataplane.md §1): `ovs-ofctl -O <protocol> <verb>
 * <bridge> …` behind the root helper. Flows and groups are always written in batches, from stdin
 * (`add-flows <bridge> -`, `add-groups <bridge> -`, one line per flow or group with its verb),
 * never one process per flow: the issue measured about 70 flows/s one process per flow and about
 * 11,000/s in a batch.
 *
 * Flow batches are OpenFlow bundles (`--bundle`): all of the batch or nothing, so that a batch
 * that fails can be split to find the lines at fault without leaving half of it applied.
 *
 * ovs-ofctl finds the bridge's management socket in OVS_RUNDIR (inherited from the daemon's
 * environment), as Neutron's helpers do. Like them, a socket that cannot be reached is retried
 * (10 times, 1 s apart); any other failure is reported to the caller.
 */
import { spawn } from 'node:child_process';
import { failureText } from '../exec/command.js';
import type { RootHelper } from '../exec/root-helper.js';

export class OfctlError extends Error {
  override readonly name = 'OfctlError';
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
  }
}

export interface OfctlResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** What ovs-ofctl prints when the switch's socket is not there (yet). */
const UNREACHABLE = /is not a bridge or a socket|failed to connect to|Connection refused/;

function runWithInput(argv: readonly string[], input: string | undefined, timeoutMs: number): Promise<OfctlResult> {
  const [cmd, ...args] = argv;
  return new Promise((resolve) => {
    const child = spawn(cmd!, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdin.on('error', () => undefined);
    child.once('error', (e) => {
      clearTimeout(timer);
      resolve({ status: 127, stdout: '', stderr: e.message });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ status: code ?? (signal ? 128 : 0), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(input ?? '');
  });
}

export interface OfctlOptions {
  readonly protocol?: string;
  readonly retries?: number;
  readonly retryDelayMs?: number;
  readonly timeoutMs?: number;
}

export class Ofctl {
  readonly protocol: string;
  /** Processes started (tests and the looking glass count them). */
  processes = 0;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly rootHelper: RootHelper,
    readonly bridge: string,
    options: OfctlOptions = {},
  ) {
    this.protocol = options.protocol ?? 'OpenFlow15';
    this.retries = options.retries ?? 10;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  /** The command line of a verb (root helper included). */
  argv(verb: string, args: readonly string[] = [], flags: readonly string[] = []): string[] {
    return this.rootHelper.argv(['ovs-ofctl', '-O', this.protocol, ...flags, verb, this.bridge, ...args]);
  }

  /** Runs a verb; stdin from `input`. Throws OfctlError on failure (after retrying an unreachable switch). */
  async run(verb: string, args: readonly string[] = [], input?: string, flags: readonly string[] = []): Promise<string> {
    const argv = this.argv(verb, args, flags);
    for (let attempt = 0; ; attempt++) {
      this.processes++;
      const r = await runWithInput(argv, input, this.timeoutMs);
      if (r.status === 0) return r.stdout;
      if (attempt < this.retries && UNREACHABLE.test(r.stderr)) {
        await new Promise((res) => setTimeout(res, this.retryDelayMs));
        continue;
      }
      throw new OfctlError(failureText(r.status, argv, r.stderr), r.stderr);
    }
  }

  /** Flow lines (`add …` / `delete_strict …`) in one bundle. */
  async flows(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    await this.run('add-flows', ['-'], lines.join('\n') + '\n', ['--bundle']);
  }

  /** Group lines (`add_or_mod …` / `delete …`) in one process. */
  async groups(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    await this.run('add-groups', ['-'], lines.join('\n') + '\n', ['--bundle']);
  }

  /** Deletes the flows matching (non strict, any priority) `match`. */
  async deleteFlows(match: string): Promise<void> {
    await this.run('del-flows', [match]);
  }

  dumpFlows(filter?: string, names = false): Promise<string> {
    return this.run('dump-flows', filter === undefined ? [] : [filter], undefined, names ? ['--names'] : []);
  }

  dumpGroups(): Promise<string> {
    return this.run('dump-groups');
  }

  /**
   * `ovs-ofctl diff-flows <file> <bridge>`: the flows of the file missing on the bridge (`-`
   * lines) and the bridge's flows not in the file (`+`), both in OVS's canonical text, so that
   * no text of ours has to match OVS's normalisation.
   */
  async diffFlows(file: string): Promise<string> {
    const argv = this.rootHelper.argv(['ovs-ofctl', '-O', this.protocol, 'diff-flows', file, this.bridge]);
    this.processes++;
    const r = await runWithInput(argv, undefined, this.timeoutMs);
    // Exit status 2: the sources differ.
    if (r.status === 0 || r.status === 2) return r.stdout;
    throw new OfctlError(failureText(r.status, argv, r.stderr), r.stderr);
  }
}
