/**
 * The `ovs` IP VPN driver (spec dataplane.md §6): VRFs as OpenFlow tables of one Open vSwitch
 * bridge (`ovs_bridge`, default br-mpls), MPLS pushed and popped by OVS, sent as bare MPLS over
 * Ethernet (`mpls_interface`) or MPLS over GRE (OVS's own tunnel port), ECMP with select groups.
 *
 * Life cycle:
 * - `start()` (daemon start, failure stops it): `ovs-ofctl -V`, the bridge exists, the bare MPLS
 *   interface is one of its ports, OpenFlow 1.5 added to its protocols. No fping: the remote PE's
 *   MAC comes from a managed neighbour entry (remote-pe-mac.ts).
 * - `adoptState()` (daemon start): what a previous run left is kept, not flushed, so that traffic
 *   goes on across a restart; its groups are reserved (and taken over by the same VRF and
 *   prefix), and `adoption_hold_time` seconds after routing is up (first Established session)
 *   everything of ours the new run did not want again is deleted (flow-sync.ts `reconcile`).
 * - `resetState()` (`bagpipe-bgp-cleanup`): the original's flush (§6.2).
 * - `initialize()`: the GRE port (kept when it already has the right settings: a new port would
 *   get a new number and break the flows in place), the MPLS input flow, the VXLAN port.
 */
import { AdoptionHoldDown } from '../adoption-hold-down.js';
import type { DataplaneDriver, Direction, Encapsulation, InstanceParams, IpvpnInstanceDataplane } from '../driver.js';
import { runCommand } from '../exec/command.js';
import type { RootHelper } from '../exec/root-helper.js';
import type { Logger } from '../../util/logger.js';
import { parseDump, parseGroups, type CanonicalFlow } from '../ovs/canonical-flow.js';
import { flowStateView, FlowSync } from '../ovs/flow-sync.js';
import { IdPool } from '../ovs/id-pool.js';
import { Ofctl } from '../ovs/ofctl.js';
import { Vsctl } from '../ovs/vsctl.js';
import { RemotePeMacResolver } from './remote-pe-mac.js';
import { ovsIpvpnSettings, VXLAN_TUNNEL, type OvsIpvpnOptions, type OvsIpvpnSettings } from './settings.js';
import { OvsVrfDataplane, type VrfContext } from './vrf-dataplane.js';
import { mplsInputFlow, vxlanInputFlow, type OutputKind } from './vrf-flows.js';

export interface OvsDriverEnvironment {
  readonly rootHelper: RootHelper;
  /** `[OVS] ovsdb_connection` (null: ovs-vsctl's default) and `ovsdb_timeout`. */
  readonly ovsdb: { readonly connection: string | null; readonly timeout: number };
  /**
   * `adoption_hold_time`: seconds, counted from when routing is up, during which what a previous
   * run left is kept for its VPNs to come back; 0: reset at start as the original did.
   */
  readonly adoptionHoldTime: number;
}

/** The OVS version below which the original warned (MPLS in the datapath). */
const REQUIRED_OVS_VERSION = [2, 8, 0];

function versionBelow(v: string, min: readonly number[]): boolean {
  const parts = v.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < min.length; i++) {
    if ((parts[i] ?? 0) !== min[i]) return (parts[i] ?? 0) < min[i]!;
  }
  return false;
}

export class OvsIpvpnDriver implements DataplaneDriver<'ipvpn'> {
  readonly vpnType = 'ipvpn';
  readonly name = 'MPLSOVSDataplaneDriver';
  readonly ecmp = true;
  readonly settings: OvsIpvpnSettings;
  readonly supportedEncaps: readonly Encapsulation[];
  readonly ofctl: Ofctl;
  readonly vsctl: Vsctl;
  readonly sync: FlowSync;
  private readonly groupIds = new IdPool(1, 2 ** 32 - 1);
  /** `<vrf>|<prefix>` → group a previous run used, until taken over or swept. */
  private readonly staleGroups = new Map<string, number>();
  private readonly holdDown: AdoptionHoldDown;
  private ovsVersion: string | null = null;
  private mplsPort: number | undefined;
  private grePort: number | undefined;
  private vxlanPortNumber: number | undefined;
  private mplsIfMac: string | undefined;
  private readonly peMacs: RemotePeMacResolver;

