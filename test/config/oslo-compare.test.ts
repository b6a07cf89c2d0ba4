/**
 * Our loader against oslo.config itself. test/config/oslo-dump.py registers the original
 * daemon's options in Debian's python3-oslo.config and loads each case; we load the same files
 * and compare every value of the original's options, or the error.
 *
 * This test needs /usr/bin/python3 with oslo_config (Debian package python3-oslo.config,
 * installed by scripts/install-deps.sh): it fails, not skips, when they are missing.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig } from '../../src/config/load.js';
import type { ConfigSource } from '../../src/config/load.js';
import type { LoadedConfig } from '../../src/config/options.js';
import { lookingGlassConfig } from '../../src/config/print.js';
import { systemTypeContext } from '../../src/config/types.js';
import { tmpFiles } from './helpers.js';

const PYTHON = '/usr/bin/python3';
const ORACLE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'config', 'oslo-dump.py');

interface Case {
  readonly name: string;
  readonly files: Readonly<Record<string, string | Buffer>>;
  /** Command line; `@x` is the path of file (or directory) x. Default: --config-file for each file. */
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly defaultFiles?: readonly string[];
  /** We knowingly differ: the oracle's result is not compared, ours must be this error code. */
  readonly deviation?: { readonly code: string; readonly why: string };
}

const B = '[BGP]\nlocal_address = 127.0.0.1\nmy_as = 64512\n';

