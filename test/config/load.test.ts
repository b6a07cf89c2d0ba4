import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../src/config/errors.js';
import { DEFAULT_CONFIG_FILE, findDefaultConfigDirs, loadConfig } from '../../src/config/load.js';
import { DEFAULT_LOG_LEVELS, DEFAULT_OPTS } from '../../src/config/options.js';
import type { Config, LoadedConfig } from '../../src/config/options.js';
import { describeConfig, lookingGlassConfig } from '../../src/config/print.js';
import { DEFAULT_OVS_IPVPN_OPTIONS } from '../dataplane/ovs-ipvpn/options.js';
import { BASE, fakeInterfaces, loadTexts, loadWithBase, tmpFiles } from './helpers.js';

function fails(run: () => unknown, code: string, message: string | RegExp, line?: number): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof ConfigError, String(e));
    assert.equal(e.code, code, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    if (line !== undefined) assert.equal(e.line, line, e.message);
    return true;
  });
}

function plain(c: LoadedConfig): Config {
  const { files: _f, warnings: _w, ...config } = c;
  return config;
}

test('load: defaults of every option (only the required ones set)', () => {
  const c = loadTexts([BASE]);
  const defaults: Record<string, unknown> = {};
  for (const o of DEFAULT_OPTS) defaults[o.name] = o.default;
  assert.deepEqual(plain(c), {
    DEFAULT: defaults,
    API: { host: '127.0.0.1', port: 8082 },
    BGP: { local_address: '192.0.2.1', peers: [], my_as: 64512, enable_rtc: true, bgp_port: 179, listen_address: null, listen_port: null, graceful_restart_time: 120 },
    COMMON: { root_helper: 'sudo', root_helper_daemon: null },
    DATAPLANE_DRIVER_IPVPN: { driver: 'dummy', dataplane_local_address: null, dataplane_driver: 'dummy' },
    DATAPLANE_DRIVER_EVPN: { driver: 'dummy', dataplane_local_address: null, dataplane_driver: 'dummy' },
    peers: [],
    interfaceNames: {},
  });
  assert.equal(c.DEFAULT.debug, false);
  assert.equal(c.DEFAULT.log_date_format, '%Y-%m-%d %H:%M:%S');
  assert.equal(c.DEFAULT.syslog_log_facility, 'LOG_USER');
  assert.deepEqual(c.DEFAULT.default_log_levels, DEFAULT_LOG_LEVELS);
  assert.ok(DEFAULT_LOG_LEVELS.includes('networking_bagpipe.bagpipe_bgp.common.looking_glass=WARNING'));
  assert.deepEqual(c.warnings, []);
  assert.equal(c.files.length, 1);
});

