/**
 * Issue 4's REST API benchmark: attach and detach throughput and latency of our daemon and of the
 * original BaGPipe-BGP (dummy dataplane drivers, no BGP peer), side by side in the same run.
 *
 * For every layout (all ports in one IP VPN, in one E-VPN, one IP VPN per port), size (1,000 and
 * 5,000 ports) and number of concurrent clients (1, 8, 64), each daemon is started afresh, every
 * ours warmed up (5,000 other ports attached and detached: V8 optimises the hot paths), then every
 * port attached (closed loop: each client sends its next request when the previous one answered),
 * the looking glass checked (instance count), then every port detached and the looking glass
 * checked again. Prints one row per run, then the ratios ours / original, then the goal of the
 * issue: at least 20× the original's attach throughput with zero errors at 64 concurrent clients.
 *
 * Usage: node dist/bench/attach-detach.js [--sizes=1000,5000] [--clients=1,8,64]
 *          [--layouts=ipvpn,evpn,vpn-per-port] [--daemons=ours,original]
 */
import { Teardown } from '../test/scenario/harness/process.js';
import { freePort } from '../test/helpers/ports.js';
import { ApiDaemon, type Which } from './lib/daemons.js';
import { environmentLine, fixed, int, printTable } from './lib/harness.js';
import { errorCount, percentile, runLoad, type LoadResult } from './lib/load.js';
import { Options } from './lib/options.js';
import { attachBody, detachBody, instanceCount, LAYOUTS, type Layout } from './lib/ports.js';

const ADDRESS: Record<Which, string> = { ours: '127.0.160.10', original: '127.0.160.11' };
/** Warm-up ports are numbered from here (the measured ones from 0). */
const WARMUP_BASE = 100_000;

const opts = new Options(
  {
    sizes: { default: '1000,5000', help: 'numbers of ports' },
    clients: { default: '1,8,64', help: 'concurrent clients' },
    layouts: { default: LAYOUTS.join(','), help: 'ipvpn (one IP VPN), evpn (one E-VPN), vpn-per-port' },
    daemons: { default: 'ours,original', help: 'which daemons' },
    warmup: { default: '5000', help: 'ours: ports attached and detached (8 clients, same layout, other instances) before the measured runs' },
    'cap-seconds': { default: '30', help: 'no new request after this long in one phase (the original with 64 clients answers a few per second)' },
  },
  process.argv.slice(2),
);

interface Run {
  which: Which;
  layout: Layout;
  ports: number;
  clients: number;
  attach: LoadResult;
  detach: LoadResult;
  /** Instances in the looking glass after the attaches / after the detaches. */
  instancesAfterAttach: number;
  instancesAfterDetach: number;
  rssIdle: number;
  rssAttached: number;
  /** Daemon CPU time (user + system, all threads) per request, microseconds. */
  cpuAttach: number;
  cpuDetach: number;
}

/** Instances in the looking glass; NaN when the daemon cannot say (the original out of descriptors). */
async function instances(d: ApiDaemon): Promise<number> {
  try {
    const r = await fetch(`${d.url}/looking-glass/summary`, { signal: AbortSignal.timeout(30_000) });
    return ((await r.json()) as { vpn_instances_count: number }).vpn_instances_count;
  } catch {
    return NaN;
  }
}

async function one(which: Which, layout: Layout, ports: number, clients: number): Promise<Run> {
  const td = new Teardown();
  try {
    const address = ADDRESS[which];
    const d = await ApiDaemon.start(which, { address, apiPort: await freePort(address) }, td);
    const rssIdle = d.stats().rss;
    // Warm-up of ours (V8 compiles the hot paths): ports numbered after the measured ones, in
    // instances of their own. Not the original: Python has nothing to warm, and the original
    // never gives back the descriptors of the VRFs it removed (about 4 per VRF).
    const warm = which === 'ours' ? opts.number('warmup') : 0;
    if (warm > 0) {
      const idx = Array.from({ length: warm }, (_, i) => WARMUP_BASE + i);
      await runLoad(`${d.url}/attach_localport`, idx.map((i) => attachBody(layout, i, 'warmup')), 8);
      await runLoad(`${d.url}/detach_localport`, idx.map((i) => detachBody(layout, i, 'warmup')), 8);
    }
    const attaches = Array.from({ length: ports }, (_, i) => attachBody(layout, i));
    const detaches = Array.from({ length: ports }, (_, i) => detachBody(layout, i));
    const cap = opts.number('cap-seconds');
    const cpu0 = d.stats().cpu;
    const attach = await runLoad(`${d.url}/attach_localport`, attaches, clients, cap);
    const cpu1 = d.stats().cpu;
    const instancesAfterAttach = await instances(d);
    const rssAttached = d.stats().rss;
    const cpu2 = d.stats().cpu;
    // Only the ports whose attach succeeded are detached.
    const detach = await runLoad(`${d.url}/detach_localport`, detaches.filter((_, i) => attach.statuses[i] === 200), clients, cap);
    const cpu3 = d.stats().cpu;
    const instancesAfterDetach = await instances(d);
    await d.stop();
    return {
      which,
      layout,
      ports,
      clients,
      attach,
      detach,
      instancesAfterAttach,
      instancesAfterDetach,
      rssIdle,
      rssAttached,
      cpuAttach: ((cpu1 - cpu0) / Math.max(1, attach.sent)) * 1e6,
      cpuDetach: ((cpu3 - cpu2) / Math.max(1, detach.sent)) * 1e6,
    };
  } finally {
    await td.run();
  }
}

