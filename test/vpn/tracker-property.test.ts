/**
 * Property test of the best-path tracker: after any sequence of advertisements, replacements and
 * withdrawals (from several sources, several prefixes), the best set of each entry is exactly
 * what a one-shot selection over the routes left gives, and the dataplane-facing actions replayed
 * on a model (install on new-best, remove on best-removed) leave exactly the best set installed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { makeEntry, type RouteEntry } from '../../src/rib/route-entry.js';
import type { Worker } from '../../src/rib/worker.js';
import { routeTarget } from '../../src/wire/ext-communities/index.js';
import { fromMplsLabel } from '../../src/wire/label.js';
import { equivalenceText } from '../../src/vpn/best-path.js';
import { BestPathTracker, routeIdentity, selectBest } from '../../src/vpn/tracker.js';

const SOURCES: Worker[] = ['BGP-a', 'BGP-b', 'BGP-c'].map((name) => ({ name, kind: 'bgp-peer', onRouteEvent: () => undefined }));
const PREFIXES = ['10.0.0.0/24', '10.0.1.0/24'];

interface Op {
  withdraw: boolean;
  source: number;
  rd: number;
  prefix: number;
  label: number;
  localPref: number;
}

const op = fc.record({
  withdraw: fc.boolean(),
  source: fc.integer({ min: 0, max: 2 }),
  rd: fc.integer({ min: 0, max: 1 }),
  prefix: fc.integer({ min: 0, max: 1 }),
  label: fc.integer({ min: 16, max: 18 }),
  localPref: fc.constantFrom(100, 100, 200),
});

function route(o: Op): RouteEntry {
  return makeEntry(
    1,
    128,
    { kind: 'vpn', labels: [fromMplsLabel(o.label)], rd: { type: 0, value: `64512:${o.rd}` }, prefix: PREFIXES[o.prefix]! },
    [
      { type: 'ext-communities', communities: [routeTarget('64512:1')] },
      { type: 'local-pref', value: o.localPref },
    ],
    `127.0.141.${o.label}`,
    SOURCES[o.source]!,
  );
}

for (const ecmp of [false, true]) {
  test(`tracker property (${ecmp ? 'ECMP' : 'single best'}): best set = selection over what is left; actions keep the installed set equal to it`, () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const policy = { ecmp, salt: 'prop' };
        const t = new BestPathTracker(policy);
        const live = new Map<string, RouteEntry>();
        // What a dataplane that follows the actions has installed, per entry: equivalence texts.
        const installed = new Map<string, Set<string>>();
        for (const o of ops) {
          const r = route(o);
          const entry = r.nlri.kind === 'vpn' ? r.nlri.prefix : '';
          const actions = o.withdraw ? t.withdraw(entry, r) : t.advertise(entry, r);
          if (o.withdraw) live.delete(routeIdentity(r));
          else live.set(routeIdentity(r), r);
          for (const a of actions) {
            let s = installed.get(a.entry);
            if (!s) installed.set(a.entry, (s = new Set()));
            if (a.type === 'new-best') s.add(equivalenceText(a.route));
            else s.delete(equivalenceText(a.route));
          }
        }
        for (const prefix of PREFIXES) {
          const left = [...live.values()].filter((r) => r.nlri.kind === 'vpn' && r.nlri.prefix === prefix);
          const expected = selectBest(left, policy).map((b) => routeIdentity(b.route)).sort();
          assert.deepEqual(t.best(prefix).map((b) => routeIdentity(b.route)).sort(), expected);
          const want = new Set(selectBest(left, policy).map((b) => equivalenceText(b.route)));
          assert.deepEqual([...(installed.get(prefix) ?? [])].sort(), [...want].sort(), 'installed set follows the best set');
        }
      }),
      { numRuns: 400 },
    );
  });
}
