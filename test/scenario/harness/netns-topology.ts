/**
 * The issue 5 topology, entirely inside network namespaces this test creates (LAB-NOTES "Linux
 * VXLAN in namespaces"; the network rule: no address on a root-namespace interface, no default
 * route anywhere, all traffic inside these namespaces):
 *
 *   <p>-u   underlay: bridge br0 (10.170.0.254/24), the GoBGP route reflector on that address
 *     │ veth n<i> ── eth0
 *   <p>-n<i> compute node i: eth0 10.170.0.<i>/24, a BGP daemon (ours, the original, FRR…)
 *     │ veth (made by `bagpipe-rest-attach --port netns:<hostIf>`, host side in the node)
 *   <p>-e<name> endpoint ("VM"): tovpn with the endpoint's MAC and address, no default route
 *
 * `<p>` is `bgl` plus a suffix of the PID (namespace names are global; interface names are per
 * namespace, so they are short constants). IPv6 is disabled in every namespace (no link-local
 * chatter). Teardown (the caller's Teardown) stops every process started here and deletes every
 * namespace, which deletes every veth, bridge and VXLAN device in them.
 *
 * Our daemon's REST API listens on 127.0.0.1:8082 inside its node namespace; the test reaches it
 * through a small relay process started in that namespace, listening on a Unix socket in a
 * temporary directory (so the test process never needs an address in the namespace).
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { waitFor } from '../../helpers/wait.js';
import { GoBgp, type GoBgpOptions } from './gobgp.js';
import { Daemon, run, runOk, type RunResult, type Teardown } from './process.js';
import { commandPath } from '../../../src/cli/command-path.js';

/** A compiled command of ours (`bagpipe-bgp`, `bagpipe-rest-attach`…). */
export function ourCommand(name: string): string {
  return commandPath(name);
}

export const AS = 64512;
export const RR_ADDRESS = '10.170.0.254';
export const FAMILIES = ['l2vpn-evpn', 'rtc', 'l3vpn-ipv4-unicast'];

/** Runs a command inside a namespace (`ip netns exec`). */
export function inNs(ns: string, argv: readonly string[], timeoutMs?: number): Promise<RunResult> {
  return run('ip', ['netns', 'exec', ns, ...argv], timeoutMs === undefined ? {} : { timeoutMs });
}
export function inNsOk(ns: string, argv: readonly string[], timeoutMs?: number): Promise<string> {
  return runOk('ip', ['netns', 'exec', ns, ...argv], timeoutMs === undefined ? {} : { timeoutMs });
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** An HTTP request over a Unix socket (the relay into a namespace). */
export function httpOverSocket(socketPath: string, method: string, path: string, body?: unknown): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({ socketPath, method, path, headers: data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}, timeout: 30_000 }, (res) => {
      let b = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (b += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timeout`)));
    req.end(data);
  });
}

/** Relays a Unix socket to a TCP address inside the namespace it runs in. */
/** The daemon's REST API answers /ping (through the node's relay). */
async function apiUp(node: ComputeNode): Promise<boolean> {
  try {
    return (await node.api('GET', '/ping')).status === 200;
  } catch {
    return false;
  }
}

const RELAY = `
const net = require('node:net');
const [sock, host, port] = process.argv.slice(1);
net.createServer((c) => {
  const u = net.connect(Number(port), host);
  c.pipe(u).pipe(c);
  u.on('error', () => c.destroy());
  c.on('error', () => u.destroy());
}).listen(sock, () => process.stdout.write('LISTENING\\n'));
`;

export interface Endpoint {
  /** Short name; the namespace is `<prefix>-e<name>`. */
  readonly name: string;
  readonly ns: string;
  readonly node: ComputeNode;
  /** Host side of the veth, in the node namespace. */
  readonly hostIf: string;
  readonly mac: string;
  /** Address without length. */
  readonly ip: string;
  readonly plen: number;
  readonly vpnInstanceId: string;
  readonly rt: string;
  readonly vni: number;
  readonly networkType?: 'evpn' | 'ipvpn';
  readonly extraArgs?: string[];
}

export interface EndpointSpec {
  name: string;
  mac: string;
  ip: string;
  plen?: number;
  vpnInstanceId: string;
  rt: string;
  vni: number;
  /** `--network-type` (default evpn). */
  networkType?: 'evpn' | 'ipvpn';
  /** More options of bagpipe-rest-attach (`--advertise-subnet`, `--ovs-vlan 5`…), on attach and detach. */
  extraArgs?: string[];
}

/** A compute node namespace, and whatever daemon runs there. */
export class ComputeNode {
  /** The REST API config file the client commands use (written by startOurDaemon). */
  conf: string | undefined;
  daemon: Daemon | undefined;
  /** The daemon's log file, when it writes one (the original daemon). */
  logFile: string | undefined;
  /** Unix socket relaying to the daemon's REST API. */
  apiSocket: string | undefined;

  constructor(
    readonly topo: NetnsTopology,
    readonly index: number,
    readonly ns: string,
    readonly address: string,
    readonly dir: string,
  ) {}

  exec(argv: readonly string[]): Promise<RunResult> {
    return inNs(this.ns, argv);
  }
  execOk(argv: readonly string[]): Promise<string> {
    return inNsOk(this.ns, argv);
  }

  /** `ip -json …` / `bridge -json …` inside the node, parsed. */
  async json<T>(argv: readonly string[]): Promise<T[]> {
    const out = (await this.execOk(argv)).trim();
    return out === '' ? [] : (JSON.parse(out) as T[]);
  }

  /** An HTTP request to the daemon's REST API (through the relay). */
  api(method: string, path: string, body?: unknown): Promise<HttpAnswer> {
    if (!this.apiSocket) throw new Error(`no API relay on ${this.ns}`);
    return httpOverSocket(this.apiSocket, method, path, body);
  }

  async lookingGlass<T>(path: string): Promise<T | undefined> {
    const r = await this.api('GET', `/looking-glass/${path}`);
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new Error(`GET looking-glass/${path} → ${r.status}: ${r.body}`);
    return JSON.parse(r.body) as T;
  }

  tail(lines = 60): string {
    let log = '';
    if (this.logFile) {
      try {
        log = `\n--- ${this.logFile} ---\n${readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n')}`;
      } catch {
        // not written yet
      }
    }
    return (this.daemon?.tail(lines) ?? `(no daemon on ${this.ns})`) + log;
  }
}