function failures(r: LoadResult): string {
  const parts = Object.entries(r.failures).map(([k, n]) => `${n}×${k}`);
  return parts.length === 0 ? '0' : parts.join(' ');
}

const mb = (b: number): string => fixed(b / 1048576, 1);

async function main(): Promise<void> {
  const sizes = opts.numbers('sizes');
  const clientsList = opts.numbers('clients');
  const layouts = opts.choices('layouts', LAYOUTS);
  const daemons = opts.choices<Which>('daemons', ['ours', 'original']);
  console.log(environmentLine());
  const runs: Run[] = [];
  for (const layout of layouts)
    for (const ports of sizes)
      for (const clients of clientsList)
        for (const which of daemons) {
          const r = await one(which, layout, ports, clients);
          runs.push(r);
          const bad = r.instancesAfterAttach !== instanceCount(layout, r.attach.ok) || r.instancesAfterDetach !== 0;
          console.log(
            `${which.padEnd(8)} ${layout.padEnd(12)} ${String(ports).padStart(5)} ports ${String(clients).padStart(2)} clients: ` +
              `attach ${int(r.attach.ok / r.attach.seconds)}/s (errors ${failures(r.attach)}), detach ${int(r.detach.ok / r.detach.seconds)}/s (errors ${failures(r.detach)})` +
              `${bad ? `  CHECK: ${r.instancesAfterAttach} instances after attach, ${r.instancesAfterDetach} after detach` : ''}` +
              `${r.attach.firstFailure ? `  first attach failure: ${r.attach.firstFailure}` : ''}${r.detach.firstFailure ? `  first detach failure: ${r.detach.firstFailure}` : ''}`,
          );
        }

  console.log();
  const rows: string[][] = [];
  for (const r of runs)
    for (const op of ['attach', 'detach'] as const) {
      const l = r[op];
      rows.push([
        r.which,
        r.layout,
        int(r.ports),
        String(r.clients),
        op,
        int(l.sent),
        int(l.ok / l.seconds),
        fixed(percentile(l.latencies, 50), 2),
        fixed(percentile(l.latencies, 90), 2),
        fixed(percentile(l.latencies, 99), 2),
        fixed(percentile(l.latencies, 100), 1),
        int(op === 'attach' ? r.cpuAttach : r.cpuDetach),
        int((l.clientCpu / l.requests) * 1e6),
        failures(l),
        op === 'attach' ? String(r.instancesAfterAttach) : String(r.instancesAfterDetach),
        op === 'attach' ? mb(r.rssAttached) : mb(r.rssIdle),
      ]);
    }
  printTable(['daemon', 'layout', 'ports', 'clients', 'op', 'requests', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'CPU µs/req', 'client µs/req', 'errors', 'instances after', 'RSS MB (attach: all attached; detach: idle at start)'], rows, 5);

  if (daemons.length === 2) {
    console.log('\nRatios ours / original (requests answered 200 per second):');
    const ratioRows: string[][] = [];
    const find = (w: Which, l: Layout, p: number, c: number): Run | undefined => runs.find((r) => r.which === w && r.layout === l && r.ports === p && r.clients === c);
    for (const layout of layouts)
      for (const ports of sizes)
        for (const clients of clientsList) {
          const o = find('ours', layout, ports, clients)!;
          const g = find('original', layout, ports, clients)!;
          const ratio = (op: 'attach' | 'detach'): string => fixed(o[op].ok / o[op].seconds / (g[op].ok / g[op].seconds), 1);
          ratioRows.push([layout, int(ports), String(clients), ratio('attach'), ratio('detach'), `${errorCount(o.attach) + errorCount(o.detach)} / ${errorCount(g.attach) + errorCount(g.detach)}`]);
        }
    printTable(['layout', 'ports', 'clients', 'attach ×', 'detach ×', 'errors ours / original'], ratioRows, 3);

    const at64 = runs.filter((r) => r.clients === 64);
    if (at64.length > 0) {
      console.log("\nGoal: ≥ 20× the original's attach throughput, with zero errors at 64 concurrent clients");
      console.log('(ours at 64 clients against the original at 64 clients, and against its best with any number of clients)');
      for (const layout of layouts)
        for (const ports of sizes) {
          const o = find('ours', layout, ports, 64);
          if (!o) continue;
          const rate = (r: Run): number => r.attach.ok / r.attach.seconds;
          const same = find('original', layout, ports, 64);
          const best = Math.max(...runs.filter((r) => r.which === 'original' && r.layout === layout && r.ports === ports).map(rate));
          const x = rate(o) / best;
          const errs = errorCount(o.attach) + errorCount(o.detach);
          console.log(
            `  ${layout.padEnd(12)} ${String(ports).padStart(5)} ports: ours ${int(rate(o))}/s = ${same ? `${fixed(rate(o) / rate(same), 1)}× the original at 64 clients, ` : ''}` +
              `${fixed(x, 1)}× its best (${int(best)}/s); ${errs} errors ours  ${x >= 20 && errs === 0 ? 'reached' : 'NOT reached'}`,
          );
        }
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
