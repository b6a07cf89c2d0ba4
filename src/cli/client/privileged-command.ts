/**
 * Privileged commands of the client tools (rest-attach's namespace and OVS set-up), run behind
 * `[COMMON] root_helper` (`sudo` by default; empty when already root) as the original does.
 *
 * Commands are argument vectors, not shell strings: names come from the command line. A failure
 * the original tolerates prints its warning line (`[WARNI]  Exit code 1 when running '…'`, the
 * original's log format); any other failure throws CommandError.
 */
import { spawnSync } from 'node:child_process';

export class CommandError extends Error {}

export interface CommandResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Exit codes that are success (default [0]). */
  readonly acceptable?: readonly number[];
  /** Warn instead of throwing when the exit code is not acceptable. */
  readonly tolerateFailure?: boolean;
}

export class PrivilegedRunner {
  private readonly helper: string[];

  constructor(
    rootHelper: string,
    private readonly warn: (line: string) => void,
    private readonly timeoutMs = 60_000,
  ) {
    this.helper = rootHelper.split(/\s+/).filter((w) => w !== '');
  }

  run(command: readonly string[], options: RunOptions = {}): CommandResult {
    const argv = [...this.helper, ...command];
    const shown = argv.join(' ');
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: this.timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
    // A missing program is what a shell reports as 127; a timeout is a failure too.
    const status = r.error !== undefined ? 127 : (r.status ?? 128);
    const result = { status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error?.message ?? '') };
    if ((options.acceptable ?? [0]).includes(status)) return result;
    const message = `Exit code ${status} when running '${shown}'`;
    if (options.tolerateFailure === true) {
      this.warn(`[WARNI]  ${message}`);
      return result;
    }
    const why = (result.stderr.trim() || r.error?.message || '').split('\n')[0];
    throw new CommandError(why ? `${message}: ${why}` : message);
  }
}
