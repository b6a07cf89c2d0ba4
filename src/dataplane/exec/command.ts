/**
 * One-shot commands of the dataplane drivers (spec dataplane.md §1): reads of the kernel state
 * (`ip -json link show`, `bridge -json fdb show`…) and the rare one-time set-up steps. Entries
 * are never programmed one process per entry: that is the batch runner's job (batch-runner.ts).
 * The client tools run their privileged commands here too (cli/client/privileged-command.ts).
 *
 * A non-zero exit status is an error unless the caller lists it as acceptable (the original's
 * "rc 0/1 ok"); the error carries the command line and the first line of its stderr.
 */
import { execFile } from 'node:child_process';

export interface CommandResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    message: string,
    readonly result: CommandResult,
  ) {
    super(message);
  }
}

export interface CommandOptions {
  /** Exit statuses that are success (default [0]). */
  readonly acceptable?: readonly number[];
  readonly timeoutMs?: number;
}

/** `Exit code <status> when running '<command line>'[: <first line of stderr>]` (the original's words). */
export function failureText(status: number, argv: readonly string[], stderr = ''): string {
  const why = stderr.trim().split('\n')[0] ?? '';
  return `Exit code ${status} when running '${argv.join(' ')}'${why ? `: ${why}` : ''}`;
}

/** Runs argv[0] with the other words as arguments; resolves with its result or throws CommandError. */
export function runCommand(argv: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  const [cmd, ...args] = argv;
  if (cmd === undefined) return Promise.reject(new Error('empty command'));
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: options.timeoutMs ?? 30_000, maxBuffer: 256 << 20, encoding: 'utf8' }, (err, stdout, stderr) => {
      // A missing program is what a shell reports as 127; a timeout or a signal is a failure too.
      // Node's message stands for stderr only when the program did not exit (it would repeat
      // the command line otherwise).
      let status = 0;
      if (err) status = typeof err.code === 'number' ? err.code : err.code === 'ENOENT' ? 127 : 128;
      const result = { status, stdout, stderr: stderr || (err && typeof err.code !== 'number' ? err.message : '') };
      if ((options.acceptable ?? [0]).includes(status)) resolve(result);
      else reject(new CommandError(failureText(status, argv, result.stderr), result));
    });
  });
}
