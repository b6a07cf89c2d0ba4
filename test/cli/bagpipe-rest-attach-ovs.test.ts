/**
 * `bagpipe-rest-attach --ovs-preplug` (config.md §6) against a real Open vSwitch: a private
 * ovsdb-server (its own directory, reached through OVS_RUNDIR, which ovs-vsctl honours) and an
 * ovs-vswitchd with the userspace datapath, running in a namespace the test creates (its bridge
 * and port interfaces live there). The port is deleted from the bridge then added back, the
 * request carries local_port.ovs; E-VPN attachments are not pre-plugged; a missing bridge stops
 * the command with one line before anything is sent.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Daemon, run, runOk } from '../scenario/harness/process.js';
import { waitFor } from '../helpers/wait.js';
import { startHttpFixture, type HttpFixture } from './helpers/http-fixture.js';
import { runCli } from './helpers/run-process.js';

const TAG = `t143${process.pid % 100_000}`;
const NS = `${TAG}-ovs`;
const BRIDGE = 'br-t143';
const PORT = `${TAG}-p`.slice(0, 15);
const HOST = '127.0.143.1';

let dir: string;
let conf: string;
let server: HttpFixture;
const daemons: Daemon[] = [];
let env: Record<string, string>;

const vsctl = (...args: string[]): Promise<string> => runOk('ovs-vsctl', [`--db=unix:${dir}/db.sock`, ...args]);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rest-attach-ovs-'));
  env = { OVS_RUNDIR: dir, OVS_DBDIR: dir, OVS_LOGDIR: dir };
  await runOk('ovsdb-tool', ['create', join(dir, 'conf.db'), '/usr/share/openvswitch/vswitch.ovsschema']);
  daemons.push(
    Daemon.start('ovsdb-server', 'ovsdb-server', [join(dir, 'conf.db'), `--remote=punix:${dir}/db.sock`, `--unixctl=${dir}/ovsdb.ctl`, `--log-file=${dir}/ovsdb.log`], { env }),
  );
  await waitFor('ovsdb-server socket', async () => (await run('ovs-vsctl', [`--db=unix:${dir}/db.sock`, '--no-wait', 'init'])).code === 0);
  await runOk('ip', ['netns', 'add', NS]);
  await runOk('ip', ['netns', 'exec', NS, 'ip', 'link', 'add', PORT, 'type', 'veth', 'peer', 'name', `${PORT}q`]);
  daemons.push(
    Daemon.start('ovs-vswitchd', 'nsenter', [`--net=/run/netns/${NS}`, 'ovs-vswitchd', `unix:${dir}/db.sock`, '--disable-system', `--unixctl=${dir}/vswitchd.ctl`, `--log-file=${dir}/vswitchd.log`], { env }),
  );
  // add-br waits until ovs-vswitchd has applied it: the switch is up when this returns.
  await vsctl('--timeout=20', 'add-br', BRIDGE, '--', 'set', 'bridge', BRIDGE, 'datapath_type=netdev');
  server = await startHttpFixture(HOST, () => ({ body: 'null' }));
  conf = join(dir, 'bgp.conf');
  writeFileSync(conf, `[API]\nhost = ${HOST}\nport = ${server.port}\n[COMMON]\nroot_helper =\n`);
});

after(async () => {
  await server?.close();
  for (const d of daemons.reverse()) await d.stop();
  await run('ip', ['netns', 'del', NS]);
  rmSync(dir, { recursive: true, force: true });
});

const ports = async (): Promise<string[]> => (await vsctl('list-ports', BRIDGE)).split('\n').filter(Boolean);

test('--ovs-preplug (IP VPN): the port is re-plugged into the bridge and described in local_port.ovs', async () => {
  const args = ['--config-file', conf, '--attach', '--network-type', 'ipvpn', '--port', PORT, '--ip', '10.143.5.2', '--ovs-preplug', '--ovs-bridge', BRIDGE, '--ovs-vlan', '7'];
  const first = await runCli('bagpipe-rest-attach', args, { env });
  assert.equal(first.status, 0, first.stderr);
  // Deleting a port that is not there yet is a tolerated failure.
  assert.match(first.stderr, new RegExp(`^\\[WARNI\\]  Exit code 1 when running 'ovs-vsctl del-port ${BRIDGE} ${PORT}'$`, 'm'));
  assert.match(first.stdout, new RegExp(`^pre-plugging ${PORT} into ${BRIDGE}$`, 'm'));
  assert.deepEqual(await ports(), [PORT]);
  const body = JSON.parse(server.requests.at(-1)!.body) as { local_port: unknown };
  assert.deepEqual(body.local_port, { linuxif: PORT, ovs: { port_name: PORT, plugged: true, vlan: 7 } });

  const uuidBefore = await vsctl('get', 'port', PORT, '_uuid');
  const again = await runCli('bagpipe-rest-attach', args, { env });
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stderr, '');
  assert.deepEqual(await ports(), [PORT]);
  assert.notEqual(await vsctl('get', 'port', PORT, '_uuid'), uuidBefore, 'deleted and added again');
});

test('--ovs-preplug is for IP VPN only: an E-VPN attachment leaves OVS alone', async () => {
  await vsctl('--if-exists', 'del-port', BRIDGE, PORT);
  const r = await runCli(
    'bagpipe-rest-attach',
    ['--config-file', conf, '--attach', '--network-type', 'evpn', '--port', PORT, '--mac', '52:54:00:14:30:05', '--ip', '10.143.6.2', '--ovs-preplug', '--ovs-bridge', BRIDGE],
    { env },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /pre-plugging/);
  assert.deepEqual(await ports(), []);
  assert.deepEqual((JSON.parse(server.requests.at(-1)!.body) as { local_port: unknown }).local_port, { linuxif: PORT });
});

test('a bridge that does not exist: one line, exit 1, nothing sent', async () => {
  const before = server.requests.length;
  const r = await runCli(
    'bagpipe-rest-attach',
    ['--config-file', conf, '--attach', '--network-type', 'ipvpn', '--port', PORT, '--ip', '10.143.5.2', '--ovs-preplug', '--ovs-bridge', 'br-none'],
    { env },
  );
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^bagpipe-rest-attach: Exit code 1 when running 'ovs-vsctl add-port br-none .+': ovs-vsctl: no bridge named br-none\n$/m);
  assert.equal(server.requests.length, before);
});