const CASES: readonly Case[] = [
  { name: 'minimal', files: { a: B } },
  {
    name: 'shipped bgp.conf.template (local_address on lo)',
    files: {
      a: '[BGP]\nlocal_address=lo\n#local_address=192.168.100.177\npeers=192.168.0.101\nmy_as=64512\nenable_rtc=True\n\n[COMMON]\n# Root helper\n#   root_helper_daemon is designed\n#root_helper = sudo\n\n[API]\n# BGP component API IP address and port\nhost=localhost\nport=8082\n\n\n[DATAPLANE_DRIVER_IPVPN]\n\n# IP VPN dataplane driver class\n#dataplane_driver = ovs\ndataplane_driver = dummy\nmpls_interface=*gre*\n# gre_tunnel_options="packet_type=legacy_l3"\n#vxlan_encap=True\novsbr_interfaces_mtu=4000\n\n[DATAPLANE_DRIVER_EVPN]\ndataplane_driver = dummy\n# dataplane_local_address=eth1\n',
    },
  },
  {
    name: 'lower-case sections as in the shipped sample',
    files: { a: '[DEFAULT]\n\n[api]\nport = 9999\n[bgp]\nlocal_address = 10.0.0.1\nmy_as = 1\n[common]\nroot_helper = \n[dataplane_driver_ipvpn]\ndataplane_driver = ovs\n[dataplane_driver_evpn]\ndataplane_driver = linux\n' },
  },
  { name: 'mixed-case sections are accepted too', files: { a: '[Bgp]\nlocal_address = 10.0.0.1\nmy_as = 7\n[aPI]\nhost = ::1\n' } },
  { name: '[default] in lower case is not [DEFAULT]', files: { a: B + '[default]\ndebug = true\nuse_json = true\n[DEFAULT]\nuse_syslog = yes\n' } },
  {
    name: 'colon and equal separators, whichever comes first',
    files: { a: B + '[COMMON]\nroot_helper: sudo -E a=b\nroot_helper_daemon = x: y\n[API]\nport:8083\n' },
  },
  {
    name: 'comments, indented comment continues a value',
    files: { a: '# top comment\n; another\n' + B + '[COMMON]\n#root_helper = no\n;root_helper = no\nroot_helper = a\n  # not a comment\n\tb\n' },
  },
  { name: 'multi-line list value', files: { a: '[BGP]\nlocal_address = 127.0.0.1\nmy_as = 1\npeers = 10.0.0.1,\n    10.0.0.2 ,\n  10.0.0.3\n' } },
  {
    name: 'quotes',
    files: { a: B + `[API]\nhost = "localhost"\n[COMMON]\nroot_helper = 'sudo -E '\nroot_helper_daemon = "  spaced  "\n[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = "ovs"\nmpls_interface = "\ngre_tunnel = "a'\novs_bridge = ''\n` },
  },
  { name: 'empty values', files: { a: B + '[COMMON]\nroot_helper =\nroot_helper_daemon=\n[BGP]\npeers =\n' } },
  { name: 'empty boolean is an error', files: { a: B + 'enable_rtc =\n' } },
  { name: 'repeated keys and sections: last wins', files: { a: B + 'my_as = 1\n[API]\nport = 1\n[BGP]\nmy_as = 2\n[API]\nport = 3\n' } },
  { name: '[BGP] then [bgp] in one file: file order', files: { a: '[BGP]\nlocal_address = 10.0.0.1\nmy_as = 1\n[bgp]\nmy_as = 2\n[BGP]\nenable_rtc = off\n[bgp]\nenable_rtc = on\n' } },
  { name: 'deprecated api_host / api_port', files: { a: B + '[API]\napi_host = ::\napi_port = 1234\n' } },
  { name: 'current name wins over a later deprecated one in the same file', files: { a: B + '[API]\nport = 1\napi_port = 2\n' } },
  { name: 'deprecated name in a later file wins', files: { a: B + '[API]\nport = 1\n', b: '[api]\napi_port = 2\n' } },
  { name: 'later files override, per option', files: { a: B + '[API]\nhost = ::1\nport = 1\n', b: '[API]\nport = 2\n[BGP]\nmy_as = 3\n' } },
  {
    name: 'config-dir: sorted, *.conf only, no dot files; order of arguments',
    files: { base: B, 'd/b.conf': '[API]\nport = 2\n', 'd/a.conf': '[API]\nport = 1\nhost = ::1\n', 'd/.c.conf': '[API]\nport = 3\n', 'd/z.txt': '[API]\nport = 4\n', late: '[API]\nhost = localhost\n' },
    args: ['--config-file', '@base', '--config-dir', '@d', '--config-file', '@late'],
  },
  { name: 'config-file after config-dir is read after it', files: { 'd/a.conf': B + '[API]\nport = 1\n', f: '[API]\nport = 5\n' }, args: ['--config-dir', '@d', '--config-file', '@f'] },
  { name: 'config-file before config-dir is read before it', files: { 'd/a.conf': B + '[API]\nport = 1\n', f: '[API]\nport = 5\n' }, args: ['--config-file', '@f', '--config-dir', '@d'] },
  { name: 'missing files are listed together', files: { a: B }, args: ['--config-file', '@nope1', '--config-file', '@a', '--config-file', '@nope2'] },
  { name: 'missing config dir', files: { a: B }, args: ['--config-file', '@a', '--config-dir', '@nodir'] },
  { name: 'default file used without --config-file', files: { a: B + '[API]\nport = 7\n' }, args: [], defaultFiles: ['@a'] },
  { name: 'default file still read with only --config-dir', files: { a: B, 'd/x.conf': '[API]\nport = 8\n' }, args: ['--config-dir', '@d'], defaultFiles: ['@a'] },
  { name: 'missing default file with only --config-dir', files: { 'd/x.conf': B }, args: ['--config-dir', '@d'], defaultFiles: ['@missing'] },
  { name: 'default file ignored with --config-file', files: { a: B }, args: ['--config-file', '@a'], defaultFiles: ['@missing'] },
  { name: 'environment beats files', files: { a: B + '[API]\nport = 1\n' }, env: { OS_API__PORT: '2', OS_BGP__MY_AS: '3', OS_DEFAULT__DEBUG: 'yes', OS_COMMON__ROOT_HELPER: '$$x ${BGP.my_as}' } },
  { name: 'environment value is checked', files: { a: B }, env: { OS_BGP__ENABLE_RTC: 'maybe' } },
  {
    name: 'substitution',
    files: { a: B + '[DEFAULT]\nlog_dir = /var/log/$debug\nlog_file = $log_dir/x.log\n[COMMON]\nroot_helper = sudo $$HOME \\$PATH ${BGP.my_as} $DATAPLANE_DRIVER_IPVPN.dataplane_driver ${API.host}$ $ end\nroot_helper_daemon = [$BGP.peers] $BGP.enable_rtc $COMMON.root_helper_daemonx\n[BGP]\npeers = 1.1.1.1,2.2.2.2\n' },
  },
  { name: 'substitution of an unknown option', files: { a: B + '[COMMON]\nroot_helper = $nothing\n' } },
  { name: 'substitution of an unknown group', files: { a: B + '[COMMON]\nroot_helper = ${bgp.my_as}\n' } },
  { name: 'substitution: DEFAULT is not a group', files: { a: B + '[COMMON]\nroot_helper = ${DEFAULT.debug}\n' } },
  { name: 'substitution of a group', files: { a: B + '[COMMON]\nroot_helper = $BGP\n' } },
  { name: 'substitution of an unset option is empty', files: { a: B + '[COMMON]\nroot_helper = <$root_helper_daemon>\n' } },
  { name: 'booleans', files: { a: B + 'enable_rtc = OFF\n[DEFAULT]\ndebug = Yes\nuse_json = 1\nuse_syslog = nO\nwatch_log_file = TRUE\n' } },
  { name: 'bad boolean', files: { a: B + 'enable_rtc = t\n' } },
  { name: 'integers as Python reads them', files: { a: '[BGP]\nlocal_address = 127.0.0.1\nmy_as = +6_4_512\n[API]\nport = 0080\n[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = ovs\ninput_table = -3\novs_table_id_start = \u0663\n' } },
  { name: 'my_as above 65535', files: { a: '[BGP]\nlocal_address = 127.0.0.1\nmy_as = 65536\n' } },
  { name: 'my_as 0', files: { a: '[BGP]\nlocal_address = 127.0.0.1\nmy_as = 0\n' } },
  { name: 'my_as not a number', files: { a: '[BGP]\nlocal_address = 127.0.0.1\nmy_as = 0x10\n' } },
  { name: 'my_as with double underscore', files: { a: '[BGP]\nlocal_address = 127.0.0.1\nmy_as = 1__0\n' } },
  { name: 'port above 65535', files: { a: B + 'bgp_port = 65536\n' } },
  { name: 'negative port', files: { a: B + '[API]\nport = -1\n' } },
  { name: 'peers: trailing commas, host names, trailing dot', files: { a: B + 'peers = 10.0.0.1, peer.example., host-1,,,\n' } },
  { name: 'peers: empty item between two', files: { a: B + 'peers = 10.0.0.1,,10.0.0.2\n' } },
  { name: 'peers: IPv6 is not accepted', files: { a: B + 'peers = ::1\n' } },
  { name: 'peers: leading zero', files: { a: B + 'peers = 10.0.0.01\n' } },
  { name: 'peers: all-numeric name', files: { a: B + 'peers = 1.2.3\n' } },
  { name: 'API host: IPv6 and names', files: { a: B + '[API]\nhost = fe80::1:2\n' } },
  { name: 'API host: underscore is invalid', files: { a: B + '[API]\nhost = a_b\n' } },
  { name: 'API host: zone index is invalid', files: { a: B + '[API]\nhost = fe80::1%lo\n' } },
  { name: 'API host: trailing dot removed', files: { a: B + '[API]\nhost = localhost.\n' } },
  { name: 'local_address on an interface', files: { a: '[BGP]\nlocal_address = lo\nmy_as = 1\n[DATAPLANE_DRIVER_EVPN]\ndataplane_local_address = lo\n' } },
  { name: 'local_address on a missing interface', files: { a: '[BGP]\nlocal_address = nosuchif0\nmy_as = 1\n' } },
  { name: 'local_address IPv6 is an interface name', files: { a: '[BGP]\nlocal_address = ::1\nmy_as = 1\n' } },
  { name: 'local_address missing', files: { a: '[BGP]\nmy_as = 1\n' } },
  { name: 'my_as missing', files: { a: '[BGP]\nlocal_address = 127.0.0.1\n' } },
  { name: 'my_as empty', files: { a: '[BGP]\nlocal_address = 127.0.0.1\nmy_as =\n' } },
  { name: 'both required missing', files: { a: '[API]\nport = 1\n' } },
  {
    name: 'ovs IP VPN driver, every option',
    files: {
      a: B + '[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = ovs\nmpls_interface = eth1\nmpls_over_gre = False\nproxy_arp = true\narp_responder = on\nvxlan_encap = 1\novs_bridge = br-x\ninput_table = 5\novs_table_id_start = 10\ngre_tunnel = gre0\ngre_tunnel_options = packet_type=legacy_l3, a=b\novsbr_interfaces_mtu = 1400\nhash_method = hash\nhash_method_param = 12\nhash_fields = ip_src,ip_dst,\n',
    },
  },
  { name: 'ovs IP VPN driver defaults', files: { a: B + '[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = mpls_ovs_dataplane.MPLSOVSDataplaneDriver\n' } },
  { name: 'linux IP VPN driver (long alias)', files: { a: B + '[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = bagpipe.bgp.vpn.ipvpn.mpls_linux_dataplane.MPLSLinuxDataplaneDriver\nmpls_interface = *gre*\nvxlan_encap = not-read\n' } },
  { name: 'linux E-VPN driver, empty vxlan_dst_port', files: { a: B + '[DATAPLANE_DRIVER_EVPN]\ndataplane_driver = linux_vxlan.LinuxVXLANDataplaneDriver\nvxlan_dst_port =\n' } },
  { name: 'linux E-VPN driver, vxlan_dst_port', files: { a: B + '[DATAPLANE_DRIVER_EVPN]\ndataplane_driver = linux\nvxlan_dst_port = 8472\n' } },
  { name: 'ovs E-VPN driver', files: { a: B + '[DATAPLANE_DRIVER_EVPN]\ndataplane_driver = ovs\novs_bridge = br-t\n' } },
  { name: 'dummy drivers ignore driver options, even invalid ones', files: { a: B + '[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = DummyDataplaneDriver\ninput_table = abc\n[DATAPLANE_DRIVER_EVPN]\ndataplane_driver = bagpipe.bgp.vpn.evpn.DummyDataplaneDriver\nvxlan_dst_port = x\n' } },
  { name: 'unknown driver', files: { a: B + '[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = Linux\n' } },
  { name: 'mpls_over_gre choice', files: { a: B + '[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = ovs\nmpls_over_gre = false\n' } },
  { name: 'hash_method choice', files: { a: B + '[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = ovs\nhash_method = HASH\n' } },
  { name: 'obsolete [DATAPLANE_DRIVER] section has no effect', files: { a: B + '[DATAPLANE_DRIVER]\ndataplane_driver = linux\n' } },
  { name: 'unknown sections and options are ignored', files: { a: B + 'foo = bar\n[NOPE]\nx = 1\n[DEFAULT]\nstate_path = /x\n' } },
  { name: 'logging options and deprecated names', files: { a: B + '[DEFAULT]\nlogfile = /tmp/a.log\nlogdir = /tmp\nlog-config = /etc/x\nsyslog_log_facility = LOG_LOCAL0\ndefault_log_levels = a=INFO, b=DEBUG\n' } },
  { name: 'log_file ending in .conf is dropped', files: { a: B + '[DEFAULT]\nlog_file = /etc/bagpipe-bgp/log.conf\n' } },
  { name: 'dashed name of a logging option is not read', files: { a: B + '[DEFAULT]\nlog-file = /tmp/a.log\nlog_date_format = %H\n' } },
  { name: 'option names are case-sensitive', files: { a: B + 'MY_AS = 5\nEnable_Rtc = false\n' } },
  { name: 'CRLF line ends', files: { a: B.replaceAll('\n', '\r\n') + '[API]\r\nport = 1\r\n' } },
  { name: 'CR-only line ends', files: { a: B.replaceAll('\n', '\r') + '[API]\rport = 2\r' } },
  { name: 'trailing whitespace and tabs', files: { a: '[BGP]  \nlocal_address\t=\t127.0.0.1 \t\nmy_as = 1\x0c\n' } },
  { name: 'section name keeps its inner spaces', files: { a: B + '[ API ]\nport = 1\n' } },
  { name: 'parse error: assignment before any section', files: { a: 'x = 1\n' + B } },
  { name: 'parse error: continuation at start', files: { a: '  x = 1\n' + B } },
  { name: 'parse error: continuation after blank line', files: { a: B + '\n  5\n' } },
  { name: 'parse error: continuation after a comment', files: { a: B + '# c\n  5\n' } },
  { name: 'parse error: unterminated section', files: { a: B + "[API\n" } },
  { name: 'parse error: empty section', files: { a: B + '[]\n' } },
  { name: 'parse error: no separator', files: { a: B + 'just words\n' } },
  { name: 'parse error: empty key', files: { a: B + ' = 5\nx\n' } },
  { name: 'parse error: empty key after colon', files: { a: B + ':5\n' } },
  { name: 'parse error: byte-order mark', files: { a: '\ufeff' + B } },
  { name: 'parse error in a later file comes before missing files', files: { a: B, b: '[x\n' }, args: ['--config-file', '@nope', '--config-file', '@a', '--config-file', '@b'] },
  { name: 'invalid UTF-8', files: { a: Buffer.concat([Buffer.from(B), Buffer.from([0xff, 0x0a])]) } },
  {
    name: 'empty integer of a non-nullable option',
    files: { a: B + 'bgp_port =\n' },
    deviation: { code: 'value', why: 'the original accepts None and fails when connecting; we refuse it at load time' },
  },
];

