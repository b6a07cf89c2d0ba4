/**
 * The original BaGPipe-BGP daemon (Debian python3-networking-bagpipe, LAB-NOTES "The original
 * daemon") with dummy dataplane drivers: run with Debian's /usr/bin/python3, `debug` off (it
 * would reset every session that carries an RTC route), its REST API on its own loopback address.
 * It only connects out, to `bgp_port` of each peer: our speaker must listen there.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Daemon, requireBinary, type Teardown } from './process.js';
import { dummyDaemonConf } from '../../../src/cli/demo/daemon-conf.js';

export const BAGPIPE_BGP = '/usr/bin/bagpipe-bgp';
const PYTHON = '/usr/bin/python3';

export interface BagpipeOptions {
  address: string;
  as: number;
  peers: string[];
  bgpPort: number;
  apiPort: number;
  enableRtc: boolean;
}

export class Bagpipe {
  private daemon: Daemon | undefined;
  private readonly dir: string;

  constructor(
    readonly opts: BagpipeOptions,
    private readonly teardown: Teardown,
  ) {
    requireBinary(BAGPIPE_BGP);
    requireBinary(PYTHON);
    this.dir = teardown.tempDir('bagpipe');
  }

  config(): string {
    const o = this.opts;
    return dummyDaemonConf({
      bgp: { local_address: o.address, peers: o.peers, my_as: o.as, enable_rtc: o.enableRtc, bgp_port: o.bgpPort },
      api: { host: o.address, port: o.apiPort },
    });
  }

  get url(): string {
    return `http://${this.opts.address}:${this.opts.apiPort}`;
  }

  /** Starts the daemon and waits for its REST API. */
  async start(): Promise<void> {
    const conf = join(this.dir, 'bgp.conf');
    writeFileSync(conf, this.config());
    const d = Daemon.start('bagpipe-bgp', PYTHON, [BAGPIPE_BGP, '--config-file', conf, '--log-file', join(this.dir, 'bagpipe.log')], { cwd: this.dir });
    this.daemon = this.teardown.daemon(d);
    const ping = (): Promise<boolean> => fetch(`${this.url}/ping`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    await d.waitReady('bagpipe-bgp REST API up', ping, 30_000, 200, () => this.tail());
  }

  tail(lines = 40): string {
    let log = '';
    try {
      log = readTail(join(this.dir, 'bagpipe.log'), lines);
    } catch {
      // not written yet
    }
    return `${this.daemon?.tail(lines) ?? '(bagpipe-bgp not started)'}\n--- bagpipe.log ---\n${log}`;
  }

  async post(path: string, body: unknown): Promise<unknown> {
    const r = await fetch(`${this.url}/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`POST ${path} → ${r.status}: ${text}`);
    return JSON.parse(text) as unknown;
  }

  /** GET /looking-glass/<path>; undefined on 404. */
  async lookingGlass<T>(path: string): Promise<T | undefined> {
    const r = await fetch(`${this.url}/looking-glass/${path}`, { signal: AbortSignal.timeout(10_000) });
    if (r.status === 404) return undefined;
    if (!r.ok) throw new Error(`GET looking-glass/${path} → ${r.status}: ${await r.text()}`);
    return (await r.json()) as T;
  }
}

function readTail(path: string, lines: number): string {
  return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
}
