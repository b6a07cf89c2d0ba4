#!/usr/bin/env node
/**
 * bagpipe-rest-attach: attaches (or detaches) a local port to a VPN through the daemon's REST
 * API (spec config.md §6, rest-api.md §4-5) — a test and demo helper.
 *
 *   bagpipe-rest-attach --attach|--detach --network-type ipvpn|evpn --port <if>|netns[:<if>]|evpn:<id>
 *                       --ip <ip>[/<len>] [options]          (--help lists them all)
 *
 * Steps: read the options (rest-attach/options.ts, every usage error before any change), fill
 * the original's defaults (route targets, /24, gateway, instance id), set up `--port netns`
 * (rest-attach/netns-port.ts) or the OVS pre-plug, print `request: <json>`, POST it to
 * http://<[API] host>:<[API] port>/<attach|detach>_localport, print `response: <status> b'<body>'`.
 *
 * The original crashed on Python 3 right after printing the request; this one sends it. An HTTP
 * error prints `   b'<body>'` and exits 1 with `error <code>, reason: <reason>` on stderr, as the
 * original meant to; usage errors exit 2; an unreachable daemon, a failing command or an
 * unreadable bgp.conf exit 1 with one line on stderr.
 */
import { ConfigError } from '../config/index.js';
import { CommandError } from '../dataplane/exec/command.js';
import { connectHost, readClientConfig, urlAuthority } from './client/client-config.js';
import { Fatal, runCommand, type CommandLine } from './client/command-line.js';
import { ConnectionError, httpRequest, isSuccess } from './client/http.js';
import { PrivilegedRunner } from './client/privileged-command.js';
import { pyBytesRepr, pyJsonDumps } from './client/python-text.js';
import { checkHostInterface, createNetnsPort, netnsPortMac, netnsPortNames } from './rest-attach/netns-port.js';
import { isEvpnPort, isNetnsPort, OPTIONS, PROG, readOptions, USAGE } from './rest-attach/options.js';
import { DEFAULT_IPVPN_MAC, defaultGateway, localPortOf, qualifiedInstanceId, requestBody, withPrefixLength } from './rest-attach/request-body.js';

/** Ends the command: message on stderr, exit status 1. */

const say = (line: string): void => void process.stdout.write(`${line}\n`);
const warn = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(cl: CommandLine): Promise<number> {
  const o = readOptions(cl);
  const ipPrefix = withPrefixLength(o.ip);
  const computedGateway = o.gatewayIp === undefined ? defaultGateway(ipPrefix) : undefined;
  const config = readClientConfig({ args: o.config });

  if (computedGateway !== undefined) say(`using ${computedGateway} as gateway address`);
  const gatewayIp = o.gatewayIp ?? computedGateway!;
  const vpnInstanceId = qualifiedInstanceId(o);
  const run = new PrivilegedRunner(config.rootHelper, warn);
  if (config.rootHelperDaemon !== null) warn(`[WARNI]  root_helper_daemon is not supported here, using root_helper '${config.rootHelper}'`);

  let port = o.port;
  let mac = o.mac;
  if (isNetnsPort(o.port)) {
    const names = netnsPortNames(o.port, o.netns ?? vpnInstanceId, o.if2vpn);
    if (o.operation === 'attach') {
      say(`Will plug local namespace ${names.namespace} into network`);
      await createNetnsPort(run, names, { ipPrefix, gateway: gatewayIp, mac, ovsVlan: o.ovsVlan, defaultRoute: o.defaultRoute });
    }
    port = names.hostIf;
    mac ??= await netnsPortMac(run, names);
    say(`Local port: ${port} (${mac})`);
    await checkHostInterface(run, names);
  }

  if (isEvpnPort(port)) {
    say(`will plug evpn ${port.slice('evpn:'.length)} into the IPVPN`);
  } else if (o.ovsPreplug && o.networkType === 'ipvpn') {
    say(`pre-plugging ${port} into ${o.ovsBridge}`);
    await run.run(['ovs-vsctl', 'del-port', o.ovsBridge, port], { tolerateFailure: true });
    await run.run(['ovs-vsctl', 'add-port', o.ovsBridge, port]);
  }
  // readOptions() already refused an E-VPN attachment without a MAC.
  mac ??= DEFAULT_IPVPN_MAC;

  const body = requestBody({ options: o, vpnInstanceId, localPort: localPortOf(o, port), gatewayIp, mac, ipPrefix });
  const json = pyJsonDumps(body);
  say(`request: ${json}`);
  const url = `http://${urlAuthority(connectHost(config.apiHost), config.apiPort)}/${o.operation}_localport`;
  let res;
  try {
    res = await httpRequest(url, { method: 'POST', body: json, headers: { 'Content-Type': 'application/json' } });
  } catch (e) {
    if (e instanceof ConnectionError) throw new Fatal(`cannot reach the daemon at ${url}: ${e.message}`);
    throw e;
  }
  if (isSuccess(res.status)) {
    say(`response: ${res.status} ${pyBytesRepr(res.body)}`);
    return 0;
  }
  say(`   ${pyBytesRepr(res.body)}`);
  warn(`error ${res.status}, reason: ${res.reason}`);
  return 1;
}

runCommand({ prog: PROG, usage: USAGE, options: OPTIONS, isKnown: (e) => e instanceof Fatal || e instanceof ConfigError || e instanceof CommandError }, process.argv.slice(2), main);
