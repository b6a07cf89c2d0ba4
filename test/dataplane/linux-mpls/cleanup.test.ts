/**
 * bagpipe-bgp-cleanup with the `linux` IP VPN driver, as a process, in a namespace this test
 * creates (root helper `ip netns exec <ns>`): what a previous run can have left on this kernel
 * (rules naming `bvrf-*` devices, protocol-19 routes; VRF devices cannot exist here) is removed,
 * the rest stays. It needs neither the kernel MPLS modules nor mpls_interface: leftovers go
 * even where the driver could not run.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOk, Teardown } from '../../scenario/harness/process.js';
import { runCli } from '../../cli/helpers/run-process.js';

const NS = `bgmc${process.pid % 100_000}`;
const teardown = new Teardown();
let conf: string;

const inNs = (...argv: string[]): Promise<string> => runOk('ip', ['netns', 'exec', NS, ...argv]);

before(async () => {
  await runOk('ip', ['netns', 'add', NS]);
  teardown.add(() => runOk('ip', ['netns', 'del', NS]));
  const dir = teardown.tempDir('bgm-cleanup');
  conf = join(dir, 'bgp.conf');
  writeFileSync(conf, `[BGP]\nlocal_address = 127.0.180.1\nmy_as = 64512\n[COMMON]\nroot_helper = ip netns exec ${NS}\n[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = linux\n`);
  await inNs('ip', 'link', 'set', 'lo', 'up');
  await inNs('ip', 'link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'eth1p');
  await inNs('ip', 'link', 'set', 'eth1', 'up');
  await inNs('ip', 'addr', 'add', '192.0.2.1/24', 'dev', 'eth1');
});

after(() => teardown.run());

test('bagpipe-bgp-cleanup, linux IP VPN driver: rules of bvrf-* devices and protocol-19 routes go, the rest stays', async () => {
  for (const family of [[], ['-6']]) {
    await inNs('ip', ...family, 'rule', 'add', 'iif', 'bvrf-5', 'table', '1005', 'pref', '100');
    await inNs('ip', ...family, 'rule', 'add', 'oif', 'bvrf-5', 'unreachable', 'pref', '101');
    await inNs('ip', ...family, 'rule', 'add', 'iif', 'eth1', 'table', '7', 'pref', '200');
  }
  await inNs('ip', 'route', 'add', '10.5.0.0/24', 'table', '1005', 'proto', '19', 'via', '192.0.2.2', 'dev', 'eth1');
  await inNs('ip', 'route', 'add', '10.6.0.0/24', 'proto', '19', 'via', '192.0.2.2', 'dev', 'eth1');
  await inNs('ip', 'route', 'add', '10.7.0.0/24', 'table', '1005', 'proto', 'static', 'via', '192.0.2.2', 'dev', 'eth1');
  const r = await runCli('bagpipe-bgp-cleanup', ['--config-file', conf]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /BGP component dataplanes have been cleaned up\./);
  for (const family of [[], ['-6']]) {
    const rules = JSON.parse(await inNs('ip', ...family, '-json', 'rule', 'show')) as { iif?: string; oif?: string }[];
    assert.deepEqual(rules.filter((x) => x.iif ?? x.oif).map((x) => x.iif ?? x.oif), ['eth1'], `${family.join('')} rules`);
  }
  const t1005 = JSON.parse(await inNs('ip', '-json', 'route', 'show', 'table', '1005')) as { dst: string }[];
  assert.deepEqual(t1005.map((x) => x.dst), ['10.7.0.0/24']);
  const main = JSON.parse(await inNs('ip', '-json', 'route', 'show', 'table', 'main')) as { dst: string }[];
  assert.deepEqual(main.map((x) => x.dst), ['192.0.2.0/24']);
});
