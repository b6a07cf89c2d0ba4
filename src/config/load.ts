/**
 * Loading bgp.conf the way the original daemon does (oslo.config ConfigOpts.__call__ with
 * `default_config_files=['/etc/bagpipe-bgp/bgp.conf']`):
 *
 * 1. files are read in command-line order, `--config-dir DIR` standing for `DIR/*.conf`
 *    (sorted, dot files excluded); the default file is read first when no `--config-file` is
 *    given at all (even with a `--config-dir`: oslo does so, and then fails when it is missing),
 *    and the default directories (`bagpipe-bgp.conf.d` in ~/.bagpipe-bgp, ~, /etc/bagpipe-bgp,
 *    /etc) when no `--config-dir` is given;
 * 2. missing files are collected and reported together, after every file was parsed;
 * 3. values: command line > `OS_<GROUP>__<OPTION>` environment variables > last file > default;
 * 4. required options, then every group in the original's order; dataplane driver options are
 *    read only for the selected driver;
 * 5. our extensions: `[BGP] listen_*` and `[BGP_PEER:<address>]` sections.
 *
 * Unknown sections and options are ignored, as by oslo, and reported as warnings.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from './errors.js';
import type { ConfigWarning } from './errors.js';
import { normalizeSectionName, parseIni } from './ini.js';
import {
  DATAPLANE_COMMON_OPTS,
  dataplaneGroup,
  DRIVER_OPTS,
  driverKind,
  GROUPS,
  groupOptions,
  OVS_OPTS,
} from './options.js';
import type {
  ApiOptions,
  BgpOptions,
  CommonOptions,
  DefaultOptions,
  DriverKind,
  EvpnDataplaneOptions,
  IpvpnDataplaneOptions,
  LoadedConfig,
  OptSpec,
  OvsdbOptions,
  VpnType,
} from './options.js';
import { buildPeers, isPeerSection } from './peers.js';
import type { PeerSection } from './peers.js';
import { fileLayer, Resolver } from './resolver.js';
import type { FileLayer, Overrides } from './resolver.js';
import { systemTypeContext } from './types.js';
import type { TypeContext } from './types.js';

export const DEFAULT_CONFIG_FILE = '/etc/bagpipe-bgp/bgp.conf';

/** A `--config-file` or `--config-dir` argument, in command-line order. */
export interface ConfigSource {
  readonly kind: 'file' | 'dir';
  readonly path: string;
}

export interface LoadOptions {
  /** `--config-file` values, in order. */
  readonly configFiles?: readonly string[];
  /** `--config-dir` value(s), read after configFiles. */
  readonly configDir?: string | readonly string[];
  /** Files and directories in exact command-line order (read before configFiles/configDir). */
  readonly sources?: readonly ConfigSource[];
  /** Read first when no file is given. Default: [DEFAULT_CONFIG_FILE]. */
  readonly defaultConfigFiles?: readonly string[];
  /** Read (when they exist) when no directory is given. Default: findDefaultConfigDirs(). */
  readonly defaultConfigDirs?: readonly string[];
  /** Environment for `OS_<GROUP>__<OPTION>` values. Default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Values from the command line, by group and option, as text (`{DEFAULT: {debug: 'true'}}`):
   * they win over everything else.
   */
  readonly overrides?: Overrides;
  /** Interface lookups (tests). Default: this machine's. */
  readonly typeContext?: TypeContext;
}

/** `~` expansion then absolute path (oslo's _fixpath). */
function fixPath(path: string): string {
  return resolve(expandUser(path));
}

function expandUser(path: string): string {
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** oslo's find_config_dirs('bagpipe-bgp', 'bagpipe-bgp'): the first existing bagpipe-bgp.conf.d. */
export function findDefaultConfigDirs(env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const project = 'bagpipe-bgp';
  const candidates = [fixPath(`~/.${project}`), fixPath('~'), `/etc/${project}`, '/etc'];
  if (env.SNAP_COMMON) candidates.push(join(env.SNAP_COMMON, 'etc', project));
  if (env.SNAP) candidates.push(join(env.SNAP, 'etc', project));
  const found = candidates.map((d) => join(d, `${project}.conf.d`)).find(exists);
  return found === undefined ? [] : [found];
}

/** `DIR/*.conf` as Python's sorted(glob()) lists them (hidden files excluded). */
function dirFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.conf') && !n.startsWith('.'))
    .map((n) => join(dir, n))
    .sort();
}

interface Reading {
  readonly layers: FileLayer[];
  readonly files: string[];
  readonly notFound: string[];
  readonly denied: string[];
}

