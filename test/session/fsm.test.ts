import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CeaseSubcode, NotifyCode, OpenSubcode } from '../../src/wire/errors.js';
import type { OpenMessage } from '../../src/wire/messages/open.js';
import {
  collisionLoser,
  initialState,
  nextDeadline,
  retryDelay,
  step,
  type FsmAction,
  type FsmConfig,
  type FsmEvent,
  type FsmState,
} from '../../src/session/fsm.js';
import { buildOpen, negotiate } from '../../src/session/negotiation.js';

const cfg: FsmConfig = {
  localAs: 64512,
  remoteAs: 64512,
  localId: '127.0.0.1',
  holdTime: 180,
  families: ['ipv4/mpls-vpn', 'l2vpn/evpn', 'ipv4/rtc'],
  addPathReceive: [],
  gracefulRestartTime: 120,
  extendedMessage: false,
  passive: false,
  connectRetrySeconds: 5,
  maxIdleHoldSeconds: 60,
  openHoldSeconds: 240,
};

const peerOpen = (over: Partial<OpenMessage> = {}): OpenMessage => ({
  type: 'open',
  version: 4,
  myAs: 64512,
  holdTime: 90,
  bgpId: '127.0.0.2',
  capabilities: [
    { type: 'multiprotocol', family: 'ipv4/mpls-vpn' },
    { type: 'multiprotocol', family: 'ipv4/rtc' },
    { type: 'four-octet-as', as: 64512 },
    { type: 'route-refresh' },
  ],
  ...over,
});

/** Drives the FSM with a fake clock; jitter fixed at its maximum (random() = 1 - ε → factor ≈ 1). */
class Driver {
  s: FsmState;
  now = 0;
  log: FsmAction[] = [];
  constructor(readonly c: FsmConfig = cfg) {
    this.s = initialState(0);
  }
  ev(e: FsmEvent): FsmAction[] {
    const r = step(this.s, e, this.c, { now: this.now, random: () => 0.999999 });
    this.s = r.state;
    this.log.push(...r.actions);
    return r.actions;
  }
  /** Advance the clock to the next deadline (or by ms) and tick. */
  advance(ms?: number): FsmAction[] {
    const d = nextDeadline(this.s);
    this.now = ms === undefined ? d! : this.now + ms;
    return this.ev({ type: 'tick' });
  }
  types(actions: FsmAction[]): string[] {
    return actions.map((a) => (a.type === 'state-change' ? `${a.from}->${a.to}:${a.reason}` : a.type === 'send-notification' ? `notify ${a.notification.code}/${a.notification.subcode}` : a.type));
  }
}

function establish(d: Driver): void {
  d.ev({ type: 'manual-start' });
  d.ev({ type: 'tcp-connected' });
  d.ev({ type: 'open', open: peerOpen() });
  d.ev({ type: 'keepalive' });
  assert.equal(d.s.state, 'Established');
}

test('active start: Connect → OpenSent → OpenConfirm → Established with the RFC 4271 actions', () => {
  const d = new Driver();
  assert.deepEqual(d.types(d.ev({ type: 'manual-start' })), ['connect', 'Idle->Connect:manual-start']);
  assert.deepEqual(d.types(d.ev({ type: 'tcp-connected' })), ['send-open', 'Connect->OpenSent:tcp-connected']);
  assert.equal(d.s.timers.hold, 240_000, 'large hold timer while waiting for the OPEN');
  assert.deepEqual(d.types(d.ev({ type: 'open', open: peerOpen() })), ['send-keepalive', 'OpenSent->OpenConfirm:open-received']);
  assert.equal(d.s.negotiated?.holdTime, 90, 'min(ours 180, theirs 90)');
  assert.equal(d.s.negotiated?.keepaliveTime, 30);
  assert.deepEqual(d.s.negotiated?.families, ['ipv4/mpls-vpn', 'ipv4/rtc']);
  assert.deepEqual(d.s.negotiated?.missingFamilies, ['l2vpn/evpn']);
  const up = d.ev({ type: 'keepalive' });
  assert.deepEqual(d.types(up), ['OpenConfirm->Established:keepalive-received', 'established']);
});

