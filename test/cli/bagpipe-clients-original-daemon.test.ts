/**
 * Our client commands against the original BaGPipe-BGP daemon (dummy dataplanes, its REST API on
 * a loopback address of this test): the real server side of the contract.
 *
 * - rest-attach attaches an E-VPN port and IP VPN ports (readvertise, several RTs), the daemon
 *   answers 200 `null`, and detaches them again;
 * - the looking glass prints what the original looking-glass command prints on the same live
 *   daemon, path by path (and with --recurse below the instances);
 * - impex2dot prints the same lines as the original impex2dot.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '../helpers/ports.js';
import { Bagpipe } from '../scenario/harness/bagpipe.js';
import { Teardown } from '../scenario/harness/process.js';
import { runOriginal } from './helpers/original-tools.js';
import { runCli, type ProcessResult } from './helpers/run-process.js';

const ADDRESS = '127.0.145.1';
const teardown = new Teardown();
let daemon: Bagpipe;
let conf: string;

before(async () => {
  daemon = new Bagpipe({ address: ADDRESS, as: 64512, peers: [], bgpPort: await freePort(ADDRESS), apiPort: await freePort(ADDRESS), enableRtc: true }, teardown);
  await daemon.start();
  conf = join(teardown.tempDir('clients'), 'bgp.conf');
  writeFileSync(conf, daemon.config());
});

after(async () => {
  await teardown.run();
});

async function restAttach(args: readonly string[]): Promise<ProcessResult> {
  const r = await runCli('bagpipe-rest-attach', ['--config-file', conf, ...args]);
  assert.equal(r.status, 0, `bagpipe-rest-attach ${args.join(' ')}:\n${r.stdout}${r.stderr}\n${daemon.tail()}`);
  assert.match(r.stdout, /\nresponse: 200 b'null'\n$/);
  return r;
}

const ATTACHMENTS: readonly (readonly string[])[] = [
  ['--network-type', 'evpn', '--vpn-instance-id', 'blue-evpn', '--port', 'tap-e1', '--mac', '52:54:00:14:50:01', '--ip', '10.145.0.1', '--rt', '64512:513', '--vni', '1450'],
  ['--network-type', 'ipvpn', '--vpn-instance-id', 'blue', '--port', 'tap-i1', '--mac', '52:54:00:14:50:02', '--ip', '10.145.1.1', '--rt', '64512:1', '--import-rt', '64512:2'],
  ['--network-type', 'ipvpn', '--vpn-instance-id', 'blue', '--port', 'to_vm3', '--mac', '52:54:00:14:50:03', '--ip', '10.145.1.3', '--rt', '64512:1', '--import-rt', '64512:2', '--local-pref', '200'],
  [
    '--network-type', 'ipvpn', '--vpn-instance-id', 'red-readvertise', '--port', 'tap-r1', '--mac', '52:54:00:14:50:04', '--ip', '10.145.2.1/24',
    '--rt', '64512:30', '--readv-from-rt', '64512:1', '--readv-to-rt', '64512:31', '--advertise-subnet',
  ],
];

test('rest-attach: the original daemon accepts our attach requests', async () => {
  for (const a of ATTACHMENTS) await restAttach(['--attach', ...a]);
  const instances = await daemon.lookingGlass<{ id: string }[]>('vpns/instances');
  assert.deepEqual(instances?.map((i) => i.id).sort(), ['blue', 'blue-evpn', 'red-readvertise']);
  const ports = await daemon.lookingGlass<Record<string, { endpoints: { ip_address: string; local_pref: number | null }[] }>>('vpns/instances/blue/ports');
  assert.deepEqual(Object.keys(ports ?? {}).sort(), ['tap-i1', 'to_vm3']);
  assert.equal(ports?.['to_vm3']?.endpoints[0]?.ip_address, '10.145.1.3/24');
  assert.equal(ports?.['to_vm3']?.endpoints[0]?.local_pref, 200);
  assert.deepEqual(await daemon.lookingGlass('vpns/instances/red-readvertise/readvertise'), { from: ['target:64512:1'], to: ['target:64512:31'] });
});

const PATHS: readonly (readonly string[])[] = [
  ['summary'],
  ['config'],
  ['vpns'],
  ['vpns', 'instances'],
  ['vpns', 'instances', 'blue'],
  ['vpns', 'instances', 'blue', 'ports'],
  ['vpns', 'instances', 'blue-evpn'],
  ['vpns', 'instances', 'red-readvertise', 'readvertise'],
  ['vpns', 'dataplane', 'ids'],
  ['bgp'],
  ['bgp', 'workers'],
  ['vpns', 'instances', 'nope'],
  ['-r', 'vpns', 'instances', 'blue'],
  ['-r', 'vpns', 'dataplane'],
];

test('looking glass: the same output as the original command on the live daemon', async () => {
  for (const path of PATHS) {
    const argv = ['--server', ADDRESS, '--port', String(daemon.opts.apiPort), ...path];
    const theirs = await runOriginal('bagpipe-looking-glass', argv);
    const mine = await runCli('bagpipe-looking-glass', argv);
    assert.equal(theirs.status, 0, theirs.stderr);
    assert.equal(mine.stdout, theirs.stdout, `bagpipe-looking-glass ${path.join(' ')}`);
    assert.equal(mine.status, 0);
  }
});

test('impex2dot: the same lines as the original command on the live daemon', async () => {
  const argv = ['--server', ADDRESS, '--port', String(daemon.opts.apiPort)];
  const [mine, theirs] = await Promise.all([runCli('bagpipe-impex2dot', argv), runOriginal('bagpipe-impex2dot', argv)]);
  assert.equal(theirs.status, 0, theirs.stderr);
  assert.equal(mine.status, 0, mine.stderr);
  const sorted = (s: string): string[] => s.split('\n').sort();
  assert.deepEqual(sorted(mine.stdout), sorted(theirs.stdout));
  assert.match(mine.stdout, /vpn_127_0_145_1__red_readvertise:readv -> rt_64512_31/);
  assert.match(mine.stdout, /port_127_0_145_1_to_vm3 -> dest_127_0_145_1_vm3/);
});

test('rest-attach --detach: the original daemon removes the ports and the instances', async () => {
  for (const a of ATTACHMENTS) await restAttach(['--detach', ...a]);
  assert.deepEqual(await daemon.lookingGlass('vpns/instances'), []);
});
