/**
 * The Neutron agent's calls (issue 4; spec neutron.md §1, rest-api.md §9): the unchanged agent
 * code of python3-networking-bagpipe (its REST client BaGPipeBGPAgent with its ping loop, the
 * `bagpipe` ML2 extension and the `bagpipe_bgpvpn` extension, as a Linux bridge agent loads them;
 * test/scenario/neutron/agent-driver.py) drives our daemon as a process:
 *
 * 1. restart detection: the first successful /ping makes the agent UP with our sequence number;
 * 2. the ML2 extension attaches an E-VPN port (linuxbr, vni, tap name, RT 64512:<vni>);
 * 3. the bgpvpn extension attaches an IP VPN port (brq bridge as local port, gateway, port
 *    description, instance description) and, for a port of the VXLAN network, an E-VPN
 *    attachment whose RTs the agent merges with the ML2 extension's (every attach replaces the
 *    instance's RTs, so each carries the union);
 * 4. deleting the port from the ML2 extension detaches it and re-sends what remains (the RTs
 *    shrink to the bgpvpn ones); deleting it from the bgpvpn extension removes the instance;
 * 5. our daemon stopped: the agent goes DOWN; started again: it sees the new /ping value and
 *    re-sends every registered port, which comes back in the looking glass and at the BGP peer;
 * 6. a port attached again after the restart, and the last detach withdrawing everything.
 *
 * Each step is checked on our side: the looking glass (instances, ports, route targets,
 * descriptions) and the routes a BGP peer (our speaker, in-process) receives.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RouteEntry } from '../../src/rib/route-entry.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { Daemon, Teardown } from './harness/process.js';
import { Collector, speaker } from './harness/speaker.js';
import { commandPath } from '../../src/cli/command-path.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const BIN = commandPath('bagpipe-bgp');
const DRIVER = join(HERE, '..', '..', '..', 'test', 'scenario', 'neutron', 'agent-driver.py');
const PYTHON = '/usr/bin/python3';

const DAEMON = '127.0.160.1';
const PEER = '127.0.160.2';

// Neutron ids: the agent derives instance ids (evpn_<net>), tap names (tap<port[:11]>) and bridge
// names (brq<net[:11]>) from them.
const NET1 = 'a1111111-1111-4111-8111-111111111111';
const NET2 = 'b2222222-2222-4222-8222-222222222222';
const PORT1 = 'c3333333-3333-4333-8333-333333333333';
const PORT2 = 'd4444444-4444-4444-8444-444444444444';
const PORT3 = 'e5555555-5555-4555-8555-555555555555';
const MAC1 = 'fa:16:3e:00:01:01';
const MAC2 = 'fa:16:3e:00:02:02';
const MAC3 = 'fa:16:3e:00:03:03';

interface AgentRequest {
  method: string;
  action: string;
  status: number | null;
}
interface AgentReply {
  ok: boolean;
  result?: unknown;
  error?: string;
  requests: AgentRequest[];
  errors: string[];
}

/** The Python agent process: one JSON command per line in, one JSON reply per line out. */
class Agent {
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | undefined;

  constructor(readonly process: Daemon) {
    const rl = createInterface({ input: process.child.stdout! });
    rl.on('line', (l) => {
      if (!l.startsWith('{')) return;
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = undefined;
        w(l);
      } else this.lines.push(l);
    });
  }

  private next(timeoutMs: number): Promise<string> {
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiting = undefined;
        reject(new Error(`no answer from the agent within ${timeoutMs} ms\n${this.process.tail(60)}`));
      }, timeoutMs);
      this.waiting = (line) => {
        clearTimeout(t);
        resolve(line);
      };
    });
  }

  async ready(): Promise<void> {
    const l = JSON.parse(await this.next(30_000)) as { ready?: boolean };
    assert.equal(l.ready, true);
  }

  /** Runs one command; fails on an exception, a warning/error logged by the agent, or a non-200. */
  async run(cmd: Record<string, unknown>, opts: { allowErrors?: boolean } = {}): Promise<AgentReply> {
    this.process.write(`${JSON.stringify(cmd)}\n`);
    const reply = JSON.parse(await this.next(20_000)) as AgentReply;
    assert.ok(reply.ok, `${String(cmd['op'])}: ${reply.error}\n${this.process.tail(60)}`);
    if (!opts.allowErrors) {
      assert.deepEqual(reply.errors, [], `${String(cmd['op'])}: the agent logged errors`);
      for (const r of reply.requests) assert.equal(r.status, 200, `${String(cmd['op'])}: ${r.method} ${r.action} → ${r.status}`);
    }
    return reply;
  }

  async status(): Promise<{ status: string; seq_num: string }> {
    return (await this.run({ op: 'status' })).result as { status: string; seq_num: string };
  }
}

