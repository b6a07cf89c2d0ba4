import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PathAttribute } from '../../src/wire/attributes/registry.js';
import { routeTarget } from '../../src/wire/ext-communities/index.js';
import { fromMplsLabel } from '../../src/wire/label.js';
import { makeEntry, type RouteEntry } from '../../src/rib/route-entry.js';
import { RouteTableManager, matchKey, type Match } from '../../src/rib/route-table-manager.js';
import type { RouteEvent, Worker, WorkerKind } from '../../src/rib/worker.js';

class Recorder implements Worker {
  events: string[] = [];
  constructor(
    readonly name: string,
    readonly kind: WorkerKind = 'local',
    private readonly react?: (e: RouteEvent) => void,
  ) {}
  onRouteEvent(e: RouteEvent): void {
    const n = e.entry.nlri.kind === 'vpn' ? e.entry.nlri.prefix : e.entry.key;
    this.events.push(`${e.type}${e.type === 'advertise' && e.replaces ? '(replace)' : ''} ${n} from ${e.entry.source.name}`);
    this.react?.(e);
  }
  take(): string[] {
    const out = this.events;
    this.events = [];
    return out;
  }
}

const attrs = (rts: string[], localPref = 100): PathAttribute[] => [
  { type: 'origin', value: 'igp' },
  { type: 'local-pref', value: localPref },
  { type: 'ext-communities', communities: rts.map((t) => routeTarget(t)) },
];

function vpn(source: Worker, prefix: string, rts: string[], label = 17, localPref = 100): RouteEntry {
  return makeEntry(1, 128, { kind: 'vpn', labels: [fromMplsLabel(label)], rd: { type: 1, value: '127.0.0.1:1' }, prefix }, attrs(rts, localPref), '127.0.0.1', source);
}
const m = (rt?: string, afi: number | undefined = 1, safi: number | undefined = 128): Match => ({ afi, safi, rt });

test('dispatch: subscribers of any of the route matches get it once; not its source; never peer to peer', () => {
  const rtm = new RouteTableManager();
  const vrf = new Recorder('vrf');
  const peerA = new Recorder('peerA', 'bgp-peer');
  const peerB = new Recorder('peerB', 'bgp-peer');
  rtm.subscribe(vrf, m('64512:1'));
  rtm.subscribe(vrf, m(undefined)); // wildcard too: still one delivery
  rtm.subscribe(peerB, m('64512:1'));
  rtm.advertise(vpn(peerA, '10.0.0.0/24', ['64512:1', '64512:2']));
  assert.deepEqual(vrf.take(), ['advertise 10.0.0.0/24 from peerA']);
  assert.deepEqual(peerB.take(), [], 'a route from one BGP peer is never sent to another');
  rtm.advertise(vpn(vrf, '10.0.1.0/24', ['64512:1']));
  assert.deepEqual(vrf.take(), [], 'never back to its source');
  assert.deepEqual(peerB.take(), ['advertise 10.0.1.0/24 from vrf']);
});

test('replace and withdraw: implicit replacement; withdraw to those no longer interested; duplicates dropped', () => {
  const rtm = new RouteTableManager();
  const src = new Recorder('src');
  const a = new Recorder('a');
  const b = new Recorder('b');
  rtm.subscribe(a, m('64512:1'));
  rtm.subscribe(b, m('64512:2'));
  rtm.advertise(vpn(src, '10.0.0.0/24', ['64512:1', '64512:2']));
  assert.deepEqual([a.take(), b.take()], [['advertise 10.0.0.0/24 from src'], ['advertise 10.0.0.0/24 from src']]);
  rtm.advertise(vpn(src, '10.0.0.0/24', ['64512:2', '64512:1'])); // same set of communities
  assert.deepEqual([a.take(), b.take()], [[], []], 'same route (unordered communities): dropped');
  rtm.advertise(vpn(src, '10.0.0.0/24', ['64512:1'], 18)); // new label, RT 2 removed
  assert.deepEqual(a.take(), ['advertise(replace) 10.0.0.0/24 from src']);
  assert.deepEqual(b.take(), ['withdraw 10.0.0.0/24 from src']);
  rtm.withdraw(vpn(src, '10.0.0.0/24', []));
  assert.deepEqual(a.take(), ['withdraw 10.0.0.0/24 from src']);
  assert.equal(rtm.routeCount, 0);
  rtm.withdraw(vpn(src, '10.0.0.0/24', []));
  assert.deepEqual(a.take(), [], 'withdrawing an unknown route does nothing');
});

test('subscribe replays existing routes; unsubscribe withdraws those no other subscription covers', () => {
  const rtm = new RouteTableManager();
  const src = new Recorder('src', 'bgp-peer');
  rtm.advertise(vpn(src, '10.0.0.1/32', ['64512:1']));
  rtm.advertise(vpn(src, '10.0.0.2/32', ['64512:1', '64512:2']));
  rtm.advertise(vpn(src, '10.0.0.3/32', ['64512:3']));
  const w = new Recorder('w');
  rtm.subscribe(w, m('64512:1'));
  assert.deepEqual(w.take().sort(), ['advertise 10.0.0.1/32 from src', 'advertise 10.0.0.2/32 from src']);
  rtm.subscribe(w, m('64512:2'));
  assert.deepEqual(w.take(), [], 'already covered by 64512:1: no duplicate');
  rtm.subscribe(w, m('64512:2'));
  assert.deepEqual(w.take(), [], 'subscribing twice replays nothing');
  rtm.unsubscribe(w, m('64512:1'));
  assert.deepEqual(w.take(), ['withdraw 10.0.0.1/32 from src'], '10.0.0.2 still covered by 64512:2');
  rtm.unsubscribe(w, m('64512:2'));
  assert.deepEqual(w.take(), ['withdraw 10.0.0.2/32 from src']);
  rtm.subscribe(w, m(undefined, undefined, undefined));
  assert.equal(w.take().length, 3, 'the full wildcard sees every route');
});

