/**
 * The `ovs` IP VPN driver against a real Open vSwitch (a private userspace instance in a
 * namespace this test creates), without BGP: the driver's calls are made directly, the bridge is
 * read back with ovs-ofctl, and every command the driver runs goes through a recording root
 * helper (`record-command.sh` then `ip netns exec <ns>`), so that the exact command lines and the
 * lines of each batch are checked.
 *
 * Topology: namespace N (the compute node) with br-mpls (10.175.1.1/24 on its own interface),
 * `mpls0` in the bridge (the bare MPLS interface) whose veth peer is in namespace P, the remote
 * PE (10.175.1.2/24); VM ports `vm1`, `vm2` are veths in N plugged by the driver.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { RootHelper } from '../../../src/dataplane/exec/root-helper.js';
import { OvsIpvpnDriver } from '../../../src/dataplane/ovs-ipvpn/ovs-ipvpn-driver.js';
import type { OvsIpvpnOptions } from '../../../src/dataplane/ovs-ipvpn/settings.js';
import type { IpvpnInstanceDataplane } from '../../../src/dataplane/driver.js';
import { memoryLogger } from '../../../src/util/logger.js';
import { PrivateOvs } from '../../scenario/harness/ovs.js';
import { runOk, Teardown } from '../../scenario/harness/process.js';
import { waitFor } from '../../helpers/wait.js';
import { USERSPACE_OVS_IPVPN_OPTIONS } from './options.js';

const RECORDER = fileURLToPath(new URL('../../../../test/dataplane/ovs/helpers/record-command.sh', import.meta.url));
const TAG = `bgo${process.pid % 100_000}`;
const N = `${TAG}n`;
const P = `${TAG}p`;
const LOCAL = '10.175.1.1';
const PE = '10.175.1.2';

const teardown = new Teardown();
let ovs: PrivateOvs;
let dir: string;
let record: string;

/** A userspace OVS, with the ARP answers on (the tests check their flows). */
const OPTIONS: OvsIpvpnOptions = { ...USERSPACE_OVS_IPVPN_OPTIONS, proxy_arp: true, arp_responder: true };

const inN = (...cmd: string[]): Promise<string> => runOk('ip', ['netns', 'exec', N, ...cmd]);

function driver(options: Partial<OvsIpvpnOptions> = {}, adoptionHoldTime = 3600): OvsIpvpnDriver {
  const d = new OvsIpvpnDriver(
    { ...OPTIONS, ...options },
    LOCAL,
    { rootHelper: new RootHelper(`${RECORDER} ip netns exec ${N}`), ovsdb: { connection: ovs.dbSock, timeout: 10 }, adoptionHoldTime },
    {},
    memoryLogger(),
  );
  teardown.add(() => d.close());
  return d;
}

/** The commands recorded since the last call (argv lines with `$`, stdin lines with `<`), helper prefix removed. */
function recorded(): string[] {
  const lines = readFileSync(record, 'utf8').split('\n').filter(Boolean);
  writeFileSync(record, '');
  const prefix = `$ ip netns exec ${N} `;
  return lines.map((l) => (l.startsWith(prefix) ? `$ ${l.slice(prefix.length)}` : l));
}

/** Installed flows as text, sorted (dump order is OVS's). */
const flowsOf = async (filter?: string): Promise<string[]> =>
  (await ovs.flows('br-mpls', filter)).map((f) => `table=${f.table},priority=${f.priority},${f.match} cookie=0x${f.cookie.toString(16)} actions=${f.actions}`).sort();

