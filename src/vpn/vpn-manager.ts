/**
 * The VPN manager (spec vpn.md §1): the VPN instances by vpn_instance_id, the allocators, one
 * dataplane driver per VPN type, and the attach / detach operations of the REST API.
 *
 * Attach and detach run strictly one after the other (rest-api.md §8): an attach and a detach of
 * the same endpoint, or two attaches creating the same instance, cannot interleave while one of
 * them waits for the dataplane.
 *
 * A failed first attach of a new instance leaves nothing: the instance is created, its first
 * endpoint plugged in the dataplane, and only then does it subscribe and advertise (see
 * vpn-instance.ts); on failure it is stopped, unregistered and its ids released (the original
 * left a zombie instance, rest-api.md §4.7).
 */
import type { DataplaneDriver, DataplaneDrivers, LocalPort, VpnType } from '../dataplane/driver.js';
import type { LinkPlumbing } from '../dataplane/links.js';
import type { RouteTableManager } from '../rib/route-table-manager.js';
import type { Logger } from '../util/logger.js';
import { chainingConfig, NO_CHAINING } from './chaining.js';
import { ApiError, InternalError } from './errors.js';
import { Evi } from './evi.js';
import { evpnPlugRequest, plugEvpn, unplugEvpnIfUnused, type EvpnPlugRequest } from './evpn-plug.js';
import { InstanceIdAllocator, LabelAllocator, RdAllocator } from './identifier-allocator.js';
import type { AttachRequest, DetachRequest, PlugParams } from './requests.js';
import type { InstanceDeps, InstanceSettings, RedirectRegistry, VpnInstance } from './vpn-instance.js';
import { Vrf } from './vrf.js';

export interface VpnManagerOptions {
  readonly rtm: RouteTableManager;
  /** [BGP] local_address: RD prefix, E-VPN multicast next hop. */
  readonly localAddress: string;
  readonly drivers: DataplaneDrivers;
  readonly log: Logger;
  /** Best-path tie-break salt (default: the host name). */
  readonly salt?: string;
  /** Privileged link commands (veth pairs of E-VPNs plugged into IP VPNs); none: such attaches fail. */
  readonly links?: LinkPlumbing;
}

/** A redirect instance and the VRFs redirecting to it (vpn.md §1.3). */
interface RedirectUse {
  readonly instance: Promise<Vrf>;
  readonly users: Set<string>;
}

export class VpnManager implements RedirectRegistry {
  readonly instances = new Map<string, VpnInstance>();
  /** Instances created with a forced VNI, by VNI. */
  readonly instancesByVni = new Map<number, VpnInstance>();
  readonly labels = new LabelAllocator();
  readonly rds: RdAllocator;
  private readonly ids = new InstanceIdAllocator();
  private readonly ready = new Map<VpnType, Promise<void>>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly redirectUses = new Map<string, RedirectUse>();
  private readonly log: Logger;

  constructor(private readonly opts: VpnManagerOptions) {
    this.rds = new RdAllocator(opts.localAddress);
    this.log = opts.log;
  }

  get drivers(): DataplaneDrivers {
    return this.opts.drivers;
  }

  /** Runs operations one at a time, in arrival order. */
  private serial<R>(fn: () => Promise<R>): Promise<R> {
    const p = this.queue.then(fn);
    this.queue = p.catch(() => undefined);
    return p;
  }

  attach(req: AttachRequest): Promise<void> {
    return this.serial(() => this.doAttach(req));
  }

  detach(req: DetachRequest): Promise<void> {
    return this.serial(() => this.doDetach(req));
  }

  /**
   * First use of a driver: reset_state() (errors only logged) then initialize() (errors fail the
   * attach, and the next attach tries again) – dataplane.md §2.1. A driver that can adopt the
   * state of a previous run (adoptState) is not reset (issue 5: a restart keeps traffic).
   */
  private driverReady(type: VpnType): Promise<void> {
    let p = this.ready.get(type);
    if (!p) {
      const driver: DataplaneDriver = this.opts.drivers[type];
      p = (async () => {
        try {
          // A driver that can adopt what a previous run left does so instead of flushing it.
          if (driver.adoptState) await driver.adoptState();
          else await driver.resetState();
        } catch (e) {
          this.log.log('error', `${type} dataplane ${driver.adoptState ? 'adoption' : 'reset_state'} failed: ${String(e)}`);
        }
        await driver.initialize();
      })();
      p.catch(() => this.ready.delete(type));
      this.ready.set(type, p);
    }
    return p;
  }

