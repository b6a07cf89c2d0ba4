#!/usr/bin/env node
/**
 * bagpipe-fakerr: a TCP relay between two clients, standing for a route reflector between two
 * bagpipe-bgp daemons in manual tests (spec config.md §8; fakerr/relay.ts).
 *
 *   bagpipe-fakerr [--listen-address ADDR] [--listen-port PORT]
 *
 * The original listened on port 179 of every IPv4 address, with no option; ours has the same
 * defaults and the two options (tests do not need port 179; port 0 picks a free one). It needs no
 * Twisted. It prints `Listening on <address> port <port>` once bound (the original printed nothing
 * until a peer came), runs until SIGINT/SIGTERM (exit 0); a port it cannot bind exits 1 with one
 * line on stderr.
 */
import { lastValue, runCommand, UsageError, type OptionDef, type CommandLine } from './client/command-line.js';
import { FakeRouteReflector } from './fakerr/relay.js';

const PROG = 'bagpipe-fakerr';
const USAGE = `${PROG} [--listen-address ADDR] [--listen-port PORT]`;

const OPTIONS: readonly OptionDef[] = [
  { name: 'listen-address', kind: 'string', metavar: 'ADDR', help: 'address to listen on (default: 0.0.0.0, every IPv4 address)' },
  { name: 'listen-port', kind: 'int', metavar: 'PORT', help: 'TCP port to listen on (default: 179, the BGP port)' },
];

async function main(cl: CommandLine): Promise<number> {
  if (cl.positionals.length > 0) throw new UsageError(`unexpected argument: ${cl.positionals[0]!}`);
  const port = lastValue<number>(cl, 'listen-port') ?? 179;
  if (port < 0 || port > 65535) throw new UsageError(`option --listen-port: not a TCP port: ${port}`);
  const host = lastValue<string>(cl, 'listen-address') ?? '0.0.0.0';
  const relay = new FakeRouteReflector({ host, port, log: (line) => void process.stdout.write(`${line}\n`) });
  let bound: number;
  try {
    bound = await relay.listen();
  } catch (e) {
    throw new Error(`cannot listen on ${host} port ${port}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  // Not in the original (which printed nothing until a peer came): says where it listens (port 0 = any).
  process.stdout.write(`Listening on ${host} port ${bound}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await relay.close();
  return 0;
}

runCommand({ prog: PROG, usage: USAGE, options: OPTIONS, isKnown: () => true }, process.argv.slice(2), main);
