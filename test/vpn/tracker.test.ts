/**
 * Best-path tracker (spec engine.md §8): LOCAL_PREF first, then a deterministic tie-break (every
 * permutation of the same routes gives the same best set), ECMP when the dataplane supports it,
 * callbacks (new-best before best-removed, `last`, equivalent routes reported once), reasons.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeEntry, type RouteEntry } from '../../src/rib/route-entry.js';
import type { Worker } from '../../src/rib/worker.js';
import { encapsulation, routeTarget } from '../../src/wire/ext-communities/index.js';
import { fromMplsLabel } from '../../src/wire/label.js';
import type { PathAttribute } from '../../src/wire/attributes/registry.js';
import { compareRoutes } from '../../src/vpn/best-path.js';
import { BestPathTracker, selectBest, routeIdentity, type TrackerAction } from '../../src/vpn/tracker.js';

function source(name: string): Worker {
  return { name, kind: 'bgp-peer', onRouteEvent: () => undefined };
}
const peer1 = source('BGP-127.0.140.1');
const peer2 = source('BGP-127.0.140.2');

function route(src: Worker, rd: string, nextHop: string, label: number, localPref?: number, prefix = '10.0.0.0/24'): RouteEntry {
  const attrs: PathAttribute[] = [{ type: 'ext-communities', communities: [routeTarget('64512:1'), encapsulation('mpls')] }];
  if (localPref !== undefined) attrs.push({ type: 'local-pref', value: localPref });
  return makeEntry(1, 128, { kind: 'vpn', labels: [fromMplsLabel(label)], rd: { type: 0, value: rd }, prefix }, attrs, nextHop, src);
}

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

const SET = [
  route(peer1, '64512:1', '127.0.140.11', 101),
  route(peer1, '64512:2', '127.0.140.12', 102),
  route(peer2, '64512:3', '127.0.140.13', 103),
  route(peer2, '64512:4', '127.0.140.14', 104, 100),
  route(peer2, '64512:5', '127.0.140.15', 105, 90),
];

function bestIds(t: BestPathTracker): string[] {
  return t.best('p').map((b) => routeIdentity(b.route)).sort();
}

test('the best route of equal-LOCAL_PREF routes does not depend on arrival order (every permutation)', () => {
  const policy = { ecmp: false, salt: 'host/VRF-1' };
  const results = new Set<string>();
  for (const order of permutations(SET)) {
    const t = new BestPathTracker(policy);
    for (const r of order) t.advertise('p', r);
    assert.equal(t.best('p').length, 1);
    results.add(bestIds(t).join(','));
  }
  assert.equal(results.size, 1, [...results].join(' | '));
  // And the same answer as a one-shot selection.
  assert.equal([...results][0], routeIdentity(selectBest(SET, policy)[0]!.route));
});

test('withdrawing in any order leaves the same best route at each step that has the same routes', () => {
  const policy = { ecmp: false, salt: 's' };
  for (const order of permutations(SET.slice(0, 4))) {
    const t = new BestPathTracker(policy);
    for (const r of SET) t.advertise('p', r);
    const remaining = [...SET];
    for (const r of order) {
      t.withdraw('p', r);
      remaining.splice(remaining.indexOf(r), 1);
      assert.deepEqual(bestIds(t), selectBest(remaining, policy).map((b) => routeIdentity(b.route)));
    }
  }
});

test('the salt changes the tie-break (nodes spread their choices), LOCAL_PREF beats it', () => {
  const ties = SET.slice(0, 4);
  const winners = new Set<string>();
  for (let i = 0; i < 40; i++) winners.add(routeIdentity(selectBest(ties, { ecmp: false, salt: `node${i}` })[0]!.route));
  assert.ok(winners.size > 1, 'different salts pick different routes');
  const high = route(peer2, '64512:9', '127.0.140.19', 109, 200);
  for (let i = 0; i < 10; i++) {
    const b = selectBest([...ties, high], { ecmp: false, salt: `node${i}` });
    assert.equal(b[0]!.route, high);
    assert.equal(b[0]!.reason, 'LOCAL_PREF 200 > 100');
  }
  const c = compareRoutes(SET[0]!, SET[1]!, { ecmp: false, salt: 'x' });
  assert.match(c.reason, /tie-break: salted hash/);
  assert.notEqual(c.cmp, 0);
});

test('ECMP: every route of the highest LOCAL_PREF is best, in every permutation', () => {
  const policy = { ecmp: true, salt: '' };
  for (const order of permutations(SET)) {
    const t = new BestPathTracker(policy);
    for (const r of order) t.advertise('p', r);
    assert.deepEqual(bestIds(t), SET.slice(0, 4).map(routeIdentity).sort());
    assert.match(t.best('p')[0]!.reason, /ECMP \(4 routes\); over the others: LOCAL_PREF 100 > 90/);
  }
});

test('callbacks: new best first, then the replaced one (not last); withdrawal of the only route is last', () => {
  const t = new BestPathTracker({ ecmp: false, salt: '' });
  const a = route(peer1, '64512:1', '127.0.140.11', 101, 100);
  const b = route(peer2, '64512:2', '127.0.140.12', 102, 200);
  assert.deepEqual(t.advertise('p', a), [{ type: 'new-best', entry: 'p', route: a }]);
  assert.equal(t.best('p')[0]!.reason, 'only route');
  assert.deepEqual(t.advertise('p', b), [
    { type: 'new-best', entry: 'p', route: b },
    { type: 'best-removed', entry: 'p', route: a, last: false },
  ]);
  assert.deepEqual(t.advertise('p', route(peer1, '64512:1', '127.0.140.11', 111, 100)), [], 'a non-best route changing: nothing');
  // The best route replaced by a new version of itself (same source and NLRI key, new label).
  const b2 = route(peer2, '64512:2', '127.0.140.12', 122, 200);
  assert.deepEqual(t.advertise('p', b2), [
    { type: 'new-best', entry: 'p', route: b2 },
    { type: 'best-removed', entry: 'p', route: b, last: false },
  ]);
  const actions: TrackerAction[] = t.withdraw('p', b2);
  assert.equal(actions.length, 2);
  assert.equal(actions[0]!.type, 'new-best');
  assert.deepEqual(actions[1], { type: 'best-removed', entry: 'p', route: b2, last: false });
  const lastA = t.best('p')[0]!.route;
  assert.deepEqual(t.withdraw('p', lastA), [{ type: 'best-removed', entry: 'p', route: lastA, last: true }]);
  assert.deepEqual(t.trackedEntries(), []);
  assert.deepEqual(t.withdraw('p', lastA), [], 'unknown route: nothing');
});

test('equivalent routes (same content from two sources) are reported once', () => {
  const t = new BestPathTracker({ ecmp: true, salt: '' });
  const a = route(peer1, '64512:1', '127.0.140.11', 101);
  const a2 = route(peer2, '64512:1', '127.0.140.11', 101);
  assert.equal(t.advertise('p', a).length, 1);
  assert.deepEqual(t.advertise('p', a2), [], 'equivalent to a best route: no new-best');
  assert.equal(t.best('p').length, 2);
  assert.deepEqual(t.withdraw('p', a), [], 'an equivalent route is still best: no removal');
  assert.deepEqual(t.withdraw('p', a2), [{ type: 'best-removed', entry: 'p', route: a2, last: true }]);
});
