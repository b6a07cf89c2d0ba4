/**
 * A configuration written back: as an INI file that loads again to the same configuration
 * (formatConfig, OpenBGPD's habit: `bgpd -nv` prints what it understood, and that parses), as the
 * looking glass `config` object of the original, and as the startup option dump.
 */

import { formatIni } from './ini.js';
import type { IniEntry, IniSectionOut } from './ini.js';
import {
  dataplaneGroup,
  defaultFamilies,
  groupOptions,
  OVS_OPTS,
  PEER_OPTS,
  PEER_SECTION_PREFIX,
} from './options.js';
import type { Config, GroupName, LoadedConfig, OptSpec, PeerConfig } from './options.js';
import { canonicalPeerAddress } from './peers.js';
import { pyStr } from './py.js';
import { escapeDollars } from './substitute.js';

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function groupObject(config: Config, group: GroupName): Readonly<Record<string, unknown>> {
  return config[group] as unknown as Readonly<Record<string, unknown>>;
}

/** Options of a group as the configuration uses them (dataplane: those of the selected driver). */
function optionsOf(config: Config, group: GroupName): readonly OptSpec[] {
  if (group === 'DATAPLANE_DRIVER_IPVPN') return groupOptions(group, config.DATAPLANE_DRIVER_IPVPN.driver);
  if (group === 'DATAPLANE_DRIVER_EVPN') return groupOptions(group, config.DATAPLANE_DRIVER_EVPN.driver);
  return groupOptions(group);
}

function entry(spec: OptSpec, value: unknown, interfaceName?: string): IniEntry {
  if (value === null || value === undefined) {
    // Unset shows as a comment, unless the default is not None: then only an empty value gives None.
    return { key: spec.name, value: spec.default === null ? null : '' };
  }
  if (interfaceName !== undefined) {
    return { key: spec.name, value: escapeDollars(interfaceName), comment: `interface ${interfaceName}: ${pyStr(value)}` };
  }
  return { key: spec.name, value: escapeDollars(spec.type.format(value)) };
}

function section(config: Config, group: GroupName, onlyChanged: boolean): IniSectionOut {
  const values = groupObject(config, group);
  const entries: IniEntry[] = [];
  for (const spec of optionsOf(config, group)) {
    const value = values[spec.name];
    if (onlyChanged && sameValue(value, spec.default)) continue;
    if (spec.extension === true && value === null) continue;
    entries.push(entry(spec, value, config.interfaceNames[`${group}.${spec.name}`]));
  }
  return { name: group, entries };
}

function peerIsDefault(config: Config, peer: PeerConfig): boolean {
  const bgp = config.BGP;
  return (
    peer.remote_as === bgp.my_as &&
    peer.local_as === bgp.my_as &&
    peer.port === bgp.bgp_port &&
    !peer.passive &&
    sameValue(peer.families, defaultFamilies(bgp.enable_rtc)) &&
    peer.max_prefix === null &&
    peer.add_path_receive.length === 0 &&
    peer.hold_time === PEER_OPTS.find((o) => o.name === 'hold_time')?.default
  );
}

function peerSection(peer: PeerConfig): IniSectionOut {
  const values = peer as unknown as Readonly<Record<string, unknown>>;
  return { name: `${PEER_SECTION_PREFIX}${peer.address}`, entries: PEER_OPTS.map((spec) => entry(spec, values[spec.name])) };
}

/**
 * The configuration as INI text; loading it (on the same machine, for interface names) gives
 * the same configuration. `[DEFAULT]` shows only the options that differ from their default.
 */
export function formatConfig(config: Config): string {
  const sections: IniSectionOut[] = [
    section(config, 'DEFAULT', true),
    section(config, 'API', false),
    section(config, 'BGP', false),
    section(config, 'COMMON', false),
    section(config, 'DATAPLANE_DRIVER_IPVPN', false),
    section(config, 'DATAPLANE_DRIVER_EVPN', false),
  ];
  if (config.OVS) {
    const values = config.OVS as unknown as Readonly<Record<string, unknown>>;
    sections.push({ name: 'OVS', entries: OVS_OPTS.map((spec) => entry(spec, values[spec.name])) });
  }
  const flat = new Set(config.BGP.peers.map(canonicalPeerAddress));
  for (const peer of config.peers) {
    if (!flat.has(peer.address) || !peerIsDefault(config, peer)) sections.push(peerSection(peer));
  }
  return formatIni(sections.filter((s) => s.entries.length > 0 || s.name !== 'DEFAULT'));
}

/** JSON value of an option as the looking glass shows it (arrays copied). */
function jsonValue(value: unknown): unknown {
  return Array.isArray(value) ? [...(value as unknown[])] : value;
}

/**
 * The looking glass `config` object of the original: exactly the groups COMMON, API, BGP,
 * DATAPLANE_DRIVER_IPVPN, DATAPLANE_DRIVER_EVPN with the original's options in registration
 * order (driver options of the selected driver only), addresses resolved.
 */
export function lookingGlassConfig(config: Config): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const group of ['COMMON', 'API', 'BGP', 'DATAPLANE_DRIVER_IPVPN', 'DATAPLANE_DRIVER_EVPN'] as const) {
    const values = groupObject(config, group);
    const g: Record<string, unknown> = {};
    for (const spec of optionsOf(config, group)) if (spec.extension !== true) g[spec.name] = jsonValue(values[spec.name]);
    out[group] = g;
  }
  return out;
}

/**
 * The startup dump of every option (oslo's log_opt_values format: `%-30s = %s`, Python
 * str() of values), one line per log record. Our extensions follow the original's options.
 */
export function describeConfig(config: LoadedConfig, args: readonly string[] = []): string[] {
  const lines = [
    '*'.repeat(80),
    'Configuration options gathered from:',
    `command line args: ${pyStr([...args])}`,
    `config files: ${pyStr([...config.files])}`,
    '='.repeat(80),
  ];
  const line = (name: string, value: unknown): string => `${name.padEnd(30)} = ${value === null ? 'None' : pyStr(value)}`;
  const defaults = groupObject(config, 'DEFAULT');
  for (const spec of [...groupOptions('DEFAULT')].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    lines.push(line(spec.name, defaults[spec.name]));
  }
  for (const group of ['API', 'BGP', 'COMMON', dataplaneGroup('evpn'), dataplaneGroup('ipvpn')] as const) {
    const values = groupObject(config, group);
    for (const spec of [...optionsOf(config, group)].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      lines.push(line(`${group}.${spec.name}`, values[spec.name]));
    }
  }
  for (const peer of config.peers) {
    const values = peer as unknown as Readonly<Record<string, unknown>>;
    for (const spec of PEER_OPTS) lines.push(line(`${PEER_SECTION_PREFIX}${peer.address}.${spec.name}`, values[spec.name]));
  }
  lines.push('*'.repeat(80));
  return lines;
}
