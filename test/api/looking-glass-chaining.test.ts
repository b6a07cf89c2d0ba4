/**
 * The looking glass of service chaining and of an E-VPN plugged into an IP VPN (looking-glass.md
 * §2.8): a VRF's `readvertise`, `attract_traffic` and `readvertised` nodes, the redirect instance
 * among the instances, and the EVI's `gateway_port` (the veth made in a namespace this test
 * creates: the root helper is `ip netns exec <ns>`).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PrivilegedExec } from '../../src/dataplane/exec/privileged-exec.js';
import { RootHelper } from '../../src/dataplane/exec/root-helper.js';
import { CommandLinkPlumbing } from '../../src/dataplane/links.js';
import { redirectToVrf, routeTarget } from '../../src/wire/ext-communities/index.js';
import { fromMplsLabel } from '../../src/wire/label.js';
import { run, runOk } from '../scenario/harness/process.js';
import { Collector } from '../scenario/harness/speaker.js';
import { call, HOST, post, startApi, type Api } from './helpers.js';

const NS = `bglgc${process.pid % 100000}`;
let exec: PrivilegedExec;
let api: Api;

before(async () => {
  await runOk('ip', ['netns', 'add', NS]);
  exec = new PrivilegedExec(new RootHelper(`ip netns exec ${NS}`));
  api = await startApi(new CommandLinkPlumbing(exec));
});
after(async () => {
  await api.close();
  await api.vpn.stop();
  await exec.close();
  await run('ip', ['netns', 'del', NS]);
});

const get = async (path: string): Promise<unknown> => (await call(api.port, 'GET', `/looking-glass/${path}`, undefined, { Accept: 'application/json' })).json();

test('readvertise, attract_traffic and readvertised of a chaining VRF; the redirect instance it makes', async () => {
  const classifier = { destinationPort: '80', protocol: 'tcp' };
  const body = {
    vpn_type: 'ipvpn',
    vpn_instance_id: 'chain',
    mac_address: '52:54:00:00:0c:01',
    ip_address: '10.12.0.1',
    local_port: 'tap-c1',
    import_rt: ['64512:120'],
    export_rt: ['64512:120'],
    gateway_ip: '10.12.0.254',
    readvertise: { from_rt: ['64512:121'], to_rt: ['64512:122'] },
    attract_traffic: { redirect_rts: ['64512:123'], classifier },
  };
  assert.equal((await post(api.port, '/attach_localport', body)).status, 200);
  assert.deepEqual(await get('vpns/instances/chain/readvertise'), { from: ['target:64512:121'], to: ['target:64512:122'] });
  assert.deepEqual(await get('vpns/instances/chain/attract_traffic'), { redirect_rts: ['target:64512:123'], classifier, to: ['target:64512:122'], static_destination_prefixes: null });
  assert.deepEqual(await get('vpns/instances/chain/readvertised'), []);
  const remote = new Collector('remote', api.bgp.rtm);
  remote.advertise(1, 128, { kind: 'vpn', labels: [fromMplsLabel(300)], rd: { type: 0, value: '64512:9' }, prefix: '10.12.5.0/24' }, [{ type: 'ext-communities', communities: [routeTarget('64512:121')] }], '127.0.142.9');
  remote.advertise(1, 134, { kind: 'flowspec', rd: { type: 0, value: '64512:9' }, components: [{ type: 'destination-prefix', prefix: '10.12.6.0/24' }] }, [{ type: 'ext-communities', communities: [routeTarget('64512:120'), redirectToVrf('64512:124')] }], undefined);
  await api.vpn.settled();
  const readvertised = (await get('vpns/instances/chain/readvertised')) as Record<string, unknown>[];
  assert.equal(readvertised.length, 1);
  assert.match(Object.keys(readvertised[0]!)[0]!, /10\.12\.5\.0\/24/);
  const ids = ((await get('vpns/instances')) as { id: string }[]).map((i) => i.id);
  assert.ok(ids.includes('redirect-to-ipvpn-64512_124'), JSON.stringify(ids));
  assert.deepEqual(await get('vpns/instances/redirect-to-ipvpn-64512_124/route_targets'), { import: ['target:64512:124'], export: [] });
  assert.equal(await get('vpns/instances/redirect-to-ipvpn-64512_124/gateway_ip'), '127.0.0.1');
});

test("an E-VPN plugged into an IP VPN: the EVI's gateway_port names the veth and links the VRF", async () => {
  const evpn = { vpn_type: 'evpn', vpn_instance_id: 'l2', mac_address: '52:54:00:00:0c:02', ip_address: '10.13.0.2', local_port: 'tap-l2', import_rt: '64512:130', export_rt: '64512:130' };
  const ipvpn = { vpn_type: 'ipvpn', vpn_instance_id: 'l3', mac_address: '52:54:00:00:0c:03', ip_address: '10.13.0.3', local_port: { evpn: { id: 'l2' } }, import_rt: '64512:131', export_rt: '64512:131', gateway_ip: '10.13.0.254' };
  for (const b of [evpn, ipvpn]) assert.equal((await post(api.port, '/attach_localport', b)).status, 200);
  const e = api.vpn.instances.get('l2')!.settings.instanceId;
  const v = api.vpn.instances.get('l3')!;
  assert.deepEqual(await get('vpns/instances/l2/gateway_port'), {
    interface: `'evpn${e}-ipvpn${v.settings.instanceId}'`,
    ipvpn: { href: `http://${HOST}:${api.port}/looking-glass/vpns/instances/l3`, id: v.name, external_instance_id: 'l3' },
  });
  assert.deepEqual(Object.keys((await get('vpns/instances/l3/ports')) as object), [`ipvpn${v.settings.instanceId}-evpn${e}`]);
  const detach = { vpn_type: 'ipvpn', vpn_instance_id: 'l3', mac_address: ipvpn.mac_address, ip_address: ipvpn.ip_address, local_port: ipvpn.local_port };
  assert.equal((await post(api.port, '/detach_localport', detach)).status, 200);
  assert.equal((await call(api.port, 'GET', '/looking-glass/vpns/instances/l2/gateway_port')).status, 404, 'null again: a 404 as in the original');
});