test('load: every original option set', () => {
  const c = loadTexts([
    '[DEFAULT]\ndebug = true\nlog_file = /var/log/b.log\nlog_dir = /var/log\nuse_syslog = on\nuse_journal = 1\nuse_json = yes\nwatch_log_file = true\n' +
      'syslog_log_facility = LOG_LOCAL1\nlog_config_append = /etc/l.conf\nlog_date_format = %H\nuse_stderr = true\ndefault_log_levels = a=INFO,b=WARN\n' +
      '[API]\nhost = ::\nport = 9000\n' +
      '[BGP]\nlocal_address = eth7\npeers = 10.0.0.1, 10.0.0.2\nmy_as = 65000\nenable_rtc = false\nbgp_port = 1179\n' +
      '[COMMON]\nroot_helper = sudo -n\nroot_helper_daemon = sudo neutron-rootwrap-daemon /etc/bagpipe-bgp/rootwrap.conf\n' +
      '[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = ovs\ndataplane_local_address = 192.0.2.50\nmpls_interface = eth1\nmpls_over_gre = True\n' +
      'proxy_arp = true\narp_responder = true\nvxlan_encap = true\novs_bridge = br-m\ninput_table = 3\novs_table_id_start = 5\ngre_tunnel = g\n' +
      'gre_tunnel_options = packet_type=legacy_l3\novsbr_interfaces_mtu = 1450\nhash_method = hash\nhash_method_param = 1\nhash_fields = ip_src, ip_dst\n' +
      '[DATAPLANE_DRIVER_EVPN]\ndataplane_driver = linux\ndataplane_local_address = lo\nvxlan_dst_port = 8472\n',
  ]);
  assert.deepEqual(
    { ...c.DEFAULT, logging_context_format_string: undefined },
    {
      ...Object.fromEntries(DEFAULT_OPTS.map((o) => [o.name, o.default])),
      logging_context_format_string: undefined,
      debug: true,
      log_file: '/var/log/b.log',
      log_dir: '/var/log',
      use_syslog: true,
      use_journal: true,
      use_json: true,
      watch_log_file: true,
      syslog_log_facility: 'LOG_LOCAL1',
      log_config_append: '/etc/l.conf',
      log_date_format: '%H',
      use_stderr: true,
      default_log_levels: ['a=INFO', 'b=WARN'],
    },
  );
  assert.deepEqual(c.API, { host: '::', port: 9000 });
  assert.deepEqual(c.BGP, { local_address: '192.0.2.7', peers: ['10.0.0.1', '10.0.0.2'], my_as: 65000, enable_rtc: false, bgp_port: 1179, listen_address: null, listen_port: null, graceful_restart_time: 120 });
  assert.deepEqual(c.COMMON, { root_helper: 'sudo -n', root_helper_daemon: 'sudo neutron-rootwrap-daemon /etc/bagpipe-bgp/rootwrap.conf' });
  assert.deepEqual(c.DATAPLANE_DRIVER_IPVPN, {
    driver: 'ovs',
    dataplane_driver: 'ovs',
    dataplane_local_address: '192.0.2.50',
    mpls_interface: 'eth1',
    mpls_over_gre: 'True',
    proxy_arp: true,
    arp_responder: true,
    vxlan_encap: true,
    ovs_bridge: 'br-m',
    input_table: 3,
    ovs_table_id_start: 5,
    gre_tunnel: 'g',
    gre_tunnel_options: ['packet_type=legacy_l3'],
    ovsbr_interfaces_mtu: 1450,
    hash_method: 'hash',
    hash_method_param: '1',
    hash_fields: ['ip_src', 'ip_dst'],
    adoption_hold_time: 30,
  });
  assert.deepEqual(c.DATAPLANE_DRIVER_EVPN, { driver: 'linux', dataplane_driver: 'linux', dataplane_local_address: '127.0.0.1', vxlan_dst_port: 8472, adoption_hold_time: 30 });
  assert.deepEqual(c.interfaceNames, { 'BGP.local_address': 'eth7', 'DATAPLANE_DRIVER_EVPN.dataplane_local_address': 'lo' });
  assert.deepEqual(
    c.peers.map((p) => [p.address, p.remote_as, p.port, p.families.join(' ')]),
    [
      ['10.0.0.1', 65000, 1179, 'ipv4/mpls-vpn ipv4/flow-vpn l2vpn/evpn'],
      ['10.0.0.2', 65000, 1179, 'ipv4/mpls-vpn ipv4/flow-vpn l2vpn/evpn'],
    ],
  );
});

