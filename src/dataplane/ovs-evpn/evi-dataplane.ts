/**
 * One EVI in the `ovs` E-VPN driver (spec dataplane.md §7): the network's local VLAN in br-int
 * (`local_port.vlan`, given by the Neutron OVS agent, the same for every port of the EVI), the
 * VNI → VLAN flow, one unicast flow (and ARP responder entry) per remote MAC, and the flooding
 * group of the remote VTEPs.
 *
 * Differences with the original, whose driver could not even be created: the VNI → VLAN flow is
 * removed with the instance, flooding destinations are kept in a stable order, and a remote MAC
 * moving to another VTEP releases the old tunnel.
 */
import type { Direction, Encapsulation, EvpnInstanceDataplane, LocalPort } from '../driver.js';
import type { Logger } from '../../util/logger.js';
import type { FlowSync } from '../ovs/flow-sync.js';
import {
  arpResponderFlow,
  arpResponderMatch,
  floodFlow,
  floodGroup,
  floodMatch,
  unicastFlow,
  unicastMatch,
  vniToVlanFlow,
  type Destination,
} from './evi-flows.js';
import type { TunnelPorts } from './tunnel-ports.js';

export interface EviContext {
  readonly sync: FlowSync;
  readonly tunnels: TunnelPorts;
  readonly localAddress: string;
  readonly log: Logger;
}

interface RemoteMac {
  readonly remotePe: string;
  readonly vni: number;
  readonly ip: string | undefined;
}

export class OvsEviDataplane implements EvpnInstanceDataplane {
  private vlan: number | undefined;
  private readonly macs = new Map<string, RemoteMac>();
  /** Flooding destinations: `<remote PE>|<vni>`. */
  private readonly flooding = new Map<string, { remotePe: string; vni: number; d: Destination }>();
  private vniFlowSet = false;

  constructor(
    private readonly ctx: EviContext,
    readonly instanceId: number,
    readonly vni: number,
  ) {}

  private get log(): Logger {
    return this.ctx.log;
  }

  async vifPlugged(_mac: string, _ip: string | null, port: LocalPort, _label: number, _direction: Direction): Promise<void> {
    const raw = port['vlan'];
    if (raw === undefined || raw === null) throw new Error("missing localport['vlan'] parameter");
    const vlan = Number(raw);
    if (!Number.isInteger(vlan) || vlan < 1 || vlan > 4094) throw new Error(`invalid local_port.vlan: ${JSON.stringify(raw)}`);
    if (this.vlan !== undefined && vlan !== this.vlan) throw new Error('inconsistent vlan');
    this.vlan = vlan;
    this.ctx.sync.setFlow(vniToVlanFlow(this.instanceId, this.vni, vlan));
    this.vniFlowSet = true;
    await this.ctx.sync.flush();
  }

  vifUnplugged(): Promise<void> {
    this.log.log('debug', 'nothing to do on unplug');
    return Promise.resolve();
  }

  updateFallback(): Promise<void> {
    return Promise.resolve();
  }

  private async destination(remotePe: string, user: string): Promise<Destination> {
    if (remotePe === this.ctx.localAddress) return { kind: 'local' };
    return { kind: 'tunnel', port: await this.ctx.tunnels.acquire(remotePe, user) };
  }

  private requireVlan(what: string): number {
    if (this.vlan === undefined) throw new Error(`${what}: no local VLAN yet (no port plugged)`);
    return this.vlan;
  }

  async setupRemoteEndpoint(mac: string, ip: string | undefined, remotePe: string, vni: number, _encaps: Encapsulation[]): Promise<void> {
    const vlan = this.requireVlan(`remote MAC ${mac}`);
    const previous = this.macs.get(mac);
    const d = await this.destination(remotePe, `${this.instanceId}|${mac}`);
    this.ctx.sync.setFlow(unicastFlow(this.instanceId, vlan, mac, d, vni));
    if (previous?.ip !== undefined && previous.ip !== ip) this.ctx.sync.deleteFlow(arpResponderMatch(vlan, previous.ip));
    if (ip !== undefined) this.ctx.sync.setFlow(arpResponderFlow(this.instanceId, vlan, ip, mac));
    this.macs.set(mac, { remotePe, vni, ip });
    this.ctx.sync.schedule();
    // A MAC that moved: the old tunnel loses a user once the new flow is written.
    if (previous && previous.remotePe !== remotePe && previous.remotePe !== this.ctx.localAddress) {
      await this.ctx.sync.flush();
      await this.ctx.tunnels.release(previous.remotePe, `${this.instanceId}|${mac}`);
    }
  }

