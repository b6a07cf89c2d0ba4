/**
 * The bgp.conf of a daemon on loopback with the dummy dataplane drivers, as the demo (and the
 * tests and benchmarks that start our daemon as a process) write it.
 */
import { iniFromObject, type IniValue } from '../../config/ini.js';

export interface DummyDaemonConf {
  /** [BGP] options (local_address, my_as, peers…). */
  readonly bgp: Readonly<Record<string, IniValue>>;
  /** The REST API's address and port. */
  readonly api: { readonly host: string; readonly port: number };
  /** More sections ([BGP_PEER:<address>]…), after the others. */
  readonly sections?: Readonly<Record<string, Readonly<Record<string, IniValue>>>>;
}

export function dummyDaemonConf(c: DummyDaemonConf): string {
  return iniFromObject({
    BGP: c.bgp,
    API: { host: c.api.host, port: c.api.port },
    DATAPLANE_DRIVER_IPVPN: { dataplane_driver: 'dummy' },
    DATAPLANE_DRIVER_EVPN: { dataplane_driver: 'dummy' },
    ...c.sections,
  });
}
