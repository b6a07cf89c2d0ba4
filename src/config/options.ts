/**
 * Every option of bgp.conf: the original daemon's (networking-bagpipe 17.0.0, with the same
 * names, types, defaults and deprecated names), oslo.log's `[DEFAULT]` options, and our
 * extensions (marked `extension`), which the original ignores, so a file using them still
 * starts the original.
 *
 * The configuration object keeps the file's own names (`config.BGP.my_as`): they are what
 * operators write, what the looking glass shows and what the printer writes back.
 */

import { parseFamilyName, familyName } from '../wire/afi.js';
import type { ConfigWarning } from './errors.js';
import {
  booleanType,
  hostAddressType,
  integerType,
  interfaceAddressType,
  listenAddressType,
  listType,
  portType,
  stringType,
  TypeValueError,
} from './types.js';
import type { OptType } from './types.js';

export interface OptSpec<T = unknown> {
  /** Name in the file (oslo's `dest`: underscores). */
  readonly name: string;
  readonly type: OptType<T>;
  /** Value when nothing sets the option (oslo's None is null). */
  readonly default: T | null;
  readonly required?: boolean;
  /** Older names accepted in the same section (the current name wins within one file). */
  readonly deprecatedNames?: readonly string[];
  /**
   * Whether null (oslo's None: an empty integer) is a usable value. Defaults to true when the
   * default is null. When false, an empty value is refused at load time (the original accepts
   * it and fails later, at first use).
   */
  readonly nullable?: boolean;
  /** Not an option of the original daemon. */
  readonly extension?: boolean;
  readonly help: string;
}

function opt<T>(spec: OptSpec<T>): OptSpec {
  return spec;
}

export function isNullable(spec: OptSpec): boolean {
  return spec.nullable ?? (spec.default === null && spec.required !== true);
}

// ---------------------------------------------------------------------------------------------
// [DEFAULT]: oslo.log (the original registers them with logging.register_options)

/** oslo.log's default_log_levels plus the four the original adds in setup_logging(). */
export const DEFAULT_LOG_LEVELS: readonly string[] = [
  'amqp=WARN',
  'amqplib=WARN',
  'boto=WARN',
  'qpid=WARN',
  'sqlalchemy=WARN',
  'suds=INFO',
  'oslo.messaging=INFO',
  'oslo_messaging=INFO',
  'iso8601=WARN',
  'requests.packages.urllib3.connectionpool=WARN',
  'urllib3.connectionpool=WARN',
  'websocket=WARN',
  'requests.packages.urllib3.util.retry=WARN',
  'urllib3.util.retry=WARN',
  'keystonemiddleware=WARN',
  'routes.middleware=WARN',
  'stevedore=WARN',
  'taskflow=WARN',
  'keystoneauth=WARN',
  'oslo.cache=INFO',
  'oslo_policy=INFO',
  'dogpile.core.dogpile=INFO',
  'networking_bagpipe.bagpipe_bgp.engine.exabgp_peer_worker.exabgp=INFO',
  'networking_bagpipe.bagpipe_bgp.common.looking_glass=WARNING',
  'networking_bagpipe.bagpipe_bgp.engine.route_table_manager=INFO',
  'ovsdbapp.backend.ovs_idl.vlog=INFO',
];

const str = stringType();

