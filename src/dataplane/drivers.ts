/**
 * The dataplane drivers named by `[DATAPLANE_DRIVER_IPVPN]` / `[DATAPLANE_DRIVER_EVPN]`
 * `dataplane_driver` (any of the original's entry-point aliases, resolved by the config loader).
 * Written so far: the dummy drivers and the `linux` E-VPN driver (Linux bridge + VXLAN). Naming
 * another one fails at start-up with a clear message instead of running without the dataplane the
 * operator asked for.
 */
import type { Config } from '../config/index.js';
import type { Logger } from '../util/logger.js';
import type { DataplaneDriver, DataplaneDrivers, VpnType } from './driver.js';
import { DummyDataplaneDriver } from './dummy.js';
import { PrivilegedExec } from './exec/privileged-exec.js';
import { RootHelper } from './exec/root-helper.js';
import { LinuxEvpnDriver } from './linux/evpn-driver.js';

export class DriverNotImplemented extends Error {
  override readonly name = 'DriverNotImplemented';
}

export function createDrivers(config: Config, log: Logger): DataplaneDrivers {
  const rootHelper = (): RootHelper => RootHelper.fromConfig(config.COMMON, log.child('dataplane'));
  const make = <T extends VpnType>(type: T): DataplaneDriver<T> => {
    const group = type === 'ipvpn' ? config.DATAPLANE_DRIVER_IPVPN : config.DATAPLANE_DRIVER_EVPN;
    const section = type === 'ipvpn' ? 'DATAPLANE_DRIVER_IPVPN' : 'DATAPLANE_DRIVER_EVPN';
    const localAddress = group.dataplane_local_address ?? config.BGP.local_address;
    const dlog = log.child(`dataplane.${type}`);
    if (group.driver === 'dummy') {
      return new DummyDataplaneDriver(type, localAddress, { dataplane_local_address: group.dataplane_local_address, dataplane_driver: group.dataplane_driver }, dlog);
    }
    const evpn = config.DATAPLANE_DRIVER_EVPN;
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
    throw new DriverNotImplemented(
      `[${section}] dataplane_driver = ${group.dataplane_driver}: the ${group.driver} ${type} dataplane driver is not implemented yet (written: 'dummy' for both, 'linux' for evpn)`,
    );
  };
  return { ipvpn: make('ipvpn'), evpn: make('evpn') };
}