// ---------------------------------------------------------------------------------------------

interface OracleResult {
  readonly ok: boolean;
  readonly kind?: string;
  readonly error?: string;
  readonly values?: Readonly<Record<string, unknown>>;
}

const LOG_OPTS = ['debug', 'log_config_append', 'log_date_format', 'log_file', 'log_dir', 'watch_log_file', 'use_syslog', 'use_journal', 'syslog_log_facility', 'use_json', 'use_stderr', 'default_log_levels'];

function ourValues(config: LoadedConfig): Record<string, unknown> {
  const defaults = config.DEFAULT as Readonly<Record<string, unknown>>;
  const DEFAULT: Record<string, unknown> = {};
  for (const k of LOG_OPTS) DEFAULT[k] = defaults[k];
  return { ...lookingGlassConfig(config), DEFAULT };
}

const KINDS: Readonly<Record<string, string>> = {
  ConfigFileParseError: 'parse',
  RequiredOptError: 'required',
  ConfigFilesNotFoundError: 'files-not-found',
  ConfigDirNotFoundError: 'dir-not-found',
  ConfigFileValueError: 'value',
  ConfigSourceValueError: 'value',
  NoSuchOptError: 'substitution',
  NoSuchGroupError: 'substitution',
  TemplateSubstitutionError: 'substitution',
  LookupError: 'driver',
  UnicodeDecodeError: 'read',
};