test('load: driver defaults and every alias of the original', () => {
  const ovs = loadWithBase('[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = bagpipe.bgp.vpn.ipvpn.mpls_ovs_dataplane.MPLSOVSDataplaneDriver\n');
  assert.deepEqual(ovs.DATAPLANE_DRIVER_IPVPN, {
    driver: 'ovs',
    dataplane_driver: 'bagpipe.bgp.vpn.ipvpn.mpls_ovs_dataplane.MPLSOVSDataplaneDriver',
    dataplane_local_address: null,
    ...DEFAULT_OVS_IPVPN_OPTIONS,
    adoption_hold_time: 30,
  });
  // [OVS] (Neutron's OVS library options) is read with an ovs driver.
  assert.deepEqual(ovs.OVS, { ovsdb_connection: null, ovsdb_timeout: 10 });
  const linux = loadWithBase('[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = linux\n[DATAPLANE_DRIVER_EVPN]\ndataplane_driver = linux\n');
  assert.deepEqual(linux.DATAPLANE_DRIVER_IPVPN, { driver: 'linux', dataplane_driver: 'linux', dataplane_local_address: null, mpls_interface: null });
  assert.deepEqual(linux.DATAPLANE_DRIVER_EVPN, { driver: 'linux', dataplane_driver: 'linux', dataplane_local_address: null, vxlan_dst_port: 4789, adoption_hold_time: 30 });
  const evpnOvs = loadWithBase('[DATAPLANE_DRIVER_EVPN]\ndataplane_driver = ovs\n');
  assert.deepEqual(evpnOvs.DATAPLANE_DRIVER_EVPN, { driver: 'ovs', dataplane_driver: 'ovs', dataplane_local_address: null, ovs_bridge: 'br-tun', adoption_hold_time: 30 });
  assert.equal(linux.OVS, undefined);
  const ovsdb = loadWithBase('[DATAPLANE_DRIVER_EVPN]\ndataplane_driver = ovs\n[OVS]\novsdb_connection = unix:/run/ovs-a/db.sock\novsdb_timeout = 3\n');
  assert.deepEqual(ovsdb.OVS, { ovsdb_connection: 'unix:/run/ovs-a/db.sock', ovsdb_timeout: 3 });
  assert.deepEqual(ovsdb.warnings, []);
  const aliases: [string, string, string][] = [
    ['IPVPN', 'DummyDataplaneDriver', 'dummy'],
    ['IPVPN', 'bagpipe.bgp.vpn.ipvpn.DummyDataplaneDriver', 'dummy'],
    ['IPVPN', 'mpls_linux_dataplane.MPLSLinuxDataplaneDriver', 'linux'],
    ['IPVPN', 'bagpipe.bgp.vpn.ipvpn.mpls_linux_dataplane.MPLSLinuxDataplaneDriver', 'linux'],
    ['IPVPN', 'mpls_ovs_dataplane.MPLSOVSDataplaneDriver', 'ovs'],
    ['EVPN', 'DummyDataplaneDriver', 'dummy'],
    ['EVPN', 'bagpipe.bgp.vpn.evpn.DummyDataplaneDriver', 'dummy'],
    ['EVPN', 'linux_vxlan.LinuxVXLANDataplaneDriver', 'linux'],
    ['EVPN', 'bagpipe.bgp.vpn.evpn.linux_vxlan.LinuxVXLANDataplaneDriver', 'linux'],
  ];
  for (const [group, name, kind] of aliases) {
    const c = loadWithBase(`[DATAPLANE_DRIVER_${group}]\ndataplane_driver = ${name}\n`);
    assert.equal(group === 'IPVPN' ? c.DATAPLANE_DRIVER_IPVPN.driver : c.DATAPLANE_DRIVER_EVPN.driver, kind, name);
  }
  fails(() => loadWithBase('[DATAPLANE_DRIVER_EVPN]\ndataplane_driver = linux_vxlan\n'), 'driver', "No 'bagpipe.dataplane.evpn' driver found, looking for 'linux_vxlan'", 5);
  fails(() => loadWithBase('[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = DummyDataplaneDriver \n[DATAPLANE_DRIVER_EVPN]\ndataplane_driver = mpls_ovs_dataplane.MPLSOVSDataplaneDriver\n'), 'driver', /looking for 'mpls_ovs_dataplane.MPLSOVSDataplaneDriver'/);
});

