/**
 * The attach/detach request bagpipe-rest-attach builds (spec config.md §6, rest-api.md §4): the
 * defaults the original fills in, then the body with the original's keys in the original's
 * order (the daemon does not care about order, people comparing outputs do).
 *
 * One deliberate difference: the original sends the attract-traffic "to" route targets under the
 * key `to`, which the daemon never reads (rest-api.md §4.4 wants `to_rt`), so `--attract-to-rt`
 * did nothing. We send `to_rt`.
 */
import ipaddr from 'ipaddr.js';
import type { DumpValue } from '../client/python-text.js';
import { DEFAULT_VPN_INSTANCE_ID, isEvpnPort, type RestAttachOptions, type VpnType } from './options.js';
import { UsageError } from '../client/command-line.js';

/** The route targets used when none of --rt/--import-rt/--export-rt is given. */
export const DEFAULT_ROUTE_TARGET: Readonly<Record<VpnType, string>> = { ipvpn: '64512:512', evpn: '64512:513' };

export const DEFAULT_IPVPN_MAC = '52:54:00:99:99:22';

/** `<ip>` → `<ip>/24` unless it already ends with `/<digits>` (the original's regex). */
export function withPrefixLength(ip: string): string {
  return /\/[0-9]+$/.test(ip) ? ip : `${ip}/24`;
}

/**
 * The second to last address of the prefix (netaddr's `IPNetwork(ip)[-2]`): `x.y.z.254` for a
 * /24. A /32 (or /128) has no such address: a usage error (the original crashed).
 */
export function defaultGateway(prefix: string): string {
  const slash = prefix.lastIndexOf('/');
  const addr = prefix.slice(0, slash);
  const len = Number(prefix.slice(slash + 1));
  let bytes: number[];
  if (ipaddr.IPv4.isValidFourPartDecimal(addr)) bytes = ipaddr.IPv4.parse(addr).toByteArray();
  else if (!addr.includes('.') && ipaddr.IPv6.isValid(addr)) bytes = ipaddr.IPv6.parse(addr).toByteArray();
  else throw new UsageError(`invalid IP address in --ip: '${prefix}'`);
  const bits = bytes.length * 8;
  if (!Number.isInteger(len) || len > bits) throw new UsageError(`invalid prefix length in --ip: '${prefix}'`);
  if (len === bits) throw new UsageError(`no gateway address in a /${len}: give --gateway-ip`);
  let n = bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
  const hostMask = (1n << BigInt(bits - len)) - 1n;
  n = (n | hostMask) - 1n;
  const out: number[] = [];
  for (let i = bytes.length - 1; i >= 0; i--) out[i] = Number((n >> BigInt(8 * (bytes.length - 1 - i))) & 0xffn);
  return ipaddr.fromByteArray(out).toString();
}

/** `bagpipe-test` becomes `<type>-bagpipe-test`; any other id is used as given. */
export function qualifiedInstanceId(o: RestAttachOptions): string {
  return o.vpnInstanceId === DEFAULT_VPN_INSTANCE_ID ? `${o.networkType}-${o.vpnInstanceId}` : o.vpnInstanceId;
}

export function importExportRts(o: RestAttachOptions): { importRts: string[]; exportRts: string[] } {
  const rts =
    o.routeTargets.length === 0 && o.importOnlyRts.length === 0 && o.exportOnlyRts.length === 0 ? [DEFAULT_ROUTE_TARGET[o.networkType]] : [...o.routeTargets];
  return { importRts: [...rts, ...o.importOnlyRts], exportRts: [...rts, ...o.exportOnlyRts] };
}

/** The local_port object: an interface, an interface pre-plugged in OVS, or an E-VPN to plug. */
export function localPortOf(o: RestAttachOptions, port: string): DumpValue {
  if (isEvpnPort(port)) return { evpn: { id: port.slice('evpn:'.length) } };
  if (o.ovsPreplug && o.networkType === 'ipvpn') {
    const ovs: Record<string, DumpValue> = { port_name: port, plugged: true };
    if (o.ovsVlan !== undefined) ovs.vlan = o.ovsVlan;
    return { linuxif: port, ovs };
  }
  return { linuxif: port };
}

export interface BodyInputs {
  readonly options: RestAttachOptions;
  readonly vpnInstanceId: string;
  readonly localPort: DumpValue;
  readonly gatewayIp: string;
  readonly mac: string;
  /** The IP with its prefix length. */
  readonly ipPrefix: string;
}

/** The request body, keys in the original's order. The same body serves attach and detach. */
export function requestBody(b: BodyInputs): Record<string, DumpValue> {
  const o = b.options;
  const { importRts, exportRts } = importExportRts(o);
  const readvertise: DumpValue = o.readvToRts.length > 0 ? { from_rt: [...o.readvFromRts], to_rt: [...o.readvToRts] } : null;
  const attractTraffic: Record<string, DumpValue> = {};
  if (o.redirectRts.length > 0) {
    attractTraffic.redirect_rts = [...o.redirectRts];
    attractTraffic.classifier = Object.fromEntries(o.classifier);
    if (o.attractToRts.length > 0) {
      attractTraffic.to_rt = [...o.attractToRts];
      attractTraffic.static_destination_prefixes = [...o.staticDestPrefixes];
    }
  }
  const body: Record<string, DumpValue> = {
    import_rt: importRts,
    export_rt: exportRts,
    local_port: b.localPort,
    vpn_instance_id: b.vpnInstanceId,
    vpn_type: o.networkType,
    gateway_ip: b.gatewayIp,
    mac_address: b.mac,
    ip_address: b.ipPrefix,
    advertise_subnet: o.advertiseSubnet,
    readvertise,
    attract_traffic: attractTraffic,
    lb_consistent_hash_order: o.lbConsistentHashOrder,
    vni: o.vni,
  };
  // Falsy values are not sent (0 means "no preference" to the daemon anyway).
  if (o.localPref) body.local_pref = o.localPref;
  body.direction = o.direction;
  return body;
}
