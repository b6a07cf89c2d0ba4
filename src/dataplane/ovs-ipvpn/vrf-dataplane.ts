/**
 * One VRF in the `ovs` IP VPN driver (spec dataplane.md §6.4): its ports on the bridge, its
 * flows (input, encap-in, ARP responder, fallback) and its remote prefixes (select groups).
 *
 * Ports: `local_port.ovs.plugged` → `ovs.port_number`, else the ofport of `ovs.port_name`; not
 * plugged → `ovs.port_name` or `linuxif`, added to the bridge when missing (marked in OVSDB as
 * ours, `external_ids:bagpipe-bgp=…`, so that a restarted daemon still knows it) and deleted with
 * the port's last endpoint. `local_port.ovs.vlan`: the VLAN of the VRF's ports (all the same).
 *
 * Calls from the API (plug, unplug, cleanup) wait until their flows are on the bridge; route
 * calls only update the desired state and let the writer batch them (thousands of prefixes in a
 * few processes), their failures being logged and kept for the looking glass as in the original.
 */
import type { Direction, Encapsulation, IpvpnInstanceDataplane, LocalPort, TrafficClassifier } from '../driver.js';
import { classifierFlows, classifierKey } from './traffic-classifier.js';
import type { Logger } from '../../util/logger.js';
import { NextHopGroups, type GroupIds } from './next-hop-groups.js';
import type { OvsIpvpnSettings } from './settings.js';
import type { FlowSync } from '../ovs/flow-sync.js';
import type { Vsctl } from '../ovs/vsctl.js';
import { flowKey, joinActions, type Flow } from '../ovs/flow.js';
import {
  arpResponderFlow,
  encapInFlow,
  fallbackFlow,
  labelAction,
  outputAction,
  portInputFlow,
  prefixLength,
  vxlanEncapInFlow,
  type Fallback,
  type OutputKind,
} from './vrf-flows.js';

/** What the driver gives each VRF. */
export interface VrfContext {
  readonly settings: OvsIpvpnSettings;
  readonly sync: FlowSync;
  readonly vsctl: Vsctl;
  readonly groupIds: GroupIds;
  /** `ip link set <port> mtu <n>` and `ip link show` (ovsbr_interfaces_mtu). */
  readonly run: (argv: readonly string[], options?: { acceptable?: readonly number[] }) => Promise<{ status: number }>;
  /** The VXLAN port (vxlan_encap), once initialised. */
  vxlanPort(): number | undefined;
  /** How to send to a remote PE (GRE/VXLAN tunnel, bare MPLS to its MAC, or back to ourselves). */
  output(remotePe: string, vxlan: boolean): Promise<OutputKind>;
  readonly log: Logger;
}

/** OVSDB external_ids key marking the ports this driver added. */
export const OWNER_KEY = 'bagpipe-bgp';

interface PortInfo {
  readonly ofport: number;
  /** The OVS port name when we know it. */
  readonly name: string | undefined;
  /** Added by this driver: deleted with its last endpoint. */
  readonly owned: boolean;
}

interface OvsLocalPort {
  readonly plugged?: unknown;
  readonly port_number?: unknown;
  readonly port_name?: unknown;
  readonly vlan?: unknown;
}

