/**
 * The daemon as a process (bagpipe-bgp with a bgp.conf): the REST API and looking glass on
 * [API] host:port, attach/detach reaching the BGP side (an RTC route and the VPN routes sent to a
 * peer, one of our speakers), a clean stop on SIGTERM; a dataplane driver that does not exist yet
 * stops the start with a clear message.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BgpManager } from '../../src/session/bgp-manager.js';
import { memoryLogger } from '../../src/util/logger.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { Collector } from '../scenario/harness/speaker.js';
import { call, post } from './helpers.js';
import { commandPath } from '../../src/cli/command-path.js';

const BIN = commandPath('bagpipe-bgp');
const DAEMON = '127.0.142.1';
const PEER = '127.0.142.2';

test('bagpipe-bgp serves the REST API; attach and detach reach its BGP peer', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bagpipe-daemon-'));
  const bgpPort = await freePort(PEER);
  const apiPort = await freePort(DAEMON);
  const rr = new BgpManager(
    { localAddress: PEER, localAs: 64512, enableRtc: true, peerPort: bgpPort, listen: { address: PEER, port: bgpPort }, peers: [{ address: DAEMON, passive: true }] },
    memoryLogger(),
  );
  const seen = new Collector('seen', rr.rtm).subscribe(1, 128, '64512:42');
  const conf = join(dir, 'bgp.conf');
  writeFileSync(conf, `[BGP]\nlocal_address = ${DAEMON}\npeers = ${PEER}\nmy_as = 64512\nbgp_port = ${bgpPort}\n[API]\nhost = ${DAEMON}\nport = ${apiPort}\n`);
  await rr.start();
  const child = spawn(process.execPath, [BIN, '--config-file', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  try {
    await waitFor('API up', async () => (await call(apiPort, 'GET', '/ping').catch(() => undefined))?.status === 200);
    const peer = rr.peers.get(DAEMON)!;
    await waitFor('BGP session', () => peer.state === 'Established');
    const attach = {
      vpn_type: 'ipvpn',
      vpn_instance_id: 'net1',
      mac_address: '52:54:00:00:42:01',
      ip_address: '10.42.0.1',
      local_port: 'tap42',
      import_rt: '64512:42',
      export_rt: '64512:42',
      gateway_ip: '10.42.0.254',
    };
    assert.equal((await post(apiPort, '/attach_localport', attach)).status, 200);
    await waitFor('the VPN route at the peer', () => seen.vpn('10.42.0.1/32') !== undefined);
    assert.equal(seen.vpn('10.42.0.1/32')!.nextHop, DAEMON);
    assert.ok(rr.rtm.routes(1, 132).some((r) => r.nlri.kind === 'rtc' && JSON.stringify(r.nlri).includes('64512:42')), 'RTC route for the import RT');
    const summary = (await call(apiPort, 'GET', '/looking-glass/summary')).json() as Record<string, number>;
    assert.equal(summary.BGP_established_peers, 1);
    assert.equal(summary.vpn_instances_count, 1);
    const config = (await call(apiPort, 'GET', '/looking-glass/config/API')).json();
    assert.deepEqual(config, { host: DAEMON, port: apiPort });
    assert.equal((await post(apiPort, '/detach_localport', { ...attach, local_port: 'tap42' })).status, 200);
    await waitFor('the route withdrawn at the peer', () => seen.vpn('10.42.0.1/32') === undefined);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    assert.equal(code, 0, stderr);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rr.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bagpipe-bgp: an unknown dataplane driver, or one whose start-up checks fail, stops the start with one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bagpipe-daemon-'));
  try {
    const conf = join(dir, 'bgp.conf');
    writeFileSync(conf, `[BGP]\nlocal_address = ${DAEMON}\nmy_as = 64512\n[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = nonesuch\n`);
    const r = spawnSync(process.execPath, [BIN, '--config-file', conf], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /configuration error: .*No 'bagpipe\.dataplane\.ipvpn' driver found, looking for 'nonesuch'/);
    // A driver whose start-up checks fail (no OVSDB there) stops the start with one line too.
    writeFileSync(
      conf,
      `[BGP]\nlocal_address = ${DAEMON}\nmy_as = 64512\n[COMMON]\nroot_helper =\n[DATAPLANE_DRIVER_EVPN]\ndataplane_driver = ovs\n[OVS]\novsdb_connection = unix:${dir}/none.sock\novsdb_timeout = 2\n`,
    );
    const o = spawnSync(process.execPath, [BIN, '--config-file', conf], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(o.status, 1);
    assert.match(o.stderr, /^bagpipe-bgp: evpn dataplane driver OVSDataplaneDriver: Exit code \d+ when running 'ovs-vsctl --db=unix:.*none.sock --timeout=2 br-exists br-tun'/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