  constructor(
    options: OvsIpvpnOptions,
    readonly localAddress: string,
    private readonly env: OvsDriverEnvironment,
    private readonly config: Record<string, unknown>,
    private readonly log: Logger,
  ) {
    this.settings = ovsIpvpnSettings(options, (m) => log.log('warning', m));
    this.supportedEncaps = this.settings.encaps;
    this.ofctl = new Ofctl(env.rootHelper, this.settings.bridge);
    this.vsctl = new Vsctl(env.rootHelper, { db: env.ovsdb.connection, timeout: env.ovsdb.timeout });
    this.sync = new FlowSync(this.ofctl, { ownsFlow: (f) => this.ownsFlow(f), ownsGroup: () => true }, log);
    this.peMacs = new RemotePeMacResolver(this.settings.bridge, (argv, o) => this.run(argv, o), log);
    this.holdDown = new AdoptionHoldDown(env.adoptionHoldTime * 1000, () => {
      this.sweep().catch((e: unknown) => this.log.log('error', `OVS reconciliation failed: ${String(e)}`));
    });
  }

  /** A privileged one-shot command. */
  private run(argv: readonly string[], options?: { acceptable?: readonly number[] }): ReturnType<typeof runCommand> {
    return runCommand(this.env.rootHelper.argv(argv), options);
  }

  supportsDirection(_direction: Direction): boolean {
    return true;
  }

  // ---- start-up (§6.1) ----

  async start(): Promise<void> {
    try {
      const v = await this.run(['ovs-ofctl', '-V']);
      this.ovsVersion = v.stdout.split('\n')[0]?.split(' ')[3] ?? null;
      this.log.log('info', `OVS version: ${this.ovsVersion}`);
    } catch {
      this.log.log('warning', 'Could not determine OVS release');
    }
    if (this.ovsVersion !== null && !this.settings.vxlanEncap && versionBelow(this.ovsVersion, REQUIRED_OVS_VERSION)) {
      this.log.log('warning', `${this.name} requires at least OVS ${REQUIRED_OVS_VERSION.join('.')} (you are running ${this.ovsVersion})`);
    }
    const br = this.settings.bridge;
    if (!(await this.vsctl.bridgeExists(br))) throw new Error(`OVS bridge '${br}' doesn't exist`);
    await this.ensureProtocols();
    const iface = this.settings.mplsInterface;
    if (iface !== null) {
      if (!(await this.vsctl.ports(br)).includes(iface)) throw new Error(`Specified mpls_interface ${iface} is not plugged to OVS bridge ${br}`);
      this.mplsPort = await this.vsctl.ofport(iface);
      if (this.mplsPort === undefined) throw new Error(`mpls_interface ${iface} has no OpenFlow port number on ${br}`);
    }
    this.log.log('info', this.settings.useGre ? 'Will use MPLS-over-GRE' : `Will use bare MPLS on interface ${iface}`);
  }

  /** OpenFlow 1.5 on the bridge (Neutron's use_at_least_protocol), once per driver. */
  private protocolsSet = false;
  private async ensureProtocols(): Promise<void> {
    if (this.protocolsSet) return;
    await this.vsctl.addProtocols(this.settings.bridge, ['OpenFlow13', 'OpenFlow15']);
    this.protocolsSet = true;
  }

  // ---- what is ours on the bridge ----

  private ownsFlow(f: CanonicalFlow): boolean {
    const t = this.settings.tables;
    if (f.table === t.encapIn || f.table === t.vrf) return true;
    if (f.table !== t.input) return false;
    if (['ip', 'arp', 'mpls'].includes(f.match[0] ?? '')) return true;
    if (!this.settings.vxlanEncap) return false;
    return f.match.some((m) => m.startsWith('tun_id=') || (this.vxlanPortNumber !== undefined && m === `in_port=${this.vxlanPortNumber}`));
  }

  /** The original's reset_state (§6.2): every flow and group of ours, whoever wrote them. */
  async resetState(): Promise<void> {
    const br = this.settings.bridge;
    if (!(await this.vsctl.bridgeExists(br))) {
      this.log.log('info', `No OVS bridge (${br}), no need to cleanup OVS rules`);
      return;
    }
    this.log.log('info', 'Cleaning up OVS rules');
    await this.ensureProtocols();
    const t = this.settings.tables;
    const lines = [`delete table=${t.input},mpls`];
    if (this.settings.vxlanEncap) {
      const vxlanPort = await this.vsctl.ofport(VXLAN_TUNNEL);
      if (vxlanPort !== undefined) lines.push(`delete table=${t.input},in_port=${vxlanPort}`);
      lines.push(`delete table=${t.input},tun_id=2/1`, `delete table=${t.input},tun_id=1/1`);
    }
    lines.push(`delete table=${t.input},ip`, `delete table=${t.input},arp`, `delete table=${t.encapIn}`, `delete table=${t.vrf}`);
    await this.ofctl.flows(lines);
    await this.ofctl.run('del-groups');
  }

