/**
 * The adoption hold-down the real drivers share (src/dataplane/adoption-hold-down.ts): held from
 * start, counted from routing up, over once (its action called once), cancel final, and
 * `adopt` running a driver's search only once with the first routingUp. Time is a hand-driven
 * Clock (STYLE habit 2): no sleeps.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdoptionHoldDown } from '../../src/dataplane/adoption-hold-down.js';
import type { Clock } from '../../src/util/clock.js';

/** A clock moved by hand: timers fire when `advance` passes their time. */
class HandClock implements Clock {
  private t = 1_000_000;
  private timers: { at: number; fn: () => void }[] = [];
  now(): number {
    return this.t;
  }
  after(ms: number, fn: () => void): () => void {
    const timer = { at: this.t + ms, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }
  get pending(): number {
    return this.timers.length;
  }
  advance(ms: number): void {
    this.t += ms;
    const due = this.timers.filter((x) => x.at <= this.t);
    this.timers = this.timers.filter((x) => x.at > this.t);
    for (const x of due) x.fn();
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets the routingUp callbacks run. */
const microtasks = (): Promise<void> => new Promise((r) => setImmediate(r));

test('held from start, counted from routing up, over once with its action', async () => {
  const clock = new HandClock();
  const up = deferred();
  let ended = 0;
  const h = new AdoptionHoldDown(30_000, () => ended++, clock);
  assert.equal(h.holding, false, 'not started: nothing held');
  h.start(up.promise);
  assert.equal(h.holding, true, 'held while routing is not up');
  assert.equal(h.deadline, undefined, 'no end before routing is up');
  clock.advance(3_600_000);
  assert.equal(ended, 0, 'the count has not started');
  const upAt = clock.now();
  up.resolve();
  await microtasks();
  assert.equal(h.deadline, upAt + 30_000);
  clock.advance(29_999);
  assert.equal(h.holding, true);
  assert.equal(ended, 0);
  clock.advance(1);
  assert.equal(ended, 1);
  assert.equal(h.holding, false);
  assert.equal(h.deadline, undefined);
  h.start(Promise.resolve());
  await microtasks();
  assert.equal(h.holding, false, 'over for good: a second start does nothing');
  assert.equal(clock.pending, 0);
});

test('cancel before routing up: no timer, no action, and start does nothing afterwards', async () => {
  const clock = new HandClock();
  const up = deferred();
  let ended = 0;
  const h = new AdoptionHoldDown(1_000, () => ended++, clock);
  h.start(up.promise);
  h.cancel();
  assert.equal(h.holding, false);
  up.resolve();
  await microtasks();
  assert.equal(clock.pending, 0, 'routing up after cancel starts no timer');
  h.start(Promise.resolve());
  await microtasks();
  assert.equal(clock.pending, 0);
  assert.equal(ended, 0);
});

test('cancel while counting stops the timer; cancel before start makes start a no-op', async () => {
  const clock = new HandClock();
  let ended = 0;
  const counting = new AdoptionHoldDown(1_000, () => ended++, clock);
  counting.start(Promise.resolve());
  await microtasks();
  assert.equal(clock.pending, 1);
  counting.cancel();
  assert.equal(clock.pending, 0);
  assert.equal(counting.deadline, undefined);
  const closed = new AdoptionHoldDown(1_000, () => ended++, clock);
  closed.cancel();
  closed.start(Promise.resolve());
  await microtasks();
  assert.equal(closed.holding, false, 'a driver closed before adoption holds nothing');
  clock.advance(10_000);
  assert.equal(ended, 0);
});

test('start is once: a second start neither restarts nor adds a timer', async () => {
  const clock = new HandClock();
  let ended = 0;
  const h = new AdoptionHoldDown(1_000, () => ended++, clock);
  h.start(Promise.resolve());
  await microtasks();
  clock.advance(600);
  h.start(Promise.resolve());
  await microtasks();
  assert.equal(clock.pending, 1);
  clock.advance(400);
  assert.equal(ended, 1, 'ends 1 s after the first start’s routing up');
});

test('a zero hold-down ends as soon as routing is up', async () => {
  const clock = new HandClock();
  let ended = 0;
  const h = new AdoptionHoldDown(0, () => ended++, clock);
  h.start(Promise.resolve());
  await microtasks();
  clock.advance(0);
  assert.equal(ended, 1);
});

test('adopt: the first call counts, with its routingUp kept for later (none: routing counts as up)', async () => {
  const h = new AdoptionHoldDown(1_000, () => undefined, new HandClock());
  const first = deferred();
  const seen: Promise<void>[] = [];
  const find = (up: Promise<void>): Promise<boolean> => {
    seen.push(up);
    return Promise.resolve(seen.length === 1);
  };
  assert.equal(await h.adopt(first.promise, find), true);
  assert.equal(await h.adopt(Promise.resolve(), find), true, 'later calls get the first answer');
  assert.equal(seen.length, 1, 'the search runs once');
  assert.equal(seen[0], first.promise);
  assert.equal(h.routingUp, first.promise, 'what counts later counts from the first routingUp');

  const none = new AdoptionHoldDown(1_000, () => undefined, new HandClock());
  let resolved = false;
  void none.routingUp.then(() => (resolved = true));
  await microtasks();
  assert.equal(resolved, true, 'no adoption yet: routing counts as up');
  const noArg = await none.adopt(undefined, async (up) => {
    await up;
    return false;
  });
  assert.equal(noArg, false, 'adoptState() without routingUp: routing counts as up');
});

test('adopt with a zero hold-down: a driver that gives reset resets at start and keeps nothing; without reset it searches', async () => {
  const calls: string[] = [];
  const find = (): Promise<boolean> => {
    calls.push('find');
    return Promise.resolve(true);
  };
  const reset = (): Promise<void> => {
    calls.push('reset');
    return Promise.resolve();
  };
  const zero = new AdoptionHoldDown(0, () => undefined, new HandClock());
  assert.equal(await zero.adopt(undefined, find, reset), false);
  assert.equal(await zero.adopt(undefined, find, reset), false, 'the first call counts');
  assert.deepEqual(calls, ['reset']);
  calls.length = 0;
  assert.equal(await new AdoptionHoldDown(0, () => undefined, new HandClock()).adopt(undefined, find), true);
  assert.equal(await new AdoptionHoldDown(30_000, () => undefined, new HandClock()).adopt(undefined, find, reset), true);
  assert.deepEqual(calls, ['find', 'find'], 'no reset without a zero hold-down');
});