  private async doAttach(r: AttachRequest): Promise<void> {
    // vpn.md §6: an E-VPN plugged into this IP VPN (checks first, the link once the VRF exists).
    const evpn: EvpnPlugRequest | undefined = r.vpnType === 'ipvpn' && 'evpn' in r.localPort ? evpnPlugRequest(r.localPort, r.vpnInstanceId, this.instances) : undefined;
    let plug: PlugParams = {
      mac: r.macAddress,
      ip: r.ip,
      localPort: r.localPort as LocalPort,
      advertiseSubnet: r.advertiseSubnet,
      hashOrder: r.lbConsistentHashOrder,
      localPref: r.localPref,
      direction: r.direction,
      description: r.description,
    };
    if (!evpn && typeof plug.localPort.linuxif !== 'string') throw new InternalError(`local_port.linuxif is not a string: ${JSON.stringify(plug.localPort.linuxif)}`);
    let instance = this.instances.get(r.vpnInstanceId);
    let created = false;
    if (instance) {
      if (instance.vpnType !== r.vpnType) {
        throw new InternalError(
          `Found an existing vpn_instance with external id ${r.vpnInstanceId} but a different type (asked ${r.vpnType} vs. already having ${instance.vpnType})`,
        );
      }
      // Consistency checks (400) before anything of this request is applied.
      if (!evpn) instance.checkPlug(plug);
    } else {
      instance = await this.create(r);
      created = true;
    }
    try {
      if (evpn) plug = { ...plug, localPort: { ...plug.localPort, linuxif: await plugEvpn(instance as Vrf, evpn, this.opts.links) } };
      instance.description = r.instanceDescription;
      instance.updateRouteTargets(r.importRts, r.exportRts);
      await instance.updateFallback(r.fallback);
      await instance.plug(plug);
      if (created) {
        instance.activate();
        instance.start();
      }
    } catch (e) {
      if (evpn) await this.unplugEvpn(instance as Vrf);
      if (created) await this.remove(instance);
      throw e;
    }
  }

  private async unplugEvpn(vrf: Vrf): Promise<void> {
    try {
      await unplugEvpnIfUnused(vrf, this.opts.links);
    } catch (e) {
      this.log.log('error', `unplugging the E-VPN from ${vrf.name}: ${String(e)}`);
    }
  }

  private async create(r: AttachRequest): Promise<VpnInstance> {
    if (r.vni !== 0 && this.instancesByVni.has(r.vni)) throw new ApiError(`A VPN instance using vni ${r.vni} already exists.`);
    // Service chaining is IP VPN only (the original ignored it for E-VPN); its 400s come before anything is created.
    const chaining = r.vpnType === 'ipvpn' ? chainingConfig(r.readvertise, r.attractTraffic) : NO_CHAINING;
    await this.driverReady(r.vpnType);
    const settings: InstanceSettings = {
      instanceId: this.ids.allocate(),
      vpnInstanceId: r.vpnInstanceId,
      importRts: r.importRts,
      exportRts: r.exportRts,
      gatewayIp: r.gatewayIp,
      subnetLength: r.ip ? r.ip.length : null,
      vni: r.vni,
      linuxbr: r.vpnType === 'evpn' ? r.linuxbr : undefined,
      fallback: r.fallback,
      chaining,
    };
    return this.construct(r.vpnType, settings);
  }

  /** Creates, initialises and registers an instance (its dataplane instance included). */
  private async construct(type: VpnType, settings: InstanceSettings): Promise<VpnInstance> {
    const deps: InstanceDeps = {
      rtm: this.opts.rtm,
      labels: this.labels,
      rds: this.rds,
      bgpLocalAddress: this.opts.localAddress,
      salt: this.opts.salt ?? '',
      log: this.log,
      redirects: this,
    };
    const instance: VpnInstance = type === 'ipvpn' ? new Vrf(deps, settings, this.opts.drivers.ipvpn) : new Evi(deps, settings, this.opts.drivers.evpn);
    try {
      await instance.init();
    } catch (e) {
      instance.releaseIds();
      throw e;
    }
    this.instances.set(settings.vpnInstanceId, instance);
    if (instance.forcedVni) this.instancesByVni.set(instance.instanceLabel, instance);
    this.log.log('info', `created ${instance.name} for ${type} ${settings.vpnInstanceId}`);
    return instance;
  }

