/**
 * Issue 4's route-reflector benchmark: how long until a GoBGP route reflector holds the routes of
 * 5,000 ports attached on a node, for our daemon and for the original BaGPipe-BGP (dummy dataplane
 * drivers, RT Constraint on), in the same run.
 *
 * Per daemon and layout: a fresh gobgpd (route reflector; the node a route-reflector client with
 * VPN-IPv4, E-VPN and RTC), the daemon started and its session up, ours warmed up (5,000 other
 * ports attached and detached, their routes gone from GoBGP again), then the ports attached by N
 * concurrent clients; the clock runs from the first request until GoBGP's global table of the
 * family holds every route (polled every 50 ms with the gobgp CLI): VPN-IPv4 /32s for an IP VPN,
 * MAC/IP routes plus the instance's multicast route for an E-VPN. Then every port is detached and
 * the time until GoBGP holds none is measured the same way.
 *
 * Goal (issue 4): 5,000 ports on the route reflector in under 2 s.
 *
 * Usage: node dist/bench/route-reflector.js [--ports=5000] [--clients=8,64]
 *          [--layouts=ipvpn,evpn] [--daemons=ours,original]
 */
import { freePort } from '../test/helpers/ports.js';
import { GoBgp } from '../test/scenario/harness/gobgp.js';
import { run, Teardown } from '../test/scenario/harness/process.js';
import { ApiDaemon, type Which } from './lib/daemons.js';
import { environmentLine, fixed, int, printTable } from './lib/harness.js';
import { errorCount, runLoad } from './lib/load.js';
import { Options } from './lib/options.js';
import { attachBody, detachBody, type Layout } from './lib/ports.js';

const RR = '127.0.160.50';
const NODE: Record<Which, string> = { ours: '127.0.160.51', original: '127.0.160.52' };
const AS = 64512;
const WARMUP_BASE = 100_000;

const opts = new Options(
  {
    ports: { default: '5000', help: 'ports attached' },
    clients: { default: '8,64', help: 'concurrent API clients' },
    layouts: { default: 'ipvpn,evpn', help: 'ipvpn (VPN-IPv4 routes), evpn (E-VPN MAC/IP routes)' },
    daemons: { default: 'ours,original', help: 'which daemons' },
    warmup: { default: '5000', help: 'ours: ports attached and detached before the measured run' },
  },
  process.argv.slice(2),
);

interface Result {
  which: Which;
  layout: Layout;
  clients: number;
  ports: number;
  /** Seconds from the first attach until every attach was answered / GoBGP held every route. */
  apiSeconds: number;
  rrSeconds: number;
  /** The same for the detaches and the withdrawals. */
  detachApiSeconds: number;
  rrEmptySeconds: number;
  errors: number;
}

async function ribCount(g: GoBgp, family: string): Promise<number> {
  const r = await run('gobgp', ['-u', RR, '-p', String(g.opts.apiPort), 'global', 'rib', 'summary', '-a', family]);
  return Number(/Destination: (\d+)/.exec(r.stdout)?.[1] ?? NaN);
}

