/**
 * bagpipe-fakerr (config.md §8) as a process on a loopback address and a free port:
 *
 * - two TCP clients: the first one's bytes are buffered until the second arrives, then relayed
 *   both ways; a third client is refused without disturbing the pair; when one side leaves the
 *   other is disconnected; a new pair starts from an empty buffer; the console lines are the
 *   original's;
 * - its purpose: two of our BGP speakers whose only peer is the relay reach Established with
 *   each other and exchange a route;
 * - a port it cannot bind: exit 1, one line.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import net from 'node:net';
import { test } from 'node:test';
import { BgpManager } from '../../src/session/bgp-manager.js';
import { memoryLogger } from '../../src/util/logger.js';
import { TestVrf } from '../helpers/vrf-worker.js';
import { waitFor } from '../helpers/wait.js';
import { cliPath, runCli } from './helpers/run-process.js';

const RELAY = '127.0.144.1';

interface Relay {
  readonly child: ChildProcessWithoutNullStreams;
  readonly port: number;
  lines(): string[];
  stop(): Promise<number | null>;
}

async function startRelay(): Promise<Relay> {
  const child = spawn(process.execPath, [cliPath('bagpipe-fakerr'), '--listen-address', RELAY, '--listen-port', '0']);
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (out += s));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await waitFor('relay listening', () => /Listening on .* port \d+\n/.test(out), 10_000);
  const port = Number(/port (\d+)\n/.exec(out)![1]);
  return {
    child,
    port,
    lines: () => out.split('\n').filter((l) => l !== ''),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A TCP client from a given loopback address that keeps what it receives. */
class Client {
  received = '';
  closed = false;
  readonly socket: net.Socket;

  constructor(port: number, localAddress: string) {
    this.socket = net.connect({ host: RELAY, port, localAddress });
    this.socket.setEncoding('utf8');
    this.socket.on('data', (s: string) => (this.received += s));
    this.socket.on('error', () => {});
    this.socket.on('close', () => (this.closed = true));
  }

  connected(): Promise<void> {
    return new Promise((r) => (this.socket.readyState === 'open' ? r() : this.socket.once('connect', () => r())));
  }
}

test('relays bytes between two clients, buffering the first one, refusing a third', async () => {
  const relay = await startRelay();
  try {
    const a = new Client(relay.port, '127.0.144.2');
    await a.connected();
    a.socket.write('OPEN from A');
    await waitFor('A buffered', () => relay.lines().some((l) => l.startsWith('buffering received data')));
    const b = new Client(relay.port, '127.0.144.3');
    await waitFor('B got the buffered bytes', () => b.received === 'OPEN from A');
    b.socket.write('OPEN from B');
    await waitFor('A got B bytes', () => a.received === 'OPEN from B');
    a.socket.write(' KEEPALIVE');
    await waitFor('B got A bytes', () => b.received === 'OPEN from A KEEPALIVE');

    const c = new Client(relay.port, '127.0.144.4');
    await waitFor('third client refused', () => c.closed);
    assert.equal(c.received, '');
    b.socket.write(' UPDATE');
    await waitFor('the pair still works', () => a.received === 'OPEN from B UPDATE');

    a.socket.destroy();
    await waitFor('B disconnected when A left', () => b.closed);

    // A new pair starts from an empty buffer.
    const d = new Client(relay.port, '127.0.144.5');
    await d.connected();
    d.socket.write('D');
    await waitFor('D buffered', () => relay.lines().filter((l) => l.startsWith('buffering')).length === 2);
    const e = new Client(relay.port, '127.0.144.6');
    await waitFor('E got D', () => e.received === 'D');
    d.socket.destroy();
    await waitFor('E disconnected', () => e.closed);

    assert.deepEqual(
      relay.lines().filter((l) => !l.startsWith('Listening') && !l.startsWith('buffering') && !l.startsWith('   sending')),
      [
        'Got new peer: 127.0.144.2',
        '127.0.144.2 is first peer, will buffer data until second peer arrives...',
        'Got new peer: 127.0.144.3',
        '127.0.144.3 is second peer, sending buffered data...',
        'now ready',
        'Have already 2 peers, not accepting 127.0.144.4',
        'Lost peer 127.0.144.2',
        'Lost peer 127.0.144.3',
        'Got new peer: 127.0.144.5',
        '127.0.144.5 is first peer, will buffer data until second peer arrives...',
        'Got new peer: 127.0.144.6',
        '127.0.144.6 is second peer, sending buffered data...',
        'now ready',
        'Lost peer 127.0.144.5',
        'Lost peer 127.0.144.6',
      ],
    );
    assert.ok(relay.lines().includes('buffering received data (11 bytes)'));
    assert.ok(relay.lines().includes('   sending buffered data to peer 127.0.144.3 (11 bytes)'));
  } finally {
    assert.equal(await relay.stop(), 0);
  }
});

test('two BGP speakers whose only peer is the relay establish a session with each other', async () => {
  const relay = await startRelay();
  const speaker = (addr: string): BgpManager =>
    new BgpManager(
      { localAddress: addr, localAs: 64512, enableRtc: true, peerPort: relay.port, peers: [{ address: RELAY }], connectRetrySeconds: 1 },
      memoryLogger(),
    );
  const x = speaker('127.0.144.7');
  const y = speaker('127.0.144.8');
  try {
    const vrfX = new TestVrf('vrfX', x.rtm, '127.0.144.7:1', '127.0.144.7');
    vrfX.import('64512:1');
    vrfX.advertise('10.44.0.0/24', ['64512:1']);
    const vrfY = new TestVrf('vrfY', y.rtm, '127.0.144.8:1', '127.0.144.8');
    vrfY.import('64512:1');
    await x.start();
    await y.start();
    await waitFor('both Established', () => x.established().length === 1 && y.established().length === 1, 30_000);
    // Each one's session is with the other speaker (its OPEN), through the relay.
    assert.equal(x.peers.get(RELAY)!.session?.peerId, '127.0.144.8');
    assert.equal(y.peers.get(RELAY)!.session?.peerId, '127.0.144.7');
    await waitFor('the route crossed the relay', () => vrfY.prefixes().includes('10.44.0.0/24'));
  } finally {
    await x.stop();
    await y.stop();
    await relay.stop();
  }
});

test('a port it cannot bind: exit 1 with one line', async () => {
  const holder = net.createServer();
  await new Promise<void>((r) => holder.listen({ host: RELAY, port: 0 }, () => r()));
  const port = (holder.address() as net.AddressInfo).port;
  try {
    const r = await runCli('bagpipe-fakerr', ['--listen-address', RELAY, '--listen-port', String(port)]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `bagpipe-fakerr: cannot listen on ${RELAY} port ${port}: EADDRINUSE\n`);
    const usage = await runCli('bagpipe-fakerr', ['--listen-port', 'x']);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /bagpipe-fakerr: error: option --listen-port: invalid integer value: 'x'\n$/);
  } finally {
    holder.close();
  }
});
