/**
 * GoBGP (Debian gobgpd 3.x) as a route reflector on loopback (LAB-NOTES "GoBGP as route
 * reflector"): one config file, passive route-reflector-client neighbours, the gRPC API on its own
 * address and port (never the :50051 default), no pprof. Queried with the gobgp CLI's JSON output.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Daemon, DaemonHarness, requireBinary, run, runOk, type Teardown } from './process.js';

export interface GoBgpNeighbor {
  address: string;
  /** GoBGP afi-safi names: l3vpn-ipv4-unicast, l2vpn-evpn, rtc, l3vpn-ipv4-flowspec... */
  families: string[];
  routeReflectorClient?: boolean;
}

export interface GoBgpOptions {
  address: string;
  as: number;
  port: number;
  apiPort: number;
  neighbors: GoBgpNeighbor[];
  /** Run gobgpd (and the gobgp CLI) inside this network namespace (`ip netns exec`). */
  netns?: string;
  /**
   * Graceful restart helper for every neighbour (RFC 4724 §4.2): GoBGP keeps the routes of a
   * neighbour whose session drops without a NOTIFICATION, as stale, for the families its
   * capability listed, until its End-of-RIB or the restart time it announced. `helper-only`:
   * GoBGP announces no family of its own. Without this, GoBGP ignores the capability and
   * withdraws a neighbour's routes as soon as its session drops.
   */
  gracefulRestart?: { restartTime: number };
}

/** A route as `gobgp ... -j` shows it, flattened. */
export interface GoRoute {
  /** "10.0.0.0/24" for VPN-IPv4; the NLRI's JSON otherwise. */
  prefix: string | undefined;
  /** "64512:1" or "127.0.0.1:1". */
  rd: string | undefined;
  labels: number[];
  nextHop: string | undefined;
  /** Route targets and other extended communities as GoBGP prints them ("64512:1"). */
  extCommunities: { type: number; subtype: number; value: string }[];
  localPref: number | undefined;
  raw: unknown;
}

interface GoJsonPath {
  nlri: { prefix?: string; labels?: number[]; rd?: { type: number; admin: number | string; assigned: number } };
  attrs: { type: number; value?: unknown; nexthop?: string }[];
}

function flatten(p: GoJsonPath): GoRoute {
  const rd = p.nlri.rd;
  const ec = p.attrs.find((a) => a.type === 16)?.value as GoRoute['extCommunities'] | undefined;
  const lp = p.attrs.find((a) => a.type === 5)?.value;
  return {
    prefix: p.nlri.prefix,
    rd: rd ? `${rd.admin}:${rd.assigned}` : undefined,
    labels: p.nlri.labels ?? [],
    nextHop: p.attrs.find((a) => a.type === 14)?.nexthop ?? (p.attrs.find((a) => a.type === 3)?.value as string | undefined),
    extCommunities: ec ?? [],
    localPref: typeof lp === 'number' ? lp : undefined,
    raw: p,
  };
}

export class GoBgp extends DaemonHarness {
  private readonly confPath: string;

  constructor(
    readonly opts: GoBgpOptions,
    private readonly teardown: Teardown,
  ) {
    super('gobgpd');
    requireBinary('gobgpd');
    requireBinary('gobgp');
    this.confPath = join(teardown.tempDir('gobgp'), 'gobgpd.toml');
    writeFileSync(this.confPath, this.config());
  }