async function until(what: string, cond: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function one(which: Which, layout: Layout, ports: number, clients: number): Promise<Result> {
  const td = new Teardown();
  try {
    const node = NODE[which];
    const bgpPort = await freePort(RR);
    const g = new GoBgp(
      { address: RR, as: AS, port: bgpPort, apiPort: await freePort(RR), neighbors: [{ address: node, families: ['l3vpn-ipv4-unicast', 'l2vpn-evpn', 'rtc'] }] },
      td,
    );
    await g.start();
    const d = await ApiDaemon.start(which, { address: node, apiPort: await freePort(node), peers: [RR], bgpPort }, td);
    await until(`${which}: session with GoBGP`, async () => (await g.neighborState(node)) === 'established', 60_000);
    const family = layout === 'ipvpn' ? 'vpnv4' : 'evpn';
    // An E-VPN instance also advertises its multicast route (type 3).
    const expected = layout === 'ipvpn' ? ports : ports + 1;
    // The warm-up is for ours (V8 optimises the hot paths); the original has no JIT.
    const warm = which === 'ours' ? opts.number('warmup') : 0;
    if (warm > 0) {
      const idx = Array.from({ length: warm }, (_, i) => WARMUP_BASE + i);
      await runLoad(`${d.url}/attach_localport`, idx.map((i) => attachBody(layout, i, 'warmup')), 8);
      await until(`${which}: warm-up routes at GoBGP`, async () => (await ribCount(g, family)) >= warm, 120_000);
      await runLoad(`${d.url}/detach_localport`, idx.map((i) => detachBody(layout, i, 'warmup')), 8);
      await until(`${which}: warm-up routes gone from GoBGP`, async () => (await ribCount(g, family)) === 0, 120_000);
    }
    const attaches = Array.from({ length: ports }, (_, i) => attachBody(layout, i));
    const t0 = process.hrtime.bigint();
    const attach = await runLoad(`${d.url}/attach_localport`, attaches, clients);
    const apiSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    await until(`${which}: ${expected} ${family} routes at GoBGP`, async () => (await ribCount(g, family)) >= expected, 300_000);
    const rrSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const t1 = process.hrtime.bigint();
    const detach = await runLoad(`${d.url}/detach_localport`, Array.from({ length: ports }, (_, i) => detachBody(layout, i)), clients);
    const detachApiSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
    await until(`${which}: routes gone from GoBGP`, async () => (await ribCount(g, family)) === 0, 300_000);
    const rrEmptySeconds = Number(process.hrtime.bigint() - t1) / 1e9;
    return { which, layout, clients, ports, apiSeconds, rrSeconds, detachApiSeconds, rrEmptySeconds, errors: errorCount(attach) + errorCount(detach) };
  } finally {
    await td.run();
  }
}

async function main(): Promise<void> {
  const ports = opts.number('ports');
  const layouts = opts.choices<Layout>('layouts', ['ipvpn', 'evpn']);
  const daemons = opts.choices<Which>('daemons', ['ours', 'original']);
  console.log(environmentLine());
  const results: Result[] = [];
  for (const layout of layouts)
    for (const clients of opts.numbers('clients'))
      for (const which of daemons) {
        const r = await one(which, layout, ports, clients);
        results.push(r);
        console.log(`${which.padEnd(8)} ${layout.padEnd(6)} ${clients} clients: API ${fixed(r.apiSeconds, 2)} s, on the RR after ${fixed(r.rrSeconds, 2)} s; detach ${fixed(r.detachApiSeconds, 2)} s, RR empty after ${fixed(r.rrEmptySeconds, 2)} s; errors ${r.errors}`);
      }
  console.log();
  printTable(
    ['daemon', 'layout', 'ports', 'clients', 'attach API s', 'on RR s', 'routes/s to RR', 'detach API s', 'RR empty s', 'errors'],
    results.map((r) => [r.which, r.layout, int(r.ports), String(r.clients), fixed(r.apiSeconds, 2), fixed(r.rrSeconds, 2), int(r.ports / r.rrSeconds), fixed(r.detachApiSeconds, 2), fixed(r.rrEmptySeconds, 2), String(r.errors)]),
    4,
  );
  if (daemons.length === 2) {
    console.log('\nRatios (time until GoBGP holds every route, original / ours):');
    for (const r of results.filter((x) => x.which === 'ours')) {
      const g = results.find((x) => x.which === 'original' && x.layout === r.layout && x.clients === r.clients);
      if (g) console.log(`  ${r.layout.padEnd(6)} ${r.clients} clients: ${fixed(g.rrSeconds / r.rrSeconds, 1)}× faster`);
    }
  }
  console.log('\nGoal: 5,000 ports on the route reflector in under 2 s');
  for (const r of results.filter((x) => x.which === 'ours'))
    console.log(`  ours ${r.layout.padEnd(6)} ${r.clients} clients: ${fixed(r.rrSeconds, 2)} s  ${r.rrSeconds < 2 && r.errors === 0 ? 'reached' : 'NOT reached'}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
