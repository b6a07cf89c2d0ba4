#!/usr/bin/env node
/**
 * bagpipe-looking-glass: prints a looking-glass object of a running daemon (spec
 * looking-glass.md §4).
 *
 *   bagpipe-looking-glass [--server IP] [--port N] [--prefix P] [-r] path to object
 *
 * URL = http://<server>:<port>/<prefix>/<arguments URL-quoted, joined with '/'>. A top-level
 * answer that is only a reference (a dict with `href`) is followed once. The answer is
 * pretty-printed (looking-glass/pretty-print.ts); `-r` also fetches and prints every href below
 * the current URL.
 *
 * Like the original, HTTP and connection errors print one line (`No such looking glass path: …`,
 * `Error code <n>: b'…'`, `No server at …`) and exit 0. Extensions: `--config-file`/`--config-dir`
 * (where to read `[API] port`), the default server is `[API] host` unless that is a wildcard (the
 * original always used 127.0.0.1), IPv6 server addresses. A usage error exits 2, an unreadable
 * configuration or an answer that is not JSON exits 1 with one line on stderr.
 */
import { ConfigError } from '../config/index.js';
import { CONFIG_OPTION_DEFS, configArgs, connectHost, readClientConfig, urlAuthority } from './client/client-config.js';
import { Fatal, lastValue, runCommand, type OptionDef, type CommandLine } from './client/command-line.js';
import { ConnectionError, httpRequest, isSuccess, type HttpResponse } from './client/http.js';
import { parsePyJson, isPyDict, PyJsonError, type PyValue } from './client/python-json.js';
import { pyBytesRepr, pyQuote } from './client/python-text.js';
import { prettyPrint, type Follow } from './looking-glass/pretty-print.js';
import { BlockWriter } from './client/stdout.js';

const PROG = 'bagpipe-looking-glass';
const USAGE = `${PROG} [--server <ip>] path to object in looking-glass

e.g.: ${PROG} vpns instances`;

const OPTIONS: readonly OptionDef[] = [
  { name: 'server', kind: 'string', help: 'IP address of BaGPipe BGP (optional, default: [API] host of bgp.conf, 127.0.0.1 when that is a wildcard or unset)' },
  { name: 'port', kind: 'int', help: 'Port of BaGPipe BGP (optional, default: [API] port of bgp.conf, else 8082)' },
  { name: 'prefix', kind: 'string', help: 'Looking-glass URL Prefix (optional, default: looking-glass)' },
  { name: 'recurse', short: 'r', kind: 'flag', help: 'Recurse down into the whole looking-glass (disabled by default)' },
  ...CONFIG_OPTION_DEFS,
];

/** A failure that ends the command with one line on stderr and exit status 1. */

function parseBody(res: HttpResponse, url: string): PyValue {
  try {
    return parsePyJson(res.body.toString('utf8'));
  } catch (e) {
    if (e instanceof PyJsonError) throw new Fatal(`the answer of ${url} is not JSON: ${e.message}`);
    throw e;
  }
}

interface Target {
  /** http://<server>:<port> */
  readonly base: string;
  readonly url: string;
  /** The URL-quoted path arguments (404 message). */
  readonly quoted: readonly string[];
  readonly recurse: boolean;
}

const follow: Follow = async (target) => {
  const r = await httpRequest(target);
  if (!isSuccess(r.status)) return { error: `ERROR ${r.status}` };
  try {
    return { data: parsePyJson(r.body.toString('utf8')) };
  } catch {
    return { error: 'ERROR invalid JSON' };
  }
};

/** Fetches and prints; HTTP and connection errors are one line of output (exit status 0). */
async function lookAndPrint(t: Target, out: BlockWriter): Promise<void> {
  const reportHttp = (res: HttpResponse): void => {
    if (res.status === 404) out.write(`No such looking glass path: ${t.quoted.join(' ')}\n(${t.url})\n`);
    else out.write(`Error code ${res.status}: ${pyBytesRepr(res.body)}\n`);
  };
  try {
    const res = await httpRequest(t.url);
    if (!isSuccess(res.status)) return reportHttp(res);
    let data = parseBody(res, t.url);
    let url = t.url;
    // An answer that is only a reference is followed once.
    const href = isPyDict(data) ? data.get('href') : undefined;
    if (typeof href === 'string') {
      const bis = await httpRequest(href);
      if (!isSuccess(bis.status)) return reportHttp(bis);
      data = parseBody(bis, href);
      url = href;
    }
    await prettyPrint(data, url, out, t.recurse ? { follow } : {});
  } catch (e) {
    if (!(e instanceof ConnectionError)) throw e;
    out.write(`No server at ${t.base} : ${e.urllibText}\n`);
  }
}

async function main(cl: CommandLine): Promise<number> {
  let server = lastValue<string>(cl, 'server');
  let port = lastValue<number>(cl, 'port');
  if (server === undefined || port === undefined) {
    const config = readClientConfig({ args: configArgs(cl.options) });
    server ??= connectHost(config.apiHost);
    port ??= config.apiPort;
  }
  const prefix = lastValue<string>(cl, 'prefix') ?? 'looking-glass';
  const base = `http://${urlAuthority(server, port)}`;
  const quoted = cl.positionals.map((a) => pyQuote(a));
  const out = new BlockWriter();
  try {
    await lookAndPrint({ base, url: `${base}/${prefix}/${quoted.join('/')}`, quoted, recurse: lastValue(cl, 'recurse') === true }, out);
  } finally {
    out.flush();
  }
  return 0;
}

runCommand({ prog: PROG, usage: USAGE, options: OPTIONS, isKnown: (e) => e instanceof Fatal || e instanceof ConfigError }, process.argv.slice(2), main);
