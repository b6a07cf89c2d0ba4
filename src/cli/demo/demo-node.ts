/**
 * One node of the `npm start` demo: a real `bagpipe-bgp` daemon process (dist/bin/
 * bagpipe-bgp.js) with a generated bgp.conf (dummy dataplane drivers, REST API on the node's
 * loopback address, logs in a file), and the few HTTP calls the demo makes to it.
 *
 * The daemon is started with an IPC channel it does not use for anything but noticing that the
 * demo went away (killed without a chance to stop it): it then stops by itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { commandPath } from '../command-path.js';
import { dummyDaemonConf } from './daemon-conf.js';

export const DAEMON = commandPath('bagpipe-bgp');

export interface DemoNodeConfig {
  /** "A" / "B", for the output. */
  readonly label: string;
  readonly address: string;
  readonly apiPort: number;
  /** The BGP port A listens on and B connects to. */
  readonly bgpPort: number;
  readonly peer: string;
  /** Accept the peer's connection (A) or connect to it (B). */
  readonly listen: boolean;
}

/** Is `port` free on `host` right now? */
export function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ host, port }, () => s.close(() => resolve(true)));
  });
}

export function bgpConf(c: DemoNodeConfig): string {
  return dummyDaemonConf({
    bgp: c.listen
      ? { local_address: c.address, my_as: 64512, listen_port: c.bgpPort }
      : { local_address: c.address, my_as: 64512, peers: c.peer, bgp_port: c.bgpPort },
    api: { host: c.address, port: c.apiPort },
    ...(c.listen ? { sections: { [`BGP_PEER:${c.peer}`]: { passive: true } } } : {}),
  });
}

export class DemoNode {
  readonly conf: string;
  readonly logFile: string;
  private child: ChildProcess | undefined;
  private stderr = '';
  private exit: Promise<number | null> | undefined;
  private exited = false;

  constructor(
    readonly cfg: DemoNodeConfig,
    dir: string,
  ) {
    this.conf = join(dir, `${cfg.label.toLowerCase()}.conf`);
    this.logFile = join(dir, `${cfg.label.toLowerCase()}.log`);
    writeFileSync(this.conf, bgpConf(cfg));
  }

  get url(): string {
    return `http://${this.cfg.address}:${this.cfg.apiPort}`;
  }
  get pid(): number | undefined {
    return this.child?.pid;
  }
  get running(): boolean {
    return this.child !== undefined && !this.exited;
  }

  start(): void {
    const child = spawn(process.execPath, [DAEMON, '--config-file', this.conf, '--log-file', this.logFile], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.child = child;
    child.stderr?.on('data', (b: Buffer) => (this.stderr += b.toString()));
    this.exit = new Promise((resolve) => {
      child.once('exit', (code) => {
        this.exited = true;
        resolve(code);
      });
    });
  }

  /** Calls fn when the daemon exits (whatever the reason). */
  onExit(fn: () => void): void {
    void this.exit?.then(fn);
  }

  /** The end of the daemon's log and what it wrote on stderr (for failure messages). */
  tail(lines = 15): string {
    let log = '';
    try {
      log = readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      // not written yet
    }
    return `--- node ${this.cfg.label} (${this.logFile}) ---\n${log}${this.stderr}`;
  }

  async get<T>(path: string): Promise<T> {
    if (!this.running) throw new Error(`node ${this.cfg.label}'s daemon exited\n${this.tail()}`);
    const r = await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(5000) });
    if (!r.ok) throw new Error(`GET ${path} on node ${this.cfg.label}: HTTP ${r.status}`);
    return (await r.json()) as T;
  }

  async attach(body: Record<string, unknown>): Promise<void> {
    const r = await fetch(`${this.url}/attach_localport`, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
    if (!r.ok) throw new Error(`attach on node ${this.cfg.label}: HTTP ${r.status} ${await r.text()}`);
  }

  /** SIGTERM (the daemon withdraws its routes, sends a Cease, exits), SIGKILL after 5 s. */
  async stop(): Promise<number | null> {
    if (!this.child || !this.exit) return null;
    if (!this.exited) this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child?.kill('SIGKILL'), 5000);
    const code = await this.exit;
    clearTimeout(t);
    return code;
  }
}

/** Polls until `cond` holds; throws `what` after `ms`. */
export async function until(what: string, cond: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (await cond()) return;
    } catch (e) {
      if (Date.now() > end) throw e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