  /**
   * Keeps what a previous run left (a restart keeps traffic): its groups are reserved, those of
   * prefix flows noted for take-over, and a sweep is scheduled `adoption_hold_time` seconds after
   * `routingUp`. Idempotent: the first call counts.
   */
  adoptState(routingUp?: Promise<void>): Promise<boolean> {
    return this.holdDown.adopt(routingUp, (up) => this.adopt(up), () => this.resetState());
  }

  /** True when flows or groups of a previous run were found (and kept). */
  private async adopt(routingUp: Promise<void>): Promise<boolean> {
    if (!(await this.vsctl.bridgeExists(this.settings.bridge))) return false;
    await this.ensureProtocols();
    const groups = parseGroups(await this.ofctl.dumpGroups());
    for (const id of groups.keys()) this.groupIds.reserve(id);
    const t = this.settings.tables;
    for (const f of parseDump(await this.ofctl.dumpFlows(`table=${t.vrf}`))) {
      // A prefix flow: `[dec_ttl,]group:<id>` (a run before dec_ttl moved out of the buckets: `group:<id>`).
      const g = /^(?:dec_ttl,)?group:(\d+)$/.exec(f.actions);
      const reg = f.match.find((m) => m.startsWith('reg0='));
      if (!g || !reg || f.match[0] !== 'ip') continue;
      const dst = f.match.find((m) => m.startsWith('nw_dst='))?.slice('nw_dst='.length) ?? '0.0.0.0/0';
      this.staleGroups.set(`${Number(reg.slice('reg0='.length))}|${dst.includes('/') ? dst : `${dst}/32`}`, Number(g[1]));
    }
    const flows = parseDump(await this.ofctl.dumpFlows()).filter((f) => this.ownsFlow(f)).length;
    this.log.log('info', `OVS bridge ${this.settings.bridge}: keeping ${flows} flows and ${groups.size} groups of a previous run for ${this.env.adoptionHoldTime}s after routing is up`);
    this.holdDown.start(routingUp);
    return flows > 0 || groups.size > 0;
  }

  /** Deletes what the previous run left and nobody wanted again. */
  async sweep(): Promise<void> {
    this.holdDown.cancel();
    const r = await this.sync.reconcile();
    for (const id of this.staleGroups.values()) this.groupIds.unreserve(id);
    for (const id of r.extraGroups) this.groupIds.unreserve(id);
    this.staleGroups.clear();
    this.log.log('info', `OVS bridge ${this.settings.bridge} reconciled: ${r.extraFlows.length} stale flows and ${r.extraGroups.length} groups removed, ${r.missingFlows} flows written again`);
  }

  private adoptGroup(vrf: number, prefix: string): number | undefined {
    const key = `${vrf}|${prefix}`;
    const id = this.staleGroups.get(key);
    if (id === undefined) return undefined;
    this.staleGroups.delete(key);
    return this.groupIds.adopt(id) ? id : undefined;
  }

  // ---- initialize (§6.3) ----

