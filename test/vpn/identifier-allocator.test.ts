/** Allocators (spec engine.md §9): cursor order, late FIFO reuse, hints, exhaustion. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AllocatorExhausted, IdAllocator, InstanceIdAllocator, LabelAllocator, RdAllocator } from '../../src/vpn/identifier-allocator.js';

test('labels start at 16 and a released label is not reused while the cursor has room', () => {
  const a = new LabelAllocator();
  assert.deepEqual([a.allocate('x'), a.allocate('y'), a.allocate('z')], [16, 17, 18]);
  a.release(17);
  assert.equal(a.allocate('w'), 19);
  assert.deepEqual(a.entries(), [
    [16, 'x'],
    [18, 'z'],
    [19, 'w'],
  ]);
  assert.throws(() => a.release(17), /non-allocated label: 17/);
});

test('after the cursor passes MAX, released ids come back oldest-released first; then exhaustion', () => {
  const a = new IdAllocator(0, 3);
  for (let i = 0; i <= 3; i++) assert.equal(a.allocate(`d${i}`), i);
  a.release(2);
  a.release(0);
  assert.equal(a.allocate('again'), 2);
  assert.equal(a.allocate('again'), 0);
  assert.throws(() => a.allocate('none'), AllocatorExhausted);
  assert.equal(a.size, 4);
});

test('a free hint is taken instead of the cursor, and the cursor skips it', () => {
  const a = new IdAllocator(10, 20);
  assert.equal(a.allocate('hint', 11), 11);
  assert.equal(a.allocate('c'), 10);
  assert.equal(a.allocate('c'), 12); // 11 taken by the hint: skipped
  assert.equal(a.allocate('hint busy', 11), 13);
  assert.equal(a.allocate('out of range hint', 99), 14);
});

test('RDs are <local address>:n from 0, released by text; instance ids are never reused', () => {
  const r = new RdAllocator('127.0.140.1');
  assert.equal(r.allocate('instance'), '127.0.140.1:0');
  assert.equal(r.allocate('endpoint'), '127.0.140.1:1');
  r.release('127.0.140.1:1');
  assert.equal(r.allocate('endpoint 2'), '127.0.140.1:2');
  assert.deepEqual(r.entries(), [
    [0, 'instance'],
    [2, 'endpoint 2'],
  ]);
  const ids = new InstanceIdAllocator();
  assert.deepEqual([ids.allocate(), ids.allocate(), ids.allocate()], [1, 2, 3]);
});