function readFile(path: string, reading: Reading): void {
  const file = fixPath(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') reading.notFound.push(file);
    else if (code === 'EACCES') reading.denied.push(file);
    else throw new ConfigError('read', `Failed to read ${file}: ${(e as Error).message}`, file);
    return;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ConfigError('read', `Failed to read ${file}: not valid UTF-8`, file);
  }
  reading.layers.push(fileLayer(parseIni(text, file)));
  reading.files.push(file);
}

function readDir(path: string, reading: Reading): void {
  const dir = expandUser(path);
  if (!exists(dir)) throw new ConfigError('dir-not-found', `Failed to read config file directory: ${dir}`);
  for (const f of dirFiles(dir)) readFile(f, reading);
}

function readSources(options: LoadOptions): Reading {
  const sources: ConfigSource[] = [
    ...(options.sources ?? []),
    ...(options.configFiles ?? []).map((path) => ({ kind: 'file' as const, path })),
    ...(typeof options.configDir === 'string' ? [options.configDir] : (options.configDir ?? [])).map((path) => ({ kind: 'dir' as const, path })),
  ];
  const reading: Reading = { layers: [], files: [], notFound: [], denied: [] };
  if (!sources.some((s) => s.kind === 'file')) {
    for (const f of options.defaultConfigFiles ?? [DEFAULT_CONFIG_FILE]) readFile(f, reading);
  }
  if (!sources.some((s) => s.kind === 'dir')) {
    for (const d of options.defaultConfigDirs ?? findDefaultConfigDirs(options.env ?? process.env)) {
      if (exists(d)) for (const f of dirFiles(d)) readFile(f, reading);
    }
  }
  for (const s of sources) {
    if (s.kind === 'file') readFile(s.path, reading);
    else readDir(s.path, reading);
  }
  if (reading.notFound.length > 0) {
    throw new ConfigError('files-not-found', `Failed to find some config files: ${reading.notFound.join(',')}`);
  }
  if (reading.denied.length > 0) {
    throw new ConfigError('files-permission-denied', `Failed to open some config files: ${reading.denied.join(',')}`);
  }
  return reading;
}

function groupValues(resolver: Resolver, group: string, opts: readonly OptSpec[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of opts) out[o.name] = resolver.value(group, o.name);
  return out;
}

function selectDriver(resolver: Resolver, vpnType: VpnType): DriverKind {
  const group = dataplaneGroup(vpnType);
  const name = resolver.value(group, 'dataplane_driver') as string;
  const kind = driverKind(vpnType, name);
  if (kind === undefined) {
    const origin = resolver.origin(group, 'dataplane_driver');
    throw new ConfigError('driver', `No 'bagpipe.dataplane.${vpnType}' driver found, looking for '${name}'`, origin.kind === 'file' ? origin.detail : undefined, origin.line);
  }
  resolver.register(group, DRIVER_OPTS[vpnType][kind]);
  return kind;
}

/** Warnings for what the files set but nothing reads (oslo ignores it silently). */
function unusedWarnings(layers: readonly FileLayer[], resolver: Resolver, drivers: Record<VpnType, DriverKind>, warnings: ConfigWarning[]): void {
  const known = new Map<string, Set<string>>();
  const groupNames = new Map<string, string>();
  for (const [group, opts] of resolver.registered()) {
    const names = new Set<string>();
    for (const o of opts.values()) for (const n of [o.name, ...(o.deprecatedNames ?? [])]) names.add(n);
    known.set(normalizeSectionName(group), names);
    groupNames.set(normalizeSectionName(group), group);
  }
  const otherDriverOptions = (section: string): Map<string, DriverKind> => {
    const out = new Map<string, DriverKind>();
    for (const vpnType of ['ipvpn', 'evpn'] as const) {
      if (section !== dataplaneGroup(vpnType).toLowerCase()) continue;
      for (const [kind, opts] of Object.entries(DRIVER_OPTS[vpnType]) as [DriverKind, readonly OptSpec[]][]) {
        if (kind !== drivers[vpnType]) for (const o of opts) out.set(o.name, kind);
      }
    }
    return out;
  };
  for (const layer of layers) {
    for (const [section, keys] of layer.sections) {
      const line = layer.sectionLines.get(section);
      const names = known.get(section);
      if (names === undefined) {
        if (section === 'default') {
          warnings.push({ code: 'lowercase-default', message: `section [default] of ${layer.file} is ignored: the default section must be written [DEFAULT]`, file: layer.file, line });
        } else if (section === 'dataplane_driver') {
          warnings.push({ code: 'obsolete-section', message: 'Config file is obsolete, should have a DATAPLANE_DRIVER_IPVPN section instead of DATAPLANE_DRIVER', file: layer.file, line });
        } else {
          warnings.push({ code: 'unknown-section', message: `section [${section}] of ${layer.file} is ignored: unknown section`, file: layer.file, line });
        }
        continue;
      }
      const others = otherDriverOptions(section);
      const shown = groupNames.get(section) ?? section;
      for (const [key, assignments] of keys) {
        if (names.has(key)) continue;
        const at = assignments[0]?.line;
        const driver = others.get(key);
        if (driver !== undefined) {
          warnings.push({ code: 'unused-driver-option', message: `option ${key} in [${shown}] at ${layer.file}:${at ?? 0} is ignored: only the ${driver} driver uses it`, file: layer.file, line: at });
        } else {
          warnings.push({ code: 'unknown-option', message: `option ${key} in [${shown}] at ${layer.file}:${at ?? 0} is ignored: unknown option`, file: layer.file, line: at });
        }
      }
    }
  }
}