export interface OurDaemonOptions {
  /** Extra lines of bgp.conf, by section (`{ DATAPLANE_DRIVER_EVPN: ['adoption_hold_time = 2'] }`). */
  readonly extra?: Record<string, string[]>;
  readonly evpnDriver?: string;
  /** `[DATAPLANE_DRIVER_IPVPN] dataplane_driver` (default dummy). */
  readonly ipvpnDriver?: string;
  /** Environment of the daemon (OVS_RUNDIR for a private Open vSwitch). */
  readonly env?: Record<string, string>;
  readonly debug?: boolean;
}

export class NetnsTopology {
  readonly underlay: string;
  readonly nodes: ComputeNode[] = [];
  readonly endpoints = new Map<string, Endpoint>();
  rr: GoBgp | undefined;
  private readonly dir: string;

  private constructor(
    readonly prefix: string,
    private readonly td: Teardown,
  ) {
    this.underlay = `${prefix}-u`;
    this.dir = td.tempDir(prefix);
  }

  /** Creates the underlay and `nodes` compute-node namespaces; everything is removed at teardown. */
  static async create(td: Teardown, nodes: number, suffix = String(process.pid % 100_000), prefix = 'bgl'): Promise<NetnsTopology> {
    const t = new NetnsTopology(`${prefix}${suffix}`, td);
    await t.addNamespace(t.underlay);
    await inNsOk(t.underlay, ['ip', 'link', 'add', 'br0', 'type', 'bridge', 'forward_delay', '0', 'stp_state', '0']);
    await inNsOk(t.underlay, ['ip', 'addr', 'add', `${RR_ADDRESS}/24`, 'dev', 'br0']);
    await inNsOk(t.underlay, ['ip', 'link', 'set', 'br0', 'up']);
    for (let i = 1; i <= nodes; i++) {
      const ns = `${t.prefix}-n${i}`;
      await t.addNamespace(ns);
      await runOk('ip', ['-n', t.underlay, 'link', 'add', `n${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      await inNsOk(t.underlay, ['ip', 'link', 'set', `n${i}`, 'master', 'br0', 'up']);
      const address = `10.170.0.${i}`;
      await inNsOk(ns, ['ip', 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
      await inNsOk(ns, ['ip', 'link', 'set', 'eth0', 'up']);
      const dir = join(t.dir, `n${i}`);
      await runOk('mkdir', ['-p', dir]);
      t.nodes.push(new ComputeNode(t, i, ns, address, dir));
    }
    return t;
  }

  /** A namespace with lo up and IPv6 off, deleted at teardown. */
  async addNamespace(ns: string): Promise<void> {
    await runOk('ip', ['netns', 'add', ns]);
    this.td.add(() => run('ip', ['netns', 'del', ns]));
    await inNsOk(ns, ['ip', 'link', 'set', 'lo', 'up']);
    for (const k of ['all', 'default']) await inNsOk(ns, ['sysctl', '-qw', `net.ipv6.conf.${k}.disable_ipv6=1`]);
  }

  /** GoBGP as route reflector inside the underlay namespace, every node a client. */
  async startRouteReflector(families = FAMILIES, options: Pick<GoBgpOptions, 'gracefulRestart'> = {}): Promise<GoBgp> {
    this.rr = new GoBgp(
      { address: RR_ADDRESS, as: AS, port: 179, apiPort: 50051, netns: this.underlay, neighbors: this.nodes.map((n) => ({ address: n.address, families })), ...options },
      this.td,
    );
    await this.rr.start();
    return this.rr;
  }

  /** The bgp.conf of our daemon on a node: peers with the RR, REST API on 127.0.0.1:8082 in the node. */
  ourConfig(node: ComputeNode, o: OurDaemonOptions = {}): string {
    const sections: Record<string, string[]> = {
      BGP: [`local_address = ${node.address}`, `peers = ${RR_ADDRESS}`, `my_as = ${AS}`, 'enable_rtc = True'],
      API: ['host = 127.0.0.1', 'port = 8082'],
      COMMON: ['root_helper ='],
      DATAPLANE_DRIVER_EVPN: [`dataplane_driver = ${o.evpnDriver ?? 'linux'}`],
      DATAPLANE_DRIVER_IPVPN: [`dataplane_driver = ${o.ipvpnDriver ?? 'dummy'}`],
    };
    for (const [s, lines] of Object.entries(o.extra ?? {})) sections[s] = [...(sections[s] ?? []), ...lines];
    return Object.entries(sections)
      .map(([s, lines]) => `[${s}]\n${lines.join('\n')}\n`)
      .join('\n');
  }

  /** Writes the node's config (the client commands read its [API] section too). */
  writeConfig(node: ComputeNode, text: string): string {
    const conf = join(node.dir, 'bgp.conf');
    writeFileSync(conf, text);
    node.conf = conf;
    return conf;
  }

  /** Starts a relay from a Unix socket to 127.0.0.1:<port> inside the node (once). */
  async apiRelay(node: ComputeNode, port = 8082): Promise<void> {
    if (node.apiSocket) return;
    const sock = join(node.dir, 'api.sock');
    const d = this.td.daemon(Daemon.start(`api relay ${node.ns}`, 'ip', ['netns', 'exec', node.ns, process.execPath, '-e', RELAY, sock, '127.0.0.1', String(port)]));
    await d.waitReady(`API relay in ${node.ns}`, () => d.output.includes('LISTENING'));
    node.apiSocket = sock;
  }

  /** Our daemon (dist/bin/bagpipe-bgp.js) inside a node namespace; resolves once its API answers. */
  async startOurDaemon(node: ComputeNode, o: OurDaemonOptions = {}): Promise<Daemon> {
    const conf = this.writeConfig(node, this.ourConfig(node, o));
    const args = ['netns', 'exec', node.ns, process.execPath, ourCommand('bagpipe-bgp'), '--config-file', conf, ...(o.debug ? ['--debug'] : [])];
    const d = this.td.daemon(Daemon.start(`bagpipe-bgp ${node.ns}`, 'ip', args, o.env ? { env: o.env } : {}));
    node.daemon = d;
    await this.apiRelay(node);
    await d.waitReady(`our daemon's API in ${node.ns}`, () => apiUp(node), 20_000, 100);
    return d;
  }

  /**
   * The original BaGPipe-BGP (Debian python3-networking-bagpipe) inside a node namespace with its
   * `linux` E-VPN driver, configured like ours (LAB-NOTES "The original daemon"): Debian's
   * python3, `debug` off, a no-op `modprobe` first in PATH (no /lib/modules here), the privsep
   * helper run directly, root_helper empty. Its REST API is on 127.0.0.1:8082 in the node.
   * It needs `brctl` (bridge-utils). Known: its E-VPN detach fails (HTTP 500).
   */
  async startOriginalDaemon(node: ComputeNode): Promise<Daemon> {
    const bin = join(node.dir, 'bin');
    await runOk('mkdir', ['-p', bin]);
    writeFileSync(join(bin, 'modprobe'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(bin, 'modprobe'), 0o755);
    const conf = this.writeConfig(
      node,
      [
        '[BGP]',
        `local_address = ${node.address}`,
        `peers = ${RR_ADDRESS}`,
        `my_as = ${AS}`,
        'enable_rtc = True',
        '[API]',
        'host = 127.0.0.1',
        'port = 8082',
        '[COMMON]',
        'root_helper =',
        '[privsep]',
        'helper_command = privsep-helper',
        '[DATAPLANE_DRIVER_IPVPN]',
        'dataplane_driver = dummy',
        '[DATAPLANE_DRIVER_EVPN]',
        'dataplane_driver = linux',
        '',
      ].join('\n'),
    );
    const logFile = join(node.dir, 'bagpipe.log');
    const d = this.td.daemon(
      Daemon.start(`original bagpipe-bgp ${node.ns}`, 'ip', [
        'netns', 'exec', node.ns, 'env', `PATH=${bin}:${process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`,
        '/usr/bin/python3', '/usr/bin/bagpipe-bgp', '--config-file', conf, '--log-file', logFile,
      ], { cwd: node.dir }),
    );
    node.daemon = d;
    node.logFile = logFile;
    await this.apiRelay(node);
    await d.waitReady(`the original daemon's API in ${node.ns}`, () => apiUp(node), 60_000, 200, () => node.tail());
    return d;
  }

  /**
   * FRR (zebra + bgpd) inside a node namespace as a VTEP (LAB-NOTES "FRR"): a bridge `br<vni>`
   * with a VXLAN device `vxlan<vni>` (local = the node's address, learning off, ARP suppression
   * on the bridge port), and bgpd peering
   * with the RR with `advertise-all-vni` (zebra reads the devices; RD and RT auto: RT = AS:VNI).
   * Returns the directory of its vty sockets.
   */
  async startFrrVtep(node: ComputeNode, vni: number): Promise<string> {
    const br = `br${vni}`;
    const vx = `vxlan${vni}`;
    await node.execOk(['ip', 'link', 'add', br, 'type', 'bridge', 'forward_delay', '0', 'stp_state', '0']);
    await node.execOk(['ip', 'link', 'add', vx, 'type', 'vxlan', 'id', String(vni), 'local', node.address, 'dstport', '4789', 'nolearning']);
    await node.execOk(['ip', 'link', 'set', vx, 'master', br, 'up']);
    // ARP suppression, as FRR E-VPN deployments do: a VXLAN device with `proxy` (ours, the
    // original's) answers ARP from its neighbour entries and never sends ARP through the tunnel.
    await node.execOk(['bridge', 'link', 'set', 'dev', vx, 'neigh_suppress', 'on']);
    await node.execOk(['ip', 'link', 'set', br, 'up']);
    // FRR drops privileges to its user: its directory must be reachable (tempDir is in /tmp).
    const dir = this.td.tempDir(`${this.prefix}-frr`);
    chmodSync(dir, 0o777);
    writeFileSync(join(dir, 'zebra.conf'), 'hostname frr-vtep\n');
    writeFileSync(
      join(dir, 'bgpd.conf'),
      [
        'frr defaults traditional',
        'hostname frr-vtep',
        'log stdout informational',
        `router bgp ${AS}`,
        ` bgp router-id ${node.address}`,
        ' no bgp default ipv4-unicast',
        ` neighbor ${RR_ADDRESS} remote-as ${AS}`,
        ' address-family l2vpn evpn',
        `  neighbor ${RR_ADDRESS} activate`,
        '  advertise-all-vni',
        ' exit-address-family',
        '',
      ].join('\n'),
    );
    const zserv = join(dir, 'zserv.api');
    const zebra = this.td.daemon(
      Daemon.start(`zebra ${node.ns}`, 'ip', ['netns', 'exec', node.ns, '/usr/lib/frr/zebra', '-z', zserv, '-i', join(dir, 'zebra.pid'), '--vty_socket', dir, '-f', join(dir, 'zebra.conf')]),
    );
    await zebra.waitReady('zebra up', async () => (await run('vtysh', ['--vty_socket', dir, '-d', 'zebra', '-c', 'show version'])).code === 0);
    const bgpd = this.td.daemon(
      Daemon.start(`bgpd ${node.ns}`, 'ip', ['netns', 'exec', node.ns, '/usr/lib/frr/bgpd', '-z', zserv, '-P', '0', '-i', join(dir, 'bgpd.pid'), '--vty_socket', dir, '-f', join(dir, 'bgpd.conf')]),
    );
    node.daemon = bgpd;
    await bgpd.waitReady('bgpd up', async () => (await run('vtysh', ['--vty_socket', dir, '-d', 'bgpd', '-c', 'show bgp summary json'])).code === 0);
    return dir;
  }

  /** Waits until the RR has an Established session with each given node. */
  async waitEstablished(nodes: readonly ComputeNode[] = this.nodes, timeoutMs = 30_000): Promise<void> {
    const rr = this.rr!;
    for (const n of nodes) {
      await waitFor(`RR session with ${n.address} Established`, async () => (await rr.neighborState(n.address)) === 'established', timeoutMs, 200).catch((e: Error) => {
        throw new Error(`${e.message}\n${n.tail()}\n${rr.tail()}`);
      });
    }
  }

  /**
   * `bagpipe-rest-attach --attach --network-type evpn --port netns:<hostIf> --netns <ns> …`, run in
   * the node's network namespace (nsenter: the endpoint namespace it creates stays visible).
   * The endpoint namespace is created first here (IPv6 off; the command tolerates it existing).
   */
  async attach(node: ComputeNode, spec: EndpointSpec): Promise<Endpoint> {
    const ns = `${this.prefix}-e${spec.name}`;
    if (![...this.endpoints.values()].some((e) => e.ns === ns)) await this.addNamespace(ns);
    const ep: Endpoint = { ...spec, plen: spec.plen ?? 24, ns, node, hostIf: `tap-${spec.name}`.slice(0, 15) };
    const r = await this.restAttach(node, 'attach', ep);
    if (r.code !== 0) throw new Error(`bagpipe-rest-attach --attach failed (${r.code}): ${r.stderr}${r.stdout}\n${node.tail()}`);
    this.endpoints.set(spec.name, ep);
    return ep;
  }

  /**
   * An endpoint namespace plugged by hand, without bagpipe-rest-attach: veth `tap-<name>` in the
   * node, up, and in `bridge` when one is given (a VTEP that is not a bagpipe daemon, e.g. FRR),
   * else left for the daemon's driver to plug (the `ovs` IP VPN driver adds it to its bridge);
   * `nsIf` (default `tovpn`) with the endpoint's MAC and address in the endpoint namespace,
   * `<prefix>-e<name>` unless `ns` names another one (several ports in one namespace: a service
   * function's ingress and egress).
   */
  async plainEndpoint(node: ComputeNode, spec: EndpointSpec, bridge?: string, o: { ns?: string; nsIf?: string } = {}): Promise<Endpoint> {
    const ns = o.ns ?? `${this.prefix}-e${spec.name}`;
    const nsIf = o.nsIf ?? 'tovpn';
    if (![...this.endpoints.values()].some((e) => e.ns === ns)) await this.addNamespace(ns);
    const ep: Endpoint = { ...spec, plen: spec.plen ?? 24, ns, node, hostIf: `tap-${spec.name}`.slice(0, 15) };
    await node.execOk(['ip', 'link', 'add', ep.hostIf, 'type', 'veth', 'peer', 'name', nsIf, 'netns', ns]);
    await node.execOk(['ip', 'link', 'set', ep.hostIf, ...(bridge === undefined ? [] : ['master', bridge]), 'up']);
    await inNsOk(ns, ['ip', 'link', 'set', nsIf, 'address', ep.mac, 'mtu', '1420', 'up']);
    await inNsOk(ns, ['ip', 'addr', 'add', `${ep.ip}/${ep.plen}`, 'dev', nsIf]);
    this.endpoints.set(spec.name, ep);
    return ep;
  }

  async detach(ep: Endpoint): Promise<void> {
    const r = await this.restAttach(ep.node, 'detach', ep);
    if (r.code !== 0) throw new Error(`bagpipe-rest-attach --detach failed (${r.code}): ${r.stderr}${r.stdout}\n${ep.node.tail()}`);
  }

  /**
   * The attach request `bagpipe-rest-attach` sends for an endpoint, posted to the REST API
   * directly, as an orchestrator re-sends its attachments after a daemon restart (the port
   * exists: rest-attach would re-create it).
   */
  async attachOverApi(ep: Endpoint): Promise<HttpAnswer> {
    const gateway = ep.ip.split('.').slice(0, 3).join('.') + '.254';
    return ep.node.api('POST', '/attach_localport', {
      import_rt: [ep.rt],
      export_rt: [ep.rt],
      local_port: { linuxif: ep.hostIf },
      vpn_instance_id: ep.vpnInstanceId,
      vpn_type: 'evpn',
      gateway_ip: gateway,
      mac_address: ep.mac,
      ip_address: `${ep.ip}/${ep.plen}`,
      advertise_subnet: false,
      lb_consistent_hash_order: 0,
      vni: ep.vni,
      direction: 'both',
    });
  }

  restAttach(node: ComputeNode, op: 'attach' | 'detach', ep: Endpoint): Promise<RunResult> {
    if (!node.conf) throw new Error(`no config written for ${node.ns}`);
    return run(
      'nsenter',
      [
        `--net=/run/netns/${node.ns}`,
        '--',
        process.execPath,
        ourCommand('bagpipe-rest-attach'),
        '--config-file',
        node.conf,
        `--${op}`,
        '--network-type',
        ep.networkType ?? 'evpn',
        '--port',
        `netns:${ep.hostIf}`,
        '--netns',
        ep.ns,
        '--mac',
        ep.mac,
        '--ip',
        `${ep.ip}/${ep.plen}`,
        '--vpn-instance-id',
        ep.vpnInstanceId,
        '--rt',
        ep.rt,
        '--vni',
        String(ep.vni),
        ...(ep.extraArgs ?? []),
      ],
      { timeoutMs: 30_000 },
    );
  }

  /** One ping from an endpoint (true when answered). */
  async ping(from: Endpoint, to: string, count = 1, waitS = 1): Promise<boolean> {
    return (await inNs(from.ns, ['ping', '-n', '-q', '-c', String(count), '-W', String(waitS), to], (count + waitS + 2) * 1000)).code === 0;
  }

  /**
   * A continuous ping (every `intervalMs`) from an endpoint; `stop()` ends it and tells how many
   * were answered and the longest run of unanswered ones, in milliseconds.
   */
  pingProbe(from: Endpoint, to: string, intervalMs = 100): { stop: () => Promise<{ sent: number; received: number; longestGapMs: number }> } {
    const d = this.td.daemon(Daemon.start(`ping ${from.ns}`, 'ip', ['netns', 'exec', from.ns, 'ping', '-n', '-i', String(intervalMs / 1000), '-W', '1', to]));
    return {
      stop: async () => {
        await d.stop('SIGINT');
        const seqs = [...d.output.matchAll(/icmp_seq=(\d+) /g)].map((m) => Number(m[1]));
        const sent = Number(/(\d+) packets transmitted/.exec(d.output)?.[1] ?? 0);
        let gap = 0;
        let prev = 0;
        for (const q of [...seqs, sent + 1]) {
          gap = Math.max(gap, q - prev - 1);
          prev = q;
        }
        return { sent, received: seqs.length, longestGapMs: gap * intervalMs };
      },
    };
  }

  /** Waits until a ping from an endpoint is answered. */
  async waitPing(from: Endpoint, to: string, timeoutMs = 15_000): Promise<void> {
    await waitFor(`ping ${from.name} → ${to}`, () => this.ping(from, to), timeoutMs, 0);
  }

  /**
   * A TCP transfer: a node.js server in `to`'s namespace counts the bytes it receives and sends
   * the count back; a client in `from`'s namespace sends `bytes` bytes. Resolves with the count.
   */
  async tcpTransfer(from: Endpoint, to: Endpoint, bytes: number, port = 5001): Promise<{ received: number; ms: number }> {
    const server = Daemon.start(`tcp server ${to.ns}`, 'ip', [
      'netns', 'exec', to.ns, process.execPath, '-e',
      `const s = require('node:net').createServer((c) => { let n = 0; c.on('data', (b) => (n += b.length)); c.on('end', () => { c.end(String(n)); s.close(); }); });
       s.listen(${port}, '${to.ip}', () => process.stdout.write('LISTENING\\n'));`,
    ]);
    try {
      await server.waitReady('TCP server listening', () => server.output.includes('LISTENING'));
      const t0 = Date.now();
      const out = await inNsOk(
        from.ns,
        [
          process.execPath, '-e',
          `const c = require('node:net').connect(${port}, '${to.ip}', () => { c.end(Buffer.alloc(${bytes}, 7)); });
           let a = ''; c.on('data', (d) => (a += d)); c.on('end', () => process.stdout.write(a)); c.setTimeout(10000, () => { console.error('timeout'); process.exit(3); });`,
        ],
        20_000,
      );
      return { received: Number(out.trim()), ms: Date.now() - t0 };
    } finally {
      await server.stop('SIGKILL');
    }
  }
}
