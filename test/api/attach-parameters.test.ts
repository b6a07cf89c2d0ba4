/**
 * Attach parameters one by one (spec rest-api.md §4.1): what each changes, its default, its scope
 * (creation / instance / endpoint), as seen through the routes, the dummy dataplane's recorded
 * calls and the looking glass.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DataplaneCall } from '../../src/dataplane/dummy.js';
import type { RouteEntry } from '../../src/rib/route-entry.js';
import { call, post, startApi, type Api } from './helpers.js';

const BASE = {
  vpn_type: 'ipvpn',
  mac_address: '52:54:00:00:00:01',
  ip_address: '10.0.0.1',
  local_port: { linuxif: 'tap1' },
  import_rt: ['64512:1'],
  export_rt: ['64512:1'],
  gateway_ip: '10.0.0.254',
};

function localPref(r: RouteEntry | undefined): number | undefined {
  const a = r?.attributes.find((x) => x.type === 'local-pref');
  return a?.type === 'local-pref' ? a.value : undefined;
}

describe('attach parameters', () => {
  let api: Api;
  before(async () => {
    api = await startApi();
  });
  after(async () => {
    await api.close();
  });
  const ok = async (body: Record<string, unknown>): Promise<void> => {
    const r = await post(api.port, '/attach_localport', body);
    assert.equal(r.status, 200, `${JSON.stringify(body)} → ${r.body}`);
  };
  const routes = (id: string): RouteEntry[] => api.vpn.instances.get(id)!.advertisedRoutes();
  const calls = (id: string): DataplaneCall[] => api.vpn.instances.get(id)!.dataplaneInfo().calls as DataplaneCall[];

  test('local_pref: 0 and null mean 100 (falsy); a value replaces the route', async () => {
    await ok({ ...BASE, vpn_instance_id: 'lp', local_pref: 0 });
    assert.equal(localPref(routes('lp')[0]), 100);
    await ok({ ...BASE, vpn_instance_id: 'lp', local_pref: null });
    assert.equal(localPref(routes('lp')[0]), 100);
    await ok({ ...BASE, vpn_instance_id: 'lp', local_pref: 250 });
    assert.equal(localPref(routes('lp')[0]), 250);
  });

  test('direction: null / "" mean both; to-port and from-port refused by the dummy driver (400), nothing created', async () => {
    await ok({ ...BASE, vpn_instance_id: 'dir1', direction: null });
    await ok({ ...BASE, vpn_instance_id: 'dir2', direction: '' });
    for (const d of ['to-port', 'from-port']) {
      const r = await post(api.port, '/attach_localport', { ...BASE, vpn_instance_id: 'dir3', direction: d });
      assert.deepEqual([r.status, (r.json() as { description: string }).description], [400, `API error: Unsupported direction: ${d}`]);
    }
    assert.equal(api.vpn.instances.has('dir3'), false);
    // On a refresh the dataplane is not called, so the direction is not checked (the original too).
    const r = await post(api.port, '/attach_localport', { ...BASE, vpn_instance_id: 'dir1', direction: 'to-port' });
    assert.equal(r.status, 200);
  });

  test('description per endpoint, instance_description overwritten by every attach (null when absent)', async () => {
    await ok({ ...BASE, vpn_instance_id: 'desc', description: { port: 'p1' }, instance_description: 'first' });
    const inst = api.vpn.instances.get('desc')!;
    assert.equal(inst.description, 'first');
    let list = (await call(api.port, 'GET', '/looking-glass/vpns/instances')).json() as { id: string; description?: string }[];
    assert.equal(list.find((i) => i.id === 'desc')!.description, 'first');
    await ok({ ...BASE, vpn_instance_id: 'desc', description: { port: 'p2' } });
    assert.equal(inst.description, null, 'overwritten with null (quirk)');
    list = (await call(api.port, 'GET', '/looking-glass/vpns/instances')).json() as { id: string; description?: string }[];
    assert.equal('description' in list.find((i) => i.id === 'desc')!, false);
    const ports = (await call(api.port, 'GET', '/looking-glass/vpns/instances/desc/ports')).json() as Record<string, { endpoints: { description: unknown }[] }>;
    assert.deepEqual(ports.tap1!.endpoints[0]!.description, { port: 'p2' });
  });

  test('fallback: given to the dataplane at creation and when it changes (instance scope)', async () => {
    const fb = { src_mac: '00:00:5e:2a:10:00', dst_mac: 'fa:16:3e:aa:bb:cc', ovs_port_number: 4 };
    await ok({ ...BASE, vpn_instance_id: 'fb', fallback: fb });
    await ok({ ...BASE, vpn_instance_id: 'fb', fallback: fb });
    await ok({ ...BASE, vpn_instance_id: 'fb', fallback: null });
    await ok({ ...BASE, vpn_instance_id: 'fb', fallback: { ...fb, ovs_port_number: 5 } });
    assert.deepEqual(
      calls('fb').filter((c) => c.call === 'updateFallback').map((c) => (c.args.fallback as { ovs_port_number: number }).ovs_port_number),
      [4, 5],
    );
    const inst = (await call(api.port, 'GET', '/looking-glass/vpns/instances/fb')).json() as { fallback: unknown };
    assert.deepEqual(inst.fallback, { ...fb, ovs_port_number: 5 });
  });

  test('creation scope: vni, gateway_ip, linuxbr taken at creation only; an IP VPN vni is its instance label', async () => {
    const evpn = { ...BASE, vpn_type: 'evpn', vpn_instance_id: 'cr', vni: 900, linuxbr: 'brq-1', import_rt: '64512:9', export_rt: '64512:9' };
    await ok(evpn);
    const inst = api.vpn.instances.get('cr')!;
    assert.equal(inst.instanceLabel, 900);
    await ok({ ...evpn, mac_address: '52:54:00:00:00:02', ip_address: '10.0.0.2', vni: 901, linuxbr: 'other', gateway_ip: '1.1.1.1' });
    assert.equal(api.vpn.instances.get('cr'), inst, 'same instance');
    assert.equal(inst.instanceLabel, 900);
    assert.equal(inst.settings.linuxbr, 'brq-1');
    const lg = (await call(api.port, 'GET', '/looking-glass/vpns/instances/cr')).json() as Record<string, unknown>;
    assert.deepEqual([lg.instance_dataplane_id, lg.gateway_ip, lg.subnet_prefix_length], [900, '10.0.0.254', 32], 'the gateway of the creating attach');
    const perVni = (await call(api.port, 'GET', '/looking-glass/vpns/instances_per_vni')).json() as Record<string, unknown>;
    assert.deepEqual(perVni['900'], { name: inst.name, external_instance_id: 'cr' });
    await ok({ ...BASE, vpn_instance_id: 'vrfvni', vni: 777, linuxbr: 'ignored-for-ipvpn', gateway_ip: null });
    const vrf = api.vpn.instances.get('vrfvni')!;
    assert.deepEqual([vrf.instanceLabel, vrf.settings.linuxbr, vrf.settings.gatewayIp], [777, undefined, null]);
  });

  test('advertise_subnet: E-VPN with a non-/32 prefix is a 500 and leaves nothing; unknown keys are ignored', async () => {
    const r = await post(api.port, '/attach_localport', { ...BASE, vpn_type: 'evpn', vpn_instance_id: 'sub', ip_address: '10.0.0.1/24', advertise_subnet: true });
    assert.equal(r.status, 500);
    assert.equal(api.vpn.instances.has('sub'), false);
    await ok({ ...BASE, vpn_type: 'evpn', vpn_instance_id: 'sub', ip_address: '10.0.0.1/24', advertise_subnet: false, whatever: [1, 2], external_instance_id: 'x' });
    const mac = routes('sub').find((e) => e.nlri.kind === 'evpn' && e.nlri.routeType === 2)!;
    assert.equal((mac.nlri as { ip?: string }).ip, '10.0.0.1', 'advertised as a /32');
  });

  test('multiple IPs per MAC share its label; a MAC moved to another port is refused', async () => {
    await ok({ ...BASE, vpn_instance_id: 'multi' });
    await ok({ ...BASE, vpn_instance_id: 'multi', ip_address: '10.0.0.5' });
    const inst = api.vpn.instances.get('multi')!;
    assert.equal(inst.macs.size, 1);
    const labels = new Set(routes('multi').map((e) => (e.nlri.kind === 'vpn' ? e.nlri.labels[0] : undefined)));
    assert.equal(labels.size, 1, 'one label for the MAC');
    assert.equal(routes('multi').length, 2);
    const r = await post(api.port, '/attach_localport', { ...BASE, vpn_instance_id: 'multi', ip_address: '10.0.0.6', local_port: { linuxif: 'tap1', ovs: { plugged: true } } });
    assert.equal(r.status, 400);
    assert.match((r.json() as { description: string }).description, /^API error: Port information is not consistent/);
  });
});
