/**
 * Config printed back parses again (OpenBGPD's habit): for generated configurations,
 * load(formatConfig(config)) gives the same configuration, and printing is a fixed point.
 */

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { loadConfig } from '../../src/config/load.js';
import { DEFAULT_OPTS, DRIVER_NAMES, defaultFamilies, PEER_FAMILIES } from '../../src/config/options.js';
import type { Config, DriverKind, PeerConfig, VpnType } from '../../src/config/options.js';
import { canonicalPeerAddress } from '../../src/config/peers.js';
import { formatConfig } from '../../src/config/print.js';
import { fakeInterfaces, tmpFiles } from './helpers.js';

/** Single-line strings, rich in characters the INI and `$` layers care about. */
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom('$', '\\', '"', "'", '#', ';', '[', ']', '=', ':', ' ', '\t', '{', '}', '.', 'a', 'B', '_', ',', '\u00a0', '\x0c'), maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }).filter((s) => !/[\r\n]/.test(s)),
);
/** Strings that may span lines (continuation lines cannot be empty or padded). */
const multiline = fc
  .tuple(text, fc.array(fc.stringMatching(/^[!-~]([ -~]{0,6}[!-~])?$/), { maxLength: 2 }))
  .map(([head, rest]) => [head, ...rest].join('\n'));
const listItem = fc.stringMatching(/^[!-+\--~]([ -+\--~]{0,8}[!-+\--~])?$/); // printable ASCII without ','
const ipv4 = fc.ipV4();
const ipv6 = fc.ipV6();
const hostName = fc.constantFrom('localhost', 'api.example', 'a-1.b-2.example', 'X');
const port = fc.integer({ min: 0, max: 65535 });
const asn2 = fc.integer({ min: 1, max: 65535 });
const asn4 = fc.integer({ min: 1, max: 4294967295 });

/** An address option: a literal, or an interface name (value resolved, name remembered). */
function addressChoice(literal: fc.Arbitrary<string>): fc.Arbitrary<{ value: string; name?: string }> {
  return fc.oneof(
    literal.map((value) => ({ value })),
    fc.constantFrom({ value: '192.0.2.7', name: 'eth7' }, { value: '127.0.0.1', name: 'lo' }),
  );
}

const defaultsArb = fc
  .record({
    debug: fc.boolean(),
    log_file: fc.option(text.filter((s) => !s.endsWith('.conf')), { nil: null }),
    log_dir: fc.option(text, { nil: null }),
    use_syslog: fc.boolean(),
    syslog_log_facility: text,
    log_date_format: text,
    default_log_levels: fc.array(listItem, { maxLength: 4 }),
    rate_limit_burst: fc.integer({ min: -5, max: 1000 }),
    log_rotation_type: fc.constantFrom('interval', 'size', 'none', 'SIZE'),
  })
  .map((changes) => ({ ...Object.fromEntries(DEFAULT_OPTS.map((o) => [o.name, o.default])), ...changes }));

function driverArb(vpnType: VpnType): fc.Arbitrary<{ kind: DriverKind; options: Record<string, unknown> }> {
  const names = Object.entries(DRIVER_NAMES[vpnType]);
  return fc.constantFrom(...names).chain(([name, kind]) => {
    const common = { dataplane_driver: fc.constant(name) };
    if (vpnType === 'evpn' && kind === 'linux') return fc.record({ ...common, vxlan_dst_port: fc.option(fc.integer({ min: -10, max: 70000 }), { nil: null }), adoption_hold_time: fc.integer({ min: 0, max: 100_000 }) }).map((options) => ({ kind, options }));
    if (vpnType === 'evpn' && kind === 'ovs') return fc.record({ ...common, ovs_bridge: text, adoption_hold_time: fc.integer({ min: 0, max: 100_000 }) }).map((options) => ({ kind, options }));
    if (vpnType === 'ipvpn' && kind === 'linux') return fc.record({ ...common, mpls_interface: fc.option(text, { nil: null }) }).map((options) => ({ kind, options }));
    if (vpnType === 'ipvpn' && kind === 'ovs') {
      return fc
        .record({
          ...common,
          mpls_interface: fc.option(text, { nil: null }),
          mpls_over_gre: fc.constantFrom('auto', 'True', 'False'),
          proxy_arp: fc.boolean(),
          arp_responder: fc.boolean(),
          vxlan_encap: fc.boolean(),
          ovs_bridge: text,
          input_table: fc.integer({ min: -3, max: 300 }),
          ovs_table_id_start: fc.integer({ min: -3, max: 300 }),
          gre_tunnel: multiline,
          gre_tunnel_options: fc.array(listItem, { maxLength: 3 }),
          ovsbr_interfaces_mtu: fc.option(fc.integer({ min: 0, max: 9000 }), { nil: null }),
          hash_method: fc.constantFrom('hash', 'dp_hash'),
          hash_method_param: text,
          hash_fields: fc.array(listItem, { maxLength: 3 }),
          adoption_hold_time: fc.integer({ min: 0, max: 100_000 }),
        })
        .filter((o) => o.input_table !== o.ovs_table_id_start)
        .map((options) => ({ kind, options }));
    }
    return fc.record(common).map((options) => ({ kind, options }));
  });
}

