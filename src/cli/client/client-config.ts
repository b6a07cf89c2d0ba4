/**
 * What the client commands read from bgp.conf: `[API] host`/`port` (where the daemon listens)
 * and `[COMMON] root_helper`/`root_helper_daemon` (rest-attach's privileged commands).
 *
 * The original clients register only these groups, so a file without `[BGP] my_as` is fine for
 * them; loadConfig() checks the whole daemon configuration and would refuse it. Values follow
 * the same oslo.config rules as the daemon (resolver.ts: deprecated `api_port`, `OS_API__PORT`,
 * `$` substitution, type checks with oslo's messages), only the group set differs.
 *
 * Files: `--config-file` (repeatable) and `--config-dir` in command-line order, an extension of
 * ours (the original clients take no config option). Without `--config-file`,
 * /etc/bagpipe-bgp/bgp.conf is read when it exists, else the defaults apply (port 8082,
 * `sudo`): what the original looking glass and impex2dot do; the original rest-attach crashed
 * instead. A file named on the command line must exist.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, DEFAULT_CONFIG_FILE, parseIni } from '../../config/index.js';
import { API_OPTS, COMMON_OPTS } from '../../config/options.js';
import { fileLayer, Resolver } from '../../config/resolver.js';
import type { FileLayer } from '../../config/resolver.js';
import type { ConfigWarning } from '../../config/errors.js';
import { systemTypeContext } from '../../config/types.js';

export interface ConfigArg {
  readonly kind: 'file' | 'dir';
  readonly path: string;
}

export interface ClientConfig {
  /** `[API] host`: the daemon's listen address. */
  readonly apiHost: string;
  readonly apiPort: number;
  readonly rootHelper: string;
  readonly rootHelperDaemon: string | null;
  /** Files actually read. */
  readonly files: readonly string[];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function layerOf(path: string): FileLayer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError('files-not-found', `Failed to find some config files: ${path}`, path);
    throw new ConfigError('read', `Failed to read ${path}: ${(e as Error).message}`, path);
  }
  return fileLayer(parseIni(text, path));
}

function dirLayers(dir: string): FileLayer[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new ConfigError('dir-not-found', `Failed to read config file directory: ${dir}`);
  }
  return names
    .filter((n) => n.endsWith('.conf') && !n.startsWith('.'))
    .sort()
    .map((n) => layerOf(join(dir, n)));
}

export interface ClientConfigOptions {
  readonly args: readonly ConfigArg[];
  /** Read when no --config-file is given, if it exists. Default: /etc/bagpipe-bgp/bgp.conf. */
  readonly defaultFile?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Reads the client options. Throws ConfigError (one-line message). */
export function readClientConfig(options: ClientConfigOptions): ClientConfig {
  const layers: FileLayer[] = [];
  const defaultFile = options.defaultFile ?? DEFAULT_CONFIG_FILE;
  if (!options.args.some((a) => a.kind === 'file') && isFile(defaultFile)) layers.push(layerOf(defaultFile));
  for (const a of options.args) {
    if (a.kind === 'file') layers.push(layerOf(a.path));
    else layers.push(...dirLayers(a.path));
  }
  const warnings: ConfigWarning[] = [];
  const resolver = new Resolver(layers, options.env ?? process.env, {}, systemTypeContext, warnings);
  resolver.register('API', API_OPTS);
  resolver.register('COMMON', COMMON_OPTS);
  return {
    apiHost: resolver.value('API', 'host') as string,
    apiPort: resolver.value('API', 'port') as number,
    rootHelper: resolver.value('COMMON', 'root_helper') as string,
    rootHelperDaemon: resolver.value('COMMON', 'root_helper_daemon') as string | null,
    files: layers.map((l) => l.file),
  };
}

/** `--config-file`/`--config-dir` options, shared by the commands that read bgp.conf. */
export const CONFIG_OPTION_DEFS = [
  { name: 'config-file', kind: 'string', metavar: 'PATH', help: 'bgp.conf to read [API] port (and [COMMON] root_helper) from; repeatable (default: /etc/bagpipe-bgp/bgp.conf if it exists)' },
  { name: 'config-dir', kind: 'string', metavar: 'DIR', help: 'also read DIR/*.conf' },
] as const;

/** The config arguments of a parsed command line, in order. */
export function configArgs(options: readonly { readonly def: { readonly name: string }; readonly value: unknown }[]): ConfigArg[] {
  const out: ConfigArg[] = [];
  for (const o of options) {
    if (o.def.name === 'config-file') out.push({ kind: 'file', path: String(o.value) });
    if (o.def.name === 'config-dir') out.push({ kind: 'dir', path: String(o.value) });
  }
  return out;
}

/** Where a client connects to reach a daemon listening on `[API] host`. */
export function connectHost(apiHost: string): string {
  // A wildcard listener is reached on loopback, as the original clients always did.
  return apiHost === '' || apiHost === '0.0.0.0' || apiHost === '::' ? '127.0.0.1' : apiHost;
}

/** host:port for a URL (IPv6 literals in brackets). */
export function urlAuthority(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