test('load: driver options of other drivers are not read, only reported', () => {
  const c = loadWithBase('[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = linux\nmpls_interface = eth2\ninput_table = bad\n[DATAPLANE_DRIVER_EVPN]\nvxlan_dst_port = x\n');
  assert.deepEqual(c.DATAPLANE_DRIVER_IPVPN, { driver: 'linux', dataplane_driver: 'linux', dataplane_local_address: null, mpls_interface: 'eth2' });
  assert.deepEqual(
    c.warnings.map((w) => [w.code, w.message, w.line]),
    [
      ['unused-driver-option', `option input_table in [DATAPLANE_DRIVER_IPVPN] at ${c.files[0] ?? ''}:7 is ignored: only the ovs driver uses it`, 7],
      ['unused-driver-option', `option vxlan_dst_port in [DATAPLANE_DRIVER_EVPN] at ${c.files[0] ?? ''}:9 is ignored: only the linux driver uses it`, 9],
    ],
  );
  fails(() => loadWithBase('[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = ovs\ninput_table = bad\n'), 'value', /^Value for option input_table in group \[DATAPLANE_DRIVER_IPVPN\] from .*f0\.conf:6 is not valid: invalid literal for int\(\) with base 10: 'bad'$/, 6);
});

test('load: the ovs driver refuses ovs_table_id_start equal to input_table (original message)', () => {
  fails(
    () => loadWithBase('[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = ovs\ninput_table = 4\novs_table_id_start = 4\n'),
    'invalid',
    "invalid ovs_table_id_start (4): can't use tables same as input table (4)",
  );
});

test('load: required options, with the original text', () => {
  fails(() => loadTexts(['[BGP]\nmy_as = 1\n']), 'required', 'value required for option local_address in group [BGP]');
  fails(() => loadTexts(['[BGP]\nlocal_address = 10.0.0.1\n']), 'required', 'value required for option my_as in group [BGP]');
  fails(() => loadTexts(['[BGP]\nlocal_address = 10.0.0.1\nmy_as =\n']), 'required', 'value required for option my_as in group [BGP]');
  fails(() => loadTexts(['[API]\n']), 'required', 'value required for option local_address in group [BGP]');
});

test('load: value errors name option, group, file and line', () => {
  const dir = tmpFiles({ 'bgp.conf': BASE + '\n\n[API]\nport = 70000\n' });
  fails(
    () => loadConfig({ configFiles: [join(dir, 'bgp.conf')], defaultConfigDirs: [], env: {} }),
    'value',
    `Value for option port in group [API] from ${join(dir, 'bgp.conf')}:7 is not valid: Should be less than or equal to 65535`,
    7,
  );
  fails(() => loadWithBase('my_as = 65536\n'), 'value', /option my_as in group \[BGP\] from .*:4 is not valid: Should be less than or equal to 65535$/, 4);
  fails(() => loadWithBase('local_address = eth9\n'), 'value', /option local_address .* is not valid: interface eth9 does not exist$/, 4);
  fails(() => loadWithBase('local_address = v6only\n'), 'value', /is not valid: no IPv4 address found on interface v6only$/);
  fails(() => loadWithBase('[API]\nhost = a_b\n'), 'value', /option host in group \[API\] .*:5 is not valid: a_b is not a valid host address$/, 5);
  fails(() => loadWithBase('enable_rtc = maybe\n'), 'value', /Unexpected boolean value 'maybe'$/);
  fails(() => loadWithBase('[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = ovs\nmpls_over_gre = yes\n'), 'value', /Valid values are \[auto, True, False\], but found 'yes'$/, 6);
  fails(() => loadWithBase('[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = ovs\nhash_method = md5\n'), 'value', /Valid values are \[hash, dp_hash\], but found 'md5'$/);
  fails(() => loadWithBase('peers = 10.0.0.1, ::1\n'), 'value', /::1 is not a valid host address$/);
  fails(() => loadWithBase('[DEFAULT]\ndebug = 2\n'), 'value', /option debug in group \[DEFAULT\]/);
  fails(() => loadWithBase('bgp_port =\n'), 'value', /option bgp_port .* is not valid: an empty value is not allowed here/);
});

