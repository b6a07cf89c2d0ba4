/**
 * bagpipe-rest-attach's command line (spec config.md §6): every option of the original, folded
 * in command-line order the way its optparse actions do, and checked before anything is run.
 *
 * The original checked some options only after creating the namespace or plugging into OVS
 * (a missing E-VPN MAC, a redirect without classifier, which even crashed it); every usage error
 * is found here first, so a refused command changes nothing.
 */
import { CONFIG_OPTION_DEFS, configArgs, type ConfigArg } from '../client/client-config.js';
import { allValues, lastValue, UsageError, type CommandLine, type OptionDef } from '../client/command-line.js';

export const PROG = 'bagpipe-rest-attach';
export const USAGE = `${PROG} [--attach|--detach] --network-type (ipvpn|evpn) --port (<port>|netns) --ip <ip>[/<mask>] [options] (see --help)`;

export const DEFAULT_VPN_INSTANCE_ID = 'bagpipe-test';

/** The classifier options, by option name → `attract_traffic.classifier` key. */
const CLASSIFIER_KEYS: Readonly<Record<string, string>> = {
  'source-prefix': 'sourcePrefix',
  'destination-prefix': 'destinationPrefix',
  'source-port': 'sourcePort',
  'destination-port': 'destinationPort',
  protocol: 'protocol',
};

export const OPTIONS: readonly OptionDef[] = [
  { name: 'attach', kind: 'flag', help: 'attach local port' },
  { name: 'detach', kind: 'flag', help: 'detach local port' },
  { name: 'network-type', kind: 'choice', choices: ['ipvpn', 'evpn'], help: 'network type (ipvpn or evpn)' },
  { name: 'vpn-instance-id', kind: 'string', help: 'UUID for the network instance (default: <network type>-bagpipe-test)' },
  {
    name: 'port',
    kind: 'string',
    help: "local port to attach/detach (use special port 'netns[:if]' to have an interface to a local network namespace attached/detached [with 'if' as the name of the interface to the netns]; 'evpn:<id>' plugs that E-VPN into an IP VPN)",
  },
  { name: 'direction', kind: 'choice', choices: ['to-port', 'from-port', 'both'], help: 'local port direction (to-port|from-port|both) in VPN (default: both)' },
  { name: 'rt', kind: 'string', metavar: 'ROUTE_TARGETS', help: 'route target [default: 64512:512 for ipvpn, 64512:513 for evpn] (can be specified multiple times)' },
  { name: 'import-rt', kind: 'string', metavar: 'IMPORT_ONLY_RTS', help: 'import-only route target (can be specified multiple times)' },
  { name: 'export-rt', kind: 'string', metavar: 'EXPORT_ONLY_RTS', help: 'export-only route target (can be specified multiple times)' },
  { name: 'ip', kind: 'string', help: 'IP prefix / mask (mask defaults to /24)' },
  { name: 'gateway-ip', kind: 'string', metavar: 'GW_IP', help: 'IP address of network gateway (optional, defaults to last IP in range)' },
  { name: 'mac', kind: 'string', help: "MAC address (required for evpn if port is not 'netns')" },
  { name: 'advertise-singleton', kind: 'flag', help: 'advertise IP address as a /32 (default)' },
  { name: 'advertise-subnet', kind: 'flag', help: 'advertise the whole IP subnet' },
  { name: 'ovs-preplug', kind: 'flag', help: 'should we prealably plug the port into an OVS bridge' },
  { name: 'ovs-bridge', kind: 'string', metavar: 'BRIDGE', help: 'if preplug, specifies which OVS bridge to use (default: br-int)' },
  { name: 'ovs-vlan', kind: 'int', help: 'if specified, only this VLAN from the OVS interface will be attached to the VPN instance (optional)' },
  { name: 'netns', kind: 'string', help: 'name of network namespace (optional, for use with --port netns)' },
  { name: 'if2vpn', kind: 'string', help: 'name of interface in netns toward VPN defaults to tovpn (optional, for use with --port netns)' },
  {
    name: 'default-route',
    kind: 'flag',
    help: 'with --port netns: also add a default route via the gateway inside the namespace (the original always did; off by default)',
  },
  { name: 'readv-from-rt', kind: 'string', metavar: 'READV_FROM_RTS', help: 'enables route readvertisement from these RTs, works in conjunction with --readv-to-rt' },
  { name: 'readv-to-rt', kind: 'string', metavar: 'READV_TO_RTS', help: 'enables route readvertisement to these RTs, works in conjunction with --readv-from-rt' },
  {
    name: 'redirect-rts',
    kind: 'string',
    help: 'Redirection Route Targets to attract traffic, matching the traffic classifier, in specified VRF from any VRF importing this route target',
  },
  { name: 'source-prefix', kind: 'string', metavar: 'SOURCEPREFIX', help: 'Traffic classifier source prefix filter' },
  { name: 'destination-prefix', kind: 'string', metavar: 'DESTINATIONPREFIX', help: 'Traffic classifier destination prefix filter' },
  { name: 'source-port', kind: 'string', metavar: 'SOURCEPORT', help: 'Traffic classifier source port number or range filter' },
  { name: 'destination-port', kind: 'string', metavar: 'DESTINATIONPORT', help: 'Traffic classifier destination port number or range filter' },
  { name: 'protocol', kind: 'string', help: 'Traffic classifier IP protocol filter' },
  { name: 'attract-to-rt', kind: 'string', metavar: 'ATTRACT_TO_RTS', help: 'enables route advertisement to these RTs, works in conjunction with --static-destination-prefix' },
  {
    name: 'static-destination-prefix',
    kind: 'string',
    metavar: 'STATIC_DEST_PREFIXES',
    help: 'static destination prefix to advertise, works in conjunction with --attract-to-rt',
  },
  { name: 'lb-consistent-hash-order', kind: 'int', help: 'Load Balancing consistent hash sort order' },
  { name: 'vni', kind: 'int', help: 'VXLAN VNI to use for this VPN instance (optional)' },
  { name: 'local-pref', kind: 'int', help: 'BGP LOCAL PREF attribute (optional)' },
  ...CONFIG_OPTION_DEFS,
];

