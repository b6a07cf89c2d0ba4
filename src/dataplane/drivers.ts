/**
 * The dataplane drivers named by `[DATAPLANE_DRIVER_IPVPN]` / `[DATAPLANE_DRIVER_EVPN]`
 * `dataplane_driver` (any of the original's entry-point aliases, resolved by the config loader).
 * Only the dummy drivers exist so far: naming another one fails at start-up with a clear message
 * instead of running without the dataplane the operator asked for.
 */
import type { Config } from '../config/index.js';
import type { Logger } from '../util/logger.js';
import type { DataplaneDrivers, VpnType } from './driver.js';
import { DummyDataplaneDriver } from './dummy.js';

export class DriverNotImplemented extends Error {
  override readonly name = 'DriverNotImplemented';
}

export function createDrivers(config: Config, log: Logger): DataplaneDrivers {
  const make = <T extends VpnType>(type: T): DummyDataplaneDriver<T> => {
    const group = type === 'ipvpn' ? config.DATAPLANE_DRIVER_IPVPN : config.DATAPLANE_DRIVER_EVPN;
    const section = type === 'ipvpn' ? 'DATAPLANE_DRIVER_IPVPN' : 'DATAPLANE_DRIVER_EVPN';
    if (group.driver !== 'dummy') {
      throw new DriverNotImplemented(
        `[${section}] dataplane_driver = ${group.dataplane_driver}: the ${group.driver} ${type} dataplane driver is not implemented yet (only 'dummy' is)`,
      );
    }
    const localAddress = group.dataplane_local_address ?? config.BGP.local_address;
    return new DummyDataplaneDriver(type, localAddress, { dataplane_local_address: group.dataplane_local_address, dataplane_driver: group.dataplane_driver }, log.child(`dataplane.${type}`));
  };
  return { ipvpn: make('ipvpn'), evpn: make('evpn') };
}