before(async () => {
  await runOk('ip', ['netns', 'add', N]);
  teardown.add(() => runOk('ip', ['netns', 'del', N]));
  await runOk('ip', ['netns', 'add', P]);
  teardown.add(() => runOk('ip', ['netns', 'del', P]));
  for (const ns of [N, P]) await runOk('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1']);
  await inN('ip', 'link', 'add', 'mpls0', 'type', 'veth', 'peer', 'name', 'pe0', 'netns', P);
  await inN('ip', 'link', 'set', 'mpls0', 'up');
  await runOk('ip', ['-n', P, 'addr', 'add', `${PE}/24`, 'dev', 'pe0']);
  await runOk('ip', ['-n', P, 'link', 'set', 'pe0', 'up']);
  for (const vm of ['vm1', 'vm2']) {
    await inN('ip', 'link', 'add', vm, 'type', 'veth', 'peer', 'name', `${vm}p`);
    await inN('ip', 'link', 'set', vm, 'up');
  }
  ovs = await PrivateOvs.start(teardown, N);
  dir = ovs.dir;
  record = join(dir, 'commands.log');
  writeFileSync(record, '');
  process.env['RECORD_FILE'] = record;
  // ovs-ofctl run by the driver finds the bridge's socket here, as the daemon's would.
  process.env['OVS_RUNDIR'] = dir;
  await ovs.addBridge('br-mpls', 'OpenFlow10');
  await ovs.vsctl('add-port', 'br-mpls', 'mpls0');
  await inN('ip', 'addr', 'add', `${LOCAL}/24`, 'dev', 'br-mpls');
  await inN('ip', 'link', 'set', 'br-mpls', 'up');
});

after(() => teardown.run());

