/**
 * The REST API over HTTP (spec rest-api.md): paths and methods, suffixes, /ping, error bodies by
 * Accept, the validation order and its messages (400 vs 500), idempotency, sequential
 * processing, detach errors, and the first looking-glass nodes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, post, startApi, type Api } from './helpers.js';

const IPVPN = {
  vpn_type: 'ipvpn',
  vpn_instance_id: 'i1',
  mac_address: '52:54:00:00:00:01',
  ip_address: '10.0.0.1',
  local_port: { linuxif: 'tap1' },
  import_rt: ['64512:1'],
  export_rt: ['64512:1'],
  gateway_ip: '10.0.0.254',
};
const EVPN = {
  vpn_type: 'evpn',
  vpn_instance_id: 'e1',
  mac_address: '52:54:00:00:00:02',
  ip_address: '10.0.1.2',
  local_port: { linuxif: 'tap2' },
  import_rt: '64512:2',
  export_rt: '64512:2',
};

function without(o: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  const c = { ...o };
  for (const k of keys) delete c[k];
  return c;
}

describe('REST API', () => {
  let api: Api;
  before(async () => {
    api = await startApi();
  });
  after(async () => {
    await api.close();
  });

  test('/ping: the same big integer for any method, raw in the body, ≥ 2 characters, not 0 or -1', async () => {
    const r = await call(api.port, 'GET', '/ping');
    assert.equal(r.status, 200);
    assert.match(r.body, /^\d{2,39}$/);
    assert.notEqual(r.body, '0');
    assert.equal(r.headers['content-type'], 'application/json');
    for (const m of ['POST', 'PUT', 'DELETE']) assert.equal((await call(api.port, m, '/ping')).body, r.body, m);
    assert.equal((await call(api.port, 'GET', '/ping/')).body, r.body);
    assert.equal((await call(api.port, 'GET', '/ping.json')).body, r.body);
    const other = await startApi();
    try {
      assert.notEqual((await call(other.port, 'GET', '/ping')).body, r.body, 'a new process draws a new number');
    } finally {
      await other.close();
    }
  });

  test('paths and methods: {} on GET, 405 otherwise, 404 for unknown paths and guessed extensions', async () => {
    for (const p of ['/', '/attach_localport', '/detach_localport', '/attach_localport/', '/detach_localport.json']) {
      const r = await call(api.port, 'GET', p);
      assert.deepEqual([r.status, r.body], [200, '{}'], p);
    }
    const head = await call(api.port, 'HEAD', '/attach_localport');
    assert.deepEqual([head.status, head.body], [200, '']);
    for (const [m, p] of [['POST', '/'], ['PUT', '/'], ['DELETE', '/'], ['PUT', '/attach_localport'], ['DELETE', '/detach_localport'], ['POST', '/looking-glass'], ['DELETE', '/looking-glass/summary']]) {
      assert.equal((await call(api.port, m!, p!)).status, 405, `${m} ${p}`);
    }
    for (const p of ['/nope', '/ping/x', '/attach_localport.html', '/looking-glass.xml']) assert.equal((await call(api.port, 'GET', p)).status, 404, p);
  });

  test('error bodies: JSON {code,title,description} with Accept: application/json, HTML otherwise', async () => {
    const j = await call(api.port, 'POST', '/attach_localport', '{}', { Accept: 'application/json' });
    assert.equal(j.status, 400);
    assert.equal(j.headers['content-type'], 'application/json');
    assert.deepEqual(j.json(), { code: 400, title: 'Bad Request', description: 'API error: missing instance_type' });
    const h = await call(api.port, 'POST', '/attach_localport', '{"vpn_type": "<x>"}');
    assert.equal(h.status, 400);
    assert.equal(h.headers['content-type'], 'text/html; charset=UTF-8');
    assert.match(h.body, /<title>400 Bad Request<\/title>/);
    assert.match(h.body, /<br \/><br \/>\nAPI error: unknown vpn_type: &lt;x&gt;\n/);
    const m = await call(api.port, 'PUT', '/attach_localport', undefined, { Accept: 'application/json' });
    assert.deepEqual(m.json(), { code: 405, title: 'Method Not Allowed', description: null });
  });

  test('attach validation: order and messages of every 400 and 500 (rest-api.md §4.2)', async () => {
    const RDV = { from_rt: ['64512:9'], to_rt: ['64512:10'] };
    const cases: [unknown, number, string][] = [
      ['not json', 400, 'No local port details received'],
      ['', 400, 'No local port details received'],
      [[], 500, 'An error occurred during local port plug to VPN'],
      ['"x"', 500, 'An error occurred during local port plug to VPN'],
      ['null', 500, 'An error occurred during local port plug to VPN'],
      [{}, 400, 'API error: missing instance_type'],
      [{ ...IPVPN, vpn_type: 'l3vpn' }, 400, 'API error: unknown vpn_type: l3vpn'],
      [without(IPVPN, 'vpn_instance_id', 'mac_address'), 400, "API error: Missing parameter: 'vpn_instance_id'"],
      [without(IPVPN, 'mac_address', 'local_port'), 400, "API error: Missing parameter: 'mac_address'"],
      [without(IPVPN, 'local_port', 'ip_address'), 400, "API error: Missing parameter: 'local_port'"],
      [without(IPVPN, 'ip_address', 'import_rt'), 400, "API error: Missing parameter: 'ip_address'"],
      [without(IPVPN, 'import_rt', 'export_rt'), 400, "API error: Missing parameter: 'import_rt'"],
      [without(IPVPN, 'export_rt'), 400, "API error: Missing parameter: 'export_rt'"],
      [without(EVPN, 'import_rt'), 400, "API error: Missing parameter: 'import_rt'"],
      [{ ...IPVPN, local_port: { ovs: {} }, mac_address: 'bad' }, 400, 'API error: Mandatory key is missing in local_port parameter (linuxif, or evpn)'],
      [{ ...IPVPN, mac_address: '52:54:00:00:00', ip_address: 'bad' }, 400, 'API error: MAC address 52:54:00:00:00 is not valid'],
      [{ ...IPVPN, ip_address: '10.0.0.256', advertise_subnet: 1 }, 400, 'API error: IP address 10.0.0.256 is not valid'],
      [{ ...IPVPN, ip_address: '10.0.0.1/33' }, 400, 'API error: IP address 10.0.0.1/33 is not valid'],
      [{ ...IPVPN, advertise_subnet: 'yes', direction: 'up' }, 400, "API error: 'advertise_subnet' must be a boolean"],
      [{ ...IPVPN, advertise_subnet: null }, 400, "API error: 'advertise_subnet' must be a boolean"],
      [{ ...without(IPVPN, 'gateway_ip'), direction: 'up' }, 400, 'API error: direction should be one of: both, to-port, from-port'],
      [without(IPVPN, 'gateway_ip'), 400, "API error: Missing parameter: 'gateway_ip'"],
      [{ ...IPVPN, vni: 'x', import_rt: ['bad'] }, 400, "API error: 'vni' must be an integer between 0 and 16777215"],
      [{ ...IPVPN, local_pref: -1 }, 400, "API error: 'local_pref' must be an integer between 0 and 4294967295"],
      [{ ...IPVPN, vpn_instance_id: 7 }, 400, "API error: 'vpn_instance_id' must be a string"],
      [{ ...IPVPN, local_port: { linuxif: 5 } }, 400, "API error: 'local_port/linuxif' must be a non-empty string"],
      [{ ...IPVPN, import_rt: ['64512:1', '65536:1'] }, 500, 'An error occurred during local port plug to VPN'],
      [{ ...IPVPN, export_rt: ['192.0.2.1:1'] }, 500, 'An error occurred during local port plug to VPN'],
      [{ ...IPVPN, import_rt: 5 }, 500, 'An error occurred during local port plug to VPN'],
      // Service chaining (rest-api.md §4.1, §4.4): route targets and mandatory keys (500), then the instance's rules (400).
      [{ ...IPVPN, readvertise: { from_rt: ['64512:9'] } }, 500, 'An error occurred during local port plug to VPN'],
      [{ ...IPVPN, readvertise: { from_rt: '64512:9', to_rt: ['64512:10'] } }, 500, 'An error occurred during local port plug to VPN'],
      [{ ...IPVPN, readvertise: { from_rt: ['64512:9'], to_rt: ['bad'] } }, 500, 'An error occurred during local port plug to VPN'],
      [{ ...IPVPN, attract_traffic: { classifier: {} } }, 500, 'An error occurred during local port plug to VPN'],
      [{ ...IPVPN, readvertise: 'yes' }, 400, "API error: 'readvertise' must be an object"],
      [{ ...IPVPN, readvertise: RDV, attract_traffic: { redirect_rts: ['64512:9'] } }, 400, "API error: 'attract_traffic' specified with no 'classifier'"],
      [
        { ...IPVPN, attract_traffic: { redirect_rts: ['64512:9'], classifier: {}, to_rt: ['64512:10'] } },
        400,
        "API error: 'attract_traffic/to_rt' specified without 'static_destination_prefixes'",
      ],
      [
        { ...IPVPN, readvertise: RDV, attract_traffic: { redirect_rts: ['64512:9'], classifier: {}, to_rt: ['64512:11'], static_destination_prefixes: [] } },
        400,
        "API error: if both are set, then 'attract_traffic/to_rt' and 'readvertise/to_rt' have to be equal",
      ],
      [
        { ...IPVPN, readvertise: { from_rt: ['64512:9'], to_rt: ['64512:10', '64512:11'] }, attract_traffic: { redirect_rts: ['64512:9'], classifier: {} } },
        400,
        "API error: attract_traffic requires exactly one RT to be provided in 'readvertise/to_rt' and 'attract_traffic/to_rt'",
      ],
      [{ ...IPVPN, readvertise: RDV, attract_traffic: { redirect_rts: ['64512:9'], classifier: { dport: 80 } } }, 400, "API error: attract_traffic classifier: unknown key 'dport'"],
      [
        { ...IPVPN, readvertise: RDV, attract_traffic: { redirect_rts: ['64512:9'], classifier: { destinationPort: '90:80' } } },
        400,
        'API error: attract_traffic classifier destinationPort: "90:80" is neither a port nor a range "min:max" within 0-65535',
      ],
      [{ ...EVPN, local_port: { evpn: { id: 'x' } } }, 500, 'An error occurred during local port plug to VPN'],
      [{ ...IPVPN, local_port: { evpn: { id: 'e1' } } }, 500, 'An error occurred during local port plug to VPN'],
    ];
    for (const [body, status, description] of cases) {
      const r = await post(api.port, '/attach_localport', body);
      assert.deepEqual([r.status, (r.json() as { description: string }).description], [status, description], JSON.stringify(body));
    }
    assert.equal(api.vpn.instances.size, 0, 'no refused attach created anything');
    assert.equal(api.bgp.rtm.routeCount, 0);
  });

  test('attach: 200 null; body parsed whatever the Content-Type; defaults and idempotency', async () => {
    const r = await call(api.port, 'POST', '/attach_localport', JSON.stringify({ ...IPVPN, vpn_instance_id: 'txt' }), { 'Content-Type': 'text/plain' });
    assert.deepEqual([r.status, r.body], [200, 'null']);
    assert.ok(api.vpn.instances.has('txt'));
    // The CLI's defaults for service chaining are accepted (disabled values).
    const cli = { ...IPVPN, vpn_instance_id: 'cli', readvertise: null, attract_traffic: {}, lb_consistent_hash_order: 0, vni: 0, advertise_subnet: false, direction: 'both' };
    assert.equal((await post(api.port, '/attach_localport', cli)).status, 200);
    assert.equal((await post(api.port, '/attach_localport', cli)).status, 200, 'the same attach again');
    // RTs as comma-separated strings, duplicates and empty items removed.
    const s = await post(api.port, '/attach_localport', { ...EVPN, vpn_instance_id: 'rts', import_rt: '64512:5,, 64512:6,64512:5', export_rt: '' });
    assert.equal(s.status, 200);
    assert.deepEqual(api.vpn.instances.get('rts')!.importRts, ['64512:5', '64512:6']);
    assert.deepEqual(api.vpn.instances.get('rts')!.exportRts, []);
    // local_port as a string; MAC in another netaddr format (ipvpn keeps it verbatim).
    assert.equal((await post(api.port, '/attach_localport', { ...IPVPN, vpn_instance_id: 'str', local_port: 'tap9', mac_address: '5254.0000.0009', ip_address: '10.1/16' })).status, 200);
    const ep = [...api.vpn.instances.get('str')!.endpoints.values()][0]!;
    assert.deepEqual([ep.mac, ep.ip?.text, ep.ip?.address, ep.linuxif], ['5254.0000.0009', '10.1/16', '10.1.0.0', 'tap9']);
    // An existing id with the other type: 500; a forced VNI already used: 400.
    assert.equal((await post(api.port, '/attach_localport', { ...EVPN, vpn_instance_id: 'txt' })).status, 500);
    assert.equal((await post(api.port, '/attach_localport', { ...EVPN, vpn_instance_id: 'v1', vni: 700 })).status, 200);
    const dup = await post(api.port, '/attach_localport', { ...EVPN, vpn_instance_id: 'v2', vni: 700 });
    assert.deepEqual([dup.status, (dup.json() as { description: string }).description], [400, 'API error: A VPN instance using vni 700 already exists.']);
  });

  test('detach: parameters, errors by instance type, wildcard, instance removed with its last endpoint', async () => {
    const d = { vpn_type: 'ipvpn', vpn_instance_id: 'd1', mac_address: '52:54:00:00:00:01', ip_address: '10.0.0.1', local_port: 'tap1' };
    let r = await post(api.port, '/detach_localport', d);
    assert.deepEqual([r.status, (r.json() as { description: string }).description], [400, 'API error: VPN d1 could not be found']);
    assert.equal((await post(api.port, '/detach_localport', without(d, 'ip_address'))).status, 400, 'ip_address mandatory for ipvpn');
    assert.equal((await post(api.port, '/attach_localport', { ...IPVPN, vpn_instance_id: 'd1' })).status, 200);
    r = await post(api.port, '/detach_localport', { ...d, mac_address: '52:54:00:00:00:99' });
    assert.deepEqual([r.status, (r.json() as { description: string }).description], [500, 'An error occurred during local port unplug from VPN']);
    // Any linuxif works (not compared); an evpn-typed detach finds the VRF by id (quirk).
    r = await post(api.port, '/detach_localport', { ...d, vpn_type: 'evpn', local_port: 'whatever' });
    assert.deepEqual([r.status, r.body], [200, 'null']);
    assert.equal(api.vpn.instances.has('d1'), false);
    assert.equal((await post(api.port, '/detach_localport', d)).status, 400, 'again: the VPN is gone');
    // E-VPN: wildcard (no ip_address) removes every endpoint of the MAC.
    await post(api.port, '/attach_localport', { ...EVPN, vpn_instance_id: 'd2' });
    await post(api.port, '/attach_localport', { ...EVPN, vpn_instance_id: 'd2', ip_address: '10.0.1.3' });
    const ed = { vpn_type: 'evpn', vpn_instance_id: 'd2', mac_address: '52:54:00:00:00:02', local_port: 'tap2' };
    r = await post(api.port, '/detach_localport', { ...ed, ip_address: '10.0.9.9' });
    assert.deepEqual(
      [r.status, (r.json() as { description: string }).description],
      [400, "API error: Inconsistent endpoint info: IP 10.0.9.9 already bound to a MAC address different from 52:54:00:00:00:02 (set())"],
    );
    assert.equal((await post(api.port, '/detach_localport', ed)).status, 200);
    assert.equal(api.vpn.instances.has('d2'), false);
  });

  test('attach and detach are processed in arrival order, one at a time', async () => {
    const a = { ...EVPN, vpn_instance_id: 'seq' };
    const d = { vpn_type: 'evpn', vpn_instance_id: 'seq', mac_address: EVPN.mac_address, ip_address: EVPN.ip_address, local_port: 'tap2' };
    const replies = await Promise.all([post(api.port, '/attach_localport', a), post(api.port, '/detach_localport', d), post(api.port, '/attach_localport', a)]);
    assert.deepEqual(replies.map((x) => x.status), [200, 200, 200]);
    assert.equal(api.vpn.instances.get('seq')?.endpoints.size, 1);
  });

  test('looking glass: root, summary, instances, instance details with best-route reasons, 404s', async () => {
    const root = (await call(api.port, 'GET', '/looking-glass')).json() as Record<string, unknown>;
    const host = `http://127.0.142.1:${api.port}/looking-glass`;
    assert.deepEqual(Object.keys(root), ['summary', 'config', 'bgp', 'vpns', 'logs']);
    assert.deepEqual(root.vpns, { href: `${host}/vpns` });
    const summary = (await call(api.port, 'GET', '/looking-glass/summary/')).json() as Record<string, unknown>;
    assert.deepEqual(Object.keys(summary), ['BGP_established_peers', 'route_counts', 'vpn_instances_count', 'warnings_and_errors', 'start_time', 'version']);
    assert.equal(summary.vpn_instances_count, api.vpn.instances.size);
    assert.ok((summary.warnings_and_errors as number) > 0, 'the refused attaches were logged as warnings');
    assert.match(summary.start_time as string, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.equal((await call(api.port, 'GET', '/looking-glass/summary/vpn_instances_count.json')).body, String(api.vpn.instances.size));
    const list = (await call(api.port, 'GET', '/looking-glass/vpns/instances')).json() as { id: string; name: string; href: string }[];
    const txt = list.find((i) => i.id === 'txt')!;
    assert.deepEqual(txt, { id: 'txt', name: 'VRF-1', href: `${host}/vpns/instances/txt` });
    const inst = (await call(api.port, 'GET', '/looking-glass/vpns/instances/txt')).json() as Record<string, unknown>;
    assert.equal(inst.instance_type, 'VRF');
    assert.deepEqual(inst.route_targets, { import: ['target:64512:1'], export: ['target:64512:1'] });
    assert.equal((await call(api.port, 'GET', '/looking-glass/vpns/instances/txt/route_targets/import')).body, '["target:64512:1"]');
    const ports = (await call(api.port, 'GET', '/looking-glass/vpns/instances/txt/ports')).json() as Record<string, { endpoints: Record<string, unknown>[] }>;
    assert.equal(ports.tap1!.endpoints[0]!.mac_address, '52:54:00:00:00:01');
    const adv = (await call(api.port, 'GET', '/looking-glass/vpns/instances/txt/adv_routes')).json() as Record<string, unknown>[];
    assert.equal(adv.length, 1);
    assert.match(Object.keys(adv[0]!)[0]!, /^10\.0\.0\.1\/32 label \d+ next-hop 127\.0\.142\.1 rd 127\.0\.142\.1:\d+$/);
    // Another local instance importing 64512:1 ('cli') advertises 10.0.0.1/32 too: txt tracks it with a reason.
    const best = (await call(api.port, 'GET', '/looking-glass/vpns/instances/txt/best_routes')).json() as Record<string, Record<string, { reason: string }>[]>;
    assert.equal(Object.values(best['\'10.0.0.1/32\'']![0]!)[0]!.reason, 'only route');
    const dp = (await call(api.port, 'GET', '/looking-glass/vpns/instances/txt/dataplane')).json() as { calls: { call: string }[] };
    assert.ok(dp.calls.some((c) => c.call === 'setupRemoteEndpoint'), JSON.stringify(dp));
    const drivers = (await call(api.port, 'GET', '/looking-glass/vpns/dataplane/drivers/ipvpn')).json() as Record<string, unknown>;
    assert.deepEqual(drivers.supported_encaps, ['encap:Default', 'encap:MPLS']);
    const nf = await call(api.port, 'GET', '/looking-glass/summary/nope', undefined, { Accept: 'application/json' });
    assert.deepEqual([nf.status, (nf.json() as { description: string }).description], [404, `No such looking glass object: 'nope' at ${host}/summary`]);
    const ni = await call(api.port, 'GET', '/looking-glass/vpns/instances/nope', undefined, { Accept: 'application/json' });
    assert.deepEqual([ni.status, (ni.json() as { description: string }).description], [404, `No such looking glass object: nope at ${host}/vpns/instances`]);
  });
});