test('passive start waits in Active and takes an incoming connection', () => {
  const d = new Driver({ ...cfg, passive: true });
  assert.deepEqual(d.types(d.ev({ type: 'manual-start' })), ['Idle->Active:manual-start']);
  d.advance(); // connect retry expiry: passive peers never connect
  assert.equal(d.s.state, 'Active');
  assert.ok(!d.log.some((a) => a.type === 'connect'));
  assert.deepEqual(d.types(d.ev({ type: 'tcp-accepted' })), ['send-open', 'Active->OpenSent:tcp-accepted']);
});

test('keepalives every hold/3; hold timer restarted by KEEPALIVE and UPDATE; expiry sends NOTIFICATION 4', () => {
  const d = new Driver();
  establish(d);
  const t0 = d.now;
  assert.deepEqual(d.types(d.advance()), ['send-keepalive']);
  assert.equal(d.now - t0, 30_000);
  d.now += 20_000;
  d.ev({ type: 'update' });
  assert.equal(d.s.timers.hold, d.now + 90_000);
  d.ev({ type: 'keepalive' });
  // Nothing received for 90 s: keepalives go out, then the hold timer fires.
  const seen: string[] = [];
  while (d.s.state === 'Established') seen.push(...d.types(d.advance()));
  assert.deepEqual(seen.slice(-4), ['notify 4/0', 'close', 'down', 'Established->Idle:hold-timer-expired']);
  assert.equal(seen.filter((x) => x === 'send-keepalive').length, 3);
});

test('hold time 0 negotiated: no keepalives and no hold timer', () => {
  const d = new Driver();
  d.ev({ type: 'manual-start' });
  d.ev({ type: 'tcp-connected' });
  d.ev({ type: 'open', open: peerOpen({ holdTime: 0 }) });
  d.ev({ type: 'keepalive' });
  assert.equal(d.s.state, 'Established');
  assert.equal(nextDeadline(d.s), undefined);
});

test('OPEN checks: bad peer AS, bad identifier, hold time 1 or 2 → OPEN error NOTIFICATION and Idle', () => {
  const cases: [Partial<OpenMessage>, number][] = [
    [{ myAs: 65000, capabilities: [] }, OpenSubcode.BadPeerAs],
    [{ bgpId: '0.0.0.0' }, OpenSubcode.BadBgpIdentifier],
    [{ bgpId: '127.0.0.1' }, OpenSubcode.BadBgpIdentifier],
    [{ holdTime: 2 }, OpenSubcode.UnacceptableHoldTime],
  ];
  for (const [over, subcode] of cases) {
    const d = new Driver();
    d.ev({ type: 'manual-start' });
    d.ev({ type: 'tcp-connected' });
    const acts = d.types(d.ev({ type: 'open', open: peerOpen(over) }));
    assert.deepEqual(acts, [`notify 2/${subcode}`, 'close', 'OpenSent->Idle:open-rejected'], JSON.stringify(over));
    assert.ok(d.s.timers.idleHold !== undefined, 'an automatic restart is scheduled');
  }
});

test('unexpected messages: RFC 6608 FSM error subcodes', () => {
  const d = new Driver();
  d.ev({ type: 'manual-start' });
  d.ev({ type: 'tcp-connected' });
  assert.deepEqual(d.types(d.ev({ type: 'update' })), ['notify 5/1', 'close', 'OpenSent->Idle:unexpected-message']);
  const e = new Driver();
  establish(e);
  assert.deepEqual(d.types(e.ev({ type: 'open', open: peerOpen() })), ['notify 5/3', 'close', 'down', 'Established->Idle:unexpected-message']);
});

