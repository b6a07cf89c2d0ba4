/**
 * What the daemon and bagpipe-bgp-cleanup share (spec config.md §1, §5): the same command line
 * (`--config-file` repeated, `--config-dir`, `--log-file`, `--debug`), the configuration read with
 * oslo.config semantics in command-line order, and the same one-line errors with exit status 1.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type ConfigSource, type LoadedConfig } from '../config/index.js';
import { DriverNotImplemented, DriverStartError } from '../dataplane/drivers.js';

export const daemonUsage = (name: string): string => `usage: ${name} [--config-file FILE]... [--config-dir DIR]... [--log-file FILE] [--debug]`;

/** The configuration the command line names; undefined when it asked for --help (printed). */
export function daemonConfig(name: string, argv: string[]): LoadedConfig | undefined {
  const { values, tokens } = parseArgs({
    args: argv,
    options: {
      'config-file': { type: 'string', multiple: true },
      'config-dir': { type: 'string', multiple: true },
      'log-file': { type: 'string' },
      debug: { type: 'boolean', short: 'd' },
      help: { type: 'boolean', short: 'h' },
    },
    tokens: true,
    strict: true,
  });
  if (values.help) {
    console.log(daemonUsage(name));
    return undefined;
  }
  // oslo.config reads files and directories in command-line order.
  const sources: ConfigSource[] = [];
  for (const t of tokens ?? [])
    if (t.kind === 'option' && t.value !== undefined && (t.name === 'config-file' || t.name === 'config-dir'))
      sources.push({ kind: t.name === 'config-file' ? 'file' : 'dir', path: t.value });
  const overrides: Record<string, Record<string, string>> = { DEFAULT: {} };
  if (values.debug) overrides.DEFAULT!.debug = 'true';
  if (values['log-file']) overrides.DEFAULT!.log_file = values['log-file'];
  return loadConfig({ sources, overrides });
}

/** Runs a command's main and exits with its status; any error is one line on stderr and status 1. */
export function runDaemonCommand(name: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof ConfigError || e instanceof DriverNotImplemented) console.error(`${name}: configuration error: ${e.message}`);
      else if (e instanceof DriverStartError) console.error(`${name}: ${e.message}`);
      else if (e instanceof Error && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS')) console.error(`${name}: ${e.message}\n${daemonUsage(name)}`);
      else console.error(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
