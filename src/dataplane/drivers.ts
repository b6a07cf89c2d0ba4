/**
 * The dataplane drivers named by `[DATAPLANE_DRIVER_IPVPN]` / `[DATAPLANE_DRIVER_EVPN]`
 * `dataplane_driver` (any of the original's entry-point aliases, resolved by the config loader).
 * A driver that does not exist yet fails at start-up with a clear message instead of running
 * without the dataplane the operator asked for.
 *
 * `createDrivers` only builds them; `startDrivers` runs their start-up checks (the bridge
 * exists…), which need commands: a failure there stops the daemon, as in the original.
 */
import type { Config } from '../config/index.js';
import type { Logger } from '../util/logger.js';
import type { DataplaneDriver, DataplaneDrivers, VpnType } from './driver.js';
import { DummyDataplaneDriver } from './dummy.js';
import { RootHelper } from './exec/root-helper.js';
import { OvsEvpnDriver } from './ovs-evpn/ovs-evpn-driver.js';
import { OvsIpvpnDriver, type OvsDriverEnvironment } from './ovs-ipvpn/ovs-ipvpn-driver.js';

export class DriverNotImplemented extends Error {
  override readonly name = 'DriverNotImplemented';
}

function ovsEnvironment(config: Config, log: Logger, staleStateTimeout: number): OvsDriverEnvironment {
  return {
    rootHelper: RootHelper.fromConfig(config.COMMON, log),
    ovsdb: { connection: config.OVS?.ovsdb_connection ?? null, timeout: config.OVS?.ovsdb_timeout ?? 10 },
    staleStateTimeout,
  };
}

export function createDrivers(config: Config, log: Logger): DataplaneDrivers {
  const notImplemented = (type: VpnType): never => {
    const group = type === 'ipvpn' ? config.DATAPLANE_DRIVER_IPVPN : config.DATAPLANE_DRIVER_EVPN;
    const section = type === 'ipvpn' ? 'DATAPLANE_DRIVER_IPVPN' : 'DATAPLANE_DRIVER_EVPN';
    throw new DriverNotImplemented(`[${section}] dataplane_driver = ${group.dataplane_driver}: the ${group.driver} ${type} dataplane driver is not implemented yet`);
  };
  const dummy = <T extends VpnType>(type: T, group: { dataplane_local_address: string | null; dataplane_driver: string }): DummyDataplaneDriver<T> =>
    new DummyDataplaneDriver(
      type,
      group.dataplane_local_address ?? config.BGP.local_address,
      { dataplane_local_address: group.dataplane_local_address, dataplane_driver: group.dataplane_driver },
      log.child(`dataplane.${type}`),
    );

  const ip = config.DATAPLANE_DRIVER_IPVPN;
  let ipvpn: DataplaneDriver<'ipvpn'>;
  if (ip.driver === 'dummy') ipvpn = dummy('ipvpn', ip);
  else if (ip.driver === 'ovs') {
    const { driver: _d, ...shown } = ip;
    const l = log.child('dataplane.ipvpn');
    ipvpn = new OvsIpvpnDriver(ip, ip.dataplane_local_address ?? config.BGP.local_address, ovsEnvironment(config, l, ip.stale_state_timeout), shown, l);
  } else ipvpn = notImplemented('ipvpn');

  const ev = config.DATAPLANE_DRIVER_EVPN;
  let evpn: DataplaneDriver<'evpn'>;
  if (ev.driver === 'dummy') evpn = dummy('evpn', ev);
  else if (ev.driver === 'ovs') {
    const { driver: _d, ...shown } = ev;
    const l = log.child('dataplane.evpn');
    evpn = new OvsEvpnDriver(ev.ovs_bridge, ev.dataplane_local_address ?? config.BGP.local_address, ovsEnvironment(config, l, ev.stale_state_timeout), shown, l);
  } else evpn = notImplemented('evpn');
  return { ipvpn, evpn };
}

/** The drivers' start-up checks (E-VPN first, the original's order); a failure stops the daemon. */
export async function startDrivers(drivers: DataplaneDrivers): Promise<void> {
  await drivers.evpn.start?.();
  await drivers.ipvpn.start?.();
}

/** Releases the drivers' timers and processes (daemon stop). */
export async function closeDrivers(drivers: DataplaneDrivers): Promise<void> {
  await drivers.evpn.close?.();
  await drivers.ipvpn.close?.();
}