export type VpnType = 'ipvpn' | 'evpn';

export interface RestAttachOptions {
  readonly operation: 'attach' | 'detach';
  readonly networkType: VpnType;
  /** As given (the `bagpipe-test` default is qualified later). */
  readonly vpnInstanceId: string;
  readonly port: string;
  readonly direction: string;
  readonly routeTargets: readonly string[];
  readonly importOnlyRts: readonly string[];
  readonly exportOnlyRts: readonly string[];
  readonly ip: string;
  readonly gatewayIp: string | undefined;
  readonly mac: string | undefined;
  readonly advertiseSubnet: boolean;
  readonly ovsPreplug: boolean;
  readonly ovsBridge: string;
  /** Only a non-zero value counts (the original tests its truth). */
  readonly ovsVlan: number | undefined;
  readonly netns: string | undefined;
  readonly if2vpn: string;
  readonly defaultRoute: boolean;
  readonly readvFromRts: readonly string[];
  readonly readvToRts: readonly string[];
  readonly redirectRts: readonly string[];
  /** Classifier keys in order of first use; a repeated option keeps its place and takes the new value. */
  readonly classifier: ReadonlyMap<string, string>;
  readonly attractToRts: readonly string[];
  readonly staticDestPrefixes: readonly string[];
  readonly lbConsistentHashOrder: number;
  readonly vni: number;
  readonly localPref: number | undefined;
  readonly config: readonly ConfigArg[];
}

/** `--port netns` or `--port netns:<host side interface>`. */
export function isNetnsPort(port: string): boolean {
  return port === 'netns' || port.startsWith('netns:');
}