function checkError(c: Case, oracle: OracleResult, ours: unknown): void {
  assert.ok(ours instanceof ConfigError, `${c.name}: oslo failed (${oracle.kind}: ${oracle.error}) but we did not: ${String(ours)}`);
  const kind = oracle.kind ?? '';
  assert.equal(ours.code, KINDS[kind], `${c.name}: oslo ${kind}: ${oracle.error}; ours ${ours.code}: ${ours.message}`);
  const theirs = oracle.error ?? '';
  if (ours.code === 'value') {
    const pattern = /^Value for option (\S+)(?: in group \[\S+\])? from .* is not valid: ([\s\S]*)$/;
    const t = pattern.exec(theirs);
    const o = pattern.exec(ours.message);
    assert.ok(t && o, `${c.name}: ${theirs} / ${ours.message}`);
    assert.equal(o[1], t[1], c.name);
    assert.equal(o[2], t[2], c.name);
    assert.match(ours.message, / in group \[[A-Z_]+\] from (\S+:\d+|environment variable \S+) is not valid/);
  } else if (ours.code === 'substitution') {
    assert.ok(ours.message.startsWith(theirs), `${c.name}: "${ours.message}" should start with "${theirs}"`);
  } else if (ours.code === 'read') {
    assert.match(ours.message, /not valid UTF-8/);
  } else {
    assert.equal(ours.message, theirs, c.name);
  }
}

