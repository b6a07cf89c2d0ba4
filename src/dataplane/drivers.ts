/**
 * The dataplane drivers named by `[DATAPLANE_DRIVER_IPVPN]` / `[DATAPLANE_DRIVER_EVPN]`
 * `dataplane_driver` (any of the original's entry-point aliases, resolved by the config loader).
 * Written: the dummy drivers, the `linux` drivers (E-VPN: Linux bridge + VXLAN; IP VPN: kernel
 * MPLS) and the `ovs` drivers (IP VPN: MPLS in an OVS bridge; E-VPN: Neutron's tunnel bridge).
 * Naming another one fails at start-up with a clear message instead of running without the
 * dataplane the operator asked for.
 *
 * `createDrivers` only builds them; `startDrivers` runs the start-up checks that need commands
 * (the OVS bridge exists…): a failure there stops the daemon, as in the original.
 */
import type { Config } from '../config/index.js';
import type { IpvpnLinuxOptions } from '../config/options.js';
import type { Logger } from '../util/logger.js';
import type { DataplaneDriver, DataplaneDrivers, VpnType } from './driver.js';
import { DummyDataplaneDriver } from './dummy.js';
import { PrivilegedExec } from './exec/privileged-exec.js';
import { RootHelper } from './exec/root-helper.js';
import { LinuxEvpnDriver } from './linux/evpn-driver.js';
import { OvsEvpnDriver } from './ovs-evpn/ovs-evpn-driver.js';
import { OvsIpvpnDriver, type OvsDriverEnvironment } from './ovs-ipvpn/ovs-ipvpn-driver.js';
import { IprouteExecutor } from './linux-mpls/executor.js';
import { checkKernelSupport, modprobeWith, type KernelSupportOptions } from './linux-mpls/kernel-support.js';
import { MplsLinuxDataplaneDriver, nextHopMode } from './linux-mpls/mpls-linux-driver.js';

export class DriverNotImplemented extends Error {
  override readonly name = 'DriverNotImplemented';
}

export interface CreateDriversOptions {
  /** Where the kernel MPLS driver looks for its modules (tests); default: this kernel. */
  readonly kernel?: KernelSupportOptions;
  /**
   * Drivers for reset_state only (bagpipe-bgp-cleanup): no start-up requirements (kernel MPLS
   * modules, mpls_interface), so leftovers are removed even where the driver could not run.
   */
  readonly cleanupOnly?: boolean;
}

/**
 * The `linux` IP VPN driver: mpls_interface checked, then the kernel (mpls_router, mpls_iptunnel,
 * vrf; modprobe tried for missing ones): either missing stops the start with its message.
 */
function linuxIpvpn(config: Config, group: IpvpnLinuxOptions, rootHelper: RootHelper, dlog: Logger, options: CreateDriversOptions): MplsLinuxDataplaneDriver {
  if (options.cleanupOnly !== true) {
    nextHopMode(group.mpls_interface);
    checkKernelSupport(options.kernel ?? { modprobe: modprobeWith(rootHelper.prefix) });
  }
  return new MplsLinuxDataplaneDriver({
    localAddress: group.dataplane_local_address ?? config.BGP.local_address,
    mplsInterface: group.mpls_interface,
    config: { dataplane_local_address: group.dataplane_local_address, dataplane_driver: group.dataplane_driver, mpls_interface: group.mpls_interface },
    executor: new IprouteExecutor(new PrivilegedExec(rootHelper, dlog), dlog),
    log: dlog,
  });
}

export function createDrivers(config: Config, log: Logger, options: CreateDriversOptions = {}): DataplaneDrivers {
  const rootHelper = (): RootHelper => RootHelper.fromConfig(config.COMMON, log.child('dataplane'));
  const ovsEnvironment = (adoptionHoldTime: number): OvsDriverEnvironment => ({
    rootHelper: rootHelper(),
    ovsdb: { connection: config.OVS?.ovsdb_connection ?? null, timeout: config.OVS?.ovsdb_timeout ?? 10 },
    adoptionHoldTime,
  });
  const make = <T extends VpnType>(type: T): DataplaneDriver<T> => {
    const group = type === 'ipvpn' ? config.DATAPLANE_DRIVER_IPVPN : config.DATAPLANE_DRIVER_EVPN;
    const section = type === 'ipvpn' ? 'DATAPLANE_DRIVER_IPVPN' : 'DATAPLANE_DRIVER_EVPN';
    const localAddress = group.dataplane_local_address ?? config.BGP.local_address;
    const dlog = log.child(`dataplane.${type}`);
    if (group.driver === 'dummy') {
      return new DummyDataplaneDriver(type, localAddress, { dataplane_local_address: group.dataplane_local_address, dataplane_driver: group.dataplane_driver }, dlog);
    }
    const evpn = config.DATAPLANE_DRIVER_EVPN;
    const ipvpn = config.DATAPLANE_DRIVER_IPVPN;
    if (type === 'evpn' && evpn.driver === 'linux') {
      const driver = new LinuxEvpnDriver(
        {
          localAddress,
          vxlanDstPort: evpn.vxlan_dst_port,
          adoptionHoldTime: evpn.adoption_hold_time,
          config: { dataplane_local_address: evpn.dataplane_local_address, dataplane_driver: evpn.dataplane_driver, vxlan_dst_port: evpn.vxlan_dst_port, adoption_hold_time: evpn.adoption_hold_time },
        },
        new PrivilegedExec(rootHelper(), dlog),
        dlog,
      );
      return driver as unknown as DataplaneDriver<T>;
    }
    if (type === 'evpn' && evpn.driver === 'ovs') {
      const { driver: _d, ...shown } = evpn;
      return new OvsEvpnDriver(evpn.ovs_bridge, localAddress, ovsEnvironment(evpn.adoption_hold_time), shown, dlog) as unknown as DataplaneDriver<T>;
    }
    if (type === 'ipvpn' && ipvpn.driver === 'ovs') {
      const { driver: _d, ...shown } = ipvpn;
      return new OvsIpvpnDriver(ipvpn, localAddress, ovsEnvironment(ipvpn.adoption_hold_time), shown, dlog) as unknown as DataplaneDriver<T>;
    }
    if (type === 'ipvpn' && ipvpn.driver === 'linux') return linuxIpvpn(config, ipvpn, rootHelper(), dlog, options) as unknown as DataplaneDriver<T>;
    throw new DriverNotImplemented(
      `[${section}] dataplane_driver = ${group.dataplane_driver}: the ${group.driver} ${type} dataplane driver is not implemented yet (written: 'dummy', 'linux' and 'ovs' for both)`,
    );
  };
  return { ipvpn: make('ipvpn'), evpn: make('evpn') };
}

export class DriverStartError extends Error {
  override readonly name = 'DriverStartError';
}

/** The drivers' start-up checks (E-VPN first, the original's order); a failure stops the daemon. */
export async function startDrivers(drivers: DataplaneDrivers): Promise<void> {
  for (const d of [drivers.evpn, drivers.ipvpn] as DataplaneDriver[]) {
    try {
      await d.start?.();
    } catch (e) {
      throw new DriverStartError(`${d.vpnType} dataplane driver ${d.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