test('connect failures back off exponentially with a cap, and recover', () => {
  const d = new Driver();
  d.ev({ type: 'manual-start' });
  d.ev({ type: 'tcp-failed' });
  assert.equal(d.s.state, 'Active');
  const delays: number[] = [];
  for (let i = 0; i < 6; i++) {
    const before = d.now;
    d.advance(); // retry: Active → Connect
    delays.push(d.now - before);
    assert.equal(d.s.state, 'Connect');
    d.ev({ type: 'tcp-failed' });
  }
  assert.deepEqual(delays, [10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
  d.ev({ type: 'manual-stop' });
  establish(d);
  assert.equal(d.s.failures, 0);
});

test('retry jitter stays within [0.75, 1] of the capped exponential delay', () => {
  assert.equal(retryDelay(cfg, 0, () => 0), 3750);
  assert.equal(retryDelay(cfg, 0, () => 0.999999), 5000);
  assert.equal(retryDelay(cfg, 30, () => 0), 45_000);
});

test('manual stop: Cease/administrative shutdown, no automatic restart', () => {
  const d = new Driver();
  establish(d);
  const acts = d.ev({ type: 'manual-stop' });
  const n = acts.find((a) => a.type === 'send-notification');
  assert.deepEqual(n, { type: 'send-notification', notification: { code: NotifyCode.Cease, subcode: CeaseSubcode.AdministrativeShutdown } });
  assert.equal(d.s.state, 'Idle');
  assert.equal(nextDeadline(d.s), undefined, 'no restart after a manual stop');
});

test('received NOTIFICATION: Idle, remembered for the looking glass, automatic restart later', () => {
  const d = new Driver();
  establish(d);
  d.ev({ type: 'notification', notification: { code: 6, subcode: 2 } });
  assert.equal(d.s.state, 'Idle');
  assert.equal(d.s.reason, 'notification-received');
  assert.deepEqual(d.s.lastNotification, { direction: 'received', notification: { code: 6, subcode: 2 } });
  d.advance();
  assert.equal(d.s.state, 'Connect');
  assert.equal(d.s.reason, 'automatic-start');
});

test('collision: the connection initiated by the higher BGP identifier survives (RFC 4271 §6.8)', () => {
  assert.equal(collisionLoser('10.0.0.2', '10.0.0.1'), 'incoming');
  assert.equal(collisionLoser('10.0.0.1', '10.0.0.2'), 'outgoing');
  assert.equal(collisionLoser('9.255.255.255', '10.0.0.0'), 'outgoing');
  const d = new Driver();
  establish(d);
  assert.deepEqual(d.types(d.ev({ type: 'collision-dump' })), ['notify 6/7', 'close', 'down', 'Established->Idle:collision']);
  assert.equal(nextDeadline(d.s), undefined, 'the dumped connection does not restart on its own');
});

test('negotiation: ADD-PATH receive, graceful restart helper, 4-octet AS', () => {
  const open = buildOpen({ ...cfg, localAs: 4200000000, remoteAs: 4200000000, addPathReceive: ['ipv4/mpls-vpn'] });
  assert.equal(open.myAs, 23456, 'AS_TRANS in the 2-byte field');
  assert.ok(open.capabilities.some((c) => c.type === 'four-octet-as' && c.as === 4200000000));
  const r = negotiate(
    { ...cfg, addPathReceive: ['ipv4/mpls-vpn'] },
    peerOpen({
      capabilities: [
        { type: 'multiprotocol', family: 'ipv4/mpls-vpn' },
        { type: 'add-path', families: [{ family: 'ipv4/mpls-vpn', mode: 'both' }] },
        { type: 'graceful-restart', restarting: true, notification: false, time: 120, families: [{ family: 'ipv4/mpls-vpn', forwarding: true }] },
      ],
    }),
  );
  assert.ok('negotiated' in r);
  assert.deepEqual(r.negotiated.addPathReceive, ['ipv4/mpls-vpn']);
  assert.equal(r.negotiated.as4, false);
  assert.deepEqual(r.negotiated.gracefulRestart, { time: 120, restarting: true, families: [{ family: 'ipv4/mpls-vpn', forwarding: true }] });
});
