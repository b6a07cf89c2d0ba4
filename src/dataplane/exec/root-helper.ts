/**
 * Privileged command lines (spec dataplane.md §1, config.md §1.3): every privileged command runs
 * as `<[COMMON] root_helper> <command>` (`sudo` by default; empty when the daemon already runs as
 * root). Commands are argument vectors, never shell strings: interface names come from API input.
 *
 * `[COMMON] root_helper_daemon` (an oslo.rootwrap daemon) is not spoken here: as the spec allows,
 * a warning is logged once and `root_helper` is used instead.
 */
import type { Logger } from '../../util/logger.js';

export interface RootHelperConfig {
  readonly root_helper: string;
  readonly root_helper_daemon: string | null;
}

export class RootHelper {
  /** The prefix words (none when empty). */
  readonly prefix: readonly string[];

  constructor(rootHelper: string) {
    this.prefix = rootHelper.split(/\s+/).filter((w) => w !== '');
  }

  /** From the [COMMON] options; warns about root_helper_daemon. */
  static fromConfig(common: RootHelperConfig, log?: Logger): RootHelper {
    if (common.root_helper_daemon) {
      log?.log('warning', `[COMMON] root_helper_daemon is not supported: privileged commands run through root_helper '${common.root_helper}'`);
    }
    return new RootHelper(common.root_helper);
  }

  /** The full argument vector of a privileged command. */
  argv(command: readonly string[]): string[] {
    return [...this.prefix, ...command];
  }
}
