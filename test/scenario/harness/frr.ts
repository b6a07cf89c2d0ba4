/**
 * FRR's bgpd alone (no zebra) as a route reflector on loopback (LAB-NOTES "FRR"): its own vty
 * socket directory and pid file, no vty TCP port, `bgp allow-martian-nexthop` so that 127/8 next
 * hops are not turned into withdrawals. Queried with `vtysh --vty_socket DIR -d bgpd -c ... json`.
 * FRR has no RT Constraint.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Daemon, DaemonHarness, requireBinary, run, runOk, type Teardown } from './process.js';

export const FRR_BGPD = '/usr/lib/frr/bgpd';

export interface FrrOptions {
  address: string;
  as: number;
  port: number;
  /** Route-reflector clients (passive neighbours). */
  clients: string[];
  /** FRR address-family names: "ipv4 vpn", "l2vpn evpn". */
  families: string[];
  /** Make the clients route-reflector clients (default true); false: plain iBGP peers, whose
   * routes FRR sends to nobody (the ingestion benchmark's feed). */
  reflect?: boolean;
}

export class FrrBgpd extends DaemonHarness {
  readonly dir: string;

  constructor(
    readonly opts: FrrOptions,
    private readonly teardown: Teardown,
  ) {
    super('bgpd');
    requireBinary(FRR_BGPD);
    requireBinary('vtysh');
    this.dir = teardown.tempDir('frr');
    // bgpd drops privileges to the frr user: it must be able to create its vty socket here.
    chmodSync(this.dir, 0o777);
    writeFileSync(join(this.dir, 'bgpd.conf'), this.config());
  }

  config(): string {
    const o = this.opts;
    const l = [
      'frr defaults traditional',
      'hostname scenario-rr',
      'log stdout informational',
      `router bgp ${o.as}`,
      ` bgp router-id ${o.address}`,
      ' no bgp default ipv4-unicast',
      ' bgp allow-martian-nexthop',
      ` bgp cluster-id ${o.address}`,
    ];
    for (const c of o.clients) l.push(` neighbor ${c} remote-as ${o.as}`, ` neighbor ${c} passive`);
    for (const f of o.families) {
      l.push(` address-family ${f}`);
      for (const c of o.clients) l.push(`  neighbor ${c} activate`, ...((o.reflect ?? true) ? [`  neighbor ${c} route-reflector-client`] : []));
      l.push(' exit-address-family');
    }
    return l.join('\n') + '\n';
  }

  async start(): Promise<void> {
    const d = Daemon.start('bgpd', FRR_BGPD, [
      '-Z', // no zebra
      '-S', // no kernel routes
      '-P', '0', // no vty TCP port
      '-l', this.opts.address,
      '-p', String(this.opts.port),
      '--vty_socket', this.dir,
      '-i', join(this.dir, 'bgpd.pid'),
      '-f', join(this.dir, 'bgpd.conf'),
    ]);
    this.daemon = this.teardown.daemon(d);
    await d.waitReady('FRR bgpd vty up', async () => (await run('vtysh', ['--vty_socket', this.dir, '-d', 'bgpd', '-c', 'show bgp summary json'])).code === 0, 15_000, 100);
  }

  vtysh(command: string): Promise<string> {
    return runOk('vtysh', ['--vty_socket', this.dir, '-d', 'bgpd', '-c', command]);
  }

  async json<T>(command: string): Promise<T> {
    return JSON.parse(await this.vtysh(`${command} json`)) as T;
  }

  /** "Established", "Active"... per neighbour, from `show bgp neighbors json`. */
  async neighborState(address: string): Promise<string | undefined> {
    const n = await this.json<Record<string, { bgpState?: string }>>('show bgp neighbors');
    return n[address]?.bgpState;
  }
}
