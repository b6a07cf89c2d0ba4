#!/usr/bin/env node
/**
 * bagpipe-impex2dot: draws the route-target import/export graph of one or more daemons as
 * Graphviz text on stdout (spec config.md §9; impex2dot/graph.ts).
 *
 *   bagpipe-impex2dot [--server S]... [--port N] [--prefix P] | dot -Tpdf > impex.pdf
 *
 * For every server (default: localhost) it reads the looking glass: `vpns/instances`, then per
 * instance `route_targets/import`, `route_targets/export`, `readvertise`, `ports` and
 * `gateway_port/ipvpn`; a 404 counts as empty, as in the original. Any other failure exits 1 with
 * one line on stderr and no graph (the original printed half a graph and a traceback).
 * Extensions: `--config-file`/`--config-dir`, URL-quoted instance ids, IPv6 servers.
 */
import { ConfigError } from '../config/index.js';
import { CONFIG_OPTION_DEFS, configArgs, readClientConfig, urlAuthority } from './client/client-config.js';
import { allValues, Fatal, lastValue, runCommand, type OptionDef, type CommandLine } from './client/command-line.js';
import { ConnectionError, httpRequest } from './client/http.js';
import { isPyDict, parsePyJson, PyJsonError, type PyValue } from './client/python-json.js';
import { pyQuote } from './client/python-text.js';
import { renderGraph, type InstanceView } from './impex2dot/graph.js';

const PROG = 'bagpipe-impex2dot';
const USAGE = `${PROG} [options]

Example: ${PROG} --server s1 --server s2 | dot -Tpdf > impex.pdf`;

const OPTIONS: readonly OptionDef[] = [
  { name: 'server', kind: 'string', metavar: 'SERVERS', help: 'IP address of a BaGPipe BGP instances (default: localhost; repeatable)' },
  { name: 'port', kind: 'int', help: 'Port of BaGPipe BGP (optional, default: [API] port of bgp.conf, else 8082)' },
  { name: 'prefix', kind: 'string', help: 'Looking-glass URL Prefix (optional, default: looking-glass)' },
  ...CONFIG_OPTION_DEFS,
];


type Get = (server: string, path: readonly string[]) => Promise<PyValue>;

function makeGet(port: number, prefix: string): Get {
  return async (server, path) => {
    const url = `http://${urlAuthority(server, port)}/${prefix}/${path.map((s) => pyQuote(s)).join('/')}`;
    let res;
    try {
      res = await httpRequest(url);
    } catch (e) {
      if (e instanceof ConnectionError) throw new Fatal(`Error requesting ${url}: ${e.message}`);
      throw e;
    }
    if (res.status === 404) return new Map();
    if (res.status !== 200) throw new Fatal(`Error requesting ${url}: HTTP ${res.status} ${res.reason}`);
    try {
      return parsePyJson(res.body.toString('utf8'));
    } catch (e) {
      if (e instanceof PyJsonError) throw new Fatal(`Error requesting ${url}: not JSON (${e.message})`);
      throw e;
    }
  };
}

/** A list of strings, or nothing (a 404 gives an empty dict). */
function strings(v: PyValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

async function collect(servers: readonly string[], get: Get): Promise<InstanceView[]> {
  const out: InstanceView[] = [];
  for (const server of servers) {
    const list = await get(server, ['vpns', 'instances']);
    for (const item of Array.isArray(list) ? list : []) {
      if (!isPyDict(item)) continue;
      const id = item.get('id');
      const name = item.get('name');
      if (typeof id !== 'string') continue;
      const at = (...rest: string[]): Promise<PyValue> => get(server, ['vpns', 'instances', id, ...rest]);
      const readv = await at('readvertise');
      const ports = await at('ports');
      const gateway = await at('gateway_port', 'ipvpn');
      const plugged = isPyDict(gateway) ? gateway.get('external_instance_id') : undefined;
      out.push({
        server,
        id,
        type: typeof name === 'string' ? name.slice(0, 3) : '',
        importRts: strings(await at('route_targets', 'import')),
        exportRts: strings(await at('route_targets', 'export')),
        readvertise: isPyDict(readv) && readv.size > 0 ? { from: strings(readv.get('from')), to: strings(readv.get('to')) } : undefined,
        ports: isPyDict(ports) ? [...ports.keys()] : [],
        pluggedInto: typeof plugged === 'string' ? plugged : undefined,
      });
    }
  }
  return out;
}

async function main(cl: CommandLine): Promise<number> {
  const servers = allValues<string>(cl, 'server');
  let port = lastValue<number>(cl, 'port');
  if (port === undefined) port = readClientConfig({ args: configArgs(cl.options) }).apiPort;
  const instances = await collect(servers.length > 0 ? servers : ['localhost'], makeGet(port, lastValue<string>(cl, 'prefix') ?? 'looking-glass'));
  process.stdout.write(renderGraph(instances));
  return 0;
}

runCommand({ prog: PROG, usage: USAGE, options: OPTIONS, isKnown: (e) => e instanceof Fatal || e instanceof ConfigError }, process.argv.slice(2), main);
