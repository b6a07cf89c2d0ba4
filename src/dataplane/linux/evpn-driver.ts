/**
 * The `linux` E-VPN driver (spec dataplane.md §4, `LinuxVXLANDataplaneDriver`): a kernel bridge and
 * a VXLAN device per E-VPN, remote MACs as static FDB and permanent neighbour entries, one flood
 * entry per remote VTEP. Encapsulation VXLAN only, no ECMP, direction `both` only; needs root (or
 * `[COMMON] root_helper`) and the kernel's `vxlan` module.
 *
 * Start-up differs from the original on purpose (issue 5): the daemon does not flush what a
 * previous run left (`reset_state`), it adopts it (`adoptState`): devices of ours found at start
 * are claimed by the instances re-created for them and reconciled, keeping their entries through
 * a hold-down while routes come back: `adoption_hold_time` (30 s by default) counted from the
 * first Established BGP session (and from the instance's creation, if later). Devices no instance
 * claimed by the end of the hold-down are deleted then. `resetState` (`bagpipe-bgp-cleanup`)
 * still removes everything of ours at once.
 */
import { release } from 'node:os';
import type { Logger } from '../../util/logger.js';
import { AdoptionHoldDown } from '../adoption-hold-down.js';
import type { DataplaneDriver, Direction, Encapsulation, InstanceParams } from '../driver.js';
import type { PrivilegedExec } from '../exec/privileged-exec.js';
import { LinuxEvpnInstance } from './evpn-instance.js';
import { isOurBridge, isOurVxlan } from './names.js';
import { parseLinks, type IpLinkJson } from './evpn-state.js';

export interface LinuxEvpnDriverOptions {
  readonly localAddress: string;
  /** `vxlan_dst_port`: null or 0 for the kernel default. */
  readonly vxlanDstPort: number | null;
  /** `adoption_hold_time` in seconds. */
  readonly adoptionHoldTime: number;
  /** Shown in the looking glass. */
  readonly config: Record<string, unknown>;
}

/** Kernel release below which the original warned (VXLAN `proxy`, `nolearning`). */
const REQUIRED_KERNEL = [3, 11];

export class LinuxEvpnDriver implements DataplaneDriver<'evpn'> {
  readonly vpnType = 'evpn';
  readonly name = 'LinuxVXLANDataplaneDriver';
  readonly supportedEncaps: readonly Encapsulation[] = ['vxlan'];
  readonly ecmp = false;
  readonly localAddress: string;
  readonly instances = new Set<LinuxEvpnInstance>();
  /** Devices of ours found at start, not claimed by an instance yet. */
  private readonly unclaimed = new Set<string>();
  /** Devices found at start and claimed (adopted). */
  private readonly adoptedNames = new Set<string>();
  /** Until the unclaimed devices go; its `routingUp` (routes can come back) is the instances' too. */
  private readonly holdDown: AdoptionHoldDown;
  readonly errors: { readonly when: string; readonly what: string }[] = [];

  constructor(
    private readonly opts: LinuxEvpnDriverOptions,
    readonly exec: PrivilegedExec,
    private readonly log: Logger,
  ) {
    this.localAddress = opts.localAddress;
    this.holdDown = new AdoptionHoldDown(opts.adoptionHoldTime * 1000, () => void this.sweep());
    const [major = 0, minor = 0] = release().split('-')[0]!.split('.').map(Number);
    if (major < REQUIRED_KERNEL[0]! || (major === REQUIRED_KERNEL[0] && minor < REQUIRED_KERNEL[1]!)) {
      log.log('warning', `kernel ${release()} is older than ${REQUIRED_KERNEL.join('.')}: the linux E-VPN driver may not work`);
    }
  }

  supportsDirection(direction: Direction): boolean {
    return direction === 'both';
  }

  private recordError(what: string): void {
    this.errors.push({ when: new Date().toISOString(), what });
    if (this.errors.length > 100) this.errors.splice(0, this.errors.length - 100);
    this.log.log('error', what);
  }

  private async ourLinks(): Promise<{ bridges: string[]; vxlans: string[] }> {
    const links = parseLinks(await this.exec.json<IpLinkJson>(['ip', '-d', '-json', 'link', 'show']));
    const all = [...links.values()];
    return {
      bridges: all.filter((l) => l.kind === 'bridge' && isOurBridge(l.name)).map((l) => l.name),
      vxlans: all.filter((l) => isOurVxlan(l.name)).map((l) => l.name),
    };
  }