test('load: parse errors and file errors', () => {
  const dir = tmpFiles({ 'bad.conf': '[BGP]\nlocal_address\n', 'ok.conf': BASE, 'bin.conf': Buffer.from([0x5b, 0xff, 0x5d]), 'd/x.conf': BASE });
  const path = (n: string): string => join(dir, n);
  const load = (configFiles: string[], extra = {}): LoadedConfig => loadConfig({ configFiles, defaultConfigDirs: [], env: {}, ...extra });
  fails(() => load([path('bad.conf')]), 'parse', `Failed to parse ${path('bad.conf')}: at ${path('bad.conf')}:2, No ':' or '=' found in assignment: 'local_address'`, 2);
  fails(() => load([path('missing1.conf'), path('ok.conf'), path('missing2.conf')]), 'files-not-found', `Failed to find some config files: ${path('missing1.conf')},${path('missing2.conf')}`);
  fails(() => load([path('bin.conf')]), 'read', /not valid UTF-8/);
  fails(() => load([path('d')]), 'read', /^Failed to read .*d: /);
  fails(() => load([], { configDir: path('nodir') }), 'dir-not-found', `Failed to read config file directory: ${path('nodir')}`);
  fails(() => load([], { configDir: path('d'), defaultConfigFiles: [path('none.conf')] }), 'files-not-found', `Failed to find some config files: ${path('none.conf')}`);
  if (!existsSync(DEFAULT_CONFIG_FILE)) {
    fails(() => loadConfig({ defaultConfigFiles: undefined, defaultConfigDirs: [], env: {}, configDir: path('d') }), 'files-not-found', `Failed to find some config files: ${DEFAULT_CONFIG_FILE}`);
  }
});

test('load: files in order, later wins per option; directories sorted after the files', () => {
  const dir = tmpFiles({
    'a.conf': BASE + '[API]\nport = 1\nhost = ::1\n',
    'b.conf': '[api]\nport = 2\n',
    'd/20.conf': '[API]\nport = 20\n',
    'd/10.conf': '[API]\nport = 10\nhost = localhost\n',
    'd/.hidden.conf': '[API]\nport = 99\n',
    'd/x.conf.orig': '[API]\nport = 98\n',
  });
  const p = (n: string): string => join(dir, n);
  const base = { defaultConfigFiles: [], defaultConfigDirs: [], env: {} };
  let c = loadConfig({ ...base, configFiles: [p('a.conf'), p('b.conf')] });
  assert.deepEqual(c.API, { host: '::1', port: 2 });
  c = loadConfig({ ...base, configFiles: [p('a.conf'), p('b.conf')], configDir: p('d') });
  assert.deepEqual(c.API, { host: 'localhost', port: 20 });
  assert.deepEqual(c.files, [p('a.conf'), p('b.conf'), p('d/10.conf'), p('d/20.conf')]);
  c = loadConfig({ ...base, sources: [{ kind: 'dir', path: p('d') }, { kind: 'file', path: p('a.conf') }] });
  assert.deepEqual(c.API, { host: '::1', port: 1 });
  c = loadConfig({ ...base, configFiles: [], defaultConfigFiles: [p('a.conf')], configDir: [p('d')] });
  assert.deepEqual(c.files, [p('a.conf'), p('d/10.conf'), p('d/20.conf')]);
  c = loadConfig({ ...base, configFiles: [p('a.conf')], defaultConfigFiles: [p('missing.conf')], defaultConfigDirs: [p('d'), p('nodir')] });
  assert.deepEqual(c.files, [p('d/10.conf'), p('d/20.conf'), p('a.conf')]);
});

test('load: default config dirs follow oslo (first existing bagpipe-bgp.conf.d)', () => {
  const snap = tmpFiles({ 'etc/bagpipe-bgp/bagpipe-bgp.conf.d/a.conf': '' });
  const found = findDefaultConfigDirs({ SNAP_COMMON: snap });
  assert.equal(found.length, 1);
  assert.ok(found[0]?.endsWith('/bagpipe-bgp.conf.d'));
});

