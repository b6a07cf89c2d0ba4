/**
 * VPN instances through the manager, over a real route table manager with RT Constraint and the
 * dummy dataplane drivers (spec vpn.md §1-§5): routes generated for endpoints, received routes
 * reaching the dataplane, route-target changes, withdrawal of exactly what was advertised,
 * instance removal with its last endpoint, and failed first attaches leaving nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RouteEntry } from '../../src/rib/route-entry.js';
import { extCommunitiesOf } from '../../src/rib/route-entry.js';
import { encapsulation, routeTarget } from '../../src/wire/ext-communities/index.js';
import { fromMplsLabel } from '../../src/wire/label.js';
import type { PathAttribute } from '../../src/wire/attributes/registry.js';
import { ApiError, InternalError } from '../../src/vpn/errors.js';
import { Collector } from '../scenario/harness/speaker.js';
import { attach, bench, calls, detach, ip, LOCAL } from './helpers.js';

function ecs(e: RouteEntry): unknown[] {
  return [...extCommunitiesOf(e.attributes)];
}
function localPref(e: RouteEntry): number | undefined {
  const a = e.attributes.find((x) => x.type === 'local-pref');
  return a?.type === 'local-pref' ? a.value : undefined;
}
function rtcTargets(b: ReturnType<typeof bench>): string[] {
  return b.bgp.rtc.advertisedTargets().sort();
}

test('IP VPN attach: one VPN-IPv4 /32 route (instance RD, MAC label, MPLS encap, RTs, LOCAL_PREF), RTC for the import RT', async () => {
  const b = bench();
  await b.vpn.attach(attach({ localPref: 200 }));
  const vrf = b.vpn.instances.get('v1')!;
  assert.equal(vrf.name, 'VRF-1');
  assert.equal(vrf.instanceLabel, 16);
  assert.equal(vrf.instanceRd, `${LOCAL}:0`);
  const routes = b.all.routes(1, 128);
  assert.equal(routes.length, 1);
  const r = routes[0]!;
  assert.deepEqual(r.nlri, { kind: 'vpn', labels: [fromMplsLabel(17)], rd: { type: 1, value: `${LOCAL}:0` }, prefix: '10.0.0.1/32' });
  assert.equal(r.nextHop, LOCAL);
  assert.deepEqual(ecs(r), [encapsulation('mpls'), routeTarget('64512:1')]);
  assert.equal(localPref(r), 200);
  assert.deepEqual(rtcTargets(b), ['64512:1']);
  assert.deepEqual(b.bgp.rtm.subscriptionsOf(vrf).map((m) => `${m.afi}/${m.safi}/${m.rt}`).sort(), ['1/128/64512:1', '1/134/64512:1']);
  assert.deepEqual(calls(b, 'v1'), [['vifPlugged', { mac: '52:54:00:00:00:01', ip: '10.0.0.1', port: { linuxif: 'tap1' }, label: 17, direction: 'both' }]]);
  assert.deepEqual(b.ipvpn.calls.map((c) => c.call), ['resetState', 'initialize', 'createInstance']);
  // The endpoint RD was allocated too (:1), the /32 route uses the instance RD.
  assert.deepEqual(b.vpn.rds.entries().map((e) => e[0]), [0, 1]);
  assert.deepEqual(b.vpn.labels.entries(), [
    [16, 'Incoming traffic for VRF-1'],
    [17, "Incoming traffic for VRF-1, interface tap1, endpoint ('52:54:00:00:00:01', '10.0.0.1')"],
  ]);
});

test('IP VPN advertise_subnet: the prefix of the given length with the endpoint RD', async () => {
  const b = bench();
  await b.vpn.attach(attach({ ip: ip('10.0.0.1/24'), advertiseSubnet: true }));
  const r = b.all.routes(1, 128)[0]!;
  assert.ok(r.nlri.kind === 'vpn');
  assert.equal(r.nlri.prefix, '10.0.0.0/24');
  assert.deepEqual(r.nlri.rd, { type: 1, value: `${LOCAL}:1` });
  // Without advertise_subnet the same IP is a /32 with the instance RD.
  await b.vpn.attach(attach({ vpnInstanceId: 'v2', ip: ip('10.0.0.1/24') }));
  const r2 = b.all.routes(1, 128).find((e) => e.nlri.kind === 'vpn' && e.nlri.prefix === '10.0.0.1/32')!;
  assert.ok(r2.nlri.kind === 'vpn');
  assert.deepEqual(r2.nlri.rd, { type: 1, value: `${LOCAL}:2` });
  assert.equal(b.vpn.instances.get('v2')!.settings.subnetLength, 24);
});

test('E-VPN attach: multicast route with PMSI ingress replication (VNI) and a MAC/IP route labelled with the VNI', async () => {
  const b = bench();
  await b.vpn.attach(attach({ vpnType: 'evpn', vpnInstanceId: 'e1', vni: 5000, importRts: ['64512:2'], exportRts: ['64512:2'], macAddress: '52:54:00:00:00:02', ip: ip('10.0.1.2') }));
  const evi = b.vpn.instances.get('e1')!;
  assert.equal(evi.name, 'EVI-1');
  const routes = b.all.routes(25, 70);
  assert.equal(routes.length, 2);
  const mcast = routes.find((r) => r.nlri.kind === 'evpn' && r.nlri.routeType === 3)!;
  const mac = routes.find((r) => r.nlri.kind === 'evpn' && r.nlri.routeType === 2)!;
  assert.deepEqual(mcast.nlri, { kind: 'evpn', routeType: 3, rd: { type: 1, value: `${LOCAL}:0` }, ethernetTag: 0, originatorIp: LOCAL });
  assert.equal(mcast.nextHop, LOCAL);
  assert.deepEqual(ecs(mcast), [encapsulation('vxlan'), routeTarget('64512:2')]);
  assert.deepEqual(
    mcast.attributes.find((a) => a.type === 'pmsi-tunnel'),
    { type: 'pmsi-tunnel', tunnelFlags: 0, tunnelType: 'ingress-replication', label: 5000, tunnelId: { kind: 'address', address: LOCAL } },
  );
  assert.equal(localPref(mcast), undefined, 'no LOCAL_PREF on the multicast route (100 on the wire)');
  assert.deepEqual(mac.nlri, {
    kind: 'evpn',
    routeType: 2,
    rd: { type: 1, value: `${LOCAL}:0` },
    esi: '00:00:00:00:00:00:00:00:00:00',
    ethernetTag: 0,
    mac: '52:54:00:00:00:02',
    ip: '10.0.1.2',
    labels: [5000],
  });
  assert.equal(localPref(mac), 100);
  assert.deepEqual(ecs(mac), [encapsulation('vxlan'), routeTarget('64512:2')]);
  // Forced VNI: no instance label allocated; the MAC still gets one (unused on the wire).
  assert.deepEqual(b.vpn.labels.entries().map((e) => e[0]), [16]);
  assert.deepEqual([...b.vpn.instancesByVni.keys()], [5000]);
  await assert.rejects(b.vpn.attach(attach({ vpnType: 'evpn', vpnInstanceId: 'e2', vni: 5000 })), (e: unknown) => e instanceof ApiError && e.message === 'A VPN instance using vni 5000 already exists.');
  assert.equal(b.vpn.instances.size, 1);
});

test('E-VPN endpoint without IP uses its own RD and is replaced by the IP endpoint of the same MAC', async () => {
  const b = bench();
  const e = { vpnType: 'evpn' as const, vpnInstanceId: 'e1', importRts: ['64512:2'], exportRts: ['64512:2'] };
  await b.vpn.attach(attach({ ...e, ip: null }));
  let macs = b.all.routes(25, 70).filter((r) => r.nlri.kind === 'evpn' && r.nlri.routeType === 2);
  assert.equal(macs.length, 1);
  const m0 = macs[0]!.nlri as { rd: unknown; ip?: string };
  assert.deepEqual(m0.rd, { type: 1, value: `${LOCAL}:1` });
  assert.equal('ip' in m0, false);
  await b.vpn.attach(attach({ ...e }));
  macs = b.all.routes(25, 70).filter((r) => r.nlri.kind === 'evpn' && r.nlri.routeType === 2);
  assert.equal(macs.length, 1, 'the IP-less route was withdrawn');
  assert.equal((macs[0]!.nlri as { ip?: string }).ip, '10.0.0.1');
  // The IP-less endpoint's RD was released (the original leaked it).
  assert.deepEqual(b.vpn.rds.entries().map((x) => x[0]), [0, 2]);
});

test('received routes: the best one per prefix reaches the dataplane; withdrawal removes it', async () => {
  const b = bench();
  await b.vpn.attach(attach());
  const remote = new Collector('remote', b.bgp.rtm);
  const nlri = { kind: 'vpn' as const, labels: [fromMplsLabel(300)], rd: { type: 0, value: '64512:7' }, prefix: '10.7.0.0/24' };
  const r = remote.advertise(1, 128, nlri, [{ type: 'ext-communities', communities: [routeTarget('64512:1'), encapsulation('mpls')] }], '127.0.141.7');
  // Not imported: another RT.
  remote.advertise(1, 128, { ...nlri, prefix: '10.8.0.0/24' }, [{ type: 'ext-communities', communities: [routeTarget('64512:99')] }], '127.0.141.7');
  // Imported but VXLAN only: the MPLS dummy driver cannot use it.
  remote.advertise(1, 128, { ...nlri, prefix: '10.9.0.0/24' }, [{ type: 'ext-communities', communities: [routeTarget('64512:1'), encapsulation('vxlan')] }], '127.0.141.7');
  await b.vpn.settled();
  const vrf = b.vpn.instances.get('v1')!;
  assert.deepEqual(vrf.receivedRoutes().map((x) => x.entry).sort(), ['10.7.0.0/24', '10.9.0.0/24']);
  const setup = calls(b, 'v1').filter((c) => c[0] === 'setupRemoteEndpoint');
  assert.equal(setup.length, 1);
  assert.deepEqual(
    { ...setup[0]![1], nlri: undefined },
    { prefix: '10.7.0.0/24', remotePe: '127.0.141.7', label: 300, nlri: undefined, encaps: ['mpls'], hashOrder: 0 },
  );
  assert.ok(b.records.some((x) => x.level === 'warning' && x.msg.includes('No encap supported')));
  remote.withdraw(r);
  await b.vpn.settled();
  const removed = calls(b, 'v1').filter((c) => c[0] === 'removeRemoteEndpoint');
  assert.equal(removed.length, 1);
  assert.equal(removed[0]![1].prefix, '10.7.0.0/24');
});

test('routes received before the first plug completes are processed once the instance starts', async () => {
  const b = bench();
  const remote = new Collector('remote', b.bgp.rtm);
  remote.advertise(25, 70, { kind: 'evpn', routeType: 3, rd: { type: 0, value: '64512:9' }, ethernetTag: 0, originatorIp: '127.0.141.9' }, [
    { type: 'ext-communities', communities: [routeTarget('64512:2'), encapsulation('vxlan')] },
    { type: 'pmsi-tunnel', tunnelFlags: 0, tunnelType: 'ingress-replication', label: 77 as never, tunnelId: { kind: 'address', address: '127.0.141.9' } },
  ], '127.0.141.9');
  await b.vpn.attach(attach({ vpnType: 'evpn', vpnInstanceId: 'e1', importRts: ['64512:2'], exportRts: ['64512:2'] }));
  await b.vpn.settled();
  const bum = calls(b, 'e1').filter((c) => c[0] === 'addBumEndpoint');
  assert.equal(bum.length, 1);
  assert.equal(bum[0]![1].remotePe, '127.0.141.9');
  assert.equal(bum[0]![1].vni, 77);
});

test('route-target change on a later attach: subscriptions, RTC and every route (multicast included) move together', async () => {
  const b = bench();
  const e = { vpnType: 'evpn' as const, vpnInstanceId: 'e1', importRts: ['64512:2'], exportRts: ['64512:2'] };
  await b.vpn.attach(attach(e));
  const seen = new Collector('seen', b.bgp.rtm).subscribe(25, 70, '64512:2');
  await b.vpn.attach(attach({ ...e, importRts: ['64512:3'], exportRts: ['64512:3', '64512:4'] }));
  const evi = b.vpn.instances.get('e1')!;
  assert.deepEqual(b.bgp.rtm.subscriptionsOf(evi).map((m) => m.rt).sort(), ['64512:3', '64512:3']);
  assert.deepEqual(rtcTargets(b), ['64512:2', '64512:3'], '64512:2 stays only because the `seen` worker imports it');
  for (const r of b.all.routes(25, 70)) assert.deepEqual([...r.routeTargets].sort(), ['64512:3', '64512:4'], r.key);
  assert.equal(seen.routes().length, 0, 'a worker importing the old RT got both routes withdrawn');
  // Same RTs again, another order: nothing changes (no new events).
  const before = seen.events.length + b.all.events.length;
  await b.vpn.attach(attach({ ...e, importRts: ['64512:3'], exportRts: ['64512:4', '64512:3'] }));
  assert.equal(seen.events.length + b.all.events.length, before);
});

test('detach withdraws exactly what was advertised and the last one removes the instance and its ids', async () => {
  const b = bench();
  await b.vpn.attach(attach());
  await b.vpn.attach(attach({ macAddress: '52:54:00:00:00:03', ip: ip('10.0.0.3'), localPort: { linuxif: 'tap3' } }));
  assert.equal(b.all.routes(1, 128).length, 2);
  await b.vpn.detach(detach());
  assert.deepEqual(b.all.routes(1, 128).map((r) => (r.nlri.kind === 'vpn' ? r.nlri.prefix : '')), ['10.0.0.3/32']);
  assert.deepEqual(calls(b, 'v1').at(-1), ['vifUnplugged', { mac: '52:54:00:00:00:01', ip: '10.0.0.1', port: { linuxif: 'tap1' }, label: 17, direction: 'both', lastEndpoint: true }]);
  await b.vpn.detach(detach({ macAddress: '52:54:00:00:00:03', ip: ip('10.0.0.3') }));
  assert.equal(b.vpn.instances.size, 0);
  assert.equal(b.all.routes(1, 128).length, 0);
  assert.deepEqual(rtcTargets(b), []);
  assert.equal(b.bgp.rtm.routeCount, 0, 'nothing left in the route table manager');
  assert.deepEqual(b.vpn.labels.entries(), []);
  assert.deepEqual(b.vpn.rds.entries(), []);
  // Re-attaching the same id creates a new instance (new id, labels not reused yet).
  await b.vpn.attach(attach());
  assert.equal(b.vpn.instances.get('v1')!.name, 'VRF-2');
  assert.equal(b.vpn.instances.get('v1')!.instanceLabel, 19);
});

test('a failed first attach leaves nothing: no instance, route, subscription, RTC route or id', async () => {
  const b = bench();
  await assert.rejects(b.vpn.attach(attach({ direction: 'to-port' })), (e: unknown) => e instanceof ApiError && e.message === 'Unsupported direction: to-port');
  await assert.rejects(b.vpn.attach(attach({ vpnType: 'evpn', ip: ip('10.0.0.1/24'), advertiseSubnet: true })), InternalError);
  await assert.rejects(b.vpn.attach(attach({ vpnType: 'evpn', macAddress: '5254.0000.0001' })), /colon format/);
  assert.equal(b.vpn.instances.size, 0);
  assert.equal(b.bgp.rtm.routeCount, 0);
  assert.deepEqual(b.bgp.rtm.workers().map((w) => w.name), ['all']);
  assert.deepEqual(b.vpn.labels.entries(), []);
  assert.deepEqual(b.vpn.rds.entries(), []);
  assert.equal(b.all.events.length, 0, 'nothing was ever published');
});

test('plug consistency: a MAC on two ports, an IP on two MACs (400), nothing applied', async () => {
  const b = bench();
  await b.vpn.attach(attach());
  await assert.rejects(
    b.vpn.attach(attach({ localPort: { linuxif: 'tap9' }, importRts: ['64512:9'] })),
    (e: unknown) =>
      e instanceof ApiError &&
      e.message ===
        "Port information is not consistent. MAC address cannot be bound to two different ports. Previous plug for port tap9 ({'linuxif': 'tap1'} != {'linuxif': 'tap9'})",
  );
  await assert.rejects(
    b.vpn.attach(attach({ macAddress: '52:54:00:00:00:09' })),
    (e: unknown) => e instanceof ApiError && e.message === "Inconsistent endpoint info: IP 10.0.0.1 already bound to a MAC address different from 52:54:00:00:00:09 ({'52:54:00:00:00:01'})",
  );
  assert.deepEqual(rtcTargets(b), ['64512:1'], 'the refused attach did not change the route targets');
  // The same request again: a refresh, no dataplane call, the same route (dropped as duplicate).
  const n = b.all.events.length;
  await b.vpn.attach(attach());
  assert.equal(calls(b, 'v1').length, 1);
  assert.equal(b.all.events.length, n);
  // Changed LOCAL_PREF: the route is replaced.
  await b.vpn.attach(attach({ localPref: 300 }));
  assert.equal(b.all.events.length, n + 1);
  assert.equal(localPref(b.all.routes(1, 128)[0]!), 300);
});

test('detach errors: unknown VPN, unknown VRF endpoint (500), EVI wildcard, from-port endpoints detach (bug fixed)', async () => {
  const b = bench();
  await assert.rejects(b.vpn.detach(detach()), (e: unknown) => e instanceof ApiError && e.message === 'VPN v1 could not be found');
  await b.vpn.attach(attach());
  await assert.rejects(b.vpn.detach(detach({ macAddress: '52:54:00:00:00:77' })), InternalError);
  await assert.rejects(b.vpn.detach(detach({ ip: ip('10.0.0.9') })), InternalError);
  const e = { vpnType: 'evpn' as const, vpnInstanceId: 'e1', importRts: ['64512:2'], exportRts: ['64512:2'] };
  await b.vpn.attach(attach({ ...e }));
  await b.vpn.attach(attach({ ...e, ip: ip('10.0.0.2') }));
  await assert.rejects(
    b.vpn.detach(detach({ vpnInstanceId: 'e1', vpnType: 'evpn', macAddress: '52:54:00:00:00:55', ip: ip('10.0.0.1') })),
    (x: unknown) => x instanceof ApiError && x.message === "Endpoint ('52:54:00:00:00:55', '10.0.0.1') not plugged yet, can't unplug",
  );
  await b.vpn.detach(detach({ vpnInstanceId: 'e1', vpnType: 'evpn', macAddress: '52:54:00:00:00:55', ip: null })); // unknown MAC, wildcard: no-op
  await b.vpn.detach(detach({ vpnInstanceId: 'e1', vpnType: 'evpn', ip: null }));
  assert.equal(b.vpn.instances.has('e1'), false, 'wildcard detach removed both endpoints and the instance');
  assert.equal(b.all.routes(25, 70).length, 0);
});

function remoteVpnRoute(c: Collector, prefix: string, nextHop: string, label: number, rd: string, localPref?: number): RouteEntry {
  const attrs: PathAttribute[] = [{ type: 'ext-communities', communities: [routeTarget('64512:1'), encapsulation('mpls')] }];
  if (localPref !== undefined) attrs.push({ type: 'local-pref', value: localPref });
  return c.advertise(1, 128, { kind: 'vpn', labels: [fromMplsLabel(label)], rd: { type: 0, value: rd }, prefix }, attrs, nextHop);
}

test('non-ECMP dataplane: one best route per prefix, replaced in place; the higher LOCAL_PREF wins whatever the order', async () => {
  for (const order of [
    [0, 1],
    [1, 0],
  ]) {
    const b = bench();
    await b.vpn.attach(attach());
    const peers = [new Collector('p1', b.bgp.rtm), new Collector('p2', b.bgp.rtm)];
    const lps = [100, 200];
    for (const i of order) remoteVpnRoute(peers[i]!, '10.5.0.0/24', `127.0.141.${21 + i}`, 500 + i, `64512:5${i}`, lps[i]);
    await b.vpn.settled();
    const vrf = b.vpn.instances.get('v1')!;
    const best = vrf.receivedRoutes()[0]!.best;
    assert.equal(best.length, 1);
    assert.equal(best[0]!.route.nextHop, '127.0.141.22');
    assert.equal(best[0]!.reason, 'LOCAL_PREF 200 > 100');
    const setups = calls(b, 'v1').filter((c) => c[0] === 'setupRemoteEndpoint');
    assert.equal(setups.at(-1)![1].remotePe, '127.0.141.22', `order ${order.join(',')}`);
    assert.equal(calls(b, 'v1').filter((c) => c[0] === 'removeRemoteEndpoint').length, 0, 'non-last removals are skipped');
  }
});

test('ECMP dataplane: equal-LOCAL_PREF routes all installed, each removal reported', async () => {
  const b = bench({ ecmp: true });
  await b.vpn.attach(attach());
  const p1 = new Collector('p1', b.bgp.rtm);
  const p2 = new Collector('p2', b.bgp.rtm);
  const r1 = remoteVpnRoute(p1, '10.6.0.0/24', '127.0.141.31', 601, '64512:61');
  remoteVpnRoute(p2, '10.6.0.0/24', '127.0.141.32', 602, '64512:62');
  await b.vpn.settled();
  const vrf = b.vpn.instances.get('v1')!;
  assert.equal(vrf.receivedRoutes()[0]!.best.length, 2);
  assert.deepEqual(calls(b, 'v1').filter((c) => c[0] === 'setupRemoteEndpoint').map((c) => c[1].remotePe).sort(), ['127.0.141.31', '127.0.141.32']);
  p1.withdraw(r1);
  await b.vpn.settled();
  const removed = calls(b, 'v1').filter((c) => c[0] === 'removeRemoteEndpoint');
  assert.deepEqual(removed.map((c) => [c[1].remotePe, c[1].label]), [['127.0.141.31', 601]]);
});

test('removing an import RT withdraws its routes from the instance and the dataplane (no "imported?" test on removal)', async () => {
  const b = bench();
  await b.vpn.attach(attach());
  const p = new Collector('p', b.bgp.rtm);
  remoteVpnRoute(p, '10.7.0.0/24', '127.0.141.41', 700, '64512:7');
  await b.vpn.settled();
  assert.equal(calls(b, 'v1').filter((c) => c[0] === 'setupRemoteEndpoint').length, 1);
  await b.vpn.attach(attach({ importRts: ['64512:8'] }));
  await b.vpn.settled();
  assert.deepEqual(calls(b, 'v1').filter((c) => c[0] === 'removeRemoteEndpoint').map((c) => c[1].prefix), ['10.7.0.0/24']);
  assert.deepEqual(b.vpn.instances.get('v1')!.receivedRoutes(), []);
});
