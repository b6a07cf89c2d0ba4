#!/usr/bin/env node
/**
 * bagpipe-bgp-cleanup (spec config.md §5, dataplane.md §8): removes everything of ours from the
 * dataplanes of the configured drivers – for `evpn` then `ipvpn`, the driver's reset_state (Linux
 * E-VPN: every `evpn---*` bridge and `vxlan--*` device; dummy: nothing). Same command line and
 * configuration as the daemon; does not contact it; meant to run while it is stopped (a running
 * daemon would re-create what it needs at its next reconciliation).
 */
import { createWriteStream } from 'node:fs';
import { createDrivers } from '../dataplane/drivers.js';
import { consoleLogger } from '../util/logger.js';
import { daemonConfig, runDaemonCommand } from './daemon-command.js';

async function main(argv: string[]): Promise<number> {
  const config = daemonConfig('bagpipe-bgp-cleanup', argv);
  if (!config) return 0;
  const out = config.DEFAULT.log_file ? createWriteStream(config.DEFAULT.log_file, { flags: 'a' }) : process.stderr;
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

runDaemonCommand('bagpipe-bgp-cleanup', main);