/** Reads and checks the configuration. Throws ConfigError. */
export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const reading = readSources(options);
  const warnings: ConfigWarning[] = [];
  const resolver = new Resolver(
    reading.layers,
    options.env ?? process.env,
    options.overrides ?? {},
    options.typeContext ?? systemTypeContext,
    warnings,
    (group) => group.includes(':'),
  );
  for (const group of GROUPS) resolver.register(group, groupOptions(group));

  // Peer sections, in order of first appearance.
  const peerSections: PeerSection[] = [];
  const seenSections = new Set<string>();
  for (const layer of reading.layers) {
    for (const [section, line] of layer.sectionLines) {
      if (!isPeerSection(section) || seenSections.has(section)) continue;
      seenSections.add(section);
      peerSections.push({ section, file: layer.file, line });
    }
  }

  const DEFAULT = groupValues(resolver, 'DEFAULT', groupOptions('DEFAULT'));
  resolver.value('BGP', 'local_address');
  resolver.value('BGP', 'my_as');
  const API = groupValues(resolver, 'API', groupOptions('API')) as unknown as ApiOptions;
  const BGP = groupValues(resolver, 'BGP', groupOptions('BGP')) as unknown as BgpOptions;
  const COMMON = groupValues(resolver, 'COMMON', groupOptions('COMMON')) as unknown as CommonOptions;
  const drivers = { evpn: selectDriver(resolver, 'evpn'), ipvpn: selectDriver(resolver, 'ipvpn') };
  const dataplane = (vpnType: VpnType): Record<string, unknown> => {
    const group = dataplaneGroup(vpnType);
    return { driver: drivers[vpnType], ...groupValues(resolver, group, [...DATAPLANE_COMMON_OPTS, ...DRIVER_OPTS[vpnType][drivers[vpnType]]]) };
  };
  const EVPN = dataplane('evpn') as unknown as EvpnDataplaneOptions;
  const IPVPN = dataplane('ipvpn') as unknown as IpvpnDataplaneOptions;
  if (IPVPN.driver === 'ovs' && IPVPN.ovs_table_id_start === IPVPN.input_table) {
    throw new ConfigError(
      'invalid',
      `invalid ovs_table_id_start (${IPVPN.ovs_table_id_start}): can't use tables same as input table (${IPVPN.input_table})`,
    );
  }
  let OVS: OvsdbOptions | undefined;
  if (drivers.evpn === 'ovs' || drivers.ipvpn === 'ovs') {
    resolver.register('OVS', OVS_OPTS);
    OVS = groupValues(resolver, 'OVS', OVS_OPTS) as unknown as OvsdbOptions;
  }
  const peers = buildPeers(resolver, BGP, peerSections, warnings);

  // bgp_daemon.fix_log_file(): a .conf log file is a logging configuration of old versions.
  if (typeof DEFAULT.log_file === 'string' && DEFAULT.log_file.endsWith('.conf')) {
    DEFAULT.log_file = null;
    warnings.push({ code: 'legacy-log-file', message: 'now using oslo.log, specifying a log configuration file should be done with --log-config-append' });
  }
  unusedWarnings(reading.layers, resolver, drivers, warnings);

  return {
    DEFAULT: DEFAULT as DefaultOptions,
    API,
    BGP,
    COMMON,
    DATAPLANE_DRIVER_IPVPN: IPVPN,
    DATAPLANE_DRIVER_EVPN: EVPN,
    ...(OVS ? { OVS } : {}),
    peers,
    interfaceNames: { ...resolver.interfaceNames },
    files: reading.files,
    warnings,
  };
}