test('load: environment OS_<GROUP>__<OPTION> beats files; command line beats both', () => {
  const c = loadWithBase('[API]\nport = 1\n', { env: { OS_API__PORT: '2', OS_BGP__MY_AS: '3', OS_DEFAULT__DEBUG: 'true' } });
  assert.equal(c.API.port, 2);
  assert.equal(c.BGP.my_as, 3);
  assert.equal(c.DEFAULT.debug, true);
  const o = loadWithBase('', { env: { OS_API__PORT: '2' }, overrides: { API: { port: '3' }, DEFAULT: { debug: 'true', log_file: '/x.log' } } });
  assert.equal(o.API.port, 3);
  assert.equal(o.DEFAULT.debug, true);
  assert.equal(o.DEFAULT.log_file, '/x.log');
  fails(() => loadWithBase('', { env: { OS_BGP__MY_AS: 'x' } }), 'value', "Value for option my_as in group [BGP] from environment variable OS_BGP__MY_AS is not valid: invalid literal for int() with base 10: 'x'");
  fails(() => loadWithBase('', { overrides: { DEFAULT: { debug: 'x' } } }), 'value', "Value for option debug in group [DEFAULT] from command line is not valid: Unexpected boolean value 'x'");
});

test('load: deprecated names are read and reported with the original message', () => {
  const c = loadWithBase('[api]\napi_host = ::1\napi_port = 1\n[DEFAULT]\nlogfile = /a.log\nlog_config = /l.conf\n');
  assert.deepEqual(c.API, { host: '::1', port: 1 });
  assert.equal(c.DEFAULT.log_file, '/a.log');
  assert.equal(c.DEFAULT.log_config_append, '/l.conf');
  assert.deepEqual(
    c.warnings.map((w) => w.message),
    [
      'Option "log_config" from group "DEFAULT" is deprecated. Use option "log_config_append" from group "DEFAULT".',
      'Option "logfile" from group "DEFAULT" is deprecated. Use option "log_file" from group "DEFAULT".',
      'Option "api_host" from group "api" is deprecated. Use option "host" from group "API".',
      'Option "api_port" from group "api" is deprecated. Use option "port" from group "API".',
    ],
  );
  assert.equal(c.warnings[2]?.line, 5);
  const both = loadWithBase('[API]\nport = 1\napi_port = 2\n');
  assert.equal(both.API.port, 1);
  assert.deepEqual(both.warnings, []);
});

test('load: unknown, lower-case default and obsolete sections are ignored with a warning', () => {
  const c = loadWithBase('bogus = 1\n[default]\ndebug = true\n[DATAPLANE_DRIVER]\ndataplane_driver = linux\n[NOPE]\nx = 1\n[DEFAULT]\nstate_path = /x\n');
  assert.equal(c.DEFAULT.debug, false);
  assert.deepEqual(
    c.warnings.map((w) => [w.code, w.line]),
    [
      ['unknown-option', 4],
      ['lowercase-default', 5],
      ['obsolete-section', 7],
      ['unknown-section', 9],
      ['unknown-option', 12],
    ],
  );
  assert.equal(c.warnings[2]?.message, 'Config file is obsolete, should have a DATAPLANE_DRIVER_IPVPN section instead of DATAPLANE_DRIVER');
});

test('load: a log_file ending in .conf is dropped (old log configuration), with the original warning', () => {
  const c = loadWithBase('[DEFAULT]\nlog_file = /etc/bagpipe-bgp/log.conf\n');
  assert.equal(c.DEFAULT.log_file, null);
  assert.deepEqual(c.warnings.map((w) => w.message), ['now using oslo.log, specifying a log configuration file should be done with --log-config-append']);
});

test('load: $ substitution across groups, escapes, errors, recursion', () => {
  const c = loadWithBase('[COMMON]\nroot_helper = sudo -u $$USER ${BGP.my_as} \\$x\nroot_helper_daemon = $root_helper!\n[DEFAULT]\nlog_dir = /var/$debug\nlog_file = $log_dir/a\n');
  assert.equal(c.COMMON.root_helper, 'sudo -u $USER 64512 $x');
  assert.equal(c.COMMON.root_helper_daemon, 'sudo -u $USER 64512 $x!');
  assert.equal(c.DEFAULT.log_file, '/var/False/a');
  fails(() => loadWithBase('[COMMON]\nroot_helper = $nope\n'), 'substitution', /^no such option nope in group \[DEFAULT\] \(in option root_helper of group \[COMMON\] from .*:5\)$/, 5);
  fails(() => loadWithBase('[COMMON]\nroot_helper = $root_helper_daemon\nroot_helper_daemon = $root_helper\n'), 'substitution', /^recursive substitution/);
  fails(() => loadWithBase('[COMMON]\nroot_helper = $root_helper\n'), 'substitution', /^recursive substitution involving option root_helper in group \[COMMON\]/);
});