/** The port data a Linux bridge agent hands its extensions for a port of a VXLAN network. */
function portData(portId: string, networkId: string, vni: number, mac: string, ip: string): Record<string, unknown> {
  return {
    port_id: portId,
    network_id: networkId,
    network_type: 'vxlan',
    segmentation_id: vni,
    mac_address: mac,
    fixed_ips: [{ subnet_id: `subnet-${networkId}`, ip_address: ip }],
    device_owner: 'compute:nova',
    admin_state_up: true,
  };
}

function bgpvpnAssoc(id: string, type: 'l2' | 'l3', networkId: string, rts: string[], gateway: string): Record<string, unknown> {
  return {
    id,
    network_id: networkId,
    bgpvpn: { id: `f${id.slice(1)}`, type, name: `vpn-${type}`, route_targets: rts },
    subnets: [{ ip_version: 4, gateway_ip: gateway, gateway_mac: null, cidr: `${gateway.replace(/\.1$/, '.0')}/24` }],
  };
}

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: r.status, body: (await r.json()) as T };
}

interface LgInstance {
  description: unknown;
  route_targets: { import: string[]; export: string[] };
  gateway_ip: unknown;
}
type LgPorts = Record<string, { endpoints: { mac_address: string; ip_address: string | null; description: unknown }[] }>;