  config(): string {
    const o = this.opts;
    const lines = [
      '[global.config]',
      `  as = ${o.as}`,
      `  router-id = "${o.address}"`,
      `  port = ${o.port}`,
      `  local-address-list = ["${o.address}"]`,
    ];
    for (const n of o.neighbors) {
      lines.push(
        '',
        '[[neighbors]]',
        '  [neighbors.config]',
        `    neighbor-address = "${n.address}"`,
        `    peer-as = ${o.as}`,
        '  [neighbors.transport.config]',
        '    passive-mode = true',
        `    local-address = "${o.address}"`,
        // Reconnect quickly after an administrative reset (default 30 s). After a session drop
        // GoBGP stays Idle, refusing connections, for a fixed 5 s whatever this says.
        '  [neighbors.timers.config]',
        '    idle-hold-time-after-reset = 1',
      );
      if (o.gracefulRestart)
        lines.push('  [neighbors.graceful-restart.config]', '    enabled = true', '    helper-only = true', `    restart-time = ${o.gracefulRestart.restartTime}`);
      if (n.routeReflectorClient ?? true) {
        lines.push('  [neighbors.route-reflector.config]', '    route-reflector-client = true', `    route-reflector-cluster-id = "${o.address}"`);
      }
      for (const f of n.families) lines.push('  [[neighbors.afi-safis]]', '    [neighbors.afi-safis.config]', `      afi-safi-name = "${f}"`);
    }
    return lines.join('\n') + '\n';
  }

  /** Starts gobgpd and waits until its API answers. */
  async start(): Promise<void> {
    const [cmd, args] = this.inNetns('gobgpd', ['-f', this.confPath, '--api-hosts', `${this.opts.address}:${this.opts.apiPort}`, '--pprof-disable']);
    const d = Daemon.start('gobgpd', cmd, args);
    this.daemon = this.teardown.daemon(d);
    await d.waitReady('gobgpd API up', async () => (await run(...this.inNetns('gobgp', this.api(['global'])))).code === 0, 15_000, 100);
  }

  /** The command line of a GoBGP program, inside the namespace when there is one. */
  private inNetns(bin: string, args: string[]): [string, string[]] {
    return this.opts.netns === undefined ? [bin, args] : ['ip', ['netns', 'exec', this.opts.netns, bin, ...args]];
  }

  private api(args: string[]): string[] {
    return ['-u', this.opts.address, '-p', String(this.opts.apiPort), ...args];
  }

  /** Runs a gobgp CLI command; throws on failure. */
  cli(...args: string[]): Promise<string> {
    return runOk(...this.inNetns('gobgp', this.api(args)));
  }

  async json<T>(...args: string[]): Promise<T> {
    const out = await this.cli(...args, '-j');
    return JSON.parse(out.trim() || 'null') as T;
  }

  /** "established", "active", "idle"... or undefined when the neighbour is unknown. */
  async neighborState(address: string): Promise<string | undefined> {
    const list = await this.json<{ state: { neighbor_address: string; session_state?: number } }[]>('neighbor');
    const n = list.find((x) => x.state.neighbor_address === address);
    if (!n) return undefined;
    const names = ['unknown', 'idle', 'connect', 'active', 'opensent', 'openconfirm', 'established'];
    return names[n.state.session_state ?? 0] ?? String(n.state.session_state);
  }

  /** The global RIB of a family (`-a vpnv4`, `evpn`, `rtc`, `ipv4-l3vpn-flowspec`...). */
  async rib(family: string): Promise<GoRoute[]> {
    const r = await this.json<Record<string, GoJsonPath[]> | null>('global', 'rib', '-a', family);
    return Object.values(r ?? {}).flatMap((paths) => paths.map(flatten));
  }

  /** What a neighbour sent (Adj-RIB-In). */
  async adjIn(neighbor: string, family: string): Promise<GoRoute[]> {
    const r = await this.json<Record<string, GoJsonPath[]> | null>('neighbor', neighbor, 'adj-in', '-a', family);
    return Object.values(r ?? {}).flatMap((paths) => paths.map(flatten));
  }

  /** What GoBGP sends a neighbour (Adj-RIB-Out). */
  async adjOut(neighbor: string, family: string): Promise<GoRoute[]> {
    const r = await this.json<Record<string, GoJsonPath[]> | null>('neighbor', neighbor, 'adj-out', '-a', family);
    return Object.values(r ?? {}).flatMap((paths) => paths.map(flatten));
  }
}
