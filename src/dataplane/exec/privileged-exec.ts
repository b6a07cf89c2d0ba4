/**
 * What a dataplane driver runs, all behind the root helper: one-shot commands (reads of the
 * kernel state, rare set-up steps) and two long-lived batch processes, `ip` and `bridge`, for
 * everything programmed per entry. Shared by the drivers of one daemon or created per driver.
 */
import type { Logger } from '../../util/logger.js';
import { BatchRunner } from './batch-runner.js';
import { runCommand, type CommandOptions, type CommandResult } from './command.js';
import type { RootHelper } from './root-helper.js';

export class PrivilegedExec {
  /** `ip -force -batch -`. */
  readonly ip: BatchRunner;
  /** `bridge -force -batch -`. */
  readonly bridge: BatchRunner;
  /** One-shot commands run so far (tests and the looking glass count them). */
  commandsRun = 0;

  constructor(
    readonly rootHelper: RootHelper,
    private readonly log?: Logger,
  ) {
    this.ip = new BatchRunner(rootHelper.argv(['ip']), log);
    this.bridge = new BatchRunner(rootHelper.argv(['bridge']), log);
  }

  /** A privileged one-shot command. */
  run(command: readonly string[], options?: CommandOptions): Promise<CommandResult> {
    this.commandsRun++;
    this.log?.log('debug', `running ${this.rootHelper.argv(command).join(' ')}`);
    return runCommand(this.rootHelper.argv(command), options);
  }

  /** A privileged command printing JSON (`ip -json …`); empty output is an empty list. */
  async json<T>(command: readonly string[]): Promise<T[]> {
    const out = (await this.run(command)).stdout.trim();
    return out === '' ? [] : (JSON.parse(out) as T[]);
  }

  /** Ends the batch processes. */
  async close(): Promise<void> {
    await Promise.all([this.ip.close(), this.bridge.close()]);
  }
}
