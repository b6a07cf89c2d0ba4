/**
 * Issue 4's scale and memory benchmark, for our daemon and the original BaGPipe-BGP in the same
 * run (dummy dataplane drivers, RT Constraint on, a GoBGP route reflector as peer; GoBGP without
 * RT Constraint by default: with it, GoBGP takes RTC routes at about 130 per second, its CPU
 * busy, once it holds a few thousand: over a minute for 10,000, and the VPN routes wait for its
 * RTC answers):
 *
 * - idle RSS: the daemon started, its session with the route reflector up, nothing attached,
 *   measured after a settling time;
 * - 10,000 VRFs on one node under the default descriptor limit: the daemon runs with
 *   RLIMIT_NOFILE 1024 (prlimit) and 10,000 ports are attached, each in its own IP VPN with its own
 *   route target (one client by default); measured: attaches that succeeded, the first failure, instances in the looking
 *   glass, open descriptors, RSS, and the VPN-IPv4 routes GoBGP holds; then everything is detached
 *   and the idle RSS read again (what an idle daemon keeps once it has worked).
 *
 * Goals (issue 4): under 60 MB idle; 10,000 VRFs under 1,024 descriptors.
 *
 * Usage: node dist/bench/vrf-scale.js [--vrfs=10000] [--nofile=1024] [--daemons=ours,original]
 *          [--settle=5] [--settle-after-work=35]
 */
import { readFileSync } from 'node:fs';
import { freePort } from '../test/helpers/ports.js';
import { GoBgp } from '../test/scenario/harness/gobgp.js';
import { run, Teardown } from '../test/scenario/harness/process.js';
import { ApiDaemon, openFds, type Which } from './lib/daemons.js';
import { environmentLine, fixed, int, printTable } from './lib/harness.js';
import { errorCount, runLoad } from './lib/load.js';
import { Options } from './lib/options.js';
import { attachBody, detachBody } from './lib/ports.js';

const RR = '127.0.160.60';
const NODE: Record<Which, string> = { ours: '127.0.160.61', original: '127.0.160.62' };
const AS = 64512;

const opts = new Options(
  {
    vrfs: { default: '10000', help: 'ports attached, one IP VPN each' },
    nofile: { default: '1024', help: 'descriptor limit of the daemon (RLIMIT_NOFILE)' },
    daemons: { default: 'ours,original', help: 'which daemons' },
    settle: { default: '5', help: 'seconds between start-up and the idle RSS reading' },
    'settle-after-work': { default: '35', help: 'seconds between the last detach and the idle RSS reading (ours collects when idle, checks 10 s apart)' },
    clients: { default: '1', help: 'concurrent API clients for the VRF attaches and detaches' },
    'rr-rtc': { default: 'no', help: 'yes: GoBGP negotiates RT Constraint too (it then takes over a minute for 10,000 RTC routes)' },
  },
  process.argv.slice(2),
);

interface Result {
  which: Which;
  idleRss: number;
  /** Idle private memory (RssAnon). */
  idleAnon: number;
  idleRssAfterWork: number;
  vrfs: number;
  attached: number;
  firstFailure: string | undefined;
  attachSeconds: number;
  instances: number;
  fds: number;
  rss: number;
  rrVpnRoutes: number;
  rrRtcRoutes: number;
  detached: number;
  alive: boolean;
  /** The first error lines of the daemon's log when attaches failed. */
  logErrors: string[];
}

async function ribCount(g: GoBgp, family: string): Promise<number> {
  const r = await run('gobgp', ['-u', RR, '-p', String(g.opts.apiPort), 'global', 'rib', 'summary', '-a', family]);
  return Number(/Destination: (\d+)/.exec(r.stdout)?.[1] ?? NaN);
}

const sleep = (s: number): Promise<void> => new Promise((r) => setTimeout(r, s * 1000));

async function settledCount(read: () => Promise<number>): Promise<number> {
  // Until two readings a second apart agree (routes still flowing otherwise).
  let last = await read();
  for (let i = 0; i < 120; i++) {
    await sleep(1);
    const now = await read();
    if (now === last) return now;
    last = now;
  }
  return last;
}

