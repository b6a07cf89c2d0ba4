#!/usr/bin/env node
/**
 * `npm start`: the daemon's main job on one machine, without root or extra packages.
 *
 * Two real `bagpipe-bgp` daemon processes on loopback peer directly with each other (node A,
 * 127.0.95.1, accepts the session; node B, 127.0.95.2, connects), each with a generated bgp.conf
 * and the dummy dataplane drivers. On each, an E-VPN port and an IP VPN port are attached through
 * the REST API (POST /attach_localport, route target 64512:95 everywhere); then the looking glass
 * of each node is printed with the real `bagpipe-looking-glass` command, showing that each
 * learned the other's routes. The daemons keep running until Ctrl-C (SIGINT) or SIGTERM; the demo
 * then stops them (SIGTERM: routes withdrawn, Cease to the peer) and removes its files.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../util/ports.js';
import { commandPath } from './command-path.js';
import { DemoNode, portFree, until } from './demo/demo-node.js';

const LOOKING_GLASS = commandPath('bagpipe-looking-glass');
const RT = '64512:95';
const A = '127.0.95.1';
const B = '127.0.95.2';

const say = (s = ''): void => {
  process.stdout.write(`${s}\n`);
};
/** The command as a newcomer would type it from the repository root. */
const shown = (file: string): string => relative(process.cwd(), file) || file;

function ports(n: DemoNode): Record<string, unknown>[] {
  const i = n.cfg.label === 'A' ? 1 : 2;
  return [
    {
      vpn_type: 'evpn',
      vpn_instance_id: 'demo-evpn',
      mac_address: `52:54:00:95:00:0${i}`,
      ip_address: `10.95.0.${i}`,
      local_port: { linuxif: `tap-evpn-${n.cfg.label.toLowerCase()}` },
      import_rt: [RT],
      export_rt: [RT],
      vni: 95,
    },
    {
      vpn_type: 'ipvpn',
      vpn_instance_id: 'demo-ipvpn',
      mac_address: `52:54:00:95:01:0${i}`,
      ip_address: `10.95.1.${i}/24`,
      gateway_ip: '10.95.1.254',
      local_port: { linuxif: `tap-ipvpn-${n.cfg.label.toLowerCase()}` },
      import_rt: [RT],
      export_rt: [RT],
    },
  ];
}

/** Runs the real bagpipe-looking-glass command and prints its output under a heading. */
async function lookingGlass(n: DemoNode, path: string[]): Promise<string> {
  const args = ['--server', n.cfg.address, '--port', String(n.cfg.apiPort), ...path];
  const { stdout } = await promisify(execFile)(process.execPath, [LOOKING_GLASS, ...args]);
  say(`$ node ${shown(LOOKING_GLASS)} ${args.join(' ')}`);
  process.stdout.write(stdout);
  return stdout;
}

interface Best {
  [entry: string]: Record<string, { next_hop: string | null }>[];
}

