/**
 * Issue 3's ingestion benchmark: a peer sends 100,000 and 1,000,000 VPN-IPv4 routes carrying a
 * route target that a VRF imports; how fast does each receiver take them, and with how much
 * memory? Receivers, in the same run and from the same sender (bench/lib/feed-sender.ts, a process
 * of its own): our daemon (bagpipe-bgp, dummy dataplane, one IP VPN port importing the route
 * target), GoBGP (gobgpd) and FRR (bgpd alone), and the original BaGPipe-BGP with 10,000 routes
 * (one UPDATE in flight at a time: its reader loses its place in the stream on a burst, as issue 3
 * noted with a GoBGP feed).
 *
 * Per run: the receiver starts (ours and the original: a port attached to a VRF importing
 * 64512:1), its RSS is read, the sender connects (the original only dials out: then the sender
 * listens) and, once the session is up, writes every UPDATE as fast as the receiver reads; when
 * the sender has handed its last byte to the kernel the receiver's count is polled every 50 ms
 * until it holds every route (ours and the original: the looking glass's received route count,
 * the routes being in the VRF's best routes in the same step; GoBGP: destinations in its global
 * VPN-IPv4 table; FRR: prefixes accepted from the sender). Measured: routes per second from the
 * session up to the last route held, the receiver's CPU time, its RSS when done and its peak RSS
 * (VmHWM), and the RSS growth per route.
 *
 * Usage: node dist/bench/ingest.js [--sizes=100000,1000000] [--receivers=ours,gobgp,frr,original]
 *          [--original-routes=10000] [--runs=1]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/helpers/ports.js';
import { GoBgp } from '../test/scenario/harness/gobgp.js';
import { FrrBgpd } from '../test/scenario/harness/frr.js';
import { run, Teardown } from '../test/scenario/harness/process.js';
import { ApiDaemon, procStats, type ProcStats } from './lib/daemons.js';
import { environmentLine, fixed, int, printTable } from './lib/harness.js';
import { Options } from './lib/options.js';

type Receiver = 'ours' | 'gobgp' | 'frr' | 'original';
const RECEIVERS: readonly Receiver[] = ['ours', 'gobgp', 'frr', 'original'];

const SENDER = '127.0.160.40';
const RECEIVER = '127.0.160.41';
const AS = 64512;
const RT = '64512:1';
const SENDER_JS = fileURLToPath(new URL('./lib/feed-sender.js', import.meta.url));

const opts = new Options(
  {
    sizes: { default: '100000,1000000', help: 'routes sent to ours, GoBGP and FRR' },
    receivers: { default: RECEIVERS.join(','), help: 'ours, gobgp, frr, original' },
    'original-routes': { default: '10000', help: 'routes sent to the original' },
    runs: { default: '1', help: 'runs per receiver and size (the best is reported)' },
  },
  process.argv.slice(2),
);

interface Result {
  receiver: Receiver;
  routes: number;
  seconds: number;
  cpu: number;
  rssBefore: number;
  rssAfter: number;
  peakRss: number;
}

/** The sender process, its stdout read line by line. */
class Sender {
  private readonly lines: string[] = [];
  private wake: (() => void) | undefined;
  readonly child: ChildProcess;
  private stderr = '';

