/**
 * The daemon command, as a process: reads the original's bgp.conf, connects to its peer (one of
 * our speakers listening here), stops on SIGTERM with Cease / administrative shutdown; a broken
 * config exits 1 with oslo's message.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BgpManager } from '../../src/session/bgp-manager.js';
import { memoryLogger } from '../../src/util/logger.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { commandPath } from '../../src/cli/command-path.js';

const BIN = commandPath('bagpipe-bgp');

test('bagpipe-bgp: connects to its configured peer and leaves it with Cease/2 on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bagpipe-bgp-'));
  const port = await freePort('127.0.96.1');
  const rr = new BgpManager(
    { localAddress: '127.0.96.1', localAs: 64512, enableRtc: true, peerPort: port, listen: { address: '127.0.96.1', port }, peers: [{ address: '127.0.96.2', passive: true }] },
    memoryLogger(),
  );
  const conf = join(dir, 'bgp.conf');
  const logFile = join(dir, 'bagpipe.log');
  // The daemon also serves the REST API: on a free port of its own address (not 8082).
  const apiPort = await freePort('127.0.96.2');
  writeFileSync(conf, `[BGP]\nlocal_address = 127.0.96.2\npeers = 127.0.96.1\nmy_as = 64512\nbgp_port = ${port}\n[API]\nhost = 127.0.96.2\nport = ${apiPort}\n`);
  await rr.start();
  const child = spawn(process.execPath, [BIN, '--config-file', conf, '--log-file', logFile], { stdio: 'ignore' });
  try {
    const peer = rr.peers.get('127.0.96.2')!;
    await waitFor('session with the daemon', () => peer.state === 'Established');
    assert.deepEqual(peer.session?.families, ['ipv4/mpls-vpn', 'ipv4/rtc', 'ipv4/flow-vpn', 'l2vpn/evpn']);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    assert.equal(code, 0);
    await waitFor('peer saw the NOTIFICATION', () => peer.fsm.lastNotification !== undefined);
    const n = peer.fsm.lastNotification!;
    assert.equal(n.direction, 'received');
    assert.deepEqual([n.notification.code, n.notification.subcode], [6, 2]);
    assert.match(Buffer.from(n.notification.data ?? []).subarray(1).toString(), /shutting down/);
    assert.match(readFileSync(logFile, 'utf8'), /Established/);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rr.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bagpipe-bgp: a config without my_as exits 1 with the option named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bagpipe-bgp-'));
  try {
    const conf = join(dir, 'bgp.conf');
    writeFileSync(conf, '[BGP]\nlocal_address = 127.0.96.2\n');
    const r = spawnSync(process.execPath, [BIN, '--config-file', conf], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /value required for option my_as in group \[BGP\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