test('the Neutron agent (python3-networking-bagpipe, unchanged) drives our daemon: attach, detach, restart detection, re-attach', { timeout: 120_000 }, async () => {
  const td = new Teardown();
  try {
    const dir = td.tempDir('neutron-agent');
    const bgpPort = await freePort(PEER);
    const apiPort = await freePort(DAEMON);
    const api = `http://${DAEMON}:${apiPort}`;

    // The BGP peer: our speaker, listening, without RT Constraint (so our daemon sends it every
    // VPN route); a collector sees every E-VPN and VPN-IPv4 route.
    const rr = speaker(
      { localAddress: PEER, localAs: 64512, enableRtc: false, peerPort: bgpPort, listen: { address: PEER, port: bgpPort }, peers: [{ address: DAEMON, passive: true }] },
      td,
    );
    const seen = new Collector('seen', rr.manager.rtm).subscribe(25, 70).subscribe(1, 128);
    await rr.manager.start();
    const macRoute = (mac: string): RouteEntry | undefined =>
      seen.routes(25, 70).find((e) => e.nlri.kind === 'evpn' && 'mac' in e.nlri && e.nlri.mac === mac);

    const conf = join(dir, 'bgp.conf');
    writeFileSync(conf, `[BGP]\nlocal_address = ${DAEMON}\npeers = ${PEER}\nmy_as = 64512\nbgp_port = ${bgpPort}\n[API]\nhost = ${DAEMON}\nport = ${apiPort}\n`);
    let daemon: Daemon | undefined;
    const startDaemon = async (): Promise<string> => {
      daemon = td.daemon(Daemon.start('bagpipe-bgp (ours)', process.execPath, [BIN, '--config-file', conf]));
      const d = daemon;
      let seq = '';
      await waitFor('our REST API', async () => {
        if (!d.alive) throw new Error(`our daemon exited\n${d.tail()}`);
        const r = await fetch(`${api}/ping`).catch(() => undefined);
        if (r?.status !== 200) return false;
        seq = await r.text();
        return true;
      });
      await waitFor('BGP session with the peer', () => rr.peer(DAEMON).state === 'Established', 20_000);
      return seq;
    };
    const lg = async <T>(path: string): Promise<T> => {
      const r = await getJson<T>(`${api}/looking-glass/${path}`);
      assert.equal(r.status, 200, `looking-glass/${path}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const instanceIds = async (): Promise<string[]> => (await lg<{ id: string }[]>('vpns/instances')).map((i) => i.id).sort();

    const seq1 = await startDaemon();
    const agent = new Agent(td.daemon(Daemon.start('neutron agent', PYTHON, [DRIVER, '--host', DAEMON, '--port', String(apiPort), '--ping-interval', '1'], { stdin: true })));
    await agent.ready();
    td.add(() => agent.process.write('{"op": "quit"}\n'));

    // 1. The first successful ping: UP, with our sequence number.
    await waitFor('the agent detects our daemon', async () => (await agent.status()).status === 'UP', 10_000, 200);
    assert.equal((await agent.status()).seq_num, seq1);

    // 2. The ML2 extension: one E-VPN per VXLAN network.
    const tap1 = `tap${PORT1.slice(0, 11)}`;
    let reply = await agent.run({ op: 'ml2_port', data: portData(PORT1, NET1, 101, MAC1, '10.1.0.11') });
    assert.deepEqual(reply.requests, [{ method: 'POST', action: 'attach_localport', status: 200 }]);
    assert.deepEqual(await instanceIds(), [`evpn_${NET1}`]);
    const evi = await lg<LgInstance & { name: string }>(`vpns/instances/evpn_${NET1}`);
    assert.deepEqual(evi.route_targets, { import: ['target:64512:101'], export: ['target:64512:101'] });
    const eviPorts = await lg<LgPorts>(`vpns/instances/evpn_${NET1}/ports`);
    assert.deepEqual(Object.keys(eviPorts), [tap1]);
    assert.deepEqual(
      eviPorts[tap1]!.endpoints.map((e) => [e.mac_address, e.ip_address]),
      [[MAC1, '10.1.0.11']],
    );
    // vni 101 forced by the agent: the instance is listed under it.
    const perVni = await lg<Record<string, { external_instance_id: string }>>('vpns/instances_per_vni');
    assert.equal(perVni['101']?.external_instance_id, `evpn_${NET1}`);
    await waitFor('the MAC/IP route at the BGP peer', () => macRoute(MAC1) !== undefined);
    assert.deepEqual(macRoute(MAC1)!.routeTargets, ['64512:101']);
    assert.deepEqual((macRoute(MAC1)!.nlri as { labels?: number[] }).labels, [101], 'VNI 101 in the label field');
    assert.equal(macRoute(MAC1)!.nextHop, DAEMON);

    // 3. The bgpvpn extension: an L3 BGPVPN on network 2 (IP VPN), an L2 BGPVPN on network 1.
    reply = await agent.run({ op: 'bgpvpn_net_assoc', assoc: bgpvpnAssoc('a0000000-0000-4000-8000-000000000001', 'l3', NET2, ['64512:200'], '10.2.0.1') });
    assert.deepEqual(reply.requests, [], 'no port of network 2 yet: nothing sent');
    reply = await agent.run({ op: 'bgpvpn_port', data: portData(PORT2, NET2, 102, MAC2, '10.2.0.12') });
    assert.deepEqual(reply.requests, [{ method: 'POST', action: 'attach_localport', status: 200 }]);
    const brq2 = `brq${NET2.slice(0, 11)}`;
    const vrf = await lg<LgInstance>(`vpns/instances/ipvpn_${NET2}`);
    assert.deepEqual(vrf.route_targets, { import: ['target:64512:200'], export: ['target:64512:200'] });
    assert.equal(vrf.gateway_ip, '10.2.0.1');
    assert.equal(vrf.description, `BGPVPN ipvpn associations for net ${NET2} (10.2.0.1)`);
    const vrfPorts = await lg<LgPorts>(`vpns/instances/ipvpn_${NET2}/ports`);
    assert.deepEqual(Object.keys(vrfPorts), [brq2], 'a Linux bridge agent plugs the network bridge into the VRF');
    assert.deepEqual(vrfPorts[brq2]!.endpoints.map((e) => [e.mac_address, e.ip_address, e.description]), [[MAC2, '10.2.0.12', { port: PORT2 }]]);
    await waitFor('the VPN-IPv4 route at the BGP peer', () => seen.vpn('10.2.0.12/32') !== undefined);
    assert.deepEqual(seen.vpn('10.2.0.12/32')!.routeTargets, ['64512:200']);

    await agent.run({ op: 'bgpvpn_net_assoc', assoc: bgpvpnAssoc('a0000000-0000-4000-8000-000000000002', 'l2', NET1, ['64512:300'], '10.1.0.1') });
    reply = await agent.run({ op: 'bgpvpn_port', data: portData(PORT1, NET1, 101, MAC1, '10.1.0.11') });
    // Two E-VPN attachments for the port (ML2 and bgpvpn), both carrying the union of the RTs.
    assert.deepEqual(reply.requests.map((r) => r.action), ['attach_localport', 'attach_localport']);
    const merged = (await lg<LgInstance>(`vpns/instances/evpn_${NET1}`)).route_targets;
    assert.deepEqual([...merged.import].sort(), ['target:64512:101', 'target:64512:300']);
    assert.deepEqual([...merged.export].sort(), ['target:64512:101', 'target:64512:300']);
    await waitFor('the MAC/IP route with both RTs', () => (macRoute(MAC1)?.routeTargets.length ?? 0) === 2);
    assert.deepEqual([...macRoute(MAC1)!.routeTargets].sort(), ['64512:101', '64512:300']);
    assert.deepEqual(Object.keys(await lg<LgPorts>(`vpns/instances/evpn_${NET1}/ports`)), [tap1], 'the same endpoint, attached twice');

    // 4. Port 1 leaves the ML2 extension: detach, then the remaining (bgpvpn) attachment again.
    reply = await agent.run({ op: 'ml2_delete', port_id: PORT1 });
    assert.deepEqual(reply.requests.map((r) => r.action), ['detach_localport', 'attach_localport']);
    const shrunk = await lg<LgInstance>(`vpns/instances/evpn_${NET1}`);
    assert.deepEqual(shrunk.route_targets, { import: ['target:64512:300'], export: ['target:64512:300'] });
    await waitFor('the MAC/IP route with the bgpvpn RT only', () => JSON.stringify(macRoute(MAC1)?.routeTargets) === '["64512:300"]');
    assert.deepEqual(Object.keys(await lg<LgPorts>(`vpns/instances/evpn_${NET1}/ports`)), [tap1]);

    reply = await agent.run({ op: 'bgpvpn_delete', port_id: PORT1 });
    assert.deepEqual(reply.requests.map((r) => r.action), ['detach_localport']);
    assert.deepEqual(await instanceIds(), [`ipvpn_${NET2}`], 'the E-VPN went with its last port');
    await waitFor('the MAC/IP route withdrawn', () => macRoute(MAC1) === undefined);

    // 5. Our daemon restarts: DOWN while it is away, then the new /ping value makes the agent
    //    re-send every registered port.
    await daemon!.stop();
    await waitFor('the VPN-IPv4 route withdrawn by the stopping daemon', () => seen.vpn('10.2.0.12/32') === undefined, 10_000);
    await waitFor('the agent sees our daemon down', async () => (await agent.status()).status === 'DOWN', 10_000, 200);
    const seq2 = await startDaemon();
    assert.notEqual(seq2, seq1, 'a new /ping value after a restart');
    await waitFor('the agent detects the restart', async () => (await agent.status()).seq_num === seq2, 10_000, 200);
    assert.equal((await agent.status()).status, 'UP');
    await waitFor('the IP VPN port re-sent', async () => (await instanceIds()).includes(`ipvpn_${NET2}`), 10_000, 100);
    assert.deepEqual(await instanceIds(), [`ipvpn_${NET2}`], 'only the ports the agent still has');
    const replayed = await lg<LgInstance>(`vpns/instances/ipvpn_${NET2}`);
    assert.deepEqual(replayed.route_targets, vrf.route_targets);
    assert.equal(replayed.description, vrf.description);
    const replayedPorts = await lg<LgPorts>(`vpns/instances/ipvpn_${NET2}/ports`);
    assert.deepEqual(replayedPorts[brq2]!.endpoints.map((e) => [e.mac_address, e.ip_address, e.description]), [[MAC2, '10.2.0.12', { port: PORT2 }]]);
    await waitFor('the VPN-IPv4 route back at the BGP peer', () => seen.vpn('10.2.0.12/32') !== undefined);

    // 6. Attaching again after the restart, then the last detaches.
    reply = await agent.run({ op: 'ml2_port', data: portData(PORT3, NET1, 101, MAC3, '10.1.0.13') });
    assert.deepEqual(reply.requests.map((r) => r.action), ['attach_localport']);
    assert.deepEqual(await instanceIds(), [`evpn_${NET1}`, `ipvpn_${NET2}`]);
    await waitFor('the new MAC/IP route', () => macRoute(MAC3) !== undefined);
    await agent.run({ op: 'ml2_delete', port_id: PORT3 });
    reply = await agent.run({ op: 'bgpvpn_delete', port_id: PORT2 });
    assert.deepEqual(reply.requests.map((r) => r.action), ['detach_localport']);
    assert.deepEqual(await instanceIds(), []);
    await waitFor('every route withdrawn', () => seen.routes(25, 70).length === 0 && seen.routes(1, 128).length === 0);
  } finally {
    await td.run();
  }
});
