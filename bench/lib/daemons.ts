/**
 * The two daemons the issue 4 benchmarks compare, as processes started the same way: ours
 * (dist/bin/bagpipe-bgp.js) and the original (/usr/bin/bagpipe-bgp with Debian's
 * /usr/bin/python3), both with the dummy dataplane drivers, their REST API on a loopback address
 * and their log in a file. Each can run under a descriptor limit (prlimit), and reports its
 * resident memory and CPU time from /proc.
 *
 * Processes are started through the scenario harness (test/scenario/harness/process.ts): under
 * `setpriv --pdeathsig KILL`, stopped by PID at teardown.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Daemon, type Teardown } from '../../test/scenario/harness/process.js';
import { commandPath } from '../../src/cli/command-path.js';
import { dummyDaemonConf } from '../../src/cli/demo/daemon-conf.js';
import type { IniValue } from '../../src/config/ini.js';

export const OUR_BIN = commandPath('bagpipe-bgp');
export const ORIGINAL_BIN = '/usr/bin/bagpipe-bgp';
const PYTHON = '/usr/bin/python3';

export type Which = 'ours' | 'original';

export interface DaemonOptions {
  address: string;
  apiPort: number;
  as?: number;
  /** BGP peers ([BGP] peers), with the port they listen on. */
  peers?: string[];
  bgpPort?: number;
  enableRtc?: boolean;
  /** RLIMIT_NOFILE (soft and hard) for the process, e.g. 1024. */
  nofile?: number;
  /** Ours only: [BGP] listen_port (the original never listens). */
  listenPort?: number;
  /** More sections ([BGP_PEER:<address>]…). */
  sections?: Record<string, Record<string, IniValue>>;
}

/** Memory and CPU of a process, from /proc (Linux). */
export interface ProcStats {
  /** Resident set now, bytes (VmRSS). */
  rss: number;
  /** Peak resident set, bytes (VmHWM). */
  peakRss: number;
  /** User + system CPU time, seconds. */
  cpu: number;
  /** System (kernel) CPU time alone, seconds. */
  sys: number;
  /** Private memory (RssAnon): RSS without the pages of the executable and libraries, which
   * every process running them shares. */
  anon: number;
}

export function procStats(pid: number): ProcStats {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  // Fields 14 and 15 of /proc/PID/stat (after the command name in parentheses): utime, stime.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rss: kb('VmRSS'), peakRss: kb('VmHWM'), cpu: ticks / 100, sys: Number(fields[12]) / 100, anon: kb('RssAnon') };
}

/** Open file descriptors of a process (NaN once it is gone). */
export function openFds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return NaN;
  }
}

export class ApiDaemon {
  private constructor(
    readonly which: Which,
    readonly daemon: Daemon,
    readonly url: string,
    readonly logFile: string,
  ) {}

  get pid(): number {
    return this.daemon.pid;
  }

  stats(): ProcStats {
    return procStats(this.pid);
  }

  tail(lines = 30): string {
    let log = '';
    try {
      log = readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      // not written
    }
    return `${this.daemon.tail(lines)}\n--- ${this.which} log ---\n${log}`;
  }

  stop(): Promise<void> {
    return this.daemon.stop('SIGTERM', 10_000);
  }

  /** Starts a daemon and waits until its REST API answers /ping. */
  static async start(which: Which, opts: DaemonOptions, td: Teardown): Promise<ApiDaemon> {
    const dir = td.tempDir(`bench-${which}`);
    const conf = join(dir, 'bgp.conf');
    const logFile = join(dir, `${which}.log`);
    writeFileSync(conf, config(opts));
    // BENCH_NODE_ARGS: extra node options for our daemon, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    const nodeArgs = (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
    const cmd = which === 'ours' ? [process.execPath, ...nodeArgs, OUR_BIN] : [PYTHON, ORIGINAL_BIN];
    const args = [...cmd.slice(1), '--config-file', conf, '--log-file', logFile];
    const d =
      opts.nofile === undefined
        ? Daemon.start(which, cmd[0]!, args, { cwd: dir })
        : Daemon.start(which, 'prlimit', [`--nofile=${opts.nofile}:${opts.nofile}`, '--', cmd[0]!, ...args], { cwd: dir });
    td.daemon(d);
    const url = `http://${opts.address}:${opts.apiPort}`;
    const self = new ApiDaemon(which, d, url, logFile);
    const end = Date.now() + 60_000;
    for (;;) {
      if (!d.alive) throw new Error(`${which} daemon exited\n${self.tail()}`);
      try {
        if ((await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) })).ok) return self;
      } catch {
        // not up yet
      }
      if (Date.now() > end) throw new Error(`${which} daemon: no REST API after 60 s\n${self.tail()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function config(o: DaemonOptions): string {
  return dummyDaemonConf({
    bgp: {
      local_address: o.address,
      peers: o.peers ?? [],
      my_as: o.as ?? 64512,
      enable_rtc: o.enableRtc ?? true,
      bgp_port: o.bgpPort,
      listen_port: o.listenPort,
    },
    api: { host: o.address, port: o.apiPort },
    ...(o.sections ? { sections: o.sections } : {}),
  });
}
