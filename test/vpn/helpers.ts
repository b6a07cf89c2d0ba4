/** A VPN manager over a real route table manager (a BgpManager without peers: RTC included) and the dummy drivers. */
import { DummyDataplaneDriver, type DataplaneCall } from '../../src/dataplane/dummy.js';
import { BgpManager } from '../../src/session/bgp-manager.js';
import { memoryLogger } from '../../src/util/logger.js';
import type { AttachRequest, DetachRequest, EndpointIp } from '../../src/vpn/requests.js';
import { VpnManager } from '../../src/vpn/vpn-manager.js';
import { Collector } from '../scenario/harness/speaker.js';

export const LOCAL = '127.0.141.1';

export interface Bench {
  bgp: BgpManager;
  vpn: VpnManager;
  ipvpn: DummyDataplaneDriver<'ipvpn'>;
  evpn: DummyDataplaneDriver<'evpn'>;
  /** Sees every route of every family (a wildcard local subscriber). */
  all: Collector;
  records: ReturnType<typeof memoryLogger>['records'];
}

export function bench(options: { ecmp?: boolean } = {}): Bench {
  const log = memoryLogger();
  const bgp = new BgpManager({ localAddress: LOCAL, localAs: 64512, enableRtc: true, peerPort: 179, peers: [] }, log);
  const ipvpn = new DummyDataplaneDriver('ipvpn', LOCAL, {}, log, options);
  const evpn = new DummyDataplaneDriver('evpn', LOCAL, {}, log);
  const vpn = new VpnManager({ rtm: bgp.rtm, localAddress: LOCAL, drivers: { ipvpn, evpn }, log, salt: 'test' });
  const all = new Collector('all', bgp.rtm).subscribe(undefined, undefined);
  return { bgp, vpn, ipvpn, evpn, all, records: log.records };
}

export function ip(text: string): EndpointIp {
  const [address, len] = text.split('/');
  return { text, address: address!, length: len === undefined ? 32 : Number(len), version: 4 };
}

export function attach(over: Partial<AttachRequest> = {}): AttachRequest {
  return {
    vpnType: 'ipvpn',
    vpnInstanceId: 'v1',
    macAddress: '52:54:00:00:00:01',
    ip: ip('10.0.0.1'),
    localPort: { linuxif: 'tap1' },
    importRts: ['64512:1'],
    exportRts: ['64512:1'],
    gatewayIp: '10.0.0.254',
    advertiseSubnet: false,
    vni: 0,
    linuxbr: undefined,
    localPref: null,
    direction: 'both',
    fallback: null,
    readvertise: null,
    attractTraffic: null,
    lbConsistentHashOrder: 0,
    description: null,
    instanceDescription: null,
    ...over,
  };
}

export function detach(over: Partial<DetachRequest> = {}): DetachRequest {
  return { vpnType: 'ipvpn', vpnInstanceId: 'v1', macAddress: '52:54:00:00:00:01', ip: ip('10.0.0.1'), localPort: { linuxif: 'tap1' }, ...over };
}

/** Calls of one instance's dummy dataplane, as [call, args]. */
export function calls(b: Bench, id: string): [string, Record<string, unknown>][] {
  const i = b.vpn.instances.get(id);
  if (!i) throw new Error(`no instance ${id}`);
  return (i.dataplaneInfo().calls as DataplaneCall[]).map((c) => [c.call, c.args]);
}
