/**
 * MAC mobility (RFC 7432 §15): the pure comparison and sequence rules, and an EVI over a real
 * route table manager (dummy dataplane): our MAC/IP route carries the other PEs' highest sequence
 * + 1 when the MAC was last seen remote, best path prefers sticky then the highest sequence then
 * the lower PE (before LOCAL_PREF), whatever the arrival order, and a sticky MAC is not plugged.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeEntry, type RouteEntry } from '../../src/rib/route-entry.js';
import { ApiError } from '../../src/vpn/errors.js';
import { compareMobility, mobilityOf, nextSequence } from '../../src/vpn/mac-mobility.js';
import { selectBest } from '../../src/vpn/tracker.js';
import { encapsulation, macMobility, routeTarget, type ExtCommunity } from '../../src/wire/ext-communities/index.js';
import type { PathAttribute } from '../../src/wire/attributes/registry.js';
import { fromVni } from '../../src/wire/label.js';
import type { Nlri } from '../../src/wire/nlri/registry.js';
import { Collector } from '../scenario/harness/speaker.js';
import { attach, bench, calls, detach, ip } from './helpers.js';

const source = { name: 'test', kind: 'local' as const, onRouteEvent: () => undefined };

function macRoute(mac: string, nextHop: string, opts: { seq?: number; sticky?: boolean; localPref?: number; rt?: string } = {}): { nlri: Nlri; attrs: PathAttribute[] } {
  const communities: ExtCommunity[] = [encapsulation('vxlan'), routeTarget(opts.rt ?? '64512:2')];
  if (opts.seq !== undefined) communities.push(macMobility(opts.seq, opts.sticky ?? false));
  const attrs: PathAttribute[] = [{ type: 'ext-communities', communities }];
  if (opts.localPref !== undefined) attrs.push({ type: 'local-pref', value: opts.localPref });
  const nlri = { kind: 'evpn' as const, routeType: 2 as const, rd: { type: 1, value: `${nextHop}:1` }, esi: '00:00:00:00:00:00:00:00:00:00', ethernetTag: 0, mac, labels: [fromVni(5000)] };
  return { nlri, attrs };
}

function entry(mac: string, nextHop: string, opts: Parameters<typeof macRoute>[2] = {}): RouteEntry {
  const r = macRoute(mac, nextHop, opts);
  return makeEntry(25, 70, r.nlri, r.attrs, nextHop, source);
}

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

test('pure rules: sequence 0 without the community; next sequence = highest + 1; sticky > sequence > lower PE, before LOCAL_PREF', () => {
  const M = '52:54:00:00:00:09';
  assert.deepEqual(mobilityOf(entry(M, '10.0.0.1')), { sequence: 0, sticky: false });
  assert.deepEqual(mobilityOf(entry(M, '10.0.0.1', { seq: 7, sticky: true })), { sequence: 7, sticky: true });
  assert.equal(nextSequence([]), undefined);
  assert.equal(nextSequence([entry(M, '10.0.0.1'), entry(M, '10.0.0.2', { seq: 4 })]), 5);
  assert.equal(nextSequence([entry(M, '10.0.0.1')]), 1);
  assert.equal(compareMobility(entry(M, '10.0.0.1', { seq: 2 }), entry(M, '10.0.0.2', { seq: 1, localPref: 500 }))!.reason, 'MAC mobility: sequence 2 > 1');
  assert.ok(compareMobility(entry(M, '10.0.0.1', { seq: 1, sticky: true }), entry(M, '10.0.0.2', { seq: 9 }))!.cmp > 0);
  assert.ok(compareMobility(entry(M, '10.0.0.9', { seq: 3 }), entry(M, '10.0.0.10', { seq: 3 }))!.cmp > 0, 'lower PE address');
  assert.equal(compareMobility(entry(M, '10.0.0.1', { seq: 3 }), entry(M, '10.0.0.1', { seq: 3, localPref: 200 })), undefined, 'same PE: the usual rules');

  // Every arrival order gives the same best route; mobility decides before LOCAL_PREF.
  const first = compareMobility;
  const set = [entry(M, '10.0.0.1', { localPref: 300 }), entry(M, '10.0.0.2', { seq: 2 }), entry(M, '10.0.0.3', { seq: 2, localPref: 50 }), entry(M, '10.0.0.4', { seq: 1 })];
  for (const p of permutations(set)) {
    const best = selectBest(p, { ecmp: false, salt: 's', first });
    assert.equal(best.length, 1);
    assert.equal(best[0]!.route.nextHop, '10.0.0.2', 'sequence 2, lower PE than 10.0.0.3');
    assert.equal(best[0]!.reason, 'MAC mobility: equal sequence 2, lower PE address');
  }
});

const EVPN = { vpnType: 'evpn' as const, vpnInstanceId: 'e1', importRts: ['64512:2'], exportRts: ['64512:2'], vni: 5000 };

function ourMacRoute(b: ReturnType<typeof bench>, mac: string): RouteEntry | undefined {
  return b.all.routes(25, 70).find((r) => r.source.name === 'EVI-1' && r.nlri.kind === 'evpn' && r.nlri.routeType === 2 && (r.nlri as { mac?: string }).mac === mac);
}

test('EVI: a MAC last seen at another PE is advertised with its highest sequence + 1; a MAC seen nowhere else without the community', async () => {
  const b = bench();
  await b.vpn.attach(attach({ ...EVPN, macAddress: '52:54:00:00:00:01', ip: ip('10.0.0.1'), localPort: { linuxif: 'tap1' } }));
  assert.equal(ourMacRoute(b, '52:54:00:00:00:01')!.attributes.some((a) => a.type === 'ext-communities' && a.communities.some((c) => c.type === 'mac-mobility')), false);
  const remote = new Collector('remote', b.bgp.rtm);
  const m = '52:54:00:00:00:07';
  const r1 = macRoute(m, '127.0.141.7');
  const r2 = macRoute(m, '127.0.141.8', { seq: 4 });
  remote.advertise(25, 70, r1.nlri, r1.attrs, '127.0.141.7');
  const w2 = remote.advertise(25, 70, r2.nlri, r2.attrs, '127.0.141.8');
  await b.vpn.settled();
  // The VM moves here.
  await b.vpn.attach(attach({ ...EVPN, macAddress: m, ip: ip('10.0.0.7'), localPort: { linuxif: 'tap7' } }));
  assert.deepEqual(mobilityOf(ourMacRoute(b, m)!), { sequence: 5, sticky: false });
  assert.ok(b.records.some((x) => x.msg.includes(`MAC ${m} was last seen at 127.0.141.7 (sequence 0), 127.0.141.8 (sequence 4): advertised with sequence 5`)));
  // Stable while plugged: a route-target change re-advertises the same sequence.
  remote.withdraw(w2);
  await b.vpn.attach(attach({ ...EVPN, exportRts: ['64512:2', '64512:3'], macAddress: m, ip: ip('10.0.0.7'), localPort: { linuxif: 'tap7' } }));
  assert.deepEqual(mobilityOf(ourMacRoute(b, m)!), { sequence: 5, sticky: false });
  // Unplugged and plugged again: computed again from what the other PEs advertise now.
  await b.vpn.detach(detach({ vpnType: 'evpn', vpnInstanceId: 'e1', macAddress: m, ip: ip('10.0.0.7'), localPort: { linuxif: 'tap7' } }));
  await b.vpn.attach(attach({ ...EVPN, macAddress: m, ip: ip('10.0.0.7'), localPort: { linuxif: 'tap7' } }));
  assert.deepEqual(mobilityOf(ourMacRoute(b, m)!), { sequence: 1, sticky: false });
});

test('EVI: the dataplane follows the highest sequence, even against a higher LOCAL_PREF; a sticky MAC wins and cannot be plugged here', async () => {
  const b = bench();
  await b.vpn.attach(attach({ ...EVPN, macAddress: '52:54:00:00:00:01', ip: ip('10.0.0.1'), localPort: { linuxif: 'tap1' } }));
  const remote = new Collector('remote', b.bgp.rtm);
  const m = '52:54:00:00:00:08';
  const a = macRoute(m, '127.0.141.7', { seq: 3 });
  const c = macRoute(m, '127.0.141.8', { seq: 2, localPref: 200 });
  remote.advertise(25, 70, c.nlri, c.attrs, '127.0.141.8');
  remote.advertise(25, 70, a.nlri, a.attrs, '127.0.141.7');
  await b.vpn.settled();
  const setups = (): string[] => calls(b, 'e1').filter((x) => x[0] === 'setupRemoteEndpoint' && x[1].mac === m).map((x) => String(x[1].remotePe));
  assert.deepEqual(setups(), ['127.0.141.8', '127.0.141.7']);
  // The MAC moves to .8 (sequence 4): forwarding follows.
  const c2 = macRoute(m, '127.0.141.8', { seq: 4 });
  remote.advertise(25, 70, c2.nlri, c2.attrs, '127.0.141.8');
  await b.vpn.settled();
  assert.equal(setups().at(-1), '127.0.141.8');
  // A sticky advertisement wins over any sequence, and the MAC cannot be plugged here.
  const s = macRoute(m, '127.0.141.9', { seq: 0, sticky: true });
  remote.advertise(25, 70, s.nlri, s.attrs, '127.0.141.9');
  await b.vpn.settled();
  assert.equal(setups().at(-1), '127.0.141.9');
  await assert.rejects(
    b.vpn.attach(attach({ ...EVPN, macAddress: m, ip: ip('10.0.0.8'), localPort: { linuxif: 'tap8' } })),
    (e: unknown) => e instanceof ApiError && /advertised as sticky by 127\.0\.141\.9/.test(e.message),
  );
  assert.equal(ourMacRoute(b, m), undefined);
});

test('EVI: a MAC plugged by a new instance, then seen at another PE (a route older than the plug): advertised again with its sequence + 1, once', async () => {
  const b = bench();
  const m = '52:54:00:00:00:0c';
  await b.vpn.attach(attach({ ...EVPN, macAddress: m, ip: ip('10.0.0.12'), localPort: { linuxif: 'tap12' } }));
  assert.equal(hasMobilityOf(ourMacRoute(b, m)!), false);
  const remote = new Collector('remote', b.bgp.rtm);
  const r = macRoute(m, '127.0.141.7', { seq: 2 });
  remote.advertise(25, 70, r.nlri, r.attrs, '127.0.141.7');
  await b.vpn.settled();
  assert.deepEqual(mobilityOf(ourMacRoute(b, m)!), { sequence: 3, sticky: false });
  // It outbid that PE once; a later higher sequence is not answered (the MAC moved away).
  const r2 = macRoute(m, '127.0.141.7', { seq: 4 });
  remote.advertise(25, 70, r2.nlri, r2.attrs, '127.0.141.7');
  await b.vpn.settled();
  assert.deepEqual(mobilityOf(ourMacRoute(b, m)!), { sequence: 3, sticky: false });
  const best = b.vpn.instances.get('e1')!.receivedRoutes().find((x) => x.entry === `mac ${m}`)!.best;
  assert.equal(best[0]!.route.nextHop, '127.0.141.7');
});

function hasMobilityOf(r: RouteEntry): boolean {
  return r.attributes.some((a) => a.type === 'ext-communities' && a.communities.some((c) => c.type === 'mac-mobility'));
}