  constructor(
    routes: number,
    mode: { connect: string } | { listen: number },
    readonly stepped: boolean,
  ) {
    const args = [SENDER_JS, `--routes=${routes}`, `--address=${SENDER}`, `--rt=${RT}`, `--as=${AS}`];
    args.push('connect' in mode ? `--connect=${mode.connect}` : `--listen=${mode.listen}`);
    if (stepped) args.push('--stepped');
    this.child = spawn(process.execPath, args, { stdio: [stepped ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout! }).on('line', (l) => {
      this.lines.push(l);
      this.wake?.();
    });
    this.child.stderr!.on('data', (b: Buffer) => (this.stderr += b.toString()));
  }

  /** Waits for a line starting with `word`; returns the rest of it. */
  async expect(word: string, timeoutMs: number): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const i = this.lines.findIndex((l) => l.startsWith(word));
      if (i >= 0) return this.lines.splice(i, 1)[0]!.slice(word.length).trim();
      if (this.child.exitCode !== null) throw new Error(`feed sender exited (${this.child.exitCode}) before "${word}": ${this.stderr}`);
      if (Date.now() > end) throw new Error(`feed sender: no "${word}" within ${timeoutMs} ms: ${this.stderr}`);
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, 100);
      });
      this.wake = undefined;
    }
  }

  /** Stepped mode: one more UPDATE; resolves with the routes written so far (undefined: all sent). */
  async next(): Promise<number | undefined> {
    this.child.stdin!.write('next\n');
    for (;;) {
      const l = this.lines.shift() ?? (await this.expectAny());
      if (l.startsWith('wrote ')) return Number(l.slice(6));
      if (l.startsWith('sent')) return undefined;
    }
  }

  private async expectAny(): Promise<string> {
    const end = Date.now() + 60_000;
    while (this.lines.length === 0) {
      if (this.child.exitCode !== null) throw new Error(`feed sender exited (${this.child.exitCode}): ${this.stderr}`);
      if (Date.now() > end) throw new Error(`feed sender: silent for 60 s: ${this.stderr}`);
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, 100);
      });
      this.wake = undefined;
    }
    return this.lines.shift()!;
  }

  stop(): void {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
  }
}

