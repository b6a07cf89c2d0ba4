/**
 * The `linux` E-VPN driver end to end (issue 5), in network namespaces this benchmark creates
 * (root needed; the test harness's topology: underlay, compute nodes, GoBGP route reflector):
 *
 * 1. attach → FDB: an endpoint attached on node A through the REST API (`POST
 *    /attach_localport`, port pre-created) until its MAC is in node B's VXLAN FDB (seen by
 *    `bridge monitor fdb` in node B), one attach after the other: median and p99 over 100;
 * 2. 10,000 remote MACs into one E-VPN: a BGP speaker in the underlay advertises 10,000 MAC/IP
 *    routes to node B's daemon (no route reflector in between); time from the first route sent
 *    until node B's kernel holds all 10,000 FDB and neighbour entries, and the rate.
 *
 * Usage: node dist/bench/evpn-linux.js [--attaches=N] [--macs=N]
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Daemon, Teardown } from '../test/scenario/harness/process.js';
import { NetnsTopology, RR_ADDRESS, type ComputeNode } from '../test/scenario/harness/netns-topology.js';
import { environmentLine, fixed, int } from './lib/harness.js';

const args = Object.fromEntries(process.argv.slice(2).map((a) => /^--([a-z]+)=(\d+)$/.exec(a)).filter((m) => m !== null).map((m) => [m[1]!, Number(m[2])]));
const ATTACHES = args['attaches'] ?? 100;
const MACS = args['macs'] ?? 10_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** `bridge monitor fdb` in a node: resolves a MAC's first appearance (hrtime, ms). */
function fdbMonitor(node: ComputeNode, td: Teardown): { seen: (mac: string) => Promise<number>; ready: Promise<void> } {
  const child = spawn('ip', ['netns', 'exec', node.ns, 'bridge', 'monitor', 'fdb'], { stdio: ['ignore', 'pipe', 'inherit'] });
  td.add(() => child.kill('SIGKILL'));
  const waiting = new Map<string, (t: number) => void>();
  const seenAt = new Map<string, number>();
  let rest = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    const t = performance.now();
    const lines = (rest + s).split('\n');
    rest = lines.pop()!;
    for (const l of lines) {
      if (l.startsWith('Deleted') || !l.includes(' dst ')) continue;
      const mac = l.split(' ')[0]!;
      if (!seenAt.has(mac)) seenAt.set(mac, t);
      waiting.get(mac)?.(t);
    }
  });
  return {
    ready: new Promise((r) => setTimeout(r, 300)),
    seen: (mac) => {
      const t = seenAt.get(mac);
      if (t !== undefined) return Promise.resolve(t);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${mac} never reached ${node.ns}'s FDB`)), 20_000);
        waiting.set(mac, (x) => {
          clearTimeout(timer);
          resolve(x);
        });
      });
    },
  };
}

async function attachToFdb(topo: NetnsTopology, td: Teardown): Promise<void> {
  const [a, b] = topo.nodes as [ComputeNode, ComputeNode];
  for (let i = 0; i < ATTACHES; i++) await a.execOk(['ip', 'link', 'add', `bp${i}`, 'type', 'veth', 'peer', 'name', `bq${i}`]);
  const mon = fdbMonitor(b, td);
  await mon.ready;
  // Node B needs the instance for the VXLAN FDB to exist: one endpoint there first.
  const body = (i: number, node: ComputeNode): Record<string, unknown> => ({
    import_rt: ['64512:180'], export_rt: ['64512:180'], local_port: { linuxif: `bp${i}` }, vpn_instance_id: 'bench', vpn_type: 'evpn',
    mac_address: `52:54:04:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`, ip_address: `10.180.${i >> 8}.${(i & 0xff) + 1}/16`, vni: 180,
    ...(node === b ? { local_port: { linuxif: 'bb0' }, mac_address: '52:54:04:ff:00:01', ip_address: '10.180.255.1/16' } : {}),
  });
  await b.execOk(['ip', 'link', 'add', 'bb0', 'type', 'veth', 'peer', 'name', 'bc0']);
  const r0 = await b.api('POST', '/attach_localport', body(0, b));
  if (r0.status !== 200) throw new Error(r0.body);
  const times: number[] = [];
  for (let i = 0; i < ATTACHES; i++) {
    const req = body(i, a);
    const t0 = performance.now();
    const r = await a.api('POST', '/attach_localport', req);
    if (r.status !== 200) throw new Error(`attach ${i}: ${r.status} ${r.body}`);
    const t1 = await mon.seen(String(req.mac_address));
    times.push(t1 - t0);
  }
  times.sort((x, y) => x - y);
  console.log(`attach on node A → MAC in node B's FDB, ${ATTACHES} attaches one after the other:`);
  console.log(`  median ${fixed(percentile(times, 50))} ms, p99 ${fixed(percentile(times, 99))} ms, min ${fixed(times[0]!)} ms, max ${fixed(times.at(-1)!)} ms`);
}

async function tenThousandMacs(topo: NetnsTopology, td: Teardown): Promise<void> {
  const b = topo.nodes[1]!;
  const injector = td.daemon(
    Daemon.start('injector', 'ip', ['netns', 'exec', topo.underlay, process.execPath, fileURLToPath(new URL('./lib/evpn-injector.js', import.meta.url)), RR_ADDRESS, b.address, '64512:180', '180', String(MACS), '10.170.0.9']),
  );
  // Node B's daemon peers with the route reflector's address: the injector takes its place.
  await topo.rr!.kill();
  const t0 = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      if (!injector.alive) reject(new Error(injector.tail()));
      if (injector.output.includes('ADVERTISED')) {
        clearInterval(timer);
        resolve(performance.now());
      }
    }, 5);
  });
  for (;;) {
    const out = await b.execOk(['bridge', 'fdb', 'show', 'dev', 'vxlan--bench']);
    const n = out.split('\n').filter((l) => l.startsWith('52:54:03:') && l.includes(' dst ')).length;
    if (n >= MACS) break;
    if (performance.now() - t0 > 120_000) throw new Error(`only ${n} of ${MACS} FDB entries after 120 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const fdbMs = performance.now() - t0;
  for (;;) {
    const out = await b.execOk(['ip', 'neigh', 'show', 'dev', 'vxlan--bench']);
    if (out.split('\n').filter((l) => l.startsWith('10.2')).length >= MACS) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const allMs = performance.now() - t0;
  const lg = JSON.parse((await b.api('GET', '/looking-glass/vpns/instances/bench/dataplane')).body) as { reconciliation: { passes: number } };
  console.log(`${int(MACS)} remote MAC/IP routes from BGP into one E-VPN (node B):`);
  console.log(`  all FDB entries after ${int(fdbMs)} ms, all neighbour entries after ${int(allMs)} ms: ${int(MACS / (allMs / 1000))} MACs/s end to end (${lg.reconciliation.passes} reconciliation passes in the instance so far)`);
}

const td = new Teardown();
try {
  console.log(environmentLine());
  const topo = await NetnsTopology.create(td, 2, `b${process.pid % 10_000}`);
  await topo.startRouteReflector();
  for (const n of topo.nodes) await topo.startOurDaemon(n);
  await topo.waitEstablished();
  await attachToFdb(topo, td);
  await tenThousandMacs(topo, td);
} finally {
  await td.run();
}
