#!/usr/bin/env node
/**
 * bagpipe-bgp-cleanup (spec config.md §5, dataplane.md §8): removes everything of ours from the
 * dataplanes of the configured drivers – for `evpn` then `ipvpn`, the driver's reset_state (Linux
 * E-VPN: every `evpn---*` bridge and `vxlan--*` device; dummy: nothing). Same command line and
 * configuration as the daemon; does not contact it; meant to run while it is stopped (a running
 * daemon would re-create what it needs at its next reconciliation).
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type ConfigSource } from '../config/index.js';
import { createDrivers, DriverNotImplemented } from '../dataplane/drivers.js';
import { consoleLogger } from '../util/logger.js';

const USAGE = `usage: bagpipe-bgp-cleanup [--config-file FILE]... [--config-dir DIR]... [--log-file FILE] [--debug]`;

async function main(argv: string[]): Promise<number> {
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
    console.log(USAGE);
    return 0;
  }
  const sources: ConfigSource[] = [];
  for (const t of tokens ?? [])
    if (t.kind === 'option' && t.value !== undefined && (t.name === 'config-file' || t.name === 'config-dir'))
      sources.push({ kind: t.name === 'config-file' ? 'file' : 'dir', path: t.value });
  const overrides: Record<string, Record<string, string>> = { DEFAULT: {} };
  if (values.debug) overrides.DEFAULT!.debug = 'true';
  const config = loadConfig({ sources, overrides });
  const out = values['log-file'] ? createWriteStream(values['log-file'], { flags: 'a' }) : process.stderr;
  const log = consoleLogger('BgpDataplaneCleaner', config.DEFAULT.debug, out);
  const drivers = createDrivers(config, log, { cleanupOnly: true });
  let failed = false;
  for (const type of ['evpn', 'ipvpn'] as const) {
    log.log('info', `Cleaning dataplane for ${type}...`);
    try {
      await drivers[type].resetState();
    } catch (e) {
      failed = true;
      log.log('error', `${type} dataplane cleanup failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    await drivers[type].close?.();
  }
  log.log('info', 'BGP component dataplanes have been cleaned up.');
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof ConfigError || e instanceof DriverNotImplemented) console.error(`bagpipe-bgp-cleanup: configuration error: ${e.message}`);
    else if (e instanceof Error && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS')) console.error(`bagpipe-bgp-cleanup: ${e.message}\n${USAGE}`);
    else console.error(`bagpipe-bgp-cleanup: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
