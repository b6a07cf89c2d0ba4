/**
 * The `ovs` E-VPN driver (spec dataplane.md §7): E-VPN over VXLAN programmed directly in the
 * Neutron OVS agent's tunnel bridge (`ovs_bridge`, default br-tun). The original built Neutron's
 * native tunnel bridge class without the OpenFlow controller it needs and could not even be
 * created; this one speaks to the bridge with `ovs-ofctl` / `ovs-vsctl` like the IP VPN driver.
 *
 * The agent owns the bridge and its base pipeline (evi-flows.ts); we only add our flows (our
 * cookie), the tunnel ports we need and the flooding groups. Hence no reset at start (the
 * original's reset_state was a no-op too): what a previous run left is kept and swept
 * `adoption_hold_time` seconds after routing is up unless wanted again. `bagpipe-bgp-cleanup` removes our flows only.
 */
import { AdoptionHoldDown } from '../adoption-hold-down.js';
import type { DataplaneDriver, Direction, Encapsulation, EvpnInstanceDataplane, InstanceParams } from '../driver.js';
import type { Logger } from '../../util/logger.js';
import { parseDump } from '../ovs/canonical-flow.js';
import { flowStateView, FlowSync } from '../ovs/flow-sync.js';
import { Ofctl } from '../ovs/ofctl.js';
import { Vsctl } from '../ovs/vsctl.js';
import type { OvsDriverEnvironment } from '../ovs-ipvpn/ovs-ipvpn-driver.js';
import { OvsEviDataplane } from './evi-dataplane.js';
import { isEviCookie } from './evi-flows.js';
import { TunnelPorts } from './tunnel-ports.js';

export class OvsEvpnDriver implements DataplaneDriver<'evpn'> {
  readonly vpnType = 'evpn';
  readonly name = 'OVSDataplaneDriver';
  readonly ecmp = false;
  readonly supportedEncaps: readonly Encapsulation[] = ['vxlan'];
  readonly ofctl: Ofctl;
  readonly vsctl: Vsctl;
  readonly sync: FlowSync;
  readonly tunnels: TunnelPorts;
  private readonly holdDown: AdoptionHoldDown;

  constructor(
    readonly bridge: string,
    readonly localAddress: string,
    private readonly env: OvsDriverEnvironment,
    private readonly config: Record<string, unknown>,
    private readonly log: Logger,
  ) {
    this.ofctl = new Ofctl(env.rootHelper, bridge);
    this.vsctl = new Vsctl(env.rootHelper, { db: env.ovsdb.connection, timeout: env.ovsdb.timeout });
    // Only our cookie is ours; groups are not swept (the agent may use some).
    this.sync = new FlowSync(this.ofctl, { ownsFlow: (f) => isEviCookie(f.cookie), ownsGroup: () => false }, log);
    this.tunnels = new TunnelPorts(bridge, localAddress, this.vsctl, this.sync, log);
    this.holdDown = new AdoptionHoldDown(env.adoptionHoldTime * 1000, () => {
      this.sweep().catch((e: unknown) => this.log.log('error', `OVS reconciliation failed: ${String(e)}`));
    });
  }

  supportsDirection(direction: Direction): boolean {
    return direction === 'both';
  }

  async start(): Promise<void> {
    if (!(await this.vsctl.bridgeExists(this.bridge))) throw new Error(`OVS bridge '${this.bridge}' doesn't exist`);
    // OpenFlow 1.3 for push_vlan (the original's requirement), 1.5 for our batches (bundles).
    await this.vsctl.addProtocols(this.bridge, ['OpenFlow13', 'OpenFlow15']);
  }

  /** `bagpipe-bgp-cleanup`: our flows (by cookie) go; the agent's pipeline stays. */
  async resetState(): Promise<void> {
    if (!(await this.vsctl.bridgeExists(this.bridge))) return;
    await this.vsctl.addProtocols(this.bridge, ['OpenFlow13', 'OpenFlow15']);
    await this.sync.reconcile();
  }

  /**
   * Keeps what a previous run left until the sweep, `adoption_hold_time` seconds after routing is
   * up (a restart keeps traffic); 0: our flows are removed at once. Idempotent (the first call
   * counts). True when flows of ours were found.
   */
  adoptState(routingUp?: Promise<void>): Promise<boolean> {
    return this.holdDown.adopt(routingUp, (up) => this.adopt(up), () => this.resetState());
  }

  private async adopt(routingUp: Promise<void>): Promise<boolean> {
    this.holdDown.start(routingUp);
    if (!(await this.vsctl.bridgeExists(this.bridge))) return false;
    return parseDump(await this.ofctl.dumpFlows()).some((f) => isEviCookie(f.cookie));
  }

  /** Deletes our flows nobody wanted again. */
  async sweep(): Promise<void> {
    this.holdDown.cancel();
    const r = await this.sync.reconcile();
    this.log.log('info', `OVS bridge ${this.bridge} reconciled: ${r.extraFlows.length} stale flows removed, ${r.missingFlows} written again`);
  }

  initialize(): Promise<void> {
    return Promise.resolve();
  }

  createInstance(params: InstanceParams): Promise<EvpnInstanceDataplane> {
    return Promise.resolve(
      new OvsEviDataplane({ sync: this.sync, tunnels: this.tunnels, localAddress: this.localAddress, log: this.log.child(params.vpnInstanceId) }, params.instanceId, params.instanceLabel),
    );
  }

  close(): Promise<void> {
    this.holdDown.cancel();
    return Promise.resolve();
  }

  lookingGlass(): Record<string, unknown> {
    return {
      name: this.name,
      local_address: this.localAddress,
      config: this.config,
      ovs_bridge: this.bridge,
      tunnels: this.tunnels.lookingGlass(),
      flow_state: flowStateView(this.sync),
    };
  }
}