  async removeRemoteEndpoint(mac: string, ip: string | undefined, remotePe: string, _vni: number): Promise<void> {
    const known = this.macs.get(mac);
    if (!known || known.remotePe !== remotePe || this.vlan === undefined) return;
    this.macs.delete(mac);
    this.ctx.sync.deleteFlow(unicastMatch(this.vlan, mac));
    const arpIp = ip ?? known.ip;
    if (arpIp !== undefined) this.ctx.sync.deleteFlow(arpResponderMatch(this.vlan, arpIp));
    if (remotePe !== this.ctx.localAddress) {
      await this.ctx.sync.flush();
      await this.ctx.tunnels.release(remotePe, `${this.instanceId}|${mac}`);
    } else this.ctx.sync.schedule();
  }

  /** The flooding group and its flow; both go with the last destination. */
  private writeFlooding(): void {
    const vlan = this.requireVlan('flooding');
    if (this.flooding.size === 0) {
      this.ctx.sync.deleteFlow(floodMatch(vlan));
      this.ctx.sync.deleteGroup(vlan);
      return;
    }
    const dests = [...this.flooding.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, f]) => ({ d: f.d, vni: f.vni }));
    this.ctx.sync.setGroup(floodGroup(vlan, dests));
    this.ctx.sync.setFlow(floodFlow(this.instanceId, vlan));
  }

  async addBumEndpoint(remotePe: string, vni: number, _encaps: Encapsulation[]): Promise<void> {
    const key = `${remotePe}|${vni}`;
    if (this.flooding.has(key)) return;
    const d = await this.destination(remotePe, `${this.instanceId}|flood|${vni}`);
    this.flooding.set(key, { remotePe, vni, d });
    this.writeFlooding();
    this.ctx.sync.schedule();
  }

  async removeBumEndpoint(remotePe: string, vni: number): Promise<void> {
    const key = `${remotePe}|${vni}`;
    if (!this.flooding.delete(key)) return;
    this.writeFlooding();
    await this.ctx.sync.flush();
    if (remotePe !== this.ctx.localAddress) await this.ctx.tunnels.release(remotePe, `${this.instanceId}|flood|${vni}`);
  }

  /** The E-VPN side of an E-VPN plugged into an IP VPN: the Neutron agent does the plugging. */
  setGatewayPort(): Promise<void> {
    return Promise.resolve();
  }

  gatewayPortDown(): Promise<void> {
    return Promise.resolve();
  }

  needsCleanupAssist(): boolean {
    return true;
  }

  async cleanup(): Promise<void> {
    const sync = this.ctx.sync;
    if (this.vlan !== undefined) {
      for (const [mac, m] of this.macs) {
        sync.deleteFlow(unicastMatch(this.vlan, mac));
        if (m.ip !== undefined) sync.deleteFlow(arpResponderMatch(this.vlan, m.ip));
      }
      sync.deleteFlow(floodMatch(this.vlan));
      sync.deleteGroup(this.vlan);
      if (this.vniFlowSet) sync.deleteFlow(vniToVlanFlow(this.instanceId, this.vni, this.vlan));
    }
    await sync.flush();
    for (const [mac, m] of this.macs) if (m.remotePe !== this.ctx.localAddress) await this.ctx.tunnels.release(m.remotePe, `${this.instanceId}|${mac}`);
    for (const f of this.flooding.values()) if (f.remotePe !== this.ctx.localAddress) await this.ctx.tunnels.release(f.remotePe, `${this.instanceId}|flood|${f.vni}`);
    this.macs.clear();
    this.flooding.clear();
  }

  lookingGlass(): Record<string, unknown> {
    return {
      vlan: this.vlan ?? null,
      vni: this.vni,
      'flooding-ports': [...this.flooding.values()].map((f) => ({ port: f.d.kind === 'local' ? 'local' : String(f.d.port), vni: f.vni, remote_pe: f.remotePe })),
      remote_macs: Object.fromEntries([...this.macs].map(([mac, m]) => [mac, { remote_pe: m.remotePe, vni: m.vni, ip: m.ip ?? null }])),
    };
  }
}
