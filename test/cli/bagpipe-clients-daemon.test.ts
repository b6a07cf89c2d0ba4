/**
 * Our client commands against our daemon (`bagpipe-bgp` as a process, dummy dataplanes, REST API
 * on a loopback address of this test), both reading the same bgp.conf: rest-attach attaches and
 * detaches, the looking glass and impex2dot show the instances in between.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { Daemon } from '../scenario/harness/process.js';
import { cliPath, runCli, type ProcessResult } from './helpers/run-process.js';

const ADDRESS = '127.0.146.1';
let dir: string;
let conf: string;
let daemon: Daemon;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clients-daemon-'));
  conf = join(dir, 'bgp.conf');
  const port = await freePort(ADDRESS);
  writeFileSync(conf, `[BGP]\nlocal_address = ${ADDRESS}\nmy_as = 64512\n[API]\nhost = ${ADDRESS}\nport = ${port}\n`);
  daemon = Daemon.start('bagpipe-bgp', process.execPath, [cliPath('bagpipe-bgp'), '--config-file', conf]);
  await waitFor(
    'REST API up',
    async () => {
      if (!daemon.alive) throw new Error(`bagpipe-bgp exited\n${daemon.tail()}`);
      try {
        return (await fetch(`http://${ADDRESS}:${port}/ping`, { signal: AbortSignal.timeout(1000) })).ok;
      } catch {
        return false;
      }
    },
    20_000,
    100,
  );
});

after(async () => {
  await daemon?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const EVPN = ['--network-type', 'evpn', '--vpn-instance-id', 'green', '--port', 'tap-g1', '--mac', '52:54:00:14:60:01', '--ip', '10.146.0.1', '--rt', '64512:146'];
const IPVPN = ['--network-type', 'ipvpn', '--port', 'tap-g2', '--ip', '10.146.1.1', '--rt', '64512:147', '--import-rt', '64512:148'];

async function cli(command: string, args: readonly string[]): Promise<ProcessResult> {
  const r = await runCli(command, ['--config-file', conf, ...args]);
  assert.equal(r.status, 0, `${command} ${args.join(' ')}:\n${r.stdout}${r.stderr}\n${daemon.tail()}`);
  return r;
}

test('attach with rest-attach, look with the looking glass and impex2dot, detach', async () => {
  assert.match((await cli('bagpipe-rest-attach', ['--attach', ...EVPN])).stdout, /\nresponse: 200 b'null'\n$/);
  assert.match((await cli('bagpipe-rest-attach', ['--attach', ...IPVPN])).stdout, /\nresponse: 200 b'null'\n$/);

  const instances = await cli('bagpipe-looking-glass', ['vpns', 'instances']);
  assert.match(instances.stdout, /^\* green \(\.\.\.\)\n {2}name: EVI-\d+\n\* ipvpn-bagpipe-test \(\.\.\.\)\n {2}name: VRF-\d+\n$/);
  const rts = await cli('bagpipe-looking-glass', ['vpns', 'instances', 'ipvpn-bagpipe-test', 'route_targets']);
  assert.equal(rts.stdout, 'import: \n  * target:64512:147\n  * target:64512:148\nexport: \n  * target:64512:147\n');
  const ports = await cli('bagpipe-looking-glass', ['-r', 'vpns', 'instances', 'green', 'ports']);
  assert.match(ports.stdout, /^tap-g1: \n {2}endpoints: \n {4}\* label: \d+\n {6}mac_address: 52:54:00:14:60:01\n {6}ip_address: 10\.146\.0\.1\/24\n/);

  const graph = await cli('bagpipe-impex2dot', ['--server', ADDRESS]);
  assert.match(graph.stdout, /^ {4}rt_64512_148 -> vpn_127_0_146_1__ipvpn_bagpipe_test:0 \[/m);
  assert.match(graph.stdout, /^ {4}vpn_127_0_146_1__green:0 -> rt_64512_146 \[/m);
  assert.match(graph.stdout, /^ {4}vpn_127_0_146_1__green -> port_127_0_146_1_tap_g1 \[/m);

  await cli('bagpipe-rest-attach', ['--detach', ...EVPN]);
  await cli('bagpipe-rest-attach', ['--detach', ...IPVPN]);
  assert.equal((await cli('bagpipe-looking-glass', ['vpns', 'instances'])).stdout, '-\n');
});
