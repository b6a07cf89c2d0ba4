/**
 * bagpipe-bgp-cleanup as a process, inside a namespace this test creates (the root helper
 * `ip netns exec <ns>` puts the commands there): with the linux E-VPN driver it deletes every
 * `evpn---*` bridge and `vxlan--*` device and nothing else, with the original's log lines; with
 * dummy drivers it does nothing; an unknown driver is a configuration error.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { run, runOk } from '../scenario/harness/process.js';
import { cliPath, runProcess } from './helpers/run-process.js';

const NS = `bglc${process.pid % 100_000}`;
let dir: string;

const sh = (...argv: string[]): Promise<string> => runOk('ip', ['netns', 'exec', NS, ...argv]);

before(async () => {
  await runOk('ip', ['netns', 'add', NS]);
  dir = mkdtempSync(join(tmpdir(), 'bagpipe-cleanup-'));
});

after(async () => {
  await run('ip', ['netns', 'del', NS]);
  rmSync(dir, { recursive: true, force: true });
});

function conf(name: string, evpnDriver: string): string {
  const f = join(dir, name);
  writeFileSync(f, `[BGP]\nlocal_address = 127.0.170.1\nmy_as = 64512\n[COMMON]\nroot_helper = ip netns exec ${NS}\n[DATAPLANE_DRIVER_EVPN]\ndataplane_driver = ${evpnDriver}\n`);
  return f;
}

async function names(): Promise<string[]> {
  return (JSON.parse(await sh('ip', '-json', 'link', 'show')) as { ifname: string }[]).map((l) => l.ifname).sort();
}

test('linux E-VPN driver: every evpn---* bridge and vxlan--* device goes, the rest stays', async () => {
  await sh('ip', 'link', 'add', 'evpn---net1', 'type', 'bridge');
  await sh('ip', 'link', 'add', 'evpn---net2', 'type', 'bridge');
  await sh('ip', 'link', 'add', 'vxlan--net1', 'type', 'vxlan', 'id', '11', 'dstport', '4789');
  await sh('ip', 'link', 'set', 'vxlan--net1', 'master', 'evpn---net1');
  await sh('ip', 'link', 'add', 'vxlan--orphan', 'type', 'vxlan', 'id', '12', 'dstport', '4789');
  await sh('ip', 'link', 'add', 'tap1', 'type', 'veth', 'peer', 'name', 'tap1p');
  await sh('ip', 'link', 'set', 'tap1', 'master', 'evpn---net2');
  await sh('ip', 'link', 'add', 'brq-neutron', 'type', 'bridge');
  await sh('ip', 'link', 'add', 'vxlan-13', 'type', 'vxlan', 'id', '13', 'dstport', '4789');
  const r = await runProcess(process.execPath, [cliPath('bagpipe-bgp-cleanup'), '--config-file', conf('linux.conf', 'linux')]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(await names(), ['brq-neutron', 'lo', 'tap1', 'tap1p', 'vxlan-13']);
  const lines = r.stderr.trim().split('\n').map((l) => l.replace(/^\S+ /, ''));
  assert.deepEqual(lines.filter((l) => l.startsWith('INFO BgpDataplaneCleaner: ')), [
    'INFO BgpDataplaneCleaner: Cleaning dataplane for evpn...',
    'INFO BgpDataplaneCleaner: Cleaning dataplane for ipvpn...',
    'INFO BgpDataplaneCleaner: BGP component dataplanes have been cleaned up.',
  ]);
  assert.match(r.stderr, /removing 2 bridge\(s\) and 2 VXLAN interface\(s\) of ours/);
  // Nothing left to do: a second run succeeds too.
  const again = await runProcess(process.execPath, [cliPath('bagpipe-bgp-cleanup'), '--config-file', conf('linux.conf', 'linux')]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /removing 0 bridge\(s\) and 0 VXLAN interface\(s\) of ours/);
});

test('dummy drivers: nothing removed', async () => {
  await sh('ip', 'link', 'add', 'evpn---net3', 'type', 'bridge');
  const r = await runProcess(process.execPath, [cliPath('bagpipe-bgp-cleanup'), '--config-file', conf('dummy.conf', 'dummy')]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok((await names()).includes('evpn---net3'));
  assert.match(r.stderr, /BGP component dataplanes have been cleaned up\./);
  await sh('ip', 'link', 'del', 'evpn---net3');
});

test('an unknown driver, or a bad option: one line, exit 1', async () => {
  const f = conf('unknown.conf', 'nonesuch');
  const r = await runProcess(process.execPath, [cliPath('bagpipe-bgp-cleanup'), '--config-file', f]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^bagpipe-bgp-cleanup: .*No 'bagpipe\.dataplane\.evpn' driver found, looking for 'nonesuch'/);
  const u = await runProcess(process.execPath, [cliPath('bagpipe-bgp-cleanup'), '--bogus']);
  assert.equal(u.status, 1);
  assert.match(u.stderr, /^bagpipe-bgp-cleanup: .*bogus/);
});