test('load: [BGP] listen_address / listen_port (extension)', () => {
  const c = loadWithBase('listen_port = 1179\nlisten_address = ::\n');
  assert.equal(c.BGP.listen_port, 1179);
  assert.equal(c.BGP.listen_address, '::');
  assert.equal(loadWithBase('listen_address = eth7\n').BGP.listen_address, '192.0.2.7');
  fails(() => loadWithBase('listen_port = 70000\n'), 'value', /Should be less than or equal to 65535$/);
  assert.deepEqual(lookingGlassConfig(c).BGP, { local_address: '192.0.2.1', peers: [], my_as: 64512, enable_rtc: true, bgp_port: 179 });
});

test('load: [BGP] graceful_restart_time (extension): 0..4095 seconds, the capability’s 12 bits', () => {
  assert.equal(loadWithBase('graceful_restart_time = 0\n').BGP.graceful_restart_time, 0);
  assert.equal(loadWithBase('graceful_restart_time = 4095\n').BGP.graceful_restart_time, 4095);
  fails(() => loadWithBase('graceful_restart_time = 4096\n'), 'value', /Should be less than or equal to 4095$/);
});

test('load: [BGP_PEER:<address>] sections merge with [BGP] peers (extension)', () => {
  const c = loadWithBase(
    'peers = 10.0.0.2, 10.0.0.1, peer.example, 10.0.0.2\nlisten_port = 179\n' +
      '[bgp_peer:10.0.0.1]\nremote_as = 4200000000\nlocal_as = 65001\nport = 1790\npassive = true\nfamilies = ipv4/mpls-vpn, l2vpn/evpn, ipv4/mpls-vpn\nmax_prefix = 1000\nhold_time = 90\n' +
      '[BGP_PEER:2001:DB8::0:1]\nfamilies = ipv6/mpls-vpn\n' +
      '[BGP_PEER:10.0.0.9]\nhold_time = 0\n',
  );
  const defaults = { remote_as: 64512, local_as: 64512, port: 179, passive: false, families: ['ipv4/mpls-vpn', 'ipv4/rtc', 'ipv4/flow-vpn', 'l2vpn/evpn'], max_prefix: null, hold_time: 180, add_path_receive: [] };
  assert.deepEqual(c.peers, [
    { address: '10.0.0.2', ...defaults },
    { address: '10.0.0.1', remote_as: 4200000000, local_as: 65001, port: 1790, passive: true, families: ['ipv4/mpls-vpn', 'l2vpn/evpn'], max_prefix: 1000, hold_time: 90, add_path_receive: [] },
    { address: 'peer.example', ...defaults },
    { address: '2001:db8::1', ...defaults, families: ['ipv6/mpls-vpn'] },
    { address: '10.0.0.9', ...defaults, hold_time: 0 },
  ]);
  assert.deepEqual(
    c.warnings.map((w) => w.code),
    ['peer-hostname', 'duplicate-peer'],
  );
  const noRtc = loadWithBase('enable_rtc = false\n[BGP_PEER:10.0.0.5]\n');
  assert.deepEqual(noRtc.peers[0]?.families, ['ipv4/mpls-vpn', 'ipv4/flow-vpn', 'l2vpn/evpn']);
  const passive = loadWithBase('[BGP_PEER:10.0.0.5]\npassive = yes\n');
  assert.deepEqual(
    passive.warnings.map((w) => w.code),
    ['passive-without-listener'],
  );
  fails(() => loadWithBase('[BGP_PEER:peer.example]\n'), 'invalid', /peer\.example is not an IPv4 or IPv6 address/, 4);
  fails(() => loadWithBase('[BGP_PEER:10.0.0.5]\n[bgp_peer:10.0.0.5]\nport=1\n[BGP_PEER:2001:db8::1]\n[BGP_PEER:2001:db8:0::1]\n'), 'invalid', /name the same peer/);
  fails(() => loadWithBase('[BGP_PEER:10.0.0.5]\nfamilies = ipv4/unicast\n'), 'value', /unknown family ipv4\/unicast/, 5);
  fails(() => loadWithBase('[BGP_PEER:10.0.0.5]\nhold_time = 2\n'), 'value', /Should be 0 or at least 3/);
  fails(() => loadWithBase('[BGP_PEER:10.0.0.5]\nremote_as = 0\n'), 'value', /option remote_as in group \[BGP_PEER:10.0.0.5\] .* Should be greater than or equal to 1$/);
  // The environment does not apply to peer sections; substitution does.
  const sub = loadWithBase('[BGP_PEER:10.0.0.5]\nport = ${BGP.bgp_port}1\nremote_as = $port\n', { env: { 'OS_BGP_PEER:10.0.0.5__PORT': '1' } });
  assert.equal(sub.peers[0]?.port, 1791);
  assert.equal(sub.peers[0]?.remote_as, 1791);
});