/** What a node learned from the other one: its best routes whose next hop is the other node. */
async function learned(n: DemoNode, from: string): Promise<string[]> {
  const out: string[] = [];
  for (const id of ['demo-evpn', 'demo-ipvpn']) {
    const best = await n.get<Best>(`/looking-glass/vpns/instances/${id}/best_routes`);
    for (const routes of Object.values(best)) for (const r of routes) for (const [nlri, v] of Object.entries(r)) if (v.next_hop === from) out.push(nlri);
  }
  return out.sort();
}

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bagpipe-demo-'));
  // The API on the usual port 8082 when free (another demo may run), else on any free port.
  const apiPort = (await portFree(A, 8082)) && (await portFree(B, 8082)) ? 8082 : await freePort(A);
  const bgpPort = await freePort(A);
  const a = new DemoNode({ label: 'A', address: A, apiPort, bgpPort, peer: B, listen: true }, dir);
  const b = new DemoNode({ label: 'B', address: B, apiPort, bgpPort, peer: A, listen: false }, dir);
  const nodes = [a, b];
  let stopping = false;
  const stopAll = async (why: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    say(`\n== ${why}: stopping both daemons (SIGTERM: each withdraws its routes and closes the session with a Cease)`);
    const codes = await Promise.all(nodes.map((n) => n.stop()));
    nodes.forEach((n, i) => say(`   node ${n.cfg.label}: exited with status ${codes[i]}`));
    rmSync(dir, { recursive: true, force: true });
    say('   stopped.');
  };
  // Ctrl-C at any time stops the daemons; once everything is shown, it is what the demo waits for.
  let ready = false;
  const interrupted = new Promise<string>((resolve) => {
    const on = (why: string): void => {
      if (ready) resolve(why);
      else void stopAll(why).then(() => process.exit(130));
    };
    process.once('SIGINT', () => on('Ctrl-C'));
    process.once('SIGTERM', () => on('SIGTERM'));
    for (const n of nodes) n.onExit(() => on(`node ${n.cfg.label}'s daemon exited`));
  });

  try {
    say('bagpipe-bgp demo: two daemons on loopback peer directly with BGP; a port of each VPN type is');
    say('attached on each through the REST API, and each learns the other one’s routes.\n');
    for (const n of nodes) {
      say(`   node ${n.cfg.label}: ${n.cfg.address}, REST API and looking glass on ${n.url}, BGP ${n.cfg.listen ? `accepting on port ${bgpPort}` : `connecting to ${n.cfg.peer}:${bgpPort}`}`);
      say(`           config ${n.conf}, log ${n.logFile}`);
    }
    say('\n== starting the daemons (dummy dataplane drivers: they only record what they are asked)');
    a.start();
    // B connects to A: wait for A's listener, so B's first attempt succeeds.
    await until("node A's BGP listener", async () => (await a.get<{ state: string }[]>('/looking-glass/bgp/peers'))[0]?.state === 'Active', 20_000);
    b.start();
    const t0 = Date.now();
    await until(
      'the BGP session between A and B',
      async () => (await a.get<{ state: string }[]>('/looking-glass/bgp/peers'))[0]?.state === 'Established' && (await b.get<{ state: string }[]>('/looking-glass/bgp/peers'))[0]?.state === 'Established',
      20_000,
    );
    say(`   pids ${a.pid} (A) and ${b.pid} (B); BGP session Established after ${Date.now() - t0} ms`);

    say(`\n== attaching ports through the REST API (POST ${a.url}/attach_localport and ${b.url}/attach_localport)`);
    for (const n of nodes) {
      for (const body of ports(n)) {
        await n.attach(body);
        say(`   node ${n.cfg.label}: ${JSON.stringify(body)}`);
      }
    }
    const t1 = Date.now();
    await until(
      'each node to learn the other’s routes',
      async () => (await learned(a, B)).length === 3 && (await learned(b, A)).length === 3,
      20_000,
    );
    say(`   each node has the other’s routes ${Date.now() - t1} ms later`);

    for (const n of nodes) {
      say(`\n== node ${n.cfg.label}'s looking glass`);
      await lookingGlass(n, ['bgp', 'peers']);
      await lookingGlass(n, ['vpns', 'instances']);
      await lookingGlass(n, ['vpns', 'instances', 'demo-evpn', 'best_routes']);
      await lookingGlass(n, ['vpns', 'instances', 'demo-ipvpn', 'best_routes']);
    }
    say('\n== what each node learned from the other (best routes whose next hop is the other node)');
    for (const [n, other] of [[a, b], [b, a]] as const) {
      for (const nlri of await learned(n, other.cfg.address)) say(`   node ${n.cfg.label} learned from ${other.cfg.label}: ${nlri}`);
    }

    // --port always: without it the command reads /etc/bagpipe-bgp/bgp.conf when there is one.
    const port = ` --port ${apiPort}`;
    say('\nBoth daemons keep running. In another terminal, try for instance:');
    say(`   node ${shown(LOOKING_GLASS)} --server ${A}${port} summary`);
    say(`   node ${shown(LOOKING_GLASS)} --server ${B}${port} bgp peers ${A}`);
    say(`   node ${shown(LOOKING_GLASS)} --server ${A}${port} vpns instances demo-ipvpn`);
    say(`   curl -s ${a.url}/looking-glass/vpns/instances/demo-evpn/received_routes`);
    say('Press Ctrl-C to stop both daemons.');
  } catch (e) {
    if (stopping) return 130;
    say(`\ndemo failed: ${e instanceof Error ? e.message : String(e)}`);
    for (const n of nodes) say(n.tail());
    await stopAll('failure');
    return 1;
  }

  ready = true;
  await stopAll(await interrupted);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`demo failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
