/**
 * The looking glass of two of our nodes peering directly (in-process, real sockets on
 * 127.0.151.1-2, RT Constraint on), node by node: the bgp node (peers, workers, routes by family,
 * route counts, RTC routes), a peer with our extras (state changes and their reasons, the
 * negotiated session, what its RTC routes ask for, the last NOTIFICATION both ways after one side
 * stops), VPN instances (keys in the original's order, ports, received and best routes with
 * reasons, advertised routes, dataplane with its driver link), drivers, label ids, and
 * per-object logs (a peer's, an instance's, a driver's) next to the global ones.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeEntry } from '../../src/rib/route-entry.js';
import type { Worker } from '../../src/rib/worker.js';
import { encapsulation, routeTarget } from '../../src/wire/ext-communities/index.js';
import { fromMplsLabel } from '../../src/wire/label.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { Teardown } from '../scenario/harness/process.js';
import { call, post, startNode, type Node } from './helpers.js';

const A = '127.0.151.1';
const B = '127.0.151.2';
const td = new Teardown();
let a: Node;
let b: Node;

type Json = Record<string, unknown>;
async function lg(n: Node, path: string): Promise<{ status: number; body: unknown }> {
  const r = await call([n.address, n.apiPort], 'GET', `/looking-glass/${path}`, undefined, { Accept: 'application/json' });
  return { status: r.status, body: r.json() };
}
const get = async <T = Json>(n: Node, path: string): Promise<T> => (await lg(n, path)).body as T;

const attach = (n: Node, last: number): Record<string, unknown>[] => [
  {
    vpn_type: 'evpn',
    vpn_instance_id: 'blue',
    mac_address: `52:54:00:51:00:0${last}`,
    ip_address: `10.51.0.${last}`,
    local_port: `tap-b${last}`,
    import_rt: '64512:51',
    export_rt: '64512:51',
    instance_description: `E-VPN on ${n.address}`,
  },
  { vpn_type: 'ipvpn', vpn_instance_id: 'red', mac_address: `52:54:00:51:01:0${last}`, ip_address: `10.51.1.${last}`, local_port: `tap-r${last}`, import_rt: '64512:52', export_rt: '64512:52', gateway_ip: '10.51.1.254' },
];

before(async () => {
  const port = await freePort(A);
  a = await startNode({ localAddress: A, localAs: 64512, enableRtc: true, peerPort: port, listen: { address: A, port }, peers: [{ address: B, passive: true }], connectRetrySeconds: 1 }, td);
  b = await startNode({ localAddress: B, localAs: 64512, enableRtc: true, peerPort: port, peers: [{ address: A }], connectRetrySeconds: 1 }, td);
  await waitFor('session up', () => a.bgp.established().length === 1 && b.bgp.established().length === 1);
  for (const [n, last] of [[a, 1], [b, 2]] as const) for (const body of attach(n, last)) {
      const r = await post([n.address, n.apiPort], '/attach_localport', body);
      assert.equal(r.status, 200, r.body);
    }
  await waitFor('routes exchanged', async () => {
    const x = JSON.stringify(await get(a, 'vpns/instances/red/best_routes')) + JSON.stringify(await get(b, 'vpns/instances/blue/best_routes'));
    return x.includes("'10.51.1.2/32'") && x.includes('52:54:00:51:00:01');
  });
});

after(async () => {
  await td.run();
});

test('bgp: peers, workers (our instances and the peer; BGPManager is no worker), routes by family, counts, RTC routes', async () => {
  assert.deepEqual(await get(a, 'bgp/peers'), [{ id: B, state: 'Established', href: `http://${A}:${a.apiPort}/looking-glass/bgp/peers/${B}` }]);
  const workers = (await get<{ id: string }[]>(a, 'bgp/workers')).map((w) => w.id).sort();
  assert.deepEqual(workers, [`BGP-${B}`, 'EVI-1', 'VRF-2']);
  assert.equal((await get<Json>(a, 'bgp/workers/VRF-2')).external_instance_id, 'red');
  assert.equal((await get<Json>(a, `bgp/workers/BGP-${B}`)).name, `BGP-${B}`);
  assert.equal((await lg(a, 'bgp/workers/BGPManager')).status, 404);
  const routes = await get<Record<string, Json[]>>(a, 'bgp/routes');
  assert.deepEqual(Object.keys(routes), ['ipv4/mpls-vpn,*', 'l2vpn/evpn,*', 'ipv4/rtc,*', 'ipv4/flow-vpn,*']);
  assert.deepEqual(routes['ipv4/mpls-vpn,*']!.map((r) => Object.keys(r)[0]!.replace(/label \d+/, 'label L').replace(/:\d+$/, ':N')).sort(), [
    `10.51.1.1/32 label L next-hop ${A} rd ${A}:N`,
    `10.51.1.2/32 label L next-hop ${B} rd ${B}:N`,
  ]);
  // RT Constraint: ours (attributes as we put them: none) and the peer's (LOCAL_PREF from the wire).
  const rtc = routes['ipv4/rtc,*']!.map((r) => [Object.keys(r)[0], (Object.values(r)[0] as { source: { id: string } }).source.id]).sort();
  assert.deepEqual(rtc, [
    ['rtc 64512:target:64512:51', 'BGP-127.0.151.2'],
    ['rtc 64512:target:64512:51', 'BGPManager'],
    ['rtc 64512:target:64512:52', 'BGP-127.0.151.2'],
    ['rtc 64512:target:64512:52', 'BGPManager'],
  ]);
  assert.deepEqual(await get(a, 'bgp/route_counts'), { local_routes_count: 3, received_routes_count: 3 });
  assert.deepEqual((await get<Json[]>(a, 'bgp/adv_routes')).map((r) => Object.keys(r)[0]).sort(), ['rtc 64512:target:64512:51', 'rtc 64512:target:64512:52']);
});

test('a peer: the original’s keys, then ours (state changes with reasons, session, RTC interest)', async () => {
  const p = await get<Json>(a, `bgp/peers/${B}`);
  assert.deepEqual(Object.keys(p).slice(0, 9), ['peeringAddresses', 'as_info', 'rtc', 'active_families', 'protocol', 'name', 'internals', 'state_changes', 'notifications']);
  assert.deepEqual(p.peeringAddresses, { peer_address: B, local_address: A });
  assert.deepEqual(p.active_families, ['(ipv4, mpls-vpn)', '(l2vpn, evpn)', '(ipv4, flow-vpn)', '(ipv4, rtc)']);
  assert.deepEqual(p.rtc, { active: true, enabled: true, route_targets_requested: ['target:64512:51', 'target:64512:52'], vpn_routes_held: [] });
  const proto = p.protocol as Json;
  assert.deepEqual([proto.state, proto.previous_state, proto.hold_time, proto.last_state_change_reason], ['Established', '(OpenConfirm)', 180, 'keepalive-received']);
  assert.match(proto.last_transition_time as string, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  const changes = p.state_changes as { from: string; to: string; reason: string; connection: string }[];
  assert.deepEqual(changes.map((c) => `${c.from}>${c.to}:${c.reason}`), [
    'OpenConfirm>Established:keepalive-received',
    'OpenSent>OpenConfirm:open-received',
    'Active>OpenSent:tcp-accepted',
    'Idle>Active:manual-start',
  ]);
  assert.equal(changes[0]!.connection, 'incoming');
  assert.deepEqual((p.internals as Json).subscriptions, [
    'match:ipv4/mpls-vpn,target:64512:51',
    'match:ipv4/mpls-vpn,target:64512:52',
    'match:ipv4/rtc,*',
    'match:ipv4/flow-vpn,target:64512:51',
    'match:ipv4/flow-vpn,target:64512:52',
    'match:l2vpn/evpn,target:64512:51',
    'match:l2vpn/evpn,target:64512:52',
  ]);
  assert.equal((p.session as Json).peer_id, B);
  assert.equal((p.statistics as Json).routes_received, 5);
  // adv_routes: what the peer sent us.
  assert.equal((await get<Json[]>(a, `bgp/peers/${B}/adv_routes`)).length, 5);
});

test('a VPN instance: keys in the original’s order, ports, routes with reasons, dataplane link', async () => {
  const host = `http://${A}:${a.apiPort}/looking-glass`;
  const evi = await get<Json>(a, 'vpns/instances/blue');
  assert.deepEqual(Object.keys(evi), [
    'gateway_port', 'name', 'internals', 'instance_type', 'external_instance_id', 'description', 'dataplane', 'route_targets', 'gateway_ip',
    'subnet_prefix_length', 'instance_dataplane_id', 'ports', 'readvertise', 'attract_traffic', 'fallback', 'received_routes', 'best_routes', 'adv_routes', 'logs',
  ]);
  assert.deepEqual(Object.keys(await get<Json>(a, 'vpns/instances/red')).slice(0, 4), ['name', 'internals', 'readvertised', 'instance_type']);
  assert.equal(evi.description, `E-VPN on ${A}`);
  assert.deepEqual(evi.dataplane, { href: `${host}/vpns/instances/blue/dataplane` });
  // A null value is a 404 (the original's controller), a VALUE ignores what follows it.
  assert.equal((await lg(a, 'vpns/instances/blue/gateway_port')).status, 404);
  assert.equal((await get(a, 'vpns/instances/red/instance_type/what/ever')), 'VRF');
  const ports = await get<Record<string, { endpoints: Json[] }>>(a, 'vpns/instances/red/ports');
  assert.deepEqual(Object.keys(ports), ['tap-r1']);
  assert.match(ports['tap-r1']!.endpoints[0]!.rd as string, /^ rd 127\.0\.151\.1:\d+$/);
  const best = await get<Record<string, Json[]>>(a, 'vpns/instances/blue/best_routes');
  assert.deepEqual(Object.keys(best).sort(), ["('MAC', 52:54:00:51:00:02)", `('Multicast', (${B},  rd ${B}:0))`]);
  const mac = Object.entries(best["('MAC', 52:54:00:51:00:02)"]![0]!)[0]!;
  assert.match(mac[0], /^evpn:macadv::127\.0\.151\.2:\d+:-:0:52:54:00:51:00:02\/48:10\.51\.0\.2: label \d+ \(\d+\)$/);
  assert.deepEqual((mac[1] as Json).source, { id: `BGP-${B}`, href: `${host}/bgp/workers/BGP-${B}` });
  assert.equal((mac[1] as Json).reason, 'only route');
  const dp = await get<Json>(a, 'vpns/instances/red/dataplane');
  assert.deepEqual(dp.driver, { id: 'ipvpn', href: `${host}/vpns/dataplane/drivers/ipvpn` });
  assert.deepEqual(dp.logs, { href: `${host}/vpns/instances/red/dataplane/logs` });
  const ids = await get<Record<string, string>>(a, 'vpns/dataplane/ids');
  assert.ok(Object.values(ids).includes('Incoming traffic for VRF-2'), JSON.stringify(ids));
  const driver = await get<Json>(a, 'vpns/dataplane/drivers/evpn');
  assert.deepEqual(Object.keys(driver), ['name', 'local_address', 'supported_encaps', 'config', 'kernel_release', 'logs']);
  assert.match(driver.kernel_release as string, /^\d+\.\d+/);
});

test('per-object logs: a driver’s, an instance’s, next to the global ones', async () => {
  assert.deepEqual(
    (await get<Json[]>(a, 'vpns/dataplane/drivers/ipvpn/logs')).map((r) => [r.level, r.message]),
    [['WARNING', "Dummy dataplane driver, won't do anything useful"]],
  );
  // A route the VRF cannot use (VXLAN only; the IP VPN dummy does MPLS): the VRF warns.
  const src: Worker = { name: 'test-source', kind: 'local', onRouteEvent: () => undefined };
  a.bgp.rtm.advertise(
    makeEntry(1, 128, { kind: 'vpn', labels: [fromMplsLabel(99)], rd: { type: 0, value: '64512:99' }, prefix: '10.51.9.9/32' }, [{ type: 'ext-communities', communities: [routeTarget('64512:52'), encapsulation('vxlan')] }], '127.0.151.9', src),
  );
  const mine = await get<Json[]>(a, 'vpns/instances/red/logs');
  assert.equal(mine.length, 1, JSON.stringify(mine));
  assert.deepEqual(Object.keys(mine[0]!), ['level', 'time', 'message']);
  assert.match(mine[0]!.message as string, /^No encap supported by dataplane driver for route/);
  assert.deepEqual(await get(a, 'vpns/instances/blue/logs'), []);
  const global = await get<Json[]>(a, 'logs');
  assert.equal(global[0]!.name, 'bagpipe-bgp.vpn.VRF-2');
  assert.equal((await get<Json>(a, 'summary')).warnings_and_errors, global.length);
});

test('after the peer stops: the NOTIFICATION both ways, the state change reason, the peer’s logs', async () => {
  await b.bgp.stop('maintenance window');
  await waitFor('A saw the peer go', () => a.bgp.established().length === 0);
  const p = await get<Json>(a, `bgp/peers/${B}`);
  const received = (p.notifications as Json).last_received as Json;
  assert.deepEqual([received.code, received.subcode, received.text, received.communication], [6, 2, 'Cease / Administrative Shutdown', 'maintenance window']);
  assert.equal((p.state_changes as Json[])[0]!.reason, 'notification-received');
  assert.equal((p.protocol as Json).previous_state, '(Established)');
  const logs = await get<Json[]>(a, `bgp/peers/${B}/logs`);
  assert.ok(logs.some((r) => r.level === 'WARNING' && /NOTIFICATION received 6\/2/.test(r.message as string)), JSON.stringify(logs));
  const sent = ((await get<Json>(b, `bgp/peers/${A}`)).notifications as Json).last_sent as Json;
  assert.deepEqual([sent.text, sent.communication], ['Cease / Administrative Shutdown', 'maintenance window']);
  // The peer's routes are gone from A, and A's peer is no worker any more.
  assert.deepEqual(await get(a, 'bgp/route_counts'), { local_routes_count: 4, received_routes_count: 0 });
  assert.deepEqual((await get<{ id: string }[]>(a, 'bgp/workers')).map((w) => w.id).sort(), ['EVI-1', 'VRF-2']);
});
