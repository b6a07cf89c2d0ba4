/**
 * An E-VPN plugged into an IP VPN (spec vpn.md §6, checklist J1-J3): the veth pair made for real
 * with the original's names and commands, inside a namespace this test creates (the root helper
 * is `ip netns exec <ns>`), the VRF endpoint on the VRF side, the EVI's gateway port on the other,
 * the 500s, idempotency, detach and instance removal undoing the plug.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PrivilegedExec } from '../../src/dataplane/exec/privileged-exec.js';
import { RootHelper } from '../../src/dataplane/exec/root-helper.js';
import { CommandLinkPlumbing } from '../../src/dataplane/links.js';
import { DummyDataplaneDriver } from '../../src/dataplane/dummy.js';
import { BgpManager } from '../../src/session/bgp-manager.js';
import { memoryLogger } from '../../src/util/logger.js';
import { InternalError } from '../../src/vpn/errors.js';
import type { Vrf } from '../../src/vpn/vrf.js';
import { VpnManager } from '../../src/vpn/vpn-manager.js';
import { run, runOk } from '../scenario/harness/process.js';
import { attach, detach, ip, LOCAL } from './helpers.js';

const NS = `bgsfc${process.pid % 100000}`;
let exec: PrivilegedExec;

before(async () => {
  await runOk('ip', ['netns', 'add', NS]);
  exec = new PrivilegedExec(new RootHelper(`ip netns exec ${NS}`));
});
after(async () => {
  await exec.close();
  await run('ip', ['netns', 'del', NS]);
});

function node(): { vpn: VpnManager; evpn: DummyDataplaneDriver<'evpn'>; ipvpn: DummyDataplaneDriver<'ipvpn'> } {
  const log = memoryLogger();
  const bgp = new BgpManager({ localAddress: LOCAL, localAs: 64512, enableRtc: true, peerPort: 179, peers: [] }, log);
  const ipvpn = new DummyDataplaneDriver('ipvpn', LOCAL, {}, log);
  const evpn = new DummyDataplaneDriver('evpn', LOCAL, {}, log);
  const vpn = new VpnManager({ rtm: bgp.rtm, localAddress: LOCAL, drivers: { ipvpn, evpn }, log, salt: 't', links: new CommandLinkPlumbing(exec) });
  return { vpn, evpn, ipvpn };
}

interface Link {
  ifname: string;
  mtu: number;
  flags: string[];
  linkinfo?: { info_kind?: string };
}
async function links(): Promise<Link[]> {
  return JSON.parse(await runOk('ip', ['netns', 'exec', NS, 'ip', '-d', '-j', 'link', 'show'])) as Link[];
}
const names = async (): Promise<string[]> => (await links()).map((l) => l.ifname).filter((n) => n !== 'lo').sort();

const EVI = attach({ vpnType: 'evpn', vpnInstanceId: 'net-l2', macAddress: '52:54:00:00:00:0e', ip: ip('10.0.0.14'), localPort: { linuxif: 'tap-e' }, gatewayIp: null });
const PLUG = attach({ vpnInstanceId: 'net-l3', macAddress: '52:54:00:00:00:01', ip: ip('10.0.0.1'), localPort: { evpn: { id: 'net-l2' } }, gatewayIp: '10.0.0.254' });

test('plug: veth evpnE-ipvpnV / ipvpnV-evpnE (VRF side mtu 65535, up), VRF endpoint on the VRF side, EVI gateway port on the other; idempotent', async () => {
  const n = node();
  await n.vpn.attach(EVI);
  await n.vpn.attach(PLUG);
  const evi = n.vpn.instances.get('net-l2')!;
  const vrf = n.vpn.instances.get('net-l3') as Vrf;
  const e = evi.settings.instanceId;
  const v = vrf.settings.instanceId;
  assert.deepEqual(await names(), [`evpn${e}-ipvpn${v}`, `ipvpn${v}-evpn${e}`]);
  for (const l of await links()) {
    if (l.ifname === 'lo') continue;
    assert.equal(l.linkinfo?.info_kind, 'veth');
    // The original's `ip link add A type veth peer name B mtu 65535` sets the MTU of the peer only.
    assert.equal(l.mtu, l.ifname.startsWith('ipvpn') ? 65535 : 1500);
    assert.ok(l.flags.includes('UP'), `${l.ifname} up`);
  }
  assert.deepEqual([...vrf.ports.keys()], [`ipvpn${v}-evpn${e}`]);
  const dpCalls = (i: typeof evi): [string, Record<string, unknown>][] => (i.dataplaneInfo().calls as { call: string; args: Record<string, unknown> }[]).map((c) => [c.call, c.args]);
  assert.deepEqual(dpCalls(evi).find((c) => c[0] === 'setGatewayPort'), ['setGatewayPort', { linuxif: `evpn${e}-ipvpn${v}`, gatewayIp: '10.0.0.254' }]);
  assert.deepEqual(dpCalls(vrf).find((c) => c[0] === 'vifPlugged')?.[1].port, { evpn: { id: 'net-l2' }, linuxif: `ipvpn${v}-evpn${e}` });
  // Same request again: the recorded interface is reused, nothing new.
  await n.vpn.attach(PLUG);
  assert.equal(dpCalls(evi).filter((c) => c[0] === 'setGatewayPort').length, 1);
  // A second endpoint on the same plug, then the detaches: the link goes with the last one.
  await n.vpn.attach({ ...PLUG, macAddress: '52:54:00:00:00:02', ip: ip('10.0.0.2') });
  await n.vpn.detach(detach({ vpnInstanceId: 'net-l3', macAddress: '52:54:00:00:00:02', ip: ip('10.0.0.2'), localPort: { evpn: { id: 'net-l2' } } }));
  assert.equal((await names()).length, 2, 'still used by the first endpoint');
  await n.vpn.detach(detach({ vpnInstanceId: 'net-l3', localPort: { evpn: { id: 'net-l2' } } }));
  assert.deepEqual(await names(), []);
  assert.deepEqual(dpCalls(evi).filter((c) => c[0] === 'gatewayPortDown'), [['gatewayPortDown', { linuxif: `evpn${e}-ipvpn${v}` }]]);
  assert.equal(n.vpn.instances.has('net-l3'), false);
  await n.vpn.stop();
});

test('errors are 500s and leave nothing: no id, unknown or non-E-VPN instance, linuxif given, E-VPN plugged elsewhere, another E-VPN already plugged', async () => {
  const n = node();
  await n.vpn.attach(EVI);
  const refused = async (lp: Record<string, unknown>, id = 'net-l3', message?: RegExp): Promise<void> => {
    await assert.rejects(n.vpn.attach({ ...PLUG, vpnInstanceId: id, localPort: lp as never }), (e: unknown) => e instanceof InternalError && (!message || message.test(e.message)));
  };
  await refused({ evpn: {} }, 'net-l3', /no 'id'/);
  await refused({ evpn: { id: 'nope' } }, 'net-l3', /no E-VPN instance 'nope'/);
  await n.vpn.attach(attach({ vpnInstanceId: 'other-l3' }));
  await refused({ evpn: { id: 'other-l3' } }, 'net-l3', /is not an E-VPN/);
  await refused({ evpn: { id: 'net-l2' }, linuxif: 'x' }, 'net-l3', /'linuxif' cannot be given/);
  await refused({ evpn: { id: 'net-l2', ovs_port_name: 'p1' } }, 'net-l3', /needs local_port.ovs/);
  assert.equal(n.vpn.instances.has('net-l3'), false, 'no VRF left behind');
  assert.deepEqual(await names(), []);
  await n.vpn.attach(PLUG);
  await refused({ evpn: { id: 'net-l2' } }, 'third-l3', /already plugged into IP VPN net-l3/);
  await n.vpn.attach({ ...EVI, vpnInstanceId: 'net2-l2', vni: 0 });
  await refused({ evpn: { id: 'net2-l2' } }, 'net-l3', /already has E-VPN net-l2 plugged/);
  // Shutdown undoes the plug (the original's stopped at a failing ovs-vsctl).
  await n.vpn.stop();
  assert.deepEqual(await names(), []);
});

test('a detach without the evpn key keeps the plug (quirk); the VRF going away takes it', async () => {
  const n = node();
  await n.vpn.attach(EVI);
  await n.vpn.attach(PLUG);
  await n.vpn.attach({ ...PLUG, macAddress: '52:54:00:00:00:02', ip: ip('10.0.0.2') });
  await n.vpn.detach(detach({ vpnInstanceId: 'net-l3', macAddress: '52:54:00:00:00:02', ip: ip('10.0.0.2'), localPort: { linuxif: 'whatever' } }));
  assert.equal((await names()).length, 2);
  await n.vpn.detach(detach({ vpnInstanceId: 'net-l3', localPort: { linuxif: 'whatever' } }));
  assert.equal(n.vpn.instances.has('net-l3'), false);
  assert.deepEqual(await names(), [], 'removed with the VRF');
  assert.equal(n.vpn.instances.get('net-l2')!.constructor.name, 'Evi');
  await n.vpn.stop();
});
