/**
 * Standard output of the client commands: written in blocks (the looking glass prints a tree in
 * many small pieces), and a reader that goes away (`bagpipe-looking-glass -r | head`) ends the
 * command quietly instead of with Node's EPIPE stack trace.
 */

let guarded = false;

/** Exit with status 0 when stdout's reader has gone. */
export function exitQuietlyOnBrokenPipe(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    process.stderr.write(`cannot write the output: ${e.message}\n`);
    process.exit(1);
  });
}

/** Collects text and writes it to stdout in blocks of about 64 KiB; call flush() at the end. */
export class BlockWriter {
  private pending: string[] = [];
  private size = 0;

  write(text: string): void {
    this.pending.push(text);
    this.size += text.length;
    if (this.size >= 65_536) this.flush();
  }

  flush(): void {
    if (this.size === 0) return;
    process.stdout.write(this.pending.join(''));
    this.pending = [];
    this.size = 0;
  }
}
