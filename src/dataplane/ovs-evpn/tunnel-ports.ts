/**
 * VXLAN tunnel ports of the tunnel bridge, one per remote VTEP, shared by every EVI and
 * reference-counted by (instance, user): created with the first user, deleted with the last
 * (spec dataplane.md §7). Named and configured as the Neutron OVS agent names and configures its
 * own (`vxlan-<remote IPv4 as 8 hex digits>`, `df_default=true`, `in_key=flow`, `out_key=flow`,
 * `local_ip`, `remote_ip`), so that either side finds the other's port. A port the agent (or
 * anyone) made is used and left in place; only ports we created (marked in OVSDB) are deleted.
 */
import type { Logger } from '../../util/logger.js';
import type { FlowSync } from '../ovs/flow-sync.js';
import type { Vsctl } from '../ovs/vsctl.js';
import { tunnelInputFlow } from './evi-flows.js';

export const OWNER_KEY = 'bagpipe-bgp';

export function tunnelPortName(remoteIp: string): string {
  const hex = remoteIp
    .split('.')
    .map((o) => Number(o).toString(16).padStart(2, '0'))
    .join('');
  return `vxlan-${hex}`;
}

interface Tunnel {
  readonly name: string;
  readonly ofport: number;
  readonly owned: boolean;
  readonly users: Set<string>;
}

export class TunnelPorts {
  private readonly tunnels = new Map<string, Tunnel>();
  private readonly creating = new Map<string, Promise<Tunnel>>();

  constructor(
    private readonly bridge: string,
    private readonly localIp: string,
    private readonly vsctl: Vsctl,
    private readonly sync: FlowSync,
    private readonly log: Logger,
  ) {}

  /** The tunnel port to `remoteIp`, counting `user` among its users. */
  async acquire(remoteIp: string, user: string): Promise<number> {
    let t = this.tunnels.get(remoteIp);
    if (!t) {
      let p = this.creating.get(remoteIp);
      if (!p) {
        p = this.create(remoteIp).finally(() => this.creating.delete(remoteIp));
        this.creating.set(remoteIp, p);
      }
      t = await p;
    }
    t.users.add(user);
    return t.ofport;
  }

  /** Drops a user; the last one deletes a port we created. */
  async release(remoteIp: string, user: string): Promise<void> {
    const t = this.tunnels.get(remoteIp);
    if (!t || !t.users.delete(user) || t.users.size > 0) return;
    this.tunnels.delete(remoteIp);
    if (!t.owned) return;
    this.sync.deleteFlow(tunnelInputFlow(t.ofport));
    await this.sync.flush();
    await this.vsctl.deletePort(this.bridge, t.name);
    this.log.log('info', `tunnel ${t.name} to ${remoteIp} deleted`);
  }

  private async create(remoteIp: string): Promise<Tunnel> {
    const name = tunnelPortName(remoteIp);
    const existing = await this.vsctl.portBridge(name);
    let owned = true;
    let ofport: number | undefined;
    if (existing === this.bridge) {
      ofport = await this.vsctl.ofport(name);
      owned = (await this.vsctl.run(['--if-exists', 'get', 'Port', name, `external_ids:${OWNER_KEY}`], { acceptable: [0, 1] })).stdout.trim() !== '';
    }
    if (ofport === undefined) {
      owned = true;
      await this.vsctl.run([
        '--may-exist',
        'add-port',
        this.bridge,
        name,
        '--',
        'set',
        'Interface',
        name,
        'type=vxlan',
        'options:df_default=true',
        'options:egress_pkt_mark=0',
        'options:in_key=flow',
        `options:local_ip=${this.localIp}`,
        'options:out_key=flow',
        `options:remote_ip=${remoteIp}`,
        '--',
        'set',
        'Port',
        name,
        `external_ids:${OWNER_KEY}=tunnel`,
      ]);
      ofport = await this.vsctl.ofport(name);
      if (ofport === undefined) {
        await this.vsctl.deletePort(this.bridge, name);
        throw new Error(`VXLAN tunnel port ${name} to ${remoteIp} could not be created on ${this.bridge}`);
      }
      this.log.log('info', `tunnel ${name} to ${remoteIp}: port ${ofport}`);
    }
    if (owned) this.sync.setFlow(tunnelInputFlow(ofport));
    const t: Tunnel = { name, ofport, owned, users: new Set() };
    this.tunnels.set(remoteIp, t);
    return t;
  }

  lookingGlass(): Record<string, unknown> {
    return Object.fromEntries([...this.tunnels].map(([ip, t]) => [ip, { port: t.name, ofport: t.ofport, created_by_us: t.owned, users: [...t.users].sort() }]));
  }
}