function ipv4ToInt(a: string): number {
  return a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

/** Whether `prefix` lies inside `gateway/len` (no dec_ttl for traffic staying in the subnet). */
export function insideSubnet(prefix: string, gateway: string | null, subnetLength: number | null): boolean {
  if (gateway === null || subnetLength === null || !/^\d+\.\d+\.\d+\.\d+$/.test(gateway)) return false;
  const plen = prefixLength(prefix);
  if (plen < subnetLength) return false;
  const mask = subnetLength === 0 ? 0 : (0xffffffff << (32 - subnetLength)) >>> 0;
  return ((ipv4ToInt(prefix.split('/')[0]!) & mask) >>> 0) === ((ipv4ToInt(gateway) & mask) >>> 0);
}

export class OvsVrfDataplane implements IpvpnInstanceDataplane {
  private readonly ports = new Map<string, PortInfo>();
  /** Local labels → their encap-in flows. */
  private readonly labels = new Map<number, Flow[]>();
  private vlan: number | undefined;
  private fallback: Fallback | undefined;
  private fallbackFlowSet: Flow | undefined;
  private responder: Flow | undefined;
  private readonly groups: NextHopGroups;
  /** Classifier key → its flows (service chaining). */
  private readonly classifiers = new Map<string, Flow[]>();
  private readonly t;

  constructor(
    private readonly ctx: VrfContext,
    readonly instanceId: number,
    readonly vpnInstanceId: string,
    private readonly gatewayIp: string | null,
    private readonly subnetLength: number | null,
  ) {
    this.t = ctx.settings.tables;
    this.groups = new NextHopGroups(ctx.sync, ctx.groupIds, this.t, instanceId, ctx.settings.selectionMethod, ctx.settings.selectionMethodParam);
  }

  private get log(): Logger {
    return this.ctx.log;
  }

  // ---- ports ----

  private static ovsOf(port: LocalPort): OvsLocalPort | undefined {
    const o = port['ovs'];
    return o !== null && typeof o === 'object' ? o : undefined;
  }

  /** The VLAN a plug asks for; all ports of the VRF must agree (500 otherwise). */
  private checkVlan(port: LocalPort): number | undefined {
    const raw = OvsVrfDataplane.ovsOf(port)?.vlan;
    if (raw === undefined || raw === null) return this.vlan;
    const v = Number(raw);
    if (!Number.isInteger(v) || v < 0 || v > 4095) throw new Error(`invalid VLAN in local_port.ovs.vlan: ${JSON.stringify(raw)}`);
    if (this.vlan !== undefined && this.vlan !== v) {
      this.log.log('error', `different VLAN for different interfaces: ${this.vlan} vs ${v}`);
      throw new Error("can't specify a different VLAN for different interfaces");
    }
    return v;
  }

  private async portOf(port: LocalPort): Promise<PortInfo> {
    const known = this.ports.get(port.linuxif);
    if (known) return known;
    const ovs = OvsVrfDataplane.ovsOf(port);
    const bridge = this.ctx.settings.bridge;
    if (ovs?.plugged) {
      if (ovs.port_number !== undefined && ovs.port_number !== null) return { ofport: Number(ovs.port_number), name: undefined, owned: false };
      if (typeof ovs.port_name !== 'string') throw new Error('Incomplete port specification: local_port.ovs.plugged without port_number nor port_name');
      const ofport = await this.ctx.vsctl.ofport(ovs.port_name);
      if (ofport === undefined) throw new Error(`OVS port not found for device ${ovs.port_name}`);
      return { ofport, name: ovs.port_name, owned: false };
    }
    const name = typeof ovs?.port_name === 'string' ? ovs.port_name : port.linuxif;
    const onBridge = await this.ctx.vsctl.portBridge(name);
    if (onBridge !== undefined && onBridge !== bridge) throw new Error(`port ${name} is on OVS bridge ${onBridge}, not on ${bridge}`);
    if (onBridge === bridge) {
      const ofport = await this.ctx.vsctl.ofport(name);
      if (ofport === undefined) throw new Error(`OVS port not found for device ${name}`);
      const owner = await this.ctx.vsctl.run(['--if-exists', 'get', 'Port', name, `external_ids:${OWNER_KEY}`], { acceptable: [0, 1] });
      return { ofport, name, owned: owner.stdout.trim() !== '' };
    }
    const ofport = await this.ctx.vsctl.addPortOwned(bridge, name, OWNER_KEY, this.vpnInstanceId);
    return { ofport, name, owned: true };
  }

  /** ovsbr_interfaces_mtu (obsolete hack of the original, kept). */
  private async mtuFixup(port: LocalPort): Promise<void> {
    const mtu = this.ctx.settings.mtu;
    if (!mtu) return;
    const name = OvsVrfDataplane.ovsOf(port)?.port_name;
    if (typeof name !== 'string') {
      this.log.log('warning', 'No OVS port name provided, cannot fix MTU');
      return;
    }
    if ((await this.ctx.run(['ip', 'link', 'show', name], { acceptable: [0, 1] })).status !== 0) {
      this.log.log('warning', `No ${name} if, not trying to fix MTU`);
      return;
    }
    await this.ctx.run(['ip', 'link', 'set', name, 'mtu', String(mtu)]);
  }

  async vifPlugged(mac: string, _ip: string | null, port: LocalPort, label: number, direction: Direction): Promise<void> {
    const vlan = this.checkVlan(port);
    const info = await this.portOf(port);
    this.vlan = vlan;
    const first = this.ports.size === 0;
    this.ports.set(port.linuxif, info);
    await this.mtuFixup(port);
    const sync = this.ctx.sync;
    // The fallback's VLAN push may have changed with the first port.
    this.writeFallback();
    if (direction !== 'to-port') for (const proto of ['ip', 'arp'] as const) sync.setFlow(portInputFlow(this.t, this.instanceId, proto, info.ofport, vlan));
    if (first && this.ctx.settings.arpResponder) {
      this.responder = arpResponderFlow(this.t, this.instanceId, this.gatewayIp, this.ctx.settings.proxyArp, vlan);
      sync.setFlow(this.responder);
    }
    if (direction !== 'from-port') {
      const flows = [encapInFlow(this.t, this.instanceId, label, mac, info.ofport, vlan)];
      const vxlanPort = this.ctx.settings.vxlanEncap ? this.ctx.vxlanPort() : undefined;
      if (vxlanPort !== undefined) flows.push(vxlanEncapInFlow(this.t, this.instanceId, vxlanPort, label, mac, info.ofport, vlan));
      for (const f of flows) sync.setFlow(f);
      this.labels.set(label, flows);
    }
    await sync.flush();
  }

  async vifUnplugged(_mac: string, _ip: string | null, port: LocalPort, label: number, direction: Direction, lastEndpoint: boolean): Promise<void> {
    const info = this.ports.get(port.linuxif);
    if (!info) {
      this.log.log('warning', `unplug of ${port.linuxif}: not a port of ${this.vpnInstanceId}`);
      return;
    }
    const sync = this.ctx.sync;
    if (direction !== 'from-port') {
      for (const f of this.labels.get(label) ?? []) sync.deleteFlow(f);
      this.labels.delete(label);
    }
    if (!lastEndpoint) return sync.flush();
    for (const proto of ['ip', 'arp'] as const) sync.deleteFlow(portInputFlow(this.t, this.instanceId, proto, info.ofport, this.vlan));
    this.ports.delete(port.linuxif);
    if (this.ports.size === 0) {
      if (this.responder) sync.deleteFlow(this.responder);
      this.responder = undefined;
    }
    // Flows first: a port number freed by OVS may be given to another port.
    await sync.flush();
    if (info.owned && info.name !== undefined) await this.ctx.vsctl.deletePort(this.ctx.settings.bridge, info.name);
  }

  // ---- fallback ----

  async updateFallback(fallback: unknown): Promise<void> {
    if (fallback !== null && typeof fallback === 'object') {
      const f = fallback as Record<string, unknown>;
      for (const k of ['src_mac', 'dst_mac', 'ovs_port_number']) {
        if (!f[k]) {
          this.log.log('error', `fallback specified without '${k}'`);
          return;
        }
      }
      this.fallback = { src_mac: String(f['src_mac']), dst_mac: String(f['dst_mac']), ovs_port_number: Number(f['ovs_port_number']) };
    }
    this.writeFallback();
    await this.ctx.sync.flush();
  }

  private writeFallback(): void {
    if (!this.fallback) return;
    const f = fallbackFlow(this.t, this.instanceId, this.fallback, this.vlan);
    this.ctx.sync.setFlow(f);
    this.fallbackFlowSet = f;
  }

  // ---- remote prefixes ----

  async setupRemoteEndpoint(prefix: string, remotePe: string, label: number, encaps: Encapsulation[], hashOrder: number): Promise<void> {
    const nh = { label, remotePe, encaps };
    if (this.groups.has(prefix, nh)) {
      this.log.log('debug', `Dataplane already in place for ${prefix}, ${label}/${remotePe}, skipping`);
      return;
    }
    const vxlan = this.ctx.settings.vxlanEncap && encaps.includes('vxlan');
    const decTtl = !insideSubnet(prefix, this.gatewayIp, this.subnetLength);
    const out = await this.ctx.output(remotePe, vxlan);
    this.groups.add(prefix, nh, [labelAction(label, vxlan), outputAction(out)], hashOrder, decTtl);
    this.ctx.sync.schedule();
  }

  removeRemoteEndpoint(prefix: string, remotePe: string, label: number, encaps: Encapsulation[], _hashOrder: number): Promise<void> {
    if (!this.groups.remove(prefix, { label, remotePe, encaps })) {
      this.log.log('debug', `remove_dataplane_for_remote_endpoint called for ${prefix} and ${label}/${remotePe}, but we don't know about this prefix and next-hop`);
    }
    this.ctx.sync.schedule();
    return Promise.resolve();
  }

  // ---- service chaining (FlowSpec redirect) ----

  async addTrafficClassifier(classifier: TrafficClassifier, redirectInstanceId: number): Promise<void> {
    const key = classifierKey(classifier);
    for (const f of this.classifiers.get(key) ?? []) this.ctx.sync.deleteFlow(f);
    const flows = classifierFlows(this.t, this.instanceId, classifier, redirectInstanceId);
    for (const f of flows) this.ctx.sync.setFlow(f);
    this.classifiers.set(key, flows);
    await this.ctx.sync.flush();
  }

  async removeTrafficClassifier(classifier: TrafficClassifier): Promise<void> {
    const key = classifierKey(classifier);
    for (const f of this.classifiers.get(key) ?? []) this.ctx.sync.deleteFlow(f);
    this.classifiers.delete(key);
    await this.ctx.sync.flush();
  }

  // ---- life cycle ----

  needsCleanupAssist(): boolean {
    return false;
  }

  async cleanup(): Promise<void> {
    const sync = this.ctx.sync;
    this.groups.clear();
    for (const flows of [...this.labels.values(), ...this.classifiers.values()]) for (const f of flows) sync.deleteFlow(f);
    this.classifiers.clear();
    this.labels.clear();
    for (const p of this.ports.values()) for (const proto of ['ip', 'arp'] as const) sync.deleteFlow(portInputFlow(this.t, this.instanceId, proto, p.ofport, this.vlan));
    if (this.responder) sync.deleteFlow(this.responder);
    if (this.fallbackFlowSet) sync.deleteFlow(this.fallbackFlowSet);
    this.responder = undefined;
    this.fallbackFlowSet = undefined;
    await sync.flush();
    const owned = [...this.ports.values()].filter((p) => p.owned && p.name !== undefined);
    this.ports.clear();
    for (const p of owned) await this.ctx.vsctl.deletePort(this.ctx.settings.bridge, p.name!);
  }

  /** The VRF's desired flows (cookie = instance id), as we write them. */
  private flowTexts(): string[] {
    const cookie = BigInt(this.instanceId);
    return this.ctx.sync
      .flows()
      .filter((f) => f.cookie === cookie)
      .map((f) => `${flowKey(f)} actions=${joinActions(f.actions)}`)
      .sort();
  }

  /**
   * The VRF's installed flows per table, as the original showed them (`"vrf (2)": ["packets=3
   * priority=…"]`), from the driver's last read of the bridge (a read is asked for when it is
   * older than 2 s: read again for fresh counters).
   */
  private installedFlows(): Record<string, unknown> {
    const sync = this.ctx.sync;
    sync.auditIfOlder(2000);
    const audit = sync.lastAudit;
    if (!audit) return { not_read_yet: true };
    const cookie = BigInt(this.instanceId);
    const out: Record<string, unknown> = { read_at: new Date(audit.time).toISOString() };
    for (const [name, table] of [['incoming', this.t.input], ['vrf', this.t.vrf], ['encap_in', this.t.encapIn]] as const) {
      out[`${name} (${table})`] = audit.flows
        .filter((f) => f.table === table && f.cookie === cookie)
        .map((f) => `packets=${f.packets ?? 0} ${['priority=' + String(f.priority), ...f.match].join(',')} actions=${f.actions}`)
        .sort();
    }
    return out;
  }

  lookingGlass(): Record<string, unknown> {
    return {
      flows: this.installedFlows(),
      ovs_vlan: this.vlan ?? null,
      ports: Object.fromEntries([...this.ports].map(([linuxif, p]) => [linuxif, { ovs_port: p.ofport, ovs_port_name: p.name ?? null, added_by_us: p.owned }])),
      fallback: this.fallback ?? null,
      prefixes: this.groups.lookingGlass(),
      desired_flows: this.flowTexts(),
    };
  }
}