  /** Deletes devices (VXLAN first); failures recorded, never thrown. */
  private async deleteDevices(names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    const lines = names.flatMap((n) => [`link set ${n} down`, `link del ${n}`]);
    const results = await this.exec.ip.run(lines);
    for (const r of results) if (!r.ok) this.recordError(`${r.line}: ${r.error ?? 'failed'}`);
  }

  /** Everything of ours, at once (`bagpipe-bgp-cleanup`; dataplane.md §4 reset_state). */
  async resetState(): Promise<void> {
    const { bridges, vxlans } = await this.ourLinks();
    this.log.log('info', `removing ${bridges.length} bridge(s) and ${vxlans.length} VXLAN interface(s) of ours`);
    await this.deleteDevices([...vxlans, ...bridges]);
  }

  /** Daemon start: what a previous run left is kept for the instances to adopt (once). */
  adoptState(routingUp?: Promise<void>): Promise<boolean> {
    return this.holdDown.adopt(routingUp, async (up) => {
      const { bridges, vxlans } = await this.ourLinks();
      for (const n of [...bridges, ...vxlans]) this.unclaimed.add(n);
      if (this.unclaimed.size === 0) return false;
      this.log.log('info', `found ${[...this.unclaimed].join(', ')} from a previous run: kept until ${this.opts.adoptionHoldTime} s after BGP is up, for their E-VPNs to come back`);
      this.holdDown.start(up);
      return true;
    });
  }

  /** Deletes the devices found at start that no instance claimed. */
  private async sweep(): Promise<void> {
    const left = [...this.unclaimed];
    this.unclaimed.clear();
    if (left.length === 0) return;
    this.log.log('info', `adoption hold-down over: deleting unclaimed ${left.join(', ')}`);
    const vx = left.filter((n) => isOurVxlan(n));
    await this.deleteDevices([...vx, ...left.filter((n) => !vx.includes(n))]);
  }

  async initialize(): Promise<void> {
    // The original required modprobe to succeed; a kernel with VXLAN built in (or a container
    // without /lib/modules) has no module to load, and a missing VXLAN shows at device creation.
    try {
      await this.exec.run(['modprobe', 'vxlan']);
    } catch (e) {
      this.log.log('warning', `modprobe vxlan: ${e instanceof Error ? e.message : String(e)} (going on: VXLAN may be built in)`);
    }
  }

  async createInstance(params: InstanceParams): Promise<LinuxEvpnInstance> {
    const vxlanDstPort = this.opts.vxlanDstPort === 0 ? null : this.opts.vxlanDstPort;
    // Set once created: release() may run during create() (a failed first pass cleans up).
    const holder: { created?: LinuxEvpnInstance } = {};
    const created = await LinuxEvpnInstance.create(
      {
        exec: this.exec,
        log: this.log,
        localAddress: this.localAddress,
        dstPort: vxlanDstPort,
        holdDownMs: this.opts.adoptionHoldTime * 1000,
        routingUp: this.holdDown.routingUp,
        claim: (names) => {
          let any = false;
          for (const n of names) {
            if (this.unclaimed.delete(n)) {
              this.adoptedNames.add(n);
              any = true;
            }
          }
          return any;
        },
        release: (names) => {
          for (const n of names) this.adoptedNames.delete(n);
          if (holder.created) this.instances.delete(holder.created);
        },
      },
      params,
    );
    holder.created = created;
    this.instances.add(created);
    return created;
  }

  /** Ends the batch processes (daemon stop, after the instances' cleanup). */
  async close(): Promise<void> {
    this.holdDown.cancel();
    await this.exec.close();
  }

  lookingGlass(): Record<string, unknown> {
    return {
      name: this.name,
      local_address: this.localAddress,
      config: this.opts.config,
      batch_processes: {
        ip: { pid: this.exec.ip.pid ?? null, starts: this.exec.ip.starts },
        bridge: { pid: this.exec.bridge.pid ?? null, starts: this.exec.bridge.starts },
      },
      adoption: {
        hold_time_s: this.opts.adoptionHoldTime,
        adopted: [...this.adoptedNames].sort(),
        unclaimed: [...this.unclaimed].sort(),
        unclaimed_deleted_at: this.holdDown.deadline !== undefined ? new Date(this.holdDown.deadline).toISOString() : null,
      },
      programming_errors: [
        ...this.errors,
        ...[...this.instances].flatMap((i) => [...i.errors.values()].map((e) => ({ instance: i.params.vpnInstanceId, ...e }))),
      ],
    };
  }
}