function pythonReady(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import oslo_config, oslo_log'], { encoding: 'utf8' });
  if (r.error !== undefined) return `${PYTHON} cannot be run (${r.error.message})`;
  if (r.status !== 0) return `${PYTHON} has no oslo_config/oslo_log (${r.stderr.trim().split('\n').pop() ?? ''})`;
  return undefined;
}

test('oslo.config agrees with our loader on every tricky file', () => {
  const missing = pythonReady();
  assert.equal(
    missing,
    undefined,
    `this test compares with the real oslo.config: install the Debian package python3-oslo.config ` +
      `(sudo scripts/install-deps.sh, or apt-get install -y --no-install-recommends python3-oslo.config): ${missing ?? ''}`,
  );

  const prepared = CASES.map((c) => {
    const dir = tmpFiles(Object.fromEntries(Object.entries(c.files).map(([n, t]) => [n.includes('/') ? n : `${n}.conf`, t])));
    const path = (name: string): string => join(dir, name.includes('/') || !Object.hasOwn(c.files, name) ? name : `${name}.conf`);
    const args = (c.args ?? Object.keys(c.files).flatMap((n) => ['--config-file', `@${n}`])).map((a) => (a.startsWith('@') ? path(a.slice(1)) : a));
    const defaultFiles = (c.defaultFiles ?? []).map((a) => (a.startsWith('@') ? path(a.slice(1)) : a));
    return { c, args, defaultFiles };
  });

  const run = spawnSync(PYTHON, [ORACLE, '--batch'], {
    input: JSON.stringify(prepared.map((p) => ({ args: p.args, env: p.c.env ?? {}, default_files: p.defaultFiles }))),
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', LANG: 'C.UTF-8' },
  });
  assert.equal(run.status, 0, `oracle failed: ${run.stderr}`);
  const results = JSON.parse(run.stdout) as OracleResult[];
  assert.equal(results.length, prepared.length);

  const failures: string[] = [];
  prepared.forEach(({ c, args, defaultFiles }, i) => {
    try {
      compareOne(c, args, defaultFiles, results[i] as OracleResult);
    } catch (e) {
      failures.push(e instanceof assert.AssertionError ? e.message : String(e));
    }
  });
  assert.deepEqual(failures, [], `${failures.length} of ${prepared.length} cases differ from oslo.config:\n\n${failures.join('\n\n')}`);
});

