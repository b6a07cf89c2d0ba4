/**
 * Quick retry (fsm.ts): a connection refused, or closed or ceased by the peer before its OPEN, is
 * retried every quickRetrySeconds for about twice the connect-retry time, then every connect-retry
 * time, jittered; any other failure keeps the exponential backoff. Driven with a fake clock,
 * jitter pinned.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CeaseSubcode, NotifyCode, OpenSubcode } from '../../src/wire/errors.js';
import type { OpenMessage } from '../../src/wire/messages/open.js';
import { initialState, nextDeadline, quickRetryDelay, step, type FsmAction, type FsmConfig, type FsmEvent, type FsmState } from '../../src/session/fsm.js';

const cfg: FsmConfig = {
  localAs: 64512,
  remoteAs: 64512,
  localId: '127.0.0.1',
  holdTime: 180,
  families: ['l2vpn/evpn'],
  addPathReceive: [],
  gracefulRestartTime: 120,
  extendedMessage: false,
  passive: false,
  connectRetrySeconds: 5,
  maxIdleHoldSeconds: 60,
  openHoldSeconds: 240,
  quickRetrySeconds: 1,
};

const peerOpen: OpenMessage = { type: 'open', version: 4, myAs: 64512, holdTime: 90, bgpId: '127.0.0.2', capabilities: [{ type: 'multiprotocol', family: 'l2vpn/evpn' }] };

class Driver {
  s: FsmState = initialState(0);
  now = 0;
  constructor(
    readonly c: FsmConfig = cfg,
    readonly random = 0.999999,
  ) {}
  ev(e: FsmEvent): FsmAction[] {
    const r = step(this.s, e, this.c, { now: this.now, random: () => this.random });
    this.s = r.state;
    return r.actions;
  }
  /** Moves the clock to the next deadline and ticks; returns how long that was. */
  wait(): number {
    const before = this.now;
    this.now = nextDeadline(this.s)!;
    this.ev({ type: 'tick' });
    return this.now - before;
  }
}

test('refused connections: retried every second ten times (twice the connect-retry time), then every 5 s', () => {
  const d = new Driver();
  d.ev({ type: 'manual-start' });
  const delays: number[] = [];
  for (let i = 0; i < 13; i++) {
    d.ev({ type: 'tcp-failed' }); // Connect: refused
    assert.equal(d.s.state, 'Active');
    delays.push(d.wait());
    assert.equal(d.s.state, 'Connect', 'the retry connects again');
  }
  assert.deepEqual(delays, [...Array<number>(10).fill(1000), 5000, 5000, 5000]);
});

test('closed by the peer before its OPEN (OpenSent): quick retry too', () => {
  const d = new Driver();
  d.ev({ type: 'manual-start' });
  d.ev({ type: 'tcp-connected' });
  assert.equal(d.s.state, 'OpenSent');
  d.ev({ type: 'tcp-failed' });
  assert.equal(d.s.state, 'Active');
  assert.equal(d.wait(), 1000);
  assert.equal(d.s.state, 'Connect');
  d.ev({ type: 'tcp-connected' });
  d.ev({ type: 'tcp-failed' });
  assert.equal(d.wait(), 1000, 'again after a second');
  assert.equal(d.s.earlyFailures, 2);
});

test('a Cease before the peer’s OPEN is an early failure; an OPEN error is not', () => {
  const d = new Driver();
  d.ev({ type: 'manual-start' });
  d.ev({ type: 'tcp-connected' });
  d.ev({ type: 'notification', notification: { code: NotifyCode.Cease, subcode: CeaseSubcode.ConnectionRejected } });
  assert.equal(d.s.state, 'Idle');
  assert.equal(d.wait(), 1000);
  assert.equal(d.s.state, 'Connect', 'automatic restart after the quick delay');

  const e = new Driver();
  e.ev({ type: 'manual-start' });
  e.ev({ type: 'tcp-connected' });
  e.ev({ type: 'notification', notification: { code: NotifyCode.Open, subcode: OpenSubcode.BadPeerAs } });
  assert.equal(e.wait(), 10_000, 'the peer refuses our OPEN: usual backoff (5 s × 2)');
});

test('once the peer’s OPEN was received, a failure is not early: usual backoff, quick retries start over', () => {
  const d = new Driver();
  d.ev({ type: 'manual-start' });
  d.ev({ type: 'tcp-failed' });
  d.wait();
  d.ev({ type: 'tcp-failed' });
  d.wait(); // two early failures
  d.ev({ type: 'tcp-connected' });
  d.ev({ type: 'open', open: peerOpen });
  assert.equal(d.s.state, 'OpenConfirm');
  assert.equal(d.s.earlyFailures, 0);
  d.ev({ type: 'tcp-failed' });
  assert.equal(d.s.state, 'Idle');
  assert.equal(d.wait(), 40_000, 'three failures counted: 5 s × 2^3');
  d.ev({ type: 'tcp-failed' }); // Connect: refused again
  assert.equal(d.wait(), 1000, 'quick retries again');
  assert.equal(d.s.earlyFailures, 1, 'counted from the start again');
});

test('an Established session that drops (daemon restart on the other side) retries quickly when refused', () => {
  const d = new Driver();
  d.ev({ type: 'manual-start' });
  d.ev({ type: 'tcp-connected' });
  d.ev({ type: 'open', open: peerOpen });
  d.ev({ type: 'keepalive' });
  assert.equal(d.s.state, 'Established');
  d.ev({ type: 'tcp-failed' });
  assert.equal(d.s.state, 'Idle');
  assert.equal(d.wait(), 10_000, 'first reconnection after the usual idle hold (5 s × 2)');
  d.ev({ type: 'tcp-failed' });
  assert.equal(d.wait(), 1000);
});

test('quick retry jitter stays within [0.75, 1] of the capped delay; off when unset', () => {
  assert.equal(quickRetryDelay(cfg, 1, () => 0), 750);
  assert.equal(quickRetryDelay(cfg, 1, () => 0.999999), 1000);
  assert.equal(quickRetryDelay(cfg, 10, () => 0.999999), 1000);
  assert.equal(quickRetryDelay(cfg, 11, () => 0), 3750);
  assert.equal(quickRetryDelay(cfg, 40, () => 0.999999), 5000);
  assert.equal(quickRetryDelay({ ...cfg, quickRetrySeconds: 30 }, 1, () => 0.999999), 5000, 'never more than the connect-retry time');
  const { quickRetrySeconds: _q, ...off } = cfg;
  assert.equal(quickRetryDelay(off, 1, () => 0), undefined);
  const d = new Driver(off);
  d.ev({ type: 'manual-start' });
  d.ev({ type: 'tcp-failed' });
  assert.equal(d.wait(), 10_000, 'without quick retry, the exponential backoff of RFC 4271 ConnectRetryTime');
  const low = new Driver(cfg, 0);
  low.ev({ type: 'manual-start' });
  low.ev({ type: 'tcp-failed' });
  assert.equal(low.wait(), 750);
});