test('start-up checks: the bridge must exist; bare MPLS needs its interface in the bridge', async () => {
  await assert.rejects(driver({ ovs_bridge: 'br-none' }).start(), /OVS bridge 'br-none' doesn't exist/);
  await assert.rejects(driver({ mpls_interface: 'vm1' }).start(), /Specified mpls_interface vm1 is not plugged to OVS bridge br-mpls/);
  const d = driver();
  await d.start();
  // OpenFlow 1.5 added to what the bridge had.
  assert.equal((await ovs.vsctl('get', 'Bridge', 'br-mpls', 'protocols')).trim(), '[OpenFlow10, OpenFlow13, OpenFlow15]');
  assert.match(JSON.stringify(d.lookingGlass()), /"ovs_version":"\d+\.\d+\.\d+"/);
  // The looking glass asked for a read of the bridge: let it finish before the next recordings.
  await waitFor('the looking glass read', () => d.sync.lastAudit !== undefined);
  recorded();
});

test('GRE: the tunnel port and the MPLS input flow; a second initialisation keeps the port', async () => {
  const d = driver();
  await d.start();
  recorded();
  await d.initialize();
  const gre = await ovs.ofport('mpls_gre');
  assert.deepEqual(
    (JSON.parse((await ovs.vsctl('--format=json', '--columns=type,options', 'find', 'Interface', 'name=mpls_gre')).trim()) as { data: unknown }).data,
    [['gre', ['map', [['local_ip', LOCAL], ['packet_type', 'legacy_l3'], ['remote_ip', 'flow']]]]],
  );
  const cmds = recorded();
  assert.ok(cmds.includes(`$ ovs-vsctl --db=${ovs.dbSock} --timeout=10 --may-exist add-port br-mpls mpls_gre -- set Interface mpls_gre type=gre options:packet_type=legacy_l3 options:local_ip=${LOCAL} options:remote_ip=flow`), cmds.join('\n'));
  assert.deepEqual(
    cmds.filter((l) => l.includes('ovs-ofctl') || l.startsWith('<')),
    ['$ ovs-ofctl -O OpenFlow15 --bundle add-flows br-mpls -', `< add table=0,cookie=0x0,priority=36864,mpls,in_port=${gre},actions=resubmit(,1)`],
  );
  const again = driver();
  await again.start();
  await again.initialize();
  assert.equal(await ovs.ofport('mpls_gre'), gre, 'same port, same number');
  assert.ok(!recorded().some((l) => l.includes('del-port')), 'the port was not re-created');
  assert.deepEqual(await flowsOf('table=0'), ['table=0,priority=0, cookie=0x0 actions=NORMAL', `table=0,priority=36864,mpls,in_port=${gre} cookie=0x0 actions=resubmit(,1)`]);
});

let gre: OvsIpvpnDriver;
let vrf: IpvpnInstanceDataplane;

test('plug: the port is added (marked ours), input, ARP responder and encap-in flows in one batch; a VLAN is matched and pushed', async () => {
  gre = driver();
  await gre.start();
  await gre.initialize();
  vrf = await gre.createInstance({ instanceId: 4, vpnInstanceId: 'v4', gatewayIp: '10.0.0.254', subnetLength: 24, instanceLabel: 30 });
  recorded();
  await vrf.vifPlugged('52:54:00:00:00:01', '10.0.0.1', { linuxif: 'vm1' }, 17, 'both');
  const port = await ovs.ofport('vm1');
  assert.equal((await ovs.vsctl('get', 'Port', 'vm1', 'external_ids:bagpipe-bgp')).trim(), 'v4');
  const cmds = recorded();
  assert.deepEqual(
    cmds.filter((l) => l.includes('ovs-ofctl') || l.startsWith('<')),
    [
      '$ ovs-ofctl -O OpenFlow15 --bundle add-flows br-mpls -',
      `< add table=0,cookie=0x4,priority=36864,ip,in_port=${port},actions=move:NXM_OF_IN_PORT[]->NXM_NX_REG1[0..15],set_field:0->in_port,set_field:4->reg0,resubmit(,2)`,
      `< add table=0,cookie=0x4,priority=36864,arp,in_port=${port},actions=move:NXM_OF_IN_PORT[]->NXM_NX_REG1[0..15],set_field:0->in_port,set_field:4->reg0,resubmit(,2)`,
      '< add table=2,cookie=0x4,priority=36864,arp,reg0=4,arp_op=1,actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],set_field:00:00:5e:00:43:64->eth_src,set_field:2->arp_op,move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],push:NXM_OF_ARP_TPA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],set_field:00:00:5e:00:43:64->arp_sha,pop:NXM_OF_ARP_SPA[],output:NXM_NX_REG1[0..15]',
      `< add table=1,cookie=0x4,priority=36864,mpls,mpls_label=17,mpls_bos=1,actions=pop_mpls:0x0800,set_field:00:00:5e:00:43:64->eth_src,set_field:52:54:00:00:00:01->eth_dst,output:${port}`,
    ],
  );
  assert.deepEqual(await flowsOf('cookie=4/-1'), [
    `table=0,priority=36864,arp,in_port=${port} cookie=0x4 actions=move:NXM_OF_IN_PORT[]->NXM_NX_REG1[0..15],set_field:0->in_port,set_field:0x4->reg0,resubmit(,2)`,
    `table=0,priority=36864,ip,in_port=${port} cookie=0x4 actions=move:NXM_OF_IN_PORT[]->NXM_NX_REG1[0..15],set_field:0->in_port,set_field:0x4->reg0,resubmit(,2)`,
    `table=1,priority=36864,mpls,mpls_label=17,mpls_bos=1 cookie=0x4 actions=pop_mpls:0x0800,set_field:00:00:5e:00:43:64->eth_src,set_field:52:54:00:00:00:01->eth_dst,output:${port}`,
    'table=2,priority=36864,arp,reg0=0x4,arp_op=1 cookie=0x4 actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],set_field:00:00:5e:00:43:64->eth_src,set_field:2->arp_op,move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],push:NXM_OF_ARP_TPA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],set_field:00:00:5e:00:43:64->arp_sha,pop:NXM_OF_ARP_SPA[],output:NXM_NX_REG1[0..15]',
  ]);
  // Another VRF port with another VLAN: refused, nothing added.
  const other = await gre.createInstance({ instanceId: 5, vpnInstanceId: 'v5', gatewayIp: '10.0.5.254', subnetLength: 24, instanceLabel: 31 });
  await other.vifPlugged('52:54:00:00:00:05', '10.0.5.1', { linuxif: 'vm2', ovs: { port_name: 'vm2', vlan: 7 } }, 40, 'both');
  await assert.rejects(
    other.vifPlugged('52:54:00:00:00:06', '10.0.5.2', { linuxif: 'vm2', ovs: { port_name: 'vm2', vlan: 8 } }, 41, 'both'),
    /can't specify a different VLAN for different interfaces/,
  );
  const vm2 = await ovs.ofport('vm2');
  // What we wrote is what OVS gives back, VLAN actions included: nothing to reconcile.
  const check = await gre.sync.reconcile(true);
  assert.deepEqual([check.missingFlows, check.extraFlows], [0, []]);
  assert.ok((await flowsOf('cookie=5/-1')).includes(`table=0,priority=36864,ip,in_port=${vm2},dl_vlan=7 cookie=0x5 actions=pop_vlan,move:NXM_OF_IN_PORT[]->NXM_NX_REG1[0..15],set_field:0->in_port,set_field:0x5->reg0,resubmit(,2)`));
  await other.cleanup();
  assert.deepEqual(await flowsOf('cookie=5/-1'), []);
  assert.deepEqual(await ovs.ports('br-mpls'), ['mpls0', 'mpls_gre', 'vm1'], 'the port added for VRF 5 went with its cleanup');
});

test('ECMP: one select group per prefix, a bucket per next hop (hash order as bucket id), removed bucket by bucket', async () => {
  recorded();
  await vrf.setupRemoteEndpoint('10.0.1.0/24', '10.175.1.2', 100, ['gre'], 0);
  await vrf.setupRemoteEndpoint('10.0.1.0/24', '10.175.1.3', 200, ['gre'], 5);
  // The same next hop again changes nothing.
  await vrf.setupRemoteEndpoint('10.0.1.0/24', '10.175.1.3', 200, ['gre'], 5);
  await gre.sync.flush();
  const port = await ovs.ofport('mpls_gre');
  const cmds = recorded();
  // Both next hops arrived before the write: one group line, one flow line.
  assert.deepEqual(cmds, [
    '$ ovs-ofctl -O OpenFlow15 --bundle add-groups br-mpls -',
    `< add_or_mod group_id=1,type=select,selection_method=hash,fields(ip_src,ip_dst),selection_method_param=0,bucket=bucket_id=0,push_mpls:0x8847,set_field:100->mpls_label,set_field:10.175.1.2->tun_dst,output:${port},bucket=bucket_id=5,push_mpls:0x8847,set_field:200->mpls_label,set_field:10.175.1.3->tun_dst,output:${port}`,
    '$ ovs-ofctl -O OpenFlow15 --bundle add-flows br-mpls -',
    '< add table=2,cookie=0x4,priority=36760,ip,reg0=4,nw_dst=10.0.1.0/24,actions=dec_ttl,group:1',
  ]);
  assert.deepEqual(await ovs.groups('br-mpls'), [
    `group_id=1,type=select,selection_method=hash,fields(ip_src,ip_dst),bucket=bucket_id:0,actions=push_mpls:0x8847,set_field:100->mpls_label,set_field:10.175.1.2->tun_dst,output:${port},bucket=bucket_id:5,actions=push_mpls:0x8847,set_field:200->mpls_label,set_field:10.175.1.3->tun_dst,output:${port}`,
  ]);
  assert.ok((await flowsOf('table=2')).includes('table=2,priority=36760,ip,reg0=0x4,nw_dst=10.0.1.0/24 cookie=0x4 actions=dec_ttl,group:1'));
  await vrf.removeRemoteEndpoint('10.0.1.0/24', '10.175.1.2', 100, ['gre'], 0);
  await gre.sync.flush();
  assert.match((await ovs.groups('br-mpls'))[0]!, /^group_id=1,type=select,.*bucket=bucket_id:5,actions=push_mpls:0x8847,set_field:200->mpls_label,[^b]*$/);
  await vrf.removeRemoteEndpoint('10.0.1.0/24', '10.175.1.3', 200, ['gre'], 5);
  await gre.sync.flush();
  assert.deepEqual(await ovs.groups('br-mpls'), []);
  assert.ok(!(await flowsOf('table=2')).some((f) => f.includes('nw_dst=10.0.1.0/24')));
  assert.deepEqual(recorded().filter((l) => l.startsWith('<')), [
    `< add_or_mod group_id=1,type=select,selection_method=hash,fields(ip_src,ip_dst),selection_method_param=0,bucket=bucket_id=5,push_mpls:0x8847,set_field:200->mpls_label,set_field:10.175.1.3->tun_dst,output:${port}`,
    '< delete_strict table=2,cookie=0x4/-1,priority=36760,ip,reg0=4,nw_dst=10.0.1.0/24',
    '< delete group_id=1',
  ]);
});

test('a burst of 2,000 prefixes is written in a few processes, not one per flow', async () => {
  recorded();
  const before = gre.ofctl.processes;
  const t0 = Date.now();
  for (let i = 0; i < 2000; i++) await vrf.setupRemoteEndpoint(`10.${100 + (i >> 8)}.${i & 255}.0/24`, '10.175.1.2', 1000 + i, ['gre'], 0);
  await gre.sync.flush();
  const ms = Date.now() - t0;
  const processes = gre.ofctl.processes - before;
  assert.ok(processes <= 6, `${processes} ovs-ofctl processes`);
  assert.equal((await ovs.groups('br-mpls')).length, 2000);
  assert.equal((await flowsOf('table=2')).filter((f) => f.includes('actions=dec_ttl,group:')).length, 2000);
  console.log(`# 2000 prefixes (group + flow each) in ${ms} ms, ${processes} ovs-ofctl processes`);
  for (let i = 0; i < 2000; i++) await vrf.removeRemoteEndpoint(`10.${100 + (i >> 8)}.${i & 255}.0/24`, '10.175.1.2', 1000 + i, ['gre'], 0);
  await gre.sync.flush();
  assert.deepEqual(await ovs.groups('br-mpls'), []);
});

test('a flow OVS refuses is isolated: recorded as an error, the rest of its batch applied', async () => {
  recorded();
  // ovs_port_number 0 is not a port OVS accepts to output to.
  await vrf.updateFallback({ src_mac: '00:00:00:00:00:0a', dst_mac: 'not-a-mac', ovs_port_number: 9 });
  const errors = gre.sync.errors.length;
  assert.ok(errors >= 1, 'error recorded');
  assert.match(gre.sync.errors.at(-1)!.line, /set_field:not-a-mac->eth_dst/);
  await vrf.setupRemoteEndpoint('10.0.9.0/24', '10.175.1.2', 300, ['gre'], 0);
  await gre.sync.flush();
  assert.ok((await flowsOf('table=2')).some((f) => f.includes('nw_dst=10.0.9.0/24')), 'later flows still written');
  await vrf.updateFallback({ src_mac: '00:00:00:00:00:0a', dst_mac: '00:00:00:00:00:0b', ovs_port_number: 9 });
  assert.ok((await flowsOf('table=2')).some((f) => f.startsWith('table=2,priority=36608,reg0=0x4 cookie=0x4 actions=set_field:00:00:00:00:00:0a->eth_src')));
  await vrf.removeRemoteEndpoint('10.0.9.0/24', '10.175.1.2', 300, ['gre'], 0);
});

test('service chaining: classifier flows accepted by OVS, read back equal, removed', async () => {
  await vrf.addTrafficClassifier({ protocol: 'tcp', destinationPrefix: '10.0.2.0/24', destinationPort: { min: 1000, max: 1010 } }, 5);
  const added = (await flowsOf('table=2')).filter((f) => f.includes('tcp,reg0=0x4'));
  assert.deepEqual(added, [
    'table=2,priority=36864,tcp,reg0=0x4,nw_dst=10.0.2.0/24,tp_dst=0x3e8/0xfff8 cookie=0x4 actions=set_field:0x5->reg0,resubmit(,2)',
    'table=2,priority=36864,tcp,reg0=0x4,nw_dst=10.0.2.0/24,tp_dst=0x3f0/0xfffe cookie=0x4 actions=set_field:0x5->reg0,resubmit(,2)',
    'table=2,priority=36864,tcp,reg0=0x4,nw_dst=10.0.2.0/24,tp_dst=1010 cookie=0x4 actions=set_field:0x5->reg0,resubmit(,2)',
  ]);
  const check = await gre.sync.reconcile(true);
  assert.deepEqual([check.missingFlows, check.extraFlows], [0, []]);
  await vrf.removeTrafficClassifier({ protocol: 'tcp', destinationPrefix: '10.0.2.0/24', destinationPort: { min: 1000, max: 1010 } });
  assert.deepEqual((await flowsOf('table=2')).filter((f) => f.includes('tcp,')), []);
});

test('unplug of the last endpoint: every flow of the port and the port we added are gone', async () => {
  await vrf.vifUnplugged('52:54:00:00:00:01', '10.0.0.1', { linuxif: 'vm1' }, 17, 'both', true);
  const left = await flowsOf('cookie=4/-1');
  // The fallback stays with the VRF (it goes at cleanup).
  assert.deepEqual(
    left.map((f) => f.split(' ')[0]),
    ['table=2,priority=36608,reg0=0x4'],
  );
  assert.deepEqual(await ovs.ports('br-mpls'), ['mpls0', 'mpls_gre']);
  await vrf.cleanup();
  assert.deepEqual(await flowsOf('cookie=4/-1'), []);
});

test('bare MPLS: the remote PE MAC from a managed neighbour entry; output by the MPLS interface', async () => {
  const d = driver({ mpls_interface: 'mpls0' });
  await d.start();
  await d.initialize();
  const v = await d.createInstance({ instanceId: 6, vpnInstanceId: 'v6', gatewayIp: '10.0.6.254', subnetLength: 24, instanceLabel: 32 });
  recorded();
  await v.setupRemoteEndpoint('10.0.7.1/32', PE, 500, ['mpls'], 0);
  await d.sync.flush();
  const peMac = (await runOk('ip', ['-n', P, '-j', 'link', 'show', 'pe0'])).match(/"address":"([0-9a-f:]+)"/)![1]!;
  const ifMac = (await inN('cat', '/sys/class/net/mpls0/address')).trim();
  const mpls0 = await ovs.ofport('mpls0');
  const cmds = recorded();
  assert.ok(cmds.includes(`$ ip neigh replace ${PE} dev br-mpls managed`), cmds.join('\n'));
  assert.ok(
    cmds.includes(
      `< add_or_mod group_id=1,type=select,selection_method=hash,fields(ip_src,ip_dst),selection_method_param=0,bucket=bucket_id=0,push_mpls:0x8847,set_field:500->mpls_label,set_field:${ifMac}->eth_src,set_field:${peMac}->eth_dst,output:${mpls0}`,
    ),
    cmds.join('\n'),
  );
  assert.match(await inN('ip', 'neigh', 'show', PE, 'dev', 'br-mpls'), /managed REACHABLE/);
  // A second prefix behind the same PE: no new lookup.
  await v.setupRemoteEndpoint('10.0.7.2/32', PE, 501, ['mpls'], 0);
  assert.ok(!recorded().some((l) => l.includes('neigh')));
  // A PE nobody answers for: the route is not installed, the error says why.
  await assert.rejects(v.setupRemoteEndpoint('10.0.7.3/32', '10.175.1.99', 502, ['mpls'], 0), /MAC address for 10.175.1.99 could not be found on br-mpls/);
  await v.cleanup();
  assert.deepEqual(await ovs.groups('br-mpls'), []);
});

test('restart: what the previous run left is kept, taken over when wanted again (same group), and the rest swept', async () => {
  // A clean bridge (the bare MPLS test left its input flow).
  await driver().resetState();
  const first = driver();
  await first.start();
  assert.equal(await first.adoptState(), false, 'a clean bridge: nothing kept');
  await first.initialize();
  const v1 = await first.createInstance({ instanceId: 8, vpnInstanceId: 'v8', gatewayIp: '10.0.8.254', subnetLength: 24, instanceLabel: 33 });
  await v1.vifPlugged('52:54:00:00:00:08', '10.0.8.1', { linuxif: 'vm1' }, 60, 'both');
  await v1.setupRemoteEndpoint('10.8.1.0/24', '10.175.1.2', 600, ['gre'], 0);
  await v1.setupRemoteEndpoint('10.8.1.0/24', '10.175.1.3', 601, ['gre'], 1);
  await v1.setupRemoteEndpoint('10.8.2.0/24', '10.175.1.2', 602, ['gre'], 0);
  await first.sync.flush();
  const before = await flowsOf();
  const groupsBefore = await ovs.groups('br-mpls');
  assert.equal(groupsBefore.length, 2);
  await first.close();

  // The daemon died: a new one starts, keeps everything, and gets the same port and one of the prefixes again.
  const second = driver();
  await second.start();
  assert.equal(await second.adoptState(), true, 'flows and groups kept: forwarding state to announce');
  await second.initialize();
  assert.deepEqual(await flowsOf(), before, 'nothing flushed at start');
  const v2 = await second.createInstance({ instanceId: 8, vpnInstanceId: 'v8', gatewayIp: '10.0.8.254', subnetLength: 24, instanceLabel: 33 });
  await v2.vifPlugged('52:54:00:00:00:08', '10.0.8.1', { linuxif: 'vm1' }, 60, 'both');
  await v2.setupRemoteEndpoint('10.8.1.0/24', '10.175.1.2', 600, ['gre'], 0);
  await v2.setupRemoteEndpoint('10.8.1.0/24', '10.175.1.3', 601, ['gre'], 1);
  // A new prefix gets a group id the previous run did not use.
  await v2.setupRemoteEndpoint('10.8.3.0/24', '10.175.1.2', 603, ['gre'], 0);
  await second.sync.flush();
  const p1 = groupsBefore.find((g) => g.includes('set_field:600->mpls_label'))!;
  assert.ok((await ovs.groups('br-mpls')).includes(p1), 'the group of 10.8.1.0/24 taken over, same id and buckets');
  const after = await flowsOf();
  for (const f of before) assert.ok(after.includes(f), `kept until the sweep: ${f}`);

  await second.sweep();
  const swept = await flowsOf();
  assert.ok(!swept.some((f) => f.includes('nw_dst=10.8.2.0/24')), 'the prefix nobody wanted again is gone');
  assert.ok(swept.some((f) => f.includes('nw_dst=10.8.1.0/24')));
  assert.ok(swept.some((f) => f.includes('nw_dst=10.8.3.0/24')));
  const groups = await ovs.groups('br-mpls');
  assert.equal(groups.length, 2);
  assert.notEqual(groups.find((g) => g.includes('set_field:603->mpls_label'))?.split(',')[0], groupsBefore.find((g) => g.includes('set_field:602->mpls_label'))?.split(',')[0]);
  const lg = second.lookingGlass() as { flow_state: { last_reconcile: { extraFlows: string[]; extraGroups: number[]; missingFlows: number } } };
  assert.equal(lg.flow_state.last_reconcile.extraFlows.length, 1, lg.flow_state.last_reconcile.extraFlows.join("\n"));
  assert.equal(lg.flow_state.last_reconcile.extraGroups.length, 1);
  assert.equal(lg.flow_state.last_reconcile.missingFlows, 0);
  // A second reconciliation finds nothing to do.
  const again = await second.sync.reconcile(true);
  assert.deepEqual([again.extraFlows, again.missingFlows, again.extraGroups, again.missingGroups], [[], 0, [], []]);
  await v2.cleanup();
});

test('reset_state (bagpipe-bgp-cleanup): every flow and group of ours goes, the bridge\'s other flows stay', async () => {
  const d = driver();
  await d.start();
  await d.initialize();
  const v = await d.createInstance({ instanceId: 9, vpnInstanceId: 'v9', gatewayIp: '10.0.9.254', subnetLength: 24, instanceLabel: 34 });
  await v.vifPlugged('52:54:00:00:00:09', '10.0.9.1', { linuxif: 'vm2' }, 70, 'both');
  await v.setupRemoteEndpoint('10.9.1.0/24', '10.175.1.2', 700, ['gre'], 0);
  await d.sync.flush();
  await ovs.ofctl('add-flow', 'br-mpls', 'table=0,priority=100,in_port=LOCAL,actions=NORMAL');
  recorded();
  await driver().resetState();
  assert.deepEqual(recorded().filter((l) => l.includes('ovs-ofctl') || l.startsWith('<')), [
    '$ ovs-ofctl -O OpenFlow15 --bundle add-flows br-mpls -',
    '< delete table=0,mpls',
    '< delete table=0,ip',
    '< delete table=0,arp',
    '< delete table=1',
    '< delete table=2',
    '$ ovs-ofctl -O OpenFlow15 del-groups br-mpls',
  ]);
  assert.deepEqual(await flowsOf(), ['table=0,priority=0, cookie=0x0 actions=NORMAL', 'table=0,priority=100,in_port=LOCAL cookie=0x0 actions=NORMAL']);
  assert.deepEqual(await ovs.groups('br-mpls'), []);
  await ovs.vsctl('del-port', 'br-mpls', 'vm2');
});

test('vxlan_encap: the VXLAN port and its input flow; VXLAN routes get a VNI and the tunnel, a local endpoint its VXLAN twin', async () => {
  await driver().resetState();
  const d = driver({ vxlan_encap: true });
  await d.start();
  await d.initialize();
  assert.deepEqual(d.supportedEncaps, ['gre', 'default', 'vxlan']);
  const vxlan = await ovs.ofport('vxlan');
  assert.equal((await ovs.vsctl('get', 'Interface', 'vxlan', 'type')).trim(), 'vxlan');
  assert.equal((await ovs.vsctl('get', 'Interface', 'vxlan', 'options')).trim(), `{key=flow, local_ip="${LOCAL}", remote_ip=flow}`);
  assert.ok((await flowsOf('table=0')).includes(`table=0,priority=36864,in_port=${vxlan} cookie=0x0 actions=resubmit(,1)`));
  const v = await d.createInstance({ instanceId: 10, vpnInstanceId: 'v10', gatewayIp: '10.0.10.254', subnetLength: 24, instanceLabel: 35 });
  await v.vifPlugged('52:54:00:00:00:10', '10.0.10.1', { linuxif: 'vm2' }, 80, 'to-port');
  // to-port only: no input flows; the encap-in flow and its VXLAN twin (and, as in the original,
  // the ARP responder of the VRF's first port).
  assert.deepEqual(
    (await flowsOf('cookie=10/-1')).map((f) => f.split(' ')[0]),
    ['table=1,priority=36864,mpls,mpls_label=80,mpls_bos=1', `table=1,priority=36864,tun_id=0x50,in_port=${vxlan}`, 'table=2,priority=36864,arp,reg0=0xa,arp_op=1'],
  );
  await v.setupRemoteEndpoint('10.10.1.0/24', '10.175.1.2', 800, ['vxlan', 'gre'], 0);
  await v.setupRemoteEndpoint('10.10.2.0/24', '10.175.1.2', 801, ['gre'], 0);
  await d.sync.flush();
  const groups = await ovs.groups('br-mpls');
  const gre = await ovs.ofport('mpls_gre');
  assert.ok(groups.some((g) => g.endsWith(`actions=set_field:0x320->tun_id,set_field:10.175.1.2->tun_dst,output:${vxlan}`)), groups.join('\n'));
  assert.ok(groups.some((g) => g.endsWith(`actions=push_mpls:0x8847,set_field:801->mpls_label,set_field:10.175.1.2->tun_dst,output:${gre}`)), groups.join('\n'));
  const check = await d.sync.reconcile(true);
  assert.deepEqual([check.missingFlows, check.extraFlows], [0, []]);
  await v.cleanup();
  await d.resetState();
  await ovs.vsctl('del-port', 'br-mpls', 'vxlan');
});