  async initialize(): Promise<void> {
    const s = this.settings;
    const br = s.bridge;
    await this.ensureProtocols();
    if (s.useGre) {
      const options = { ...s.greOptions, local_ip: this.localAddress, remote_ip: 'flow' };
      const current = await this.vsctl.interfaceConfig(s.greTunnel);
      const same =
        current !== undefined &&
        current.type === 'gre' &&
        Object.keys(options).length === Object.keys(current.options).length &&
        Object.entries(options).every(([k, v]) => current.options[k] === v) &&
        (await this.vsctl.portBridge(s.greTunnel)) === br;
      if (same) this.grePort = await this.vsctl.ofport(s.greTunnel);
      if (this.grePort === undefined) {
        this.log.log('info', `Setting up tunnel for MPLS/GRE (${s.greTunnel})`);
        await this.vsctl.deletePort(br, s.greTunnel);
        this.grePort = await this.vsctl.addPort(br, s.greTunnel, 'gre', options);
      }
    } else {
      const iface = s.mplsInterface!;
      const r = await this.run(['cat', `/sys/class/net/${iface}/address`], { acceptable: [0, 1] });
      const mac = r.stdout.trim().toLowerCase();
      // An interface without a MAC (a patch port): the bridge's own.
      this.mplsIfMac = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(mac) ? mac : await this.vsctl.bridgeMac(br);
      if (this.mplsIfMac === undefined) throw new Error(`no MAC address for ${iface} nor for bridge ${br}`);
    }
    this.sync.setFlow(mplsInputFlow(s.tables, this.mplsInPort()));
    if (s.vxlanEncap) {
      this.log.log('info', 'Enabling VXLAN encapsulation');
      const options = { local_ip: this.localAddress, remote_ip: 'flow', key: 'flow' };
      const current = await this.vsctl.interfaceConfig(VXLAN_TUNNEL);
      const same = current?.type === 'vxlan' && Object.entries(options).every(([k, v]) => current.options[k] === v);
      this.vxlanPortNumber = same ? await this.vsctl.ofport(VXLAN_TUNNEL) : undefined;
      if (this.vxlanPortNumber === undefined) {
        await this.vsctl.deletePort(br, VXLAN_TUNNEL);
        this.vxlanPortNumber = await this.vsctl.addPort(br, VXLAN_TUNNEL, 'vxlan', options);
      }
      this.sync.setFlow(vxlanInputFlow(s.tables, this.vxlanPortNumber));
    }
    await this.sync.flush();
  }

  /** Where MPLS comes in: the GRE port or the bare MPLS interface. */
  mplsInPort(): number {
    const p = this.settings.useGre ? this.grePort : this.mplsPort;
    if (p === undefined) throw new Error('OVS IP VPN driver used before its initialisation');
    return p;
  }

  private async output(remotePe: string, vxlan: boolean): Promise<OutputKind> {
    const encapIn = this.settings.tables.encapIn;
    if (remotePe === this.localAddress) return { kind: 'local', inPort: vxlan ? this.vxlanPortNumber! : this.mplsInPort(), encapIn };
    if (vxlan) return { kind: 'tunnel', remotePe, port: this.vxlanPortNumber! };
    if (this.settings.useGre) return { kind: 'tunnel', remotePe, port: this.mplsInPort() };
    const mac = await this.peMacs.resolve(remotePe);
    return { kind: 'ethernet', srcMac: this.mplsIfMac!, dstMac: mac, port: this.mplsInPort() };
  }

  createInstance(params: InstanceParams): Promise<IpvpnInstanceDataplane> {
    const ctx: VrfContext = {
      settings: this.settings,
      sync: this.sync,
      vsctl: this.vsctl,
      groupIds: { take: () => this.groupIds.take(), release: (id) => this.groupIds.release(id), adopt: (vrf, prefix) => this.adoptGroup(vrf, prefix) },
      run: (argv, o) => this.run(argv, o),
      vxlanPort: () => this.vxlanPortNumber,
      output: (pe, vxlan) => this.output(pe, vxlan),
      log: this.log.child(params.vpnInstanceId),
    };
    const gateway = typeof params.gatewayIp === 'string' ? params.gatewayIp : null;
    return Promise.resolve(new OvsVrfDataplane(ctx, params.instanceId, params.vpnInstanceId, gateway, params.subnetLength));
  }

  /** Stops the sweep timer (daemon stop, tests). */
  close(): Promise<void> {
    this.holdDown.cancel();
    return Promise.resolve();
  }

  lookingGlass(): Record<string, unknown> {
    const s = this.settings;
    return {
      name: this.name,
      local_address: this.localAddress,
      config: this.config,
      ovs_bridge: s.bridge,
      mpls_interface: s.mplsInterface,
      gre: { enabled: s.useGre, ...(s.useGre ? { gre_tunnel_port: s.greTunnel } : {}), ...(s.vxlanEncap ? { vxlan_tunnel_port: VXLAN_TUNNEL } : {}) },
      vxlan: { enabled: s.vxlanEncap },
      ovs_version: this.ovsVersion,
      tables: { incoming: s.tables.input, vrf: s.tables.vrf, encap_in: s.tables.encapIn },
      ports: { mpls_in: this.settings.useGre ? (this.grePort ?? null) : (this.mplsPort ?? null), vxlan: this.vxlanPortNumber ?? null },
      remote_pe_macs: this.peMacs.entries(),
      flow_state: { ...flowStateView(this.sync), stale_groups_kept: this.staleGroups.size },
    };
  }
}
