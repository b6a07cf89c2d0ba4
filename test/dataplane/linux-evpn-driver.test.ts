/**
 * The `linux` E-VPN driver in-process against the real kernel, inside a namespace this test
 * creates (`ip netns exec <ns>` as the root helper): devices with the original's names and
 * parameters, ports, FDB / neighbour / flood entries read back from the kernel, MAC moves, a
 * failing entry recorded and retried without harming the others, a VXLAN device of the wrong VNI
 * re-created (the original's bug), a linuxbr bridge's VXLAN port reused and left alone, cleanup
 * leaving nothing, adoption across a driver restart with its hold-down, reset_state, and 10,000
 * remote MACs coalesced into a few passes.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { InstanceParams } from '../../src/dataplane/driver.js';
import { PrivilegedExec } from '../../src/dataplane/exec/privileged-exec.js';
import { RootHelper } from '../../src/dataplane/exec/root-helper.js';
import { LinuxEvpnDriver } from '../../src/dataplane/linux/evpn-driver.js';
import { pinnedBridgeMac } from '../../src/dataplane/linux/names.js';
import { memoryLogger } from '../../src/util/logger.js';
import { waitFor } from '../helpers/wait.js';
import { run, runOk } from '../scenario/harness/process.js';

const NS = `bgld${process.pid % 100_000}`;
const LOCAL = '10.170.9.1';
const drivers: LinuxEvpnDriver[] = [];

async function sh(...argv: string[]): Promise<string> {
  return runOk('ip', ['netns', 'exec', NS, ...argv]);
}
async function json<T>(...argv: string[]): Promise<T[]> {
  const out = (await sh(...argv)).trim();
  return out === '' ? [] : (JSON.parse(out) as T[]);
}
interface Link {
  ifname: string;
  master?: string;
  address: string;
  flags: string[];
  linkinfo?: { info_kind: string; info_data?: { id?: number; local?: string; port?: number; learning?: boolean; proxy?: boolean } };
}
async function links(): Promise<Map<string, Link>> {
  return new Map((await json<Link>('ip', '-d', '-json', 'link', 'show')).map((l) => [l.ifname, l]));
}
interface Fdb {
  mac: string;
  ifname: string;
  dst?: string;
  vni?: number;
  master?: string;
  state?: string;
  flags: string[];
}
async function fdbOf(dev: string): Promise<string[]> {
  const entries = await json<Fdb>('bridge', '-json', 'fdb', 'show', 'dev', dev);
  return entries
    .filter((e) => e.dst !== undefined || e.state === 'static')
    .map((e) => `${e.mac}${e.dst ? ` dst ${e.dst}` : ''}${e.vni !== undefined ? ` vni ${e.vni}` : ''}${e.state === 'static' ? ` static ${e.master}` : ''}`)
    .sort();
}
async function neighbours(dev: string): Promise<string[]> {
  return (await json<{ dst: string; lladdr: string; state: string[] }>('ip', '-json', 'neigh', 'show', 'dev', dev)).map((n) => `${n.dst} ${n.lladdr} ${n.state.join(',')}`).sort();
}

function driver(holdS = 30, dstPort: number | null = 4789): LinuxEvpnDriver {
  const log = memoryLogger([], 'linux-evpn');
  const d = new LinuxEvpnDriver({ localAddress: LOCAL, vxlanDstPort: dstPort, adoptionHoldTime: holdS, config: {} }, new PrivilegedExec(new RootHelper(`ip netns exec ${NS}`)), log);
  drivers.push(d);
  return d;
}

function params(id: string, vni: number, extra: Partial<InstanceParams> = {}): InstanceParams {
  return { instanceId: 1, vpnInstanceId: id, gatewayIp: null, subnetLength: 24, instanceLabel: vni, vni, ...extra };
}

async function veth(name: string): Promise<void> {
  await sh('ip', 'link', 'add', name, 'type', 'veth', 'peer', 'name', `${name}p`);
  await sh('ip', 'link', 'set', name, 'up');
}

before(async () => {
  await runOk('ip', ['netns', 'add', NS]);
  await sh('ip', 'link', 'set', 'lo', 'up');
  await sh('sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1');
  await sh('ip', 'link', 'add', 'ul0', 'type', 'veth', 'peer', 'name', 'ul0p');
  await sh('ip', 'addr', 'add', `${LOCAL}/24`, 'dev', 'ul0');
  await sh('ip', 'link', 'set', 'ul0', 'up');
});

after(async () => {
  for (const d of drivers) await d.close();
  await run('ip', ['netns', 'del', NS]);
});

test('instance devices: bridge evpn---<id> (pinned MAC, up), vxlan--<id> with id, local, dstport, nolearning, proxy; port and local MAC; cleanup leaves nothing', async () => {
  const d = driver();
  assert.equal(await d.adoptState(), false, 'nothing of a previous run: no forwarding state to announce');
  await d.initialize();
  await veth('tapa1');
  const i = await d.createInstance(params('a', 1001));
  const l = await links();
  const br = l.get('evpn---a')!;
  assert.equal(br.linkinfo?.info_kind, 'bridge');
  assert.equal(br.address, pinnedBridgeMac('evpn---a'));
  assert.ok(br.flags.includes('UP'));
  const vx = l.get('vxlan--a')!;
  assert.deepEqual(
    { master: vx.master, up: vx.flags.includes('UP'), ...vx.linkinfo!.info_data },
    { master: 'evpn---a', up: true, ...vx.linkinfo!.info_data, id: 1001, local: LOCAL, port: 4789, learning: false, proxy: true },
  );
  await i.vifPlugged('52:54:00:AA:00:01', '10.9.0.1', { linuxif: 'tapa1' }, 20, 'both');
  assert.equal((await links()).get('tapa1')!.master, 'evpn---a');
  assert.deepEqual(await fdbOf('tapa1'), ['52:54:00:aa:00:01 static evpn---a']);
  const lg = i.lookingGlass() as { linux_bridge: string; vxlan_if: string; desired: { ports: string[] }; installed: { ports: string[] }; programming_errors: unknown[] };
  assert.deepEqual([lg.linux_bridge, lg.vxlan_if, lg.desired.ports, lg.installed.ports, lg.programming_errors], ['evpn---a', 'vxlan--a', ['tapa1'], ['tapa1'], []]);

  // Unplug: the port leaves the bridge (the original's detach failed here), the entry goes.
  await i.vifUnplugged('52:54:00:aa:00:01', '10.9.0.1', { linuxif: 'tapa1' }, 20, 'both', true);
  assert.equal((await links()).get('tapa1')!.master, undefined);
  assert.deepEqual(await fdbOf('tapa1'), []);
  await i.vifPlugged('52:54:00:aa:00:01', '10.9.0.1', { linuxif: 'tapa1' }, 20, 'both');
  await i.cleanup();
  const after = await links();
  assert.equal(after.has('evpn---a'), false, 'bridge deleted');
  assert.equal(after.has('vxlan--a'), false, 'VXLAN device deleted (the original never deleted it)');
  assert.equal(after.get('tapa1')?.master, undefined, 'port still there, released');
  await sh('ip', 'link', 'del', 'tapa1');
});

test('a port that does not exist fails the plug (500 in the API) and leaves no desired state behind', async () => {
  const d = driver();
  const i = await d.createInstance(params('b', 1002));
  await assert.rejects(i.vifPlugged('52:54:00:bb:00:01', null, { linuxif: 'nonexistent0' }, 20, 'both'), /link set nonexistent0 master evpn---b: Cannot find device "nonexistent0"/);
  const lg = i.lookingGlass() as { desired: { ports: string[]; local_macs: object }; programming_errors: unknown[] };
  assert.deepEqual([lg.desired.ports, lg.desired.local_macs, lg.programming_errors], [[], {}, []]);
  await i.cleanup();
});

test('remote MACs, neighbours and flooding entries; a MAC move; removal of an older route after the newer one; everything read back', async () => {
  const d = driver();
  const i = await d.createInstance(params('c', 1003));
  await i.setupRemoteEndpoint('52:54:00:CC:00:01', '10.9.1.1', '10.170.9.2', 1003, ['vxlan']);
  await i.setupRemoteEndpoint('52:54:00:cc:00:02', undefined, '10.170.9.3', 2003, ['vxlan']);
  await i.addBumEndpoint('10.170.9.2', 1003, ['vxlan']);
  await i.addBumEndpoint('10.170.9.3', 2003, ['vxlan']);
  await i.addBumEndpoint(LOCAL, 1003, ['vxlan']);
  await i.settle();
  assert.deepEqual(await fdbOf('vxlan--c'), [
    '00:00:00:00:00:00 dst 10.170.9.2',
    '00:00:00:00:00:00 dst 10.170.9.3 vni 2003',
    '52:54:00:cc:00:01 dst 10.170.9.2',
    '52:54:00:cc:00:02 dst 10.170.9.3 vni 2003',
  ]);
  assert.deepEqual(await neighbours('vxlan--c'), ['10.9.1.1 52:54:00:cc:00:01 PERMANENT']);
  // The MAC moves to 10.170.9.3: the new best route comes first, then the old one's removal.
  await i.setupRemoteEndpoint('52:54:00:cc:00:01', '10.9.1.1', '10.170.9.3', 1003, ['vxlan']);
  await i.removeRemoteEndpoint('52:54:00:cc:00:01', '10.9.1.1', '10.170.9.2', 1003);
  await i.settle();
  assert.ok((await fdbOf('vxlan--c')).includes('52:54:00:cc:00:01 dst 10.170.9.3'));
  assert.deepEqual(await neighbours('vxlan--c'), ['10.9.1.1 52:54:00:cc:00:01 PERMANENT']);
  await i.removeRemoteEndpoint('52:54:00:cc:00:01', '10.9.1.1', '10.170.9.3', 1003);
  await i.removeRemoteEndpoint('52:54:00:cc:00:02', undefined, '10.170.9.3', 2003);
  await i.removeBumEndpoint('10.170.9.3', 2003);
  await i.settle();
  assert.deepEqual(await fdbOf('vxlan--c'), ['00:00:00:00:00:00 dst 10.170.9.2']);
  assert.deepEqual(await neighbours('vxlan--c'), []);
  const lg = i.lookingGlass() as { desired: unknown; installed: { flooding: unknown } };
  assert.deepEqual(lg.installed.flooding, [{ vtep: '10.170.9.2', vni: 1003 }]);
  await i.cleanup();
});

test('a failing entry is recorded (looking glass) and retried; the other entries are installed; removing it clears the error', async () => {
  const d = driver();
  const i = await d.createInstance(params('d', 1004));
  // IPv6 is disabled in this namespace: the kernel refuses an IPv6 neighbour.
  await i.setupRemoteEndpoint('52:54:00:dd:00:01', 'fd00::1', '10.170.9.2', 1004, ['vxlan']);
  await i.setupRemoteEndpoint('52:54:00:dd:00:02', '10.9.2.2', '10.170.9.2', 1004, ['vxlan']);
  await i.settle();
  assert.deepEqual(await neighbours('vxlan--d'), ['10.9.2.2 52:54:00:dd:00:02 PERMANENT']);
  assert.equal((await fdbOf('vxlan--d')).length, 2);
  type Lg = { programming_errors: { entry: string; command: string; error: string; attempts: number }[]; reconciliation: { next_retry: string | null } };
  const lg = i.lookingGlass() as Lg;
  assert.equal(lg.programming_errors.length, 1, JSON.stringify(lg.programming_errors));
  assert.equal(lg.programming_errors[0]!.entry, 'neighbour fd00::1');
  assert.equal(lg.programming_errors[0]!.command, 'neigh replace fd00::1 lladdr 52:54:00:dd:00:01 dev vxlan--d nud permanent');
  assert.ok(lg.reconciliation.next_retry !== null, 'a retry is scheduled');
  await waitFor('retried', () => (i.lookingGlass() as Lg).programming_errors[0]!.attempts >= 2, 5000);
  const dl = d.lookingGlass() as { programming_errors: { instance: string; entry: string }[] };
  assert.deepEqual(dl.programming_errors.map((e) => [e.instance, e.entry]), [['d', 'neighbour fd00::1']]);
  await i.removeRemoteEndpoint('52:54:00:dd:00:01', 'fd00::1', '10.170.9.2', 1004);
  await i.settle();
  assert.deepEqual((i.lookingGlass() as Lg).programming_errors, []);
  await i.cleanup();
});

test('an existing vxlan--<id> of another VNI is re-created (the original failed with 500); dstport 0 is the kernel default', async () => {
  await sh('ip', 'link', 'add', 'vxlan--e', 'type', 'vxlan', 'id', '999', 'dstport', '4789');
  const d = driver(30, null);
  const i = await d.createInstance(params('e', 1005));
  const vx = (await links()).get('vxlan--e')!;
  assert.equal(vx.linkinfo?.info_data?.id, 1005);
  assert.equal(vx.master, 'evpn---e');
  assert.equal(vx.linkinfo?.info_data?.port, 8472, 'no dstport: the kernel default');
  await i.cleanup();
});

test('linuxbr: a VXLAN port of the same VNI on that bridge is reused; the bridge, its ports, that device and its other entries are left alone, our entries removed', async () => {
  await sh('ip', 'link', 'add', 'brq-f', 'type', 'bridge');
  await sh('ip', 'link', 'add', 'vxlan-1006', 'type', 'vxlan', 'id', '1006', 'dstport', '4789', 'local', LOCAL);
  await sh('ip', 'link', 'set', 'vxlan-1006', 'master', 'brq-f');
  await veth('tapf1');
  await sh('ip', 'link', 'set', 'tapf1', 'master', 'brq-f');
  // The Neutron agent's own entries (l2population) on its VXLAN device: never ours to remove.
  await sh('bridge', 'fdb', 'append', '00:00:00:00:00:00', 'dev', 'vxlan-1006', 'dst', '10.170.9.99', 'self', 'permanent');
  await sh('bridge', 'fdb', 'add', '52:54:00:ff:99:99', 'dev', 'vxlan-1006', 'dst', '10.170.9.99', 'self', 'permanent');
  await sh('ip', 'neigh', 'add', '10.9.3.99', 'lladdr', '52:54:00:ff:99:99', 'dev', 'vxlan-1006', 'nud', 'permanent');
  const theirs = ['00:00:00:00:00:00 dst 10.170.9.99', '52:54:00:ff:99:99 dst 10.170.9.99'];
  const d = driver();
  const i = await d.createInstance(params('f', 1006, { linuxbr: 'brq-f' }));
  assert.equal(i.vxlan.name, 'vxlan-1006');
  assert.equal((await links()).has('vxlan--f'), false, 'no VXLAN device of ours');
  await i.vifPlugged('52:54:00:ff:00:01', null, { linuxif: 'tapf1' }, 20, 'both');
  await i.setupRemoteEndpoint('52:54:00:ff:00:02', '10.9.3.2', '10.170.9.2', 1006, ['vxlan']);
  await i.addBumEndpoint('10.170.9.2', 1006, ['vxlan']);
  await i.settle();
  assert.deepEqual(await fdbOf('vxlan-1006'), ['00:00:00:00:00:00 dst 10.170.9.2', ...theirs, '52:54:00:ff:00:02 dst 10.170.9.2'].sort());
  await i.cleanup();
  const l = await links();
  assert.ok(l.has('brq-f') && l.has('vxlan-1006'), 'not ours: kept');
  assert.equal(l.get('tapf1')!.master, 'brq-f', 'its port left enslaved');
  assert.deepEqual(await fdbOf('vxlan-1006'), theirs, 'our entries removed, theirs kept');
  assert.deepEqual(await neighbours('vxlan-1006'), ['10.9.3.99 52:54:00:ff:99:99 PERMANENT']);
  assert.deepEqual(await fdbOf('tapf1'), []);
  for (const n of ['tapf1', 'vxlan-1006', 'brq-f']) await sh('ip', 'link', 'del', n);
});

test('adoption: a new driver keeps the devices and entries left by the previous run, removes stale ones after the hold-down, and deletes unclaimed devices', async () => {
  const d1 = driver();
  await veth('tapg1');
  const i1 = await d1.createInstance(params('g', 1007));
  await i1.vifPlugged('52:54:00:77:00:01', null, { linuxif: 'tapg1' }, 20, 'both');
  await i1.setupRemoteEndpoint('52:54:00:77:00:02', '10.9.4.2', '10.170.9.2', 1007, ['vxlan']);
  await i1.setupRemoteEndpoint('52:54:00:77:00:03', '10.9.4.3', '10.170.9.3', 1007, ['vxlan']);
  await i1.addBumEndpoint('10.170.9.2', 1007, ['vxlan']);
  await i1.settle();
  const other = await d1.createInstance(params('h', 1008));
  await other.settle();
  const before = await fdbOf('vxlan--g');
  const vxIndex = (await json<{ ifindex: number }>('ip', '-json', 'link', 'show', 'vxlan--g'))[0]!.ifindex;
  // The daemon dies (no cleanup); a new one starts with a 1 s hold-down.
  await d1.close();
  const d2 = driver(1);
  assert.equal(await d2.adoptState(), true, 'forwarding state kept: the BGP side announces it (RFC 4724 F bit)');
  assert.deepEqual((d2.lookingGlass() as { adoption: { unclaimed: string[] } }).adoption.unclaimed, ['evpn---g', 'evpn---h', 'vxlan--g', 'vxlan--h']);
  const i2 = await d2.createInstance(params('g', 1007));
  await i2.vifPlugged('52:54:00:77:00:01', null, { linuxif: 'tapg1' }, 20, 'both');
  // Only one of the two remote MACs comes back (so far).
  await i2.setupRemoteEndpoint('52:54:00:77:00:02', '10.9.4.2', '10.170.9.2', 1007, ['vxlan']);
  await i2.settle();
  assert.equal((await json<{ ifindex: number }>('ip', '-json', 'link', 'show', 'vxlan--g'))[0]!.ifindex, vxIndex, 'same device, not re-created');
  assert.deepEqual(await fdbOf('vxlan--g'), before, 'nothing removed during the hold-down');
  assert.equal((await neighbours('vxlan--g')).length, 2);
  assert.equal((i2.lookingGlass() as { adopted: boolean }).adopted, true);
  await waitFor('stale entries removed after the hold-down', async () => (await neighbours('vxlan--g')).length === 1, 5000);
  assert.deepEqual(await fdbOf('vxlan--g'), ['52:54:00:77:00:02 dst 10.170.9.2']);
  await waitFor('unclaimed devices deleted', async () => !(await links()).has('evpn---h'), 5000);
  assert.equal((await links()).has('vxlan--h'), false);
  assert.equal((await links()).get('tapg1')!.master, 'evpn---g');
  await i2.cleanup();
  await sh('ip', 'link', 'del', 'tapg1');
});

test('resetState (bagpipe-bgp-cleanup) deletes every evpn---* bridge and vxlan--* device, nothing else', async () => {
  const d1 = driver();
  await (await d1.createInstance(params('k', 1009))).settle();
  await (await d1.createInstance(params('m', 1010))).settle();
  await sh('ip', 'link', 'add', 'brq-other', 'type', 'bridge');
  await driver().resetState();
  const l = await links();
  assert.deepEqual([...l.keys()].filter((n) => n.startsWith('evpn---') || n.startsWith('vxlan--')), []);
  assert.ok(l.has('brq-other'));
  await sh('ip', 'link', 'del', 'brq-other');
});

test('10,000 remote MACs in one E-VPN: coalesced into a few passes, all installed', async () => {
  const d = driver();
  const i = (await d.createInstance(params('n', 1011)));
  const t0 = Date.now();
  for (let k = 0; k < 10_000; k++) {
    const mac = `52:54:02:${((k >> 8) & 0xff).toString(16).padStart(2, '0')}:${(k & 0xff).toString(16).padStart(2, '0')}:01`;
    await i.setupRemoteEndpoint(mac, `10.${100 + (k >> 16)}.${(k >> 8) & 0xff}.${k & 0xff}`, `10.170.9.${(k % 50) + 2}`, 1011, ['vxlan']);
  }
  await i.settle();
  const ms = Date.now() - t0;
  const fdb = await json<{ dst?: string }>('bridge', '-json', 'fdb', 'show', 'dev', 'vxlan--n');
  assert.equal(fdb.filter((e) => e.dst !== undefined).length, 10_000);
  assert.equal((await json('ip', '-json', 'neigh', 'show', 'dev', 'vxlan--n')).length, 10_000);
  const passes = (i.lookingGlass() as { reconciliation: { passes: number } }).reconciliation.passes;
  console.log(`# 10,000 remote MACs (FDB + neighbour) in ${ms} ms, ${passes} passes`);
  assert.ok(passes <= 6, `passes: ${passes}`);
  await i.cleanup();
});