  // ---- redirect instances (vpn.md §1.3) ----

  /**
   * The VRF importing `rt` that FlowSpec redirect-to-VRF routes send traffic to: created on first
   * use (`redirect-to-ipvpn-<asn>_<nn>`, import [rt], no export, gateway 127.0.0.1/24, no port) and
   * started at once; `user` registered.
   */
  acquire(rt: string, user: string): Promise<Vrf> {
    let use = this.redirectUses.get(rt);
    if (!use) {
      const settings: InstanceSettings = {
        instanceId: this.ids.allocate(),
        vpnInstanceId: `redirect-to-ipvpn-${rt.replace(/:/g, '_')}`,
        importRts: [rt],
        exportRts: [],
        gatewayIp: '127.0.0.1',
        subnetLength: 24,
        vni: 0,
        linuxbr: undefined,
        fallback: null,
      };
      const instance = (async () => {
        await this.driverReady('ipvpn');
        const i = (await this.construct('ipvpn', settings)) as Vrf;
        i.activate();
        i.start();
        return i;
      })();
      use = { instance, users: new Set() };
      this.redirectUses.set(rt, use);
      instance.catch(() => this.redirectUses.delete(rt));
    }
    use.users.add(user);
    return use.instance;
  }

  /** `user` stops redirecting to `rt`; the redirect instance stops with its last user. */
  async release(rt: string, user: string): Promise<void> {
    const use = this.redirectUses.get(rt);
    if (!use?.users.delete(user) || use.users.size > 0) return;
    this.redirectUses.delete(rt);
    await this.remove(await use.instance);
  }

  /** Redirect route target → users (looking glass). */
  redirectUsers(): Map<string, string[]> {
    return new Map([...this.redirectUses].map(([rt, u]) => [rt, [...u.users]]));
  }

  private async remove(instance: VpnInstance): Promise<void> {
    await instance.stop();
    // A VRF going away takes its E-VPN plug with it: the gateway port and the veth (the
    // original left them until shutdown, and its shutdown stopped at the first failure).
    const plug = instance instanceof Vrf ? instance.evpnPlug : undefined;
    if (instance instanceof Vrf && plug) {
      instance.evpnPlug = undefined;
      if (!plug.evi.isStopped) await plug.evi.gatewayPortDown().catch((e: unknown) => this.log.log('error', `gateway port down: ${String(e)}`));
      if (plug.veth) await this.opts.links?.deleteLink(plug.evpnSide).catch((e: unknown) => this.log.log('error', String(e)));
    }
    if (this.instances.get(instance.vpnInstanceId) === instance) this.instances.delete(instance.vpnInstanceId);
    if (instance.forcedVni && this.instancesByVni.get(instance.instanceLabel) === instance) this.instancesByVni.delete(instance.instanceLabel);
    this.log.log('info', `removed ${instance.name} (${instance.vpnInstanceId})`);
  }

  private async doDetach(r: DetachRequest): Promise<void> {
    const instance = this.instances.get(r.vpnInstanceId);
    if (!instance) throw new ApiError(`VPN ${r.vpnInstanceId} could not be found`);
    try {
      await instance.unplug(r.macAddress, r.ip?.text ?? null);
      // Only a detach naming the E-VPN undoes the plug (the agent omits it when the E-VPN goes too: a quirk kept, vpn.md §6).
      if (instance instanceof Vrf && 'evpn' in r.localPort) await unplugEvpnIfUnused(instance, this.opts.links);
    } finally {
      // Whatever failed, an instance without endpoint goes (the original kept it forever).
      if (instance.isEmpty()) await this.remove(instance);
    }
  }

  /** Daemon shutdown: every instance stopped (routes withdrawn, dataplane cleaned up, E-VPN plugs undone). */
  stop(): Promise<void> {
    return this.serial(async () => {
      for (const i of [...this.instances.values()]) await this.remove(i);
    });
  }

  /** Resolves when every queued API operation and dataplane call has run. */
  async settled(): Promise<void> {
    await this.queue;
    for (const i of this.instances.values()) await i.settled();
  }
}
