import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectionReason, DEFAULT_POLICY, fullCollection, IdleCollector } from '../../src/util/idle-collector.js';
import { memoryLogger, type LogLevel } from '../../src/util/logger.js';

const MB = 1024 * 1024;

function garbage(): void {
  // About 30 MB of objects, unreachable once this returns.
  const a = Array.from({ length: 300_000 }, (_, i) => ({ i, s: `garbage ${i}` }));
  assert.equal(a.length, 300_000);
}

test('an idle check collects only when the loop was idle and the heap has memory to give back', () => {
  const base = { utilization: 0.01, heapUsed: 20 * MB, heapTotal: 30 * MB, usedAfterLastCollection: 10 * MB };
  assert.equal(collectionReason(base), undefined, '10 MB of garbage, 10 MB of slack: not worth it');
  assert.equal(collectionReason({ ...base, heapUsed: 26 * MB, heapTotal: 30 * MB }), 'garbage', '16 MB of garbage');
  assert.equal(collectionReason({ ...base, heapUsed: 12 * MB, heapTotal: 28 * MB }), 'slack', '16 MB held beyond use');
  assert.equal(collectionReason({ ...base, heapUsed: 200 * MB, heapTotal: 240 * MB, utilization: 0.06 }), undefined, 'busy: never');
  assert.equal(collectionReason({ ...base, heapUsed: 200 * MB, heapTotal: 240 * MB, utilization: DEFAULT_POLICY.maxUtilization }), 'garbage');
});

test('the full collection is available at run time and frees garbage', () => {
  const gc = fullCollection();
  assert.equal(typeof gc, 'function');
  gc!();
  const before = process.memoryUsage().heapUsed;
  garbage();
  const grown = process.memoryUsage().heapUsed;
  gc!();
  const after = process.memoryUsage().heapUsed;
  assert.ok(grown > before + 10 * MB, `the garbage was not allocated on the heap? ${grown - before} bytes`);
  assert.ok(after < before + 4 * MB, `heap ${(after / MB).toFixed(1)} MB after, ${(before / MB).toFixed(1)} MB before`);
});

test('the collector runs a collection on an idle check with garbage, logs it at debug level, and not when busy', () => {
  const records: { level: LogLevel; name: string; msg: string }[] = [];
  let runs = 0;
  const gc = fullCollection()!;
  const counting = (): void => {
    runs++;
    gc();
  };
  const busy = new IdleCollector(memoryLogger(records), counting, { ...DEFAULT_POLICY, maxUtilization: -1 });
  garbage();
  assert.equal(busy.check(), false);
  assert.equal(runs, 0);
  const idle = new IdleCollector(memoryLogger(records), counting, { ...DEFAULT_POLICY, maxUtilization: 1 });
  garbage();
  assert.equal(idle.check(), true);
  assert.equal(runs, 1);
  assert.equal(idle.collections, 1);
  assert.match(records.at(-1)!.msg, /^idle: full collection in [\d.]+ ms, heap \d+ → \d+ MB used/);
  // Then at most two more for the room the heap keeps (none if it gave it back), and no more
  // while nothing new was allocated, whatever the heap keeps.
  let more = 0;
  for (let i = 0; i < 5; i++) if (idle.check()) more++;
  assert.ok(more <= 2, `${more} collections without new garbage`);
  assert.equal(runs, 1 + more);
});
