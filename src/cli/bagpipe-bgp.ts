#!/usr/bin/env node
/**
 * bagpipe-bgp: the daemon. Reads bgp.conf (oslo.config semantics: --config-file repeated,
 * --config-dir, default /etc/bagpipe-bgp/bgp.conf), starts the BGP speaker, and stops cleanly on
 * SIGTERM/SIGINT (Cease / administrative shutdown to every peer).
 *
 * Today it runs the BGP side only; the VPN instances, REST API and looking glass plug in here next
 * (see docs/status.md).
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type ConfigSource } from '../config/index.js';
import { BgpManager } from '../session/bgp-manager.js';
import { consoleLogger } from '../util/logger.js';
import { bgpManagerConfig } from './bgp-settings.js';

const USAGE = `usage: bagpipe-bgp [--config-file FILE]... [--config-dir DIR]... [--log-file FILE] [--debug]`;

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
  // oslo.config reads files and directories in command-line order.
  const sources: ConfigSource[] = [];
  for (const t of tokens ?? [])
    if (t.kind === 'option' && t.value !== undefined && (t.name === 'config-file' || t.name === 'config-dir'))
      sources.push({ kind: t.name === 'config-file' ? 'file' : 'dir', path: t.value });
  const overrides: Record<string, Record<string, string>> = { DEFAULT: {} };
  if (values.debug) overrides.DEFAULT!.debug = 'true';
  if (values['log-file']) overrides.DEFAULT!.log_file = values['log-file'];
  const config = loadConfig({ sources, overrides });
  const logFile = config.DEFAULT.log_file;
  const out = logFile ? createWriteStream(logFile, { flags: 'a' }) : process.stderr;
  const log = consoleLogger('bagpipe-bgp', config.DEFAULT.debug, out);
  for (const w of config.warnings) log.log('warning', `config: ${w.message}`);
  log.log('info', `starting: config files ${config.files.join(', ') || '(none)'}`);
  const bgp = new BgpManager(bgpManagerConfig(config), log.child('bgp'));
  await bgp.start();
  await new Promise<void>((resolve) => {
    const stop = (sig: string): void => {
      log.log('info', `${sig} received: stopping`);
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await bgp.stop();
  log.log('info', 'stopped');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof ConfigError) console.error(`bagpipe-bgp: configuration error: ${e.message}`);
    else if (e instanceof Error && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS')) console.error(`bagpipe-bgp: ${e.message}\n${USAGE}`);
    else console.error(`bagpipe-bgp: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