test('first/last local subscriber hooks: local workers only, once per match', () => {
  const calls: string[] = [];
  const rtm = new RouteTableManager({
    firstLocalSubscriber: (x) => calls.push(`first ${matchKey(x)}`),
    lastLocalSubscriber: (x) => calls.push(`last ${matchKey(x)}`),
  });
  const v1 = new Recorder('v1');
  const v2 = new Recorder('v2');
  const peer = new Recorder('peer', 'bgp-peer');
  rtm.subscribe(peer, m('64512:1'));
  rtm.subscribe(v1, m('64512:1'));
  rtm.subscribe(v2, m('64512:1'));
  rtm.unsubscribe(v1, m('64512:1'));
  rtm.unsubscribe(peer, m('64512:1'));
  rtm.unsubscribe(v2, m('64512:1'));
  assert.deepEqual(calls, ['first 1/128/64512:1', 'last 1/128/64512:1']);
});

test('cleanup: withdraws what the worker published, drops its subscriptions silently', () => {
  const calls: string[] = [];
  const rtm = new RouteTableManager({ lastLocalSubscriber: (x) => calls.push(matchKey(x)) });
  const vrf = new Recorder('vrf');
  const peer = new Recorder('peer', 'bgp-peer');
  rtm.subscribe(peer, m(undefined));
  rtm.subscribe(vrf, m('64512:9'));
  rtm.advertise(vpn(vrf, '10.9.0.0/16', ['64512:9']));
  rtm.advertise(vpn(peer, '10.8.0.0/16', ['64512:9']));
  peer.take();
  vrf.take();
  rtm.cleanup(vrf);
  assert.deepEqual(peer.take(), ['withdraw 10.9.0.0/16 from vrf']);
  assert.deepEqual(vrf.take(), [], 'no withdraw events are sent to the worker being cleaned up');
  assert.deepEqual(calls, ['1/128/64512:9']);
  assert.deepEqual(rtm.subscriptionsOf(vrf), []);
  assert.equal(rtm.routesFrom(vrf).length, 0);
});

test('one ordered queue: events published while dispatching are processed after the current one', () => {
  const rtm = new RouteTableManager();
  const order: string[] = [];
  const src = new Recorder('src');
  const reactor = new Recorder('reactor', 'local', (e) => {
    order.push(`reactor got ${e.type}`);
    if (e.type === 'advertise' && e.entry.source === src) rtm.advertise(vpn(reactor, '10.2.0.0/16', ['64512:1']));
  });
  const watcher = new Recorder('watcher', 'local', (e) => order.push(`watcher got ${e.type} from ${e.entry.source.name}`));
  rtm.subscribe(reactor, m('64512:1'));
  rtm.subscribe(watcher, m('64512:1'));
  rtm.advertise(vpn(src, '10.1.0.0/16', ['64512:1']));
  assert.deepEqual(order, ['reactor got advertise', 'watcher got advertise from src', 'watcher got advertise from reactor']);
});

test('route target forms: the 4-octet-AS form of a small AS is distinct from the 2-octet one', () => {
  const rtm = new RouteTableManager();
  const src = new Recorder('src');
  const as2 = new Recorder('as2');
  const as4 = new Recorder('as4');
  rtm.subscribe(as2, m('64512:1'));
  rtm.subscribe(as4, m('64512L:1'));
  rtm.advertise(vpn(src, '10.0.0.0/8', ['64512L:1']));
  assert.deepEqual([as2.take().length, as4.take().length], [0, 1]);
  rtm.advertise(vpn(src, '11.0.0.0/8', ['192.0.2.1:7']));
  assert.deepEqual(rtm.routes(1, 128).map((e) => e.routeTargets), [['64512L:1'], ['192.0.2.1:7']]);
});

test('routes(): a full table (300,000 routes) is listed, by family and in all', () => {
  // The looking glass counts routes with routes(): spreading a set this large as call arguments
  // (push(...set)) threw "Maximum call stack size exceeded" past about 120,000 routes.
  const rtm = new RouteTableManager();
  const peer = new Recorder('peer', 'bgp-peer');
  const attributes = attrs(['64512:1']);
  const n = 300_000;
  for (let i = 0; i < n; i++) {
    const prefix = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`;
    rtm.advertise(makeEntry(1, 128, { kind: 'vpn', labels: [fromMplsLabel(16)], rd: { type: 1, value: '127.0.0.1:1' }, prefix }, attributes, '127.0.0.1', peer));
  }
  assert.equal(rtm.routes(1, 128).length, n);
  assert.equal(rtm.routes().length, n);
  assert.equal(rtm.routeCount, n);
});
