/**
 * Privileged commands of the client tools (rest-attach's namespace and OVS set-up), run behind
 * `[COMMON] root_helper` (`sudo` by default; empty when already root) as the original does, by
 * the dataplane's one-shot runner (dataplane/exec/command.ts).
 *
 * Commands are argument vectors, not shell strings: names come from the command line. A failure
 * the original tolerates prints its warning line (`[WARNI]  Exit code 1 when running '…'`, the
 * original's log format); any other failure throws CommandError.
 */
import { CommandError, failureText, runCommand, type CommandResult } from '../../dataplane/exec/command.js';
import { RootHelper } from '../../dataplane/exec/root-helper.js';

export interface RunOptions {
  /** Exit codes that are success (default [0]). */
  readonly acceptable?: readonly number[];
  /** Warn instead of throwing when the exit code is not acceptable. */
  readonly tolerateFailure?: boolean;
}

export class PrivilegedRunner {
  private readonly helper: RootHelper;

  constructor(
    rootHelper: string,
    private readonly warn: (line: string) => void,
    private readonly timeoutMs = 60_000,
  ) {
    this.helper = new RootHelper(rootHelper);
  }

  async run(command: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    const argv = this.helper.argv(command);
    try {
      return await runCommand(argv, { acceptable: options.acceptable, timeoutMs: this.timeoutMs });
    } catch (e) {
      if (!(e instanceof CommandError) || options.tolerateFailure !== true) throw e;
      this.warn(`[WARNI]  ${failureText(e.result.status, argv)}`);
      return e.result;
    }
  }
}