export const DEFAULT_OPTS: readonly OptSpec[] = [
  opt({ name: 'debug', type: booleanType, default: false, help: 'DEBUG logging level (--debug, -d)' }),
  opt({
    name: 'log_config_append',
    type: str,
    default: null,
    deprecatedNames: ['log-config', 'log_config'],
    help: 'Python logging configuration file (appended to the defaults)',
  }),
  opt({ name: 'log_date_format', type: str, default: '%Y-%m-%d %H:%M:%S', help: 'date format of log records' }),
  opt({ name: 'log_file', type: str, default: null, deprecatedNames: ['logfile'], help: 'log file (stderr when unset); a name ending in .conf is ignored with a warning' }),
  opt({ name: 'log_dir', type: str, default: null, deprecatedNames: ['logdir'], help: 'base directory of a relative log_file' }),
  opt({ name: 'watch_log_file', type: booleanType, default: false, help: 'reopen the log file when it is moved' }),
  opt({ name: 'use_syslog', type: booleanType, default: false, help: 'log to syslog' }),
  opt({ name: 'use_journal', type: booleanType, default: false, help: 'log to journald' }),
  opt({ name: 'syslog_log_facility', type: str, default: 'LOG_USER', help: 'syslog facility' }),
  opt({ name: 'use_json', type: booleanType, default: false, help: 'JSON log records' }),
  opt({ name: 'use_stderr', type: booleanType, default: false, help: 'also log to stderr' }),
  opt({ name: 'use_eventlog', type: booleanType, default: false, help: '(oslo.log, no effect here)' }),
  opt({ name: 'log_rotate_interval', type: integerType(), default: 1, help: 'log rotation interval' }),
  opt({ name: 'log_rotate_interval_type', type: stringType(['Seconds', 'Minutes', 'Hours', 'Days', 'Weekday', 'Midnight'], true), default: 'days', help: 'log rotation interval unit' }),
  opt({ name: 'max_logfile_count', type: integerType(), default: 30, help: 'rotated log files kept' }),
  opt({ name: 'max_logfile_size_mb', type: integerType(), default: 200, help: 'log file size triggering rotation' }),
  opt({ name: 'log_rotation_type', type: stringType(['interval', 'size', 'none'], true), default: 'none', help: 'log rotation type' }),
  opt({
    name: 'logging_context_format_string',
    type: str,
    default: '%(asctime)s.%(msecs)03d %(process)d %(levelname)s %(name)s [%(global_request_id)s %(request_id)s %(user_identity)s] %(instance)s%(message)s',
    help: 'format of records with a context',
  }),
  opt({
    name: 'logging_default_format_string',
    type: str,
    default: '%(asctime)s.%(msecs)03d %(process)d %(levelname)s %(name)s [-] %(instance)s%(message)s',
    help: 'format of records without a context',
  }),
  opt({ name: 'logging_debug_format_suffix', type: str, default: '%(funcName)s %(pathname)s:%(lineno)d', help: 'suffix of DEBUG records' }),
  opt({ name: 'logging_exception_prefix', type: str, default: '%(asctime)s.%(msecs)03d %(process)d ERROR %(name)s %(instance)s', help: 'prefix of exception lines' }),
  opt({
    name: 'logging_user_identity_format',
    type: str,
    default: '%(user)s %(project)s %(domain)s %(system_scope)s %(user_domain)s %(project_domain)s',
    help: '(oslo.log, no effect here)',
  }),
  opt({ name: 'default_log_levels', type: listType(str), default: DEFAULT_LOG_LEVELS, help: 'logger=LEVEL pairs' }),
  opt({ name: 'publish_errors', type: booleanType, default: false, help: '(oslo.log, no effect here)' }),
  opt({ name: 'instance_format', type: str, default: '[instance: %(uuid)s] ', help: '(oslo.log, no effect here)' }),
  opt({ name: 'instance_uuid_format', type: str, default: '[instance: %(uuid)s] ', help: '(oslo.log, no effect here)' }),
  opt({ name: 'rate_limit_interval', type: integerType(), default: 0, help: 'log rate limiting interval (s)' }),
  opt({ name: 'rate_limit_burst', type: integerType(), default: 0, help: 'log records per rate limiting interval' }),
  opt({ name: 'rate_limit_except_level', type: str, default: 'CRITICAL', help: 'level exempt from rate limiting' }),
];