async function one(which: Which): Promise<Result> {
  const td = new Teardown();
  try {
    const node = NODE[which];
    const bgpPort = await freePort(RR);
    const families = ['l3vpn-ipv4-unicast', 'l2vpn-evpn', ...(opts.text('rr-rtc') === 'yes' ? ['rtc'] : [])];
    const g = new GoBgp({ address: RR, as: AS, port: bgpPort, apiPort: await freePort(RR), neighbors: [{ address: node, families }] }, td);
    await g.start();
    const nofile = opts.number('nofile');
    const d = await ApiDaemon.start(which, { address: node, apiPort: await freePort(node), peers: [RR], bgpPort, nofile }, td);
    const end = Date.now() + 60_000;
    while ((await g.neighborState(node)) !== 'established') {
      if (Date.now() > end) throw new Error(`${which}: no session with GoBGP`);
      await sleep(0.2);
    }
    const settle = opts.number('settle');
    await sleep(settle);
    const idle = d.stats();
    const idleRss = idle.rss;

    const vrfs = opts.number('vrfs');
    const clients = opts.number('clients');
    const attach = await runLoad(
      `${d.url}/attach_localport`,
      Array.from({ length: vrfs }, (_, i) => attachBody('vpn-per-port', i)),
      clients,
    );
    const alive = d.daemon.alive;
    let instances = NaN;
    try {
      const r = await fetch(`${d.url}/looking-glass/summary`, { signal: AbortSignal.timeout(60_000) });
      instances = ((await r.json()) as { vpn_instances_count: number }).vpn_instances_count;
    } catch {
      // the daemon no longer answers
    }
    const rrVpnRoutes = await settledCount(() => ribCount(g, 'vpnv4'));
    const rrRtcRoutes = families.includes('rtc') ? await ribCount(g, 'rtc') : NaN;
    const fds = openFds(d.pid);
    const rss = alive ? d.stats().rss : NaN;
    const detach = await runLoad(
      `${d.url}/detach_localport`,
      Array.from({ length: vrfs }, (_, i) => detachBody('vpn-per-port', i)),
      clients,
    );
    await sleep(opts.number('settle-after-work'));
    const idleRssAfterWork = alive && d.daemon.alive ? d.stats().rss : NaN;
    const logErrors =
      attach.ok < vrfs
        ? readFileSync(d.logFile, 'utf8')
            .split('\n')
            .filter((l) => / ERROR /.test(l))
            .slice(0, 3)
        : [];
    return {
      which,
      logErrors,
      idleRss,
      idleAnon: idle.anon,
      idleRssAfterWork,
      vrfs,
      attached: attach.ok,
      firstFailure: attach.firstFailure,
      attachSeconds: attach.seconds,
      instances,
      fds,
      rss,
      rrVpnRoutes,
      rrRtcRoutes,
      detached: detach.requests - errorCount(detach),
      alive,
    };
  } finally {
    await td.run();
  }
}

const mb = (b: number): string => fixed(b / 1048576, 1);

async function main(): Promise<void> {
  const daemons = opts.choices<Which>('daemons', ['ours', 'original']);
  console.log(environmentLine());
  const results: Result[] = [];
  for (const which of daemons) {
    const r = await one(which);
    results.push(r);
    for (const l of r.logErrors) console.log(`  ${which} log: ${l.slice(0, 300)}`);
    console.log(
      `${which}: idle ${mb(r.idleRss)} MB (${mb(r.idleRssAfterWork)} MB once they were all detached); ${int(r.attached)} of ${int(r.vrfs)} VRFs attached in ${fixed(r.attachSeconds, 1)} s` +
        `${r.firstFailure ? ` (first failure: ${r.firstFailure})` : ''}, ${r.instances} instances, ${r.fds} descriptors, RSS ${mb(r.rss)} MB; GoBGP holds ${r.rrVpnRoutes} VPN-IPv4 routes${Number.isNaN(r.rrRtcRoutes) ? '' : ` and ${r.rrRtcRoutes} RTC routes`}; ${r.detached} detached`,
    );
  }
  console.log();
  printTable(
    ['daemon', 'idle RSS MB', 'of it private MB', 'idle after work MB', 'VRFs asked', 'attached', 'instances', 'open fds', `RSS MB with VRFs`, 'RR VPN routes', 'RR RTC routes', 'detached'],
    results.map((r) => [
      r.which,
      mb(r.idleRss),
      mb(r.idleAnon),
      mb(r.idleRssAfterWork),
      int(r.vrfs),
      int(r.attached),
      String(r.instances),
      String(r.fds),
      mb(r.rss),
      int(r.rrVpnRoutes),
      Number.isNaN(r.rrRtcRoutes) ? 'not asked (--rr-rtc=no)' : int(r.rrRtcRoutes),
      int(r.detached),
    ]),
  );
  const o = results.find((r) => r.which === 'ours');
  const g = results.find((r) => r.which === 'original');
  if (o && g) console.log(`\nIdle RSS original / ours: ${fixed(g.idleRss / o.idleRss, 2)}×; VRFs attached under ${opts.number('nofile')} descriptors: ours ${int(o.attached)}, original ${int(g.attached)}`);
  if (o) {
    console.log('\nGoals');
    console.log(`  under 60 MB idle: ${mb(o.idleRss)} MB (${mb(o.idleRssAfterWork)} MB after work)  ${o.idleRss < 60 * 1048576 ? 'reached' : 'NOT reached'}`);
    console.log(`  ${int(o.vrfs)} VRFs under ${opts.number('nofile')} descriptors: ${int(o.attached)} attached, ${o.instances} instances  ${o.attached === o.vrfs && o.instances === o.vrfs ? 'reached' : 'NOT reached'}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
