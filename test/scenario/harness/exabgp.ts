/**
 * ExaBGP 4.2 as a scripted peer (LAB-NOTES "ExaBGP"): it connects out to our speaker and takes
 * `announce ...` / `withdraw ...` commands through an API process, `cat` of a FIFO the test keeps
 * open for writing. When the test process goes, the FIFO's last writer goes with it, `cat` reads
 * end-of-file and exits, so nothing outlives the test even on a crash. ExaBGP runs as root in the
 * foreground, without its CLI pipes (exabgp.api.cli=false), logging to stderr.
 */
import { closeSync, openSync, writeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Daemon, requireBinary, runOk, type Teardown } from './process.js';

export interface ExaBgpOptions {
  /** ExaBGP's own address (router id and source of the session). */
  address: string;
  /** Our speaker: address and listening port. */
  peer: string;
  peerPort: number;
  as: number;
  /** ExaBGP family lines: "ipv4 mpls-vpn", "ipv4 flow-vpn"... */
  families: string[];
}

export class ExaBgp {
  private daemon: Daemon | undefined;
  private fifoFd: number | undefined;
  private readonly dir: string;

  constructor(
    readonly opts: ExaBgpOptions,
    private readonly teardown: Teardown,
  ) {
    requireBinary('exabgp');
    this.dir = teardown.tempDir('exabgp');
  }

  config(fifo: string): string {
    const o = this.opts;
    return `process feeder {
  run /bin/cat ${fifo};
  encoder text;
}

neighbor ${o.peer} {
  router-id ${o.address};
  local-address ${o.address};
  local-as ${o.as};
  peer-as ${o.as};
  hold-time 180;
  group-updates false;
  connect ${o.peerPort};
  family {
${o.families.map((f) => `    ${f};`).join('\n')}
  }
  api { processes [ feeder ]; }
}
`;
  }

  async start(): Promise<void> {
    const fifo = join(this.dir, 'api.fifo');
    await runOk('mkfifo', [fifo]);
    // Read-write open of a FIFO does not block, and keeps `cat` from seeing end-of-file.
    this.fifoFd = openSync(fifo, 'r+');
    const fd = this.fifoFd;
    this.teardown.add(() => {
      if (this.fifoFd === fd) this.fifoFd = undefined;
      closeSync(fd);
    });
    const conf = join(this.dir, 'exabgp.conf');
    writeFileSync(conf, this.config(fifo));
    const d = Daemon.start('exabgp', 'exabgp', [conf], {
      env: {
        'exabgp.daemon.user': 'root',
        'exabgp.daemon.daemonize': 'false',
        'exabgp.api.cli': 'false',
        'exabgp.log.destination': 'stderr',
        'exabgp.log.level': 'INFO',
      },
      cwd: this.dir,
    });
    this.daemon = this.teardown.daemon(d);
  }

  /** One API command ("announce route ...", "withdraw flow route { ... }"). */
  command(line: string): void {
    if (this.fifoFd === undefined) throw new Error('ExaBGP not started');
    writeSync(this.fifoFd, `${line}\n`);
  }

  get alive(): boolean {
    return this.daemon?.alive ?? false;
  }

  tail(lines = 40): string {
    return this.daemon?.tail(lines) ?? '(exabgp not started)';
  }
}