const peerSettings = fc.record({
  remote_as: asn4,
  local_as: asn4,
  port,
  passive: fc.boolean(),
  families: fc.option(fc.subarray([...PEER_FAMILIES]), { nil: null }),
  max_prefix: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: null }),
  hold_time: fc.oneof(fc.constant(0), fc.integer({ min: 3, max: 65535 })),
  add_path_receive: fc.subarray([...PEER_FAMILIES]),
});

const configArb: fc.Arbitrary<Config> = fc
  .record({
    DEFAULT: defaultsArb,
    host: fc.oneof(ipv4, ipv6, hostName),
    apiPort: port,
    local: addressChoice(ipv4),
    flat: fc.uniqueArray(fc.oneof(ipv4, fc.constantFrom('peer-a.example', 'rr')), { maxLength: 4 }),
    flatSettings: fc.array(fc.option(peerSettings, { nil: null }), { minLength: 4, maxLength: 4 }),
    extra: fc.uniqueArray(fc.tuple(fc.oneof(ipv4, ipv6).map(canonicalPeerAddress), peerSettings), { maxLength: 3, selector: ([a]) => a }),
    my_as: asn2,
    enable_rtc: fc.boolean(),
    bgp_port: port,
    listen: fc.option(addressChoice(fc.oneof(ipv4, ipv6)), { nil: null }),
    listen_port: fc.option(port, { nil: null }),
    graceful_restart_time: fc.integer({ min: 0, max: 4095 }),
    root_helper: multiline,
    root_helper_daemon: fc.option(multiline, { nil: null }),
    ipvpn: driverArb('ipvpn'),
    evpn: driverArb('evpn'),
    ipvpnLocal: fc.option(addressChoice(ipv4), { nil: null }),
    evpnLocal: fc.option(addressChoice(ipv4), { nil: null }),
    ovsdb: fc.record({ ovsdb_connection: fc.option(text, { nil: null }), ovsdb_timeout: fc.integer({ min: 1, max: 1000 }) }),
  })
  .map((g) => {
    const interfaceNames: Record<string, string> = {};
    const address = (key: string, a: { value: string; name?: string } | null): string | null => {
      if (a === null) return null;
      if (a.name !== undefined) interfaceNames[key] = a.name;
      return a.value;
    };
    const complete = (addr: string, s: typeof g.extra[number][1] | null): PeerConfig =>
      s === null
        ? { address: addr, remote_as: g.my_as, local_as: g.my_as, port: g.bgp_port, passive: false, families: defaultFamilies(g.enable_rtc), max_prefix: null, hold_time: 180, add_path_receive: [] }
        : { address: addr, ...s, families: s.families ?? defaultFamilies(g.enable_rtc) };
    const flatSet = new Set(g.flat);
    const peers = [
      ...g.flat.map((a, i) => complete(a, /^[0-9.]+$/.test(a) ? (g.flatSettings[i] ?? null) : null)),
      ...g.extra.filter(([a]) => !flatSet.has(a)).map(([a, s]) => complete(a, s)),
    ];
    return {
      DEFAULT: g.DEFAULT as unknown as Config['DEFAULT'],
      API: { host: g.host, port: g.apiPort },
      BGP: {
        local_address: address('BGP.local_address', g.local) ?? '',
        peers: g.flat,
        my_as: g.my_as,
        enable_rtc: g.enable_rtc,
        bgp_port: g.bgp_port,
        listen_address: address('BGP.listen_address', g.listen),
        listen_port: g.listen_port,
        graceful_restart_time: g.graceful_restart_time,
      },
      COMMON: { root_helper: g.root_helper, root_helper_daemon: g.root_helper_daemon },
      DATAPLANE_DRIVER_IPVPN: { driver: g.ipvpn.kind, dataplane_local_address: address('DATAPLANE_DRIVER_IPVPN.dataplane_local_address', g.ipvpnLocal), ...g.ipvpn.options } as unknown as Config['DATAPLANE_DRIVER_IPVPN'],
      DATAPLANE_DRIVER_EVPN: { driver: g.evpn.kind, dataplane_local_address: address('DATAPLANE_DRIVER_EVPN.dataplane_local_address', g.evpnLocal), ...g.evpn.options } as unknown as Config['DATAPLANE_DRIVER_EVPN'],
      ...(g.ipvpn.kind === 'ovs' || g.evpn.kind === 'ovs' ? { OVS: g.ovsdb } : {}),
      peers,
      interfaceNames,
    };
  });

/** Key order does not matter; values do. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, normalise(v)]),
    );
  }
  return value;
}

test('round trip: formatConfig output loads back to the same configuration (property)', () => {
  const dir = tmpFiles();
  const file = join(dir, 'printed.conf');
  fc.assert(
    fc.property(configArb, (config) => {
      const printed = formatConfig(config);
      writeFileSync(file, printed);
      const { files: _f, warnings, ...loaded } = loadConfig({ configFiles: [file], defaultConfigDirs: [], env: {}, typeContext: fakeInterfaces });
      assert.deepEqual(normalise(loaded), normalise(config), printed);
      assert.deepEqual(
        warnings.filter((w) => w.code !== 'peer-hostname' && w.code !== 'passive-without-listener'),
        [],
        printed,
      );
      assert.equal(formatConfig(loaded), printed);
    }),
    { numRuns: 200 },
  );
});
