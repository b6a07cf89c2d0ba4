#!/usr/bin/env node
/**
 * bagpipe-bgp: the daemon. Reads bgp.conf (oslo.config semantics: --config-file repeated,
 * --config-dir, default /etc/bagpipe-bgp/bgp.conf), then wires the parts together:
 *   dataplane drivers ([DATAPLANE_DRIVER_*]; a driver not written yet, or whose start-up checks
 *   fail (an OVS bridge missing…), stops the start)
 *   → BGP manager (peers, listener, route table manager, RTC) → VPN manager on its route table
 *   manager → REST API and looking glass on [API] host:port.
 * SIGTERM/SIGINT (or, when started with an IPC channel, the parent's disconnection): the API
 * closes, every VPN instance stops (routes withdrawn, dataplane cleaned up), then Cease /
 * administrative shutdown to every peer.
 */
import { createWriteStream } from 'node:fs';
import { hostname } from 'node:os';
import { LogBuffer } from '../api/log-buffer.js';
import { ApiServer } from '../api/server.js';
import { createDrivers, startDrivers } from '../dataplane/drivers.js';
import { PrivilegedExec } from '../dataplane/exec/privileged-exec.js';
import { RootHelper } from '../dataplane/exec/root-helper.js';
import type { DataplaneDriver } from '../dataplane/driver.js';
import { CommandLinkPlumbing } from '../dataplane/links.js';
import { BgpManager } from '../session/bgp-manager.js';
import { consoleLogger } from '../util/logger.js';
import { IdleCollector } from '../util/idle-collector.js';
import { VpnManager } from '../vpn/vpn-manager.js';
import { bgpManagerConfig, restartStart } from './bgp-settings.js';
import { daemonConfig, runDaemonCommand } from './daemon-command.js';
import { packageVersion } from './command-path.js';

async function main(argv: string[]): Promise<number> {
  const config = daemonConfig('bagpipe-bgp', argv);
  if (!config) return 0;
  const logFile = config.DEFAULT.log_file;
  const out = logFile ? createWriteStream(logFile, { flags: 'a' }) : process.stderr;
  const logs = new LogBuffer();
  const log = logs.wrap(consoleLogger('bagpipe-bgp', config.DEFAULT.debug, out));
  for (const w of config.warnings) log.log('warning', `config: ${w.message}`);
  log.log('info', `starting: config files ${config.files.join(', ') || '(none)'}`);
  const startTime = new Date();
  const drivers = createDrivers(config, log);
  // The drivers' start-up checks (an OVS bridge that does not exist…) stop the daemon.
  await startDrivers(drivers);
  const bgp = new BgpManager(bgpManagerConfig(config), log.child('bgp'));
  // Links the VPN layer makes itself (E-VPN plugged into an IP VPN), behind [COMMON] root_helper.
  const links = new CommandLinkPlumbing(new PrivilegedExec(RootHelper.fromConfig(config.COMMON, log), log.child('links')));
  const vpn = new VpnManager({ rtm: bgp.rtm, localAddress: config.BGP.local_address, drivers, log: log.child('vpn'), salt: hostname(), links });
  const api = new ApiServer({
    host: config.API.host,
    port: config.API.port,
    vpn,
    log: log.child('api'),
    lookingGlass: { bgp, vpn, config, logs, startTime, version: packageVersion() },
  });
  await api.start();
  // Drivers that adopt a previous run's state find it now (not at the first attach) and keep it
  // until a hold-down counted from the first Established session, when routes can come back.
  const routingUp = new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (bgp.peers.size === 0 || bgp.established().length > 0) {
        clearInterval(poll);
        resolve();
      }
    }, 200);
    poll.unref();
  });
  const kept: DataplaneDriver[] = [];
  for (const d of [drivers.evpn, drivers.ipvpn] as DataplaneDriver[]) {
    if (!d.adoptState) continue;
    const found = await d.adoptState(routingUp).catch((e: unknown) => {
      log.log('error', `${d.vpnType} dataplane adoption failed: ${String(e)}`);
      return false;
    });
    if (found) kept.push(d);
  }
  // Graceful restart (RFC 4724): forwarding state kept means we restarted; our End-of-RIB waits
  // for the adoption hold-down, when what the orchestrator has not re-attached is removed.
  await bgp.start(restartStart(kept, routingUp, config));
  // Memory back to the system once a burst of work is over (util/idle-collector.ts).
  const idle = new IdleCollector(log.child('memory'));
  idle.start();
  await new Promise<void>((resolve) => {
    const stop = (why: string): void => {
      log.log('info', `${why}: stopping`);
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM received'));
    process.once('SIGINT', () => stop('SIGINT received'));
    // Started by a parent with an IPC channel (the `npm start` demo): stop when the parent goes,
    // even if it died without stopping us.
    if (process.channel) {
      process.channel.unref();
      process.once('disconnect', () => stop('parent process gone'));
    }
  });
  idle.stop();
  await api.stop();
  await vpn.stop();
  await bgp.stop();
  for (const d of [drivers.evpn, drivers.ipvpn]) await d.close?.();
  log.log('info', 'stopped');
  return 0;
}

runDaemonCommand('bagpipe-bgp', main);