export interface DefaultOptions {
  readonly debug: boolean;
  readonly log_config_append: string | null;
  readonly log_date_format: string;
  readonly log_file: string | null;
  readonly log_dir: string | null;
  readonly watch_log_file: boolean;
  readonly use_syslog: boolean;
  readonly use_journal: boolean;
  readonly syslog_log_facility: string;
  readonly use_json: boolean;
  readonly use_stderr: boolean;
  readonly default_log_levels: readonly string[];
  readonly [other: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// [API]

export const API_OPTS: readonly OptSpec[] = [
  opt({ name: 'host', type: hostAddressType(), default: '127.0.0.1', deprecatedNames: ['api_host'], help: 'REST API / looking glass listen address (IP or host name)' }),
  opt({ name: 'port', type: portType, default: 8082, deprecatedNames: ['api_port'], help: 'REST API / looking glass listen port' }),
];

export interface ApiOptions {
  readonly host: string;
  readonly port: number;
}

// ---------------------------------------------------------------------------------------------
// [BGP]

export const BGP_OPTS: readonly OptSpec[] = [
  opt({ name: 'local_address', type: interfaceAddressType, default: null, required: true, help: 'BGP source address and router id: an IPv4 address or an interface name (its first IPv4 address)' }),
  opt({ name: 'peers', type: listType(hostAddressType(4)), default: [], help: 'BGP peers (iBGP, IPv4 literals; host names pass validation but are not resolved)' }),
  opt({ name: 'my_as', type: integerType(1, 65535), default: null, required: true, help: 'local AS, also the AS of every peer listed in peers' }),
  opt({ name: 'enable_rtc', type: booleanType, default: true, help: 'RT Constraint (RFC 4684)' }),
  opt({ name: 'bgp_port', type: portType, default: 179, help: 'TCP port of the peers' }),
  opt({
    name: 'listen_address',
    type: listenAddressType,
    default: null,
    extension: true,
    help: 'address the BGP listener binds (IPv4, IPv6 or interface name); unset: local_address',
  }),
  opt({ name: 'listen_port', type: portType, default: null, extension: true, help: 'TCP port of the BGP listener; unset: no listener (the original only connects)' }),
  opt({
    name: 'graceful_restart_time',
    type: integerType(0, 4095),
    default: 120,
    extension: true,
    help: 'restart time announced in the graceful restart capability (RFC 4724), seconds: how long peers keep our routes when the daemon dies; 0: helper only (our routes are withdrawn at once)',
  }),
];

export interface BgpOptions {
  readonly local_address: string;
  readonly peers: readonly string[];
  readonly my_as: number;
  readonly enable_rtc: boolean;
  readonly bgp_port: number;
  readonly listen_address: string | null;
  readonly listen_port: number | null;
  readonly graceful_restart_time: number;
}

// ---------------------------------------------------------------------------------------------
// [COMMON]

export const COMMON_OPTS: readonly OptSpec[] = [
  opt({ name: 'root_helper', type: str, default: 'sudo', help: 'prefix of privileged commands' }),
  opt({ name: 'root_helper_daemon', type: str, default: null, help: 'oslo.rootwrap daemon command line for privileged commands' }),
];

export interface CommonOptions {
  readonly root_helper: string;
  readonly root_helper_daemon: string | null;
}

// ---------------------------------------------------------------------------------------------
// [DATAPLANE_DRIVER_IPVPN] / [DATAPLANE_DRIVER_EVPN]

export type DriverKind = 'dummy' | 'linux' | 'ovs';
export type VpnType = 'ipvpn' | 'evpn';

/** setuptools entry point names of the original (bagpipe.dataplane.<type>). */
export const DRIVER_NAMES: Readonly<Record<VpnType, Readonly<Record<string, DriverKind>>>> = {
  ipvpn: {
    dummy: 'dummy',
    DummyDataplaneDriver: 'dummy',
    'bagpipe.bgp.vpn.ipvpn.DummyDataplaneDriver': 'dummy',
    linux: 'linux',
    'mpls_linux_dataplane.MPLSLinuxDataplaneDriver': 'linux',
    'bagpipe.bgp.vpn.ipvpn.mpls_linux_dataplane.MPLSLinuxDataplaneDriver': 'linux',
    ovs: 'ovs',
    'mpls_ovs_dataplane.MPLSOVSDataplaneDriver': 'ovs',
    'bagpipe.bgp.vpn.ipvpn.mpls_ovs_dataplane.MPLSOVSDataplaneDriver': 'ovs',
  },
  evpn: {
    dummy: 'dummy',
    DummyDataplaneDriver: 'dummy',
    'bagpipe.bgp.vpn.evpn.DummyDataplaneDriver': 'dummy',
    linux: 'linux',
    'linux_vxlan.LinuxVXLANDataplaneDriver': 'linux',
    'bagpipe.bgp.vpn.evpn.linux_vxlan.LinuxVXLANDataplaneDriver': 'linux',
    ovs: 'ovs',
  },
};

export function driverKind(vpnType: VpnType, name: string): DriverKind | undefined {
  return Object.hasOwn(DRIVER_NAMES[vpnType], name) ? DRIVER_NAMES[vpnType][name] : undefined;
}

export const DATAPLANE_COMMON_OPTS: readonly OptSpec[] = [
  opt({ name: 'dataplane_local_address', type: interfaceAddressType, default: null, help: 'next hop of our VPN routes and tunnel source (IPv4 or interface name); unset: [BGP] local_address' }),
  opt({ name: 'dataplane_driver', type: str, default: 'dummy', help: 'driver name' }),
];

/** OVS drivers: flows a previous run left are kept at start, swept this long after routing is up. */
const OVS_ADOPTION_HOLD_TIME = opt({
  name: 'adoption_hold_time',
  type: integerType(0),
  default: 30,
  extension: true,
  help: 'seconds, counted from the first Established BGP session, during which the flows, groups and ports a previous run left are kept for their VPNs to come back (a restart keeps traffic); then what nobody wanted again is deleted',
});

/** Driver-specific options, registered (so read) only for the selected driver, as in the original. */
export const DRIVER_OPTS: Readonly<Record<VpnType, Readonly<Record<DriverKind, readonly OptSpec[]>>>> = {
  ipvpn: {
    dummy: [],
    linux: [opt({ name: 'mpls_interface', type: str, default: null, help: 'interface sending/receiving MPLS; *gre*: MPLS/GRE (not supported by this driver)' })],
    ovs: [
      opt({ name: 'mpls_interface', type: str, default: null, help: 'physical interface for bare MPLS; unset or *gre*: MPLS over GRE' }),
      opt({ name: 'mpls_over_gre', type: stringType(['auto', 'True', 'False']), default: 'auto', help: 'auto: GRE iff mpls_interface is unset or *gre*; any other value forces GRE (original behaviour)' }),
      opt({ name: 'proxy_arp', type: booleanType, default: false, help: 'ARP responder answers for every IP address' }),
      opt({ name: 'arp_responder', type: booleanType, default: false, help: 'per-VRF ARP responder impersonating the gateway' }),
      opt({ name: 'vxlan_encap', type: booleanType, default: false, help: 'also accept/send IP VPN traffic as VXLAN' }),
      opt({ name: 'ovs_bridge', type: str, default: 'br-mpls', help: 'OVS bridge' }),
      opt({ name: 'input_table', type: integerType(), default: 0, help: 'OpenFlow table of incoming traffic' }),
      opt({ name: 'ovs_table_id_start', type: integerType(), default: 1, help: 'first of the two tables used (must differ from input_table)' }),
      opt({ name: 'gre_tunnel', type: str, default: 'mpls_gre', help: 'name of the OVS GRE port' }),
      opt({ name: 'gre_tunnel_options', type: listType(str), default: [], help: 'key=value options of the GRE interface' }),
      opt({ name: 'ovsbr_interfaces_mtu', type: integerType(), default: null, help: 'obsolete: MTU set on plugged OVS ports' }),
      opt({ name: 'hash_method', type: stringType(['hash', 'dp_hash']), default: 'dp_hash', help: 'OVS select group selection_method' }),
      opt({ name: 'hash_method_param', type: str, default: '0', help: 'selection_method_param' }),
      opt({ name: 'hash_fields', type: listType(str), default: [], help: 'fields(...) of selection_method hash' }),
      OVS_ADOPTION_HOLD_TIME,
    ],
  },
  evpn: {
    dummy: [],
    linux: [
      opt({ name: 'vxlan_dst_port', type: integerType(), default: 4789, nullable: true, help: 'UDP destination port of VXLAN interfaces; 0 or empty: kernel default' }),
      opt({
        name: 'adoption_hold_time',
        type: integerType(0),
        default: 30,
        extension: true,
        help: 'seconds during which devices and entries left by a previous run are kept for their E-VPNs to come back (0: none kept)',
      }),
    ],
    ovs: [opt({ name: 'ovs_bridge', type: str, default: 'br-tun', help: 'Neutron OVS tunnel bridge' }), OVS_ADOPTION_HOLD_TIME],
  },
};

interface DataplaneCommon {
  /** The driver name exactly as configured (any alias). */
  readonly dataplane_driver: string;
  readonly dataplane_local_address: string | null;
}

export interface IpvpnDummyOptions extends DataplaneCommon {
  readonly driver: 'dummy';
}
export interface IpvpnLinuxOptions extends DataplaneCommon {
  readonly driver: 'linux';
  readonly mpls_interface: string | null;
}
export interface IpvpnOvsOptions extends DataplaneCommon {
  readonly driver: 'ovs';
  readonly mpls_interface: string | null;
  readonly mpls_over_gre: 'auto' | 'True' | 'False';
  readonly proxy_arp: boolean;
  readonly arp_responder: boolean;
  readonly vxlan_encap: boolean;
  readonly ovs_bridge: string;
  readonly input_table: number;
  readonly ovs_table_id_start: number;
  readonly gre_tunnel: string;
  readonly gre_tunnel_options: readonly string[];
  readonly ovsbr_interfaces_mtu: number | null;
  readonly hash_method: 'hash' | 'dp_hash';
  readonly hash_method_param: string;
  readonly hash_fields: readonly string[];
  readonly adoption_hold_time: number;
}
export type IpvpnDataplaneOptions = IpvpnDummyOptions | IpvpnLinuxOptions | IpvpnOvsOptions;

export interface EvpnDummyOptions extends DataplaneCommon {
  readonly driver: 'dummy';
}
export interface EvpnLinuxOptions extends DataplaneCommon {
  readonly driver: 'linux';
  readonly vxlan_dst_port: number | null;
  /** Extension: seconds an adopted previous run's state is kept (issue 5). */
  readonly adoption_hold_time: number;
}
export interface EvpnOvsOptions extends DataplaneCommon {
  readonly driver: 'ovs';
  readonly ovs_bridge: string;
  readonly adoption_hold_time: number;
}

// ---------------------------------------------------------------------------------------------
// [OVS]: Neutron's OVS library options, read by the original's OVS drivers (registered when an
// `ovs` driver is selected, as importing the original's OVS driver modules registers them)

export const OVS_OPTS: readonly OptSpec[] = [
  opt({
    name: 'ovsdb_connection',
    type: str,
    default: null,
    help: "OVSDB of the OVS drivers (unix:<dir>/db.sock, tcp:<ip>:<port>); unset: ovs-vsctl's default, which honours OVS_RUNDIR (Neutron's default is tcp:127.0.0.1:6640)",
  }),
  opt({ name: 'ovsdb_timeout', type: integerType(1), default: 10, help: 'seconds an OVSDB operation may take' }),
];

export interface OvsdbOptions {
  readonly ovsdb_connection: string | null;
  readonly ovsdb_timeout: number;
}
export type EvpnDataplaneOptions = EvpnDummyOptions | EvpnLinuxOptions | EvpnOvsOptions;

// ---------------------------------------------------------------------------------------------
// [BGP_PEER:<address>] (extension)

/** Families a peer section may list. */
export const PEER_FAMILIES: readonly string[] = ['ipv4/mpls-vpn', 'ipv6/mpls-vpn', 'l2vpn/evpn', 'ipv4/rtc', 'ipv4/flow-vpn'];

const familyType: OptType<string> = {
  typeName: 'family name',
  convert(text) {
    const f = parseFamilyName(text);
    const name = f === undefined ? undefined : familyName(f.afi, f.safi);
    if (name === undefined || !PEER_FAMILIES.includes(name)) {
      throw new TypeValueError(`unknown family ${text} (known: ${PEER_FAMILIES.join(', ')})`);
    }
    return name;
  },
  format: (value) => value,
};

const holdTimeType: OptType<number> = {
  typeName: 'hold time (0 or 3-65535 seconds)',
  convert(text, ctx) {
    const v = integerType(0, 65535).convert(text, ctx);
    if (v !== null && v > 0 && v < 3) throw new TypeValueError('Should be 0 or at least 3 (RFC 4271 §4.2)');
    return v;
  },
  format: (value) => String(value),
};

export const PEER_SECTION_PREFIX = 'BGP_PEER:';

export const PEER_OPTS: readonly OptSpec[] = [
  opt({ name: 'remote_as', type: integerType(1, 4294967295), default: null, extension: true, help: 'AS of the peer; unset: [BGP] my_as (iBGP)' }),
  opt({ name: 'local_as', type: integerType(1, 4294967295), default: null, extension: true, help: 'AS we announce to this peer; unset: [BGP] my_as' }),
  opt({ name: 'port', type: portType, default: null, extension: true, help: 'TCP port of the peer; unset: [BGP] bgp_port' }),
  opt({ name: 'passive', type: booleanType, default: false, extension: true, help: 'never connect, only accept the peer on the listener' }),
  opt({ name: 'families', type: listType(familyType), default: null, extension: true, help: 'families to negotiate; unset: those of the original' }),
  opt({ name: 'max_prefix', type: integerType(1), default: null, extension: true, help: 'maximum number of received routes; unset: no limit' }),
  opt({ name: 'hold_time', type: holdTimeType, default: 180, extension: true, help: 'hold time proposed in our OPEN (0: no keepalives)' }),
  opt({ name: 'add_path_receive', type: listType(familyType), default: [], extension: true, help: 'families on which we accept ADD-PATH path identifiers (RFC 7911)' }),
];

/** One BGP peer as the session layer needs it: flat [BGP] peers and [BGP_PEER:x] sections merged. */
export interface PeerConfig {
  /** IPv4 or IPv6 literal (canonical form for IPv6), or a host name from [BGP] peers. */
  readonly address: string;
  readonly remote_as: number;
  readonly local_as: number;
  readonly port: number;
  readonly passive: boolean;
  readonly families: readonly string[];
  readonly max_prefix: number | null;
  readonly hold_time: number;
  readonly add_path_receive: readonly string[];
}

/** The families the original negotiates, in its order (engine spec §3). */
export function defaultFamilies(enableRtc: boolean): string[] {
  return enableRtc ? ['ipv4/mpls-vpn', 'ipv4/rtc', 'ipv4/flow-vpn', 'l2vpn/evpn'] : ['ipv4/mpls-vpn', 'ipv4/flow-vpn', 'l2vpn/evpn'];
}

// ---------------------------------------------------------------------------------------------
// The whole configuration

export type GroupName = 'DEFAULT' | 'API' | 'BGP' | 'COMMON' | 'DATAPLANE_DRIVER_IPVPN' | 'DATAPLANE_DRIVER_EVPN';

/** Registration order of the original (also the order of the option dump). */
export const GROUPS: readonly GroupName[] = ['DEFAULT', 'API', 'BGP', 'COMMON', 'DATAPLANE_DRIVER_EVPN', 'DATAPLANE_DRIVER_IPVPN'];

export function dataplaneGroup(vpnType: VpnType): 'DATAPLANE_DRIVER_IPVPN' | 'DATAPLANE_DRIVER_EVPN' {
  return vpnType === 'ipvpn' ? 'DATAPLANE_DRIVER_IPVPN' : 'DATAPLANE_DRIVER_EVPN';
}

/** The options of a group; for a dataplane group, those of the given driver. */
export function groupOptions(group: GroupName, driver: DriverKind = 'dummy'): readonly OptSpec[] {
  switch (group) {
    case 'DEFAULT':
      return DEFAULT_OPTS;
    case 'API':
      return API_OPTS;
    case 'BGP':
      return BGP_OPTS;
    case 'COMMON':
      return COMMON_OPTS;
    case 'DATAPLANE_DRIVER_IPVPN':
      return [...DATAPLANE_COMMON_OPTS, ...DRIVER_OPTS.ipvpn[driver]];
    case 'DATAPLANE_DRIVER_EVPN':
      return [...DATAPLANE_COMMON_OPTS, ...DRIVER_OPTS.evpn[driver]];
  }
}

export interface Config {
  readonly DEFAULT: DefaultOptions;
  readonly API: ApiOptions;
  readonly BGP: BgpOptions;
  readonly COMMON: CommonOptions;
  readonly DATAPLANE_DRIVER_IPVPN: IpvpnDataplaneOptions;
  readonly DATAPLANE_DRIVER_EVPN: EvpnDataplaneOptions;
  /** `[OVS]`, present when an `ovs` driver is selected. */
  readonly OVS?: OvsdbOptions;
  /** Effective BGP peers: [BGP] peers first (in order), then other [BGP_PEER:x] sections. */
  readonly peers: readonly PeerConfig[];
  /**
   * Interface names behind InterfaceAddress values, by "GROUP.option"
   * (`{"BGP.local_address": "eth0"}`): the value itself is the resolved address.
   */
  readonly interfaceNames: Readonly<Record<string, string>>;
}

/** A loaded configuration and how it was obtained. */
export interface LoadedConfig extends Config {
  /** Absolute names of the files read, in reading order. */
  readonly files: readonly string[];
  readonly warnings: readonly ConfigWarning[];
}