async function poll(what: string, count: () => Promise<number>, target: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = -1;
  for (;;) {
    last = await count().catch(() => last);
    if (last >= target) return;
    if (Date.now() > end) throw new Error(`${what}: ${last} of ${target} routes after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function lgReceived(url: string): Promise<number> {
  const r = await fetch(`${url}/looking-glass/summary`, { signal: AbortSignal.timeout(30_000) });
  return ((await r.json()) as { route_counts: { received_routes_count: number } }).route_counts.received_routes_count;
}

async function attachVrf(url: string): Promise<void> {
  const body = {
    vpn_type: 'ipvpn',
    vpn_instance_id: 'ingest',
    mac_address: '52:54:00:00:00:01',
    ip_address: '192.168.0.1',
    local_port: { linuxif: 'tap-ingest' },
    import_rt: [RT],
    export_rt: ['64512:9999'],
    gateway_ip: '192.168.0.254',
  };
  const r = await fetch(`${url}/attach_localport`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  if (r.status !== 200) throw new Error(`attach to the receiver's VRF: ${r.status} ${await r.text()}`);
}

async function one(receiver: Receiver, routes: number): Promise<Result> {
  const td = new Teardown();
  let sender: Sender | undefined;
  try {
    const bgpPort = await freePort(RECEIVER);
    let pid: number;
    let count: () => Promise<number>;
    let mode: { connect: string } | { listen: number } = { connect: `${RECEIVER}:${bgpPort}` };
    if (receiver === 'ours' || receiver === 'original') {
      const apiPort = await freePort(RECEIVER);
      const senderPort = await freePort(SENDER);
      const d =
        receiver === 'ours'
          ? await ApiDaemon.start('ours', { address: RECEIVER, apiPort, peers: [SENDER], bgpPort: senderPort, listenPort: bgpPort, sections: { [`BGP_PEER:${SENDER}`]: { passive: true } } }, td)
          : await ApiDaemon.start('original', { address: RECEIVER, apiPort, peers: [SENDER], bgpPort: senderPort }, td);
      if (receiver === 'original') mode = { listen: senderPort };
      await attachVrf(d.url);
      pid = d.pid;
      count = () => lgReceived(d.url);
    } else if (receiver === 'gobgp') {
      const g = new GoBgp({ address: RECEIVER, as: AS, port: bgpPort, apiPort: await freePort(RECEIVER), neighbors: [{ address: SENDER, families: ['l3vpn-ipv4-unicast'], routeReflectorClient: false }] }, td);
      await g.start();
      pid = g.pid;
      count = async () => {
        const r = await run('gobgp', ['-u', RECEIVER, '-p', String(g.opts.apiPort), 'global', 'rib', 'summary', '-a', 'vpnv4']);
        return Number(/Destination: (\d+)/.exec(r.stdout)?.[1] ?? 0);
      };
    } else {
      const f = new FrrBgpd({ address: RECEIVER, as: AS, port: bgpPort, clients: [SENDER], families: ['ipv4 vpn'], reflect: false }, td);
      await f.start();
      pid = f.pid;
      count = async () => {
        const s = await f.json<{ peers?: Record<string, { pfxRcd?: number }> }>('show bgp ipv4 vpn summary');
        return s.peers?.[SENDER]?.pfxRcd ?? 0;
      };
    }
    await new Promise((r) => setTimeout(r, 1000));
    const before: ProcStats = procStats(pid);
    // The original's reader cannot take a burst (it loses its place in the stream): one UPDATE
    // in flight at a time, the next when it holds the routes of the previous ones.
    const stepped = receiver === 'original';
    sender = new Sender(routes, mode, stepped);
    await sender.expect('encoded', 120_000);
    await sender.expect('established', 60_000);
    const t0 = process.hrtime.bigint();
    if (stepped) {
      for (let written = await sender.next(); written !== undefined; written = await sender.next()) await poll(receiver, count, written, 600_000);
    } else await sender.expect('sent', 600_000);
    await poll(receiver, count, routes, 600_000);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const after = procStats(pid);
    return { receiver, routes, seconds, cpu: after.cpu - before.cpu, rssBefore: before.rss, rssAfter: after.rss, peakRss: after.peakRss };
  } finally {
    sender?.stop();
    await td.run();
  }
}

async function main(): Promise<void> {
  const sizes = opts.numbers('sizes');
  const receivers = opts.choices('receivers', RECEIVERS);
  const runs = opts.number('runs');
  console.log(environmentLine());
  const results: Result[] = [];
  for (const size of sizes)
    for (const receiver of receivers) {
      const routes = receiver === 'original' ? opts.number('original-routes') : size;
      if (receiver === 'original' && size !== sizes[0]) continue;
      let best: Result | undefined;
      for (let i = 0; i < runs; i++) {
        const r = await one(receiver, routes);
        console.log(`${receiver.padEnd(8)} ${int(routes).padStart(9)} routes: ${int(routes / r.seconds)}/s, ${fixed(r.seconds, 2)} s, CPU ${fixed(r.cpu, 2)} s, RSS ${fixed(r.rssBefore / 1048576)} → ${fixed(r.rssAfter / 1048576)} MB (peak ${fixed(r.peakRss / 1048576)})`);
        if (!best || r.seconds < best.seconds) best = r;
      }
      results.push(best!);
    }
  console.log();
  printTable(
    ['receiver', 'routes', 'routes/s', 'seconds', 'CPU s', 'CPU µs/route', 'RSS before MB', 'RSS after MB', 'peak RSS MB', 'bytes/route (RSS growth)', 'peak bytes/route'],
    results.map((r) => [
      r.receiver,
      int(r.routes),
      int(r.routes / r.seconds),
      fixed(r.seconds, 2),
      fixed(r.cpu, 2),
      fixed((r.cpu / r.routes) * 1e6, 1),
      fixed(r.rssBefore / 1048576),
      fixed(r.rssAfter / 1048576),
      fixed(r.peakRss / 1048576),
      int((r.rssAfter - r.rssBefore) / r.routes),
      int((r.peakRss - r.rssBefore) / r.routes),
    ]),
    2,
  );
  console.log('\nRatios (routes per second, ours / other, same size):');
  for (const size of sizes) {
    const o = results.find((r) => r.receiver === 'ours' && r.routes === size);
    if (!o) continue;
    for (const other of results.filter((r) => r.receiver !== 'ours' && (r.routes === size || r.receiver === 'original'))) {
      if (other.receiver === 'original' && size !== sizes[0]) continue;
      console.log(`  ${int(size).padStart(9)}: ours / ${other.receiver.padEnd(8)} ${fixed(o.routes / o.seconds / (other.routes / other.seconds), 2)}×${other.routes !== size ? ` (the original with ${int(other.routes)} routes)` : ''}`);
    }
    console.log(`  ${int(size).padStart(9)}: ours, RSS per route ${int((o.rssAfter - o.rssBefore) / o.routes)} bytes (goal under 1,024), peak ${int((o.peakRss - o.rssBefore) / o.routes)}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