test('load: the looking glass config object is the original one', () => {
  const c = loadWithBase('listen_port = 1179\n[DATAPLANE_DRIVER_EVPN]\ndataplane_driver = linux\n');
  const lg = lookingGlassConfig(c);
  assert.deepEqual(Object.keys(lg), ['COMMON', 'API', 'BGP', 'DATAPLANE_DRIVER_IPVPN', 'DATAPLANE_DRIVER_EVPN']);
  assert.deepEqual(lg, {
    COMMON: { root_helper: 'sudo', root_helper_daemon: null },
    API: { host: '127.0.0.1', port: 8082 },
    BGP: { local_address: '192.0.2.1', peers: [], my_as: 64512, enable_rtc: true, bgp_port: 179 },
    DATAPLANE_DRIVER_IPVPN: { dataplane_local_address: null, dataplane_driver: 'dummy' },
    DATAPLANE_DRIVER_EVPN: { dataplane_local_address: null, dataplane_driver: 'linux', vxlan_dst_port: 4789 },
  });
  assert.deepEqual(Object.keys(lg.DATAPLANE_DRIVER_EVPN ?? {}), ['dataplane_local_address', 'dataplane_driver', 'vxlan_dst_port']);
});

test('load: startup option dump in oslo log_opt_values format', () => {
  const lines = describeConfig(loadWithBase('peers = 10.0.0.1\n'), ['--config-file', 'x']);
  assert.equal(lines[0], '*'.repeat(80));
  assert.equal(lines[2], "command line args: ['--config-file', 'x']");
  assert.match(lines[3] ?? '', /^config files: \['\/.*f0\.conf'\]$/);
  assert.ok(lines.includes('debug                          = False'));
  assert.ok(lines.includes('BGP.peers                      = [\'10.0.0.1\']'));
  assert.ok(lines.includes('COMMON.root_helper_daemon      = None'));
  assert.ok(lines.includes('BGP_PEER:10.0.0.1.hold_time    = 180'));
  assert.equal(lines[lines.length - 1], '*'.repeat(80));
});

test('load: interface names are resolved once, with the machine interfaces by default', () => {
  const c = loadConfig({ configFiles: [join(tmpFiles({ 'a.conf': '[BGP]\nlocal_address = lo\nmy_as = 1\n' }), 'a.conf')], defaultConfigDirs: [], env: {} });
  assert.equal(c.BGP.local_address, '127.0.0.1');
  assert.deepEqual(c.interfaceNames, { 'BGP.local_address': 'lo' });
  assert.equal(loadWithBase('local_address = lo\n', { typeContext: fakeInterfaces }).BGP.local_address, '127.0.0.1');
});