export function isEvpnPort(port: string): boolean {
  return port.startsWith('evpn:');
}

/** Folds the command line into options and checks them. Throws UsageError. */
export function readOptions(cl: CommandLine): RestAttachOptions {
  let operation: 'attach' | 'detach' | undefined;
  let advertiseSubnet = false;
  const classifier = new Map<string, string>();
  for (const o of cl.options) {
    const name = o.def.name;
    if (name === 'attach' || name === 'detach') operation = name;
    else if (name === 'advertise-subnet') advertiseSubnet = true;
    else if (name === 'advertise-singleton') advertiseSubnet = false;
    else if (CLASSIFIER_KEYS[name] !== undefined) classifier.set(CLASSIFIER_KEYS[name], String(o.value));
  }
  const port = lastValue<string>(cl, 'port');
  const networkType = lastValue<VpnType>(cl, 'network-type');
  const ip = lastValue<string>(cl, 'ip');
  // The original's checks, in its order and words.
  if (operation === undefined) throw new UsageError('Need to specify --attach or --detach');
  if (!port) throw new UsageError('Need to specify --port <localport>');
  if (networkType === undefined) throw new UsageError('Need to specify --network-type');
  if (!ip) throw new UsageError('Need to specify --ip');

  const mac = lastValue<string>(cl, 'mac') || undefined;
  if (isEvpnPort(port) && networkType !== 'ipvpn') throw new UsageError('Can only plug an evpn into an ipvpn');
  if (networkType === 'evpn' && mac === undefined && !isNetnsPort(port)) {
    throw new UsageError("Need to specify --mac for an EVPN network attachment if port is not 'netns'");
  }
  const redirectRts = allValues<string>(cl, 'redirect-rts');
  const attractToRts = allValues<string>(cl, 'attract-to-rt');
  const staticDestPrefixes = allValues<string>(cl, 'static-destination-prefix');
  if (redirectRts.length > 0) {
    if (classifier.size === 0) throw new UsageError('Need to specify --redirect-rt and at least one traffic classifier option');
    if (attractToRts.length > 0 && staticDestPrefixes.length === 0) {
      throw new UsageError('Need to specify --attract-to-rt and at least one static destination prefix option');
    }
  }
  const ovsVlan = lastValue<number>(cl, 'ovs-vlan');
  return {
    operation,
    networkType,
    vpnInstanceId: lastValue<string>(cl, 'vpn-instance-id') ?? DEFAULT_VPN_INSTANCE_ID,
    port,
    direction: lastValue<string>(cl, 'direction') ?? 'both',
    routeTargets: allValues<string>(cl, 'rt'),
    importOnlyRts: allValues<string>(cl, 'import-rt'),
    exportOnlyRts: allValues<string>(cl, 'export-rt'),
    ip,
    gatewayIp: lastValue<string>(cl, 'gateway-ip') || undefined,
    mac,
    advertiseSubnet,
    ovsPreplug: lastValue(cl, 'ovs-preplug') === true,
    ovsBridge: lastValue<string>(cl, 'ovs-bridge') ?? 'br-int',
    ovsVlan: ovsVlan === 0 ? undefined : ovsVlan,
    netns: lastValue<string>(cl, 'netns') || undefined,
    if2vpn: lastValue<string>(cl, 'if2vpn') ?? 'tovpn',
    defaultRoute: lastValue(cl, 'default-route') === true,
    readvFromRts: allValues<string>(cl, 'readv-from-rt'),
    readvToRts: allValues<string>(cl, 'readv-to-rt'),
    redirectRts,
    classifier,
    attractToRts,
    staticDestPrefixes,
    lbConsistentHashOrder: lastValue<number>(cl, 'lb-consistent-hash-order') ?? 0,
    vni: lastValue<number>(cl, 'vni') ?? 0,
    localPref: lastValue<number>(cl, 'local-pref'),
    config: configArgs(cl.options),
  };
}