function compareOne(c: Case, args: readonly string[], defaultFiles: readonly string[], oracle: OracleResult): void {
  const sources: ConfigSource[] = [];
  for (let j = 0; j < args.length; j += 2) sources.push({ kind: args[j] === '--config-dir' ? 'dir' : 'file', path: args[j + 1] ?? '' });
  let ours: { config: LoadedConfig } | { error: unknown };
  try {
    ours = { config: loadConfig({ sources, defaultConfigFiles: defaultFiles, defaultConfigDirs: [], env: c.env ?? {}, typeContext: systemTypeContext }) };
  } catch (error) {
    ours = { error };
  }
  if (c.deviation !== undefined) {
    const e = 'error' in ours ? ours.error : undefined;
    assert.ok(e instanceof ConfigError && e.code === c.deviation.code, `${c.name}: expected our ${c.deviation.code} error (${c.deviation.why}), got ${String(e)}`);
    return;
  }
  if (!oracle.ok) {
    checkError(c, oracle, 'error' in ours ? ours.error : 'a configuration');
    return;
  }
  assert.ok('config' in ours, `${c.name}: oslo loaded it but we failed: ${'error' in ours ? String(ours.error) : ''}`);
  const expected = Object.fromEntries(Object.entries(oracle.values ?? {}).filter(([k]) => k !== 'obsolete_dataplane_driver_section'));
  assert.deepEqual(ourValues(ours.config), expected, c.name);
}
