/**
 * The BGP finite state machine of RFC 4271 §8, as a pure function: (state, event, env) → (state,
 * actions). No sockets, no timers: timers are deadlines kept in the state (milliseconds on the
 * driver's clock); the driver wakes up at `nextDeadline(state)` and feeds a `tick` event. Every
 * state change carries a typed reason for the logs and the looking glass.
 *
 * One FSM runs per TCP connection attempt of a peer (RFC 4271 §6.8 speaks of two connections during
 * a collision): the peer driver owns the main FSM and, when an incoming connection arrives while the
 * main one is past Active, a second FSM for it; it resolves the collision with `collisionLoser`.
 *
 * Events are named after RFC 4271 §8.1 (event numbers in comments). Not implemented: DelayOpen
 * (optional, events 12-15, 20) and the optional damping of peer oscillations beyond our capped,
 * jittered idle-hold backoff.
 *
 * Quick retry (optional, `quickRetrySeconds`): a connection that fails early (refused, or closed
 * or ceased by the peer before its OPEN) is retried after a short jittered delay instead of the
 * exponential backoff from ConnectRetryTime: every quickRetrySeconds for as many attempts as make
 * twice the connect-retry time, then every connect-retry time. Such a peer is usually about to
 * accept: a route reflector that saw our session drop (our daemon restarted) refuses connections
 * for a while (GoBGP for 5 s, its fixed idle hold time), and a retry every second gets in within
 * a second of that, where 1, 2, 4 s would wait until 7 s. RFC 4271 §10 leaves ConnectRetryTime to
 * the implementation; jitter stays.
 */
import type { NotificationSpec } from '../wire/errors.js';
import { CeaseSubcode, NotifyCode } from '../wire/errors.js';
import type { OpenMessage } from '../wire/messages/open.js';
import { negotiate, type LocalOpenConfig, type Negotiated } from './negotiation.js';

export type SessionState = 'Idle' | 'Connect' | 'Active' | 'OpenSent' | 'OpenConfirm' | 'Established';

/** Why a state changed: shown in the looking glass and logs (GoBGP habit). */
export type StateChangeReason =
  | 'manual-start'
  | 'automatic-start'
  | 'manual-stop'
  | 'connect-retry-expired'
  | 'tcp-connected'
  | 'tcp-accepted'
  | 'tcp-failed'
  | 'open-received'
  | 'open-rejected'
  | 'keepalive-received'
  | 'hold-timer-expired'
  | 'notification-received'
  | 'bad-message'
  | 'update-error'
  | 'unexpected-message'
  | 'collision'
  | 'max-prefix'
  | 'connection-rejected';

export interface FsmConfig extends LocalOpenConfig {
  /** Wait for the peer to connect; never initiate (RFC 4271 PassiveTcpEstablishment). */
  passive: boolean;
  /** Base ConnectRetryTime, seconds (RFC suggests 120; BaGPipe retried after 5). */
  connectRetrySeconds: number;
  /** Cap of the exponential backoff of automatic restarts, seconds. */
  maxIdleHoldSeconds: number;
  /** Initial hold time while waiting for an OPEN, seconds (RFC 4271 §8.2.2: a large value, 4 min). */
  openHoldSeconds: number;
  /** First delay after an early failure, seconds, doubling up to connectRetrySeconds; unset: no quick retry. */
  quickRetrySeconds?: number;
}

export interface FsmEnv {
  /** Milliseconds on the driver's clock. */
  now: number;
  /** A uniform random number in [0, 1): the jitter source (injected so tests are exact). */
  random: () => number;
}

export interface Timers {
  connectRetry?: number;
  hold?: number;
  keepalive?: number;
  /** Automatic restart after Idle (RFC 4271 IdleHoldTimer). */
  idleHold?: number;
}

export interface FsmState {
  readonly state: SessionState;
  readonly previous: SessionState;
  readonly reason: StateChangeReason | undefined;
  readonly lastChange: number;
  readonly timers: Timers;
  /** Consecutive failed attempts: drives the backoff (reset once Established). */
  readonly failures: number;
  /** Consecutive early failures (refused, closed before the peer's OPEN): drive the quick retry. */
  readonly earlyFailures: number;
  /** False after a manual stop: no automatic restart. */
  readonly autoRestart: boolean;
  /** Set once the peer's OPEN was accepted (OpenConfirm, Established). */
  readonly negotiated: Negotiated | undefined;
  /** Last NOTIFICATION sent or received, for the looking glass. */
  readonly lastNotification: { direction: 'sent' | 'received'; notification: NotificationSpec } | undefined;
}

export type FsmEvent =
  | { type: 'manual-start' } // 1
  | { type: 'manual-stop'; notification?: NotificationSpec } // 2
  | { type: 'tick' } // fires the expired timers: 9 ConnectRetry, 10 Hold, 11 Keepalive, idle hold
  | { type: 'tcp-connected' } // 16 Tcp_CR_Acked: our outgoing connection is up
  | { type: 'tcp-accepted' } // 17 TcpConnectionConfirmed: an incoming connection for this FSM
  | { type: 'tcp-failed' } // 18 TcpConnectionFails
  | { type: 'open'; open: OpenMessage } // 19 BGPOpen
  | { type: 'bad-message'; notification: NotificationSpec } // 21 BGPHeaderErr / 22 BGPOpenMsgErr
  | { type: 'collision-dump' } // 23 OpenCollisionDump
  | { type: 'notification'; notification: NotificationSpec } // 24/25 NotifMsg
  | { type: 'keepalive' } // 26 KeepAliveMsg
  | { type: 'update' } // 27 UpdateMsg (a well-formed one, or one handled per RFC 7606)
  | { type: 'update-error'; notification: NotificationSpec } // 28 UpdateMsgErr (session reset)
  | { type: 'route-refresh' } // a valid ROUTE-REFRESH (RFC 2918) in Established
  | { type: 'max-prefix'; notification: NotificationSpec }; // local policy (RFC 4486 Cease 1)

export type FsmAction =
  | { type: 'connect' }
  | { type: 'close' }
  | { type: 'send-open' }
  | { type: 'send-keepalive' }
  | { type: 'send-notification'; notification: NotificationSpec }
  | { type: 'established'; negotiated: Negotiated }
  /** Left Established: everything learned from the peer must be withdrawn. */
  | { type: 'down'; reason: StateChangeReason }
  | { type: 'deliver-update' }
  | { type: 'deliver-route-refresh' }
  | { type: 'state-change'; from: SessionState; to: SessionState; reason: StateChangeReason };

export interface StepResult {
  state: FsmState;
  actions: FsmAction[];
}

export function initialState(now: number): FsmState {
  return {
    state: 'Idle',
    previous: 'Idle',
    reason: undefined,
    lastChange: now,
    timers: {},
    failures: 0,
    earlyFailures: 0,
    autoRestart: false,
    negotiated: undefined,
    lastNotification: undefined,
  };
}

/** The earliest pending deadline, or undefined when no timer runs. */
export function nextDeadline(s: FsmState): number | undefined {
  let min: number | undefined;
  for (const v of Object.values(s.timers) as (number | undefined)[]) if (v !== undefined && (min === undefined || v < min)) min = v;
  return min;
}

const FSM_ERROR = (subcode: number): NotificationSpec => ({ code: NotifyCode.Fsm, subcode });
/** RFC 6608 FSM error subcodes. */
const FSM_UNEXPECTED_IN = { OpenSent: 1, OpenConfirm: 2, Established: 3 } as const;

/** Jittered retry delay (ms): base × 2^failures, capped, × U(0.75, 1) (RFC 4271 §10 jitter). */
export function retryDelay(cfg: FsmConfig, failures: number, random: () => number): number {
  const exp = Math.min(cfg.connectRetrySeconds * 2 ** Math.min(failures, 16), cfg.maxIdleHoldSeconds);
  return Math.round(exp * 1000 * (0.75 + 0.25 * random()));
}

/**
 * Delay (ms) after the n-th consecutive early failure, with quick retry on: quickRetrySeconds
 * while n × quickRetrySeconds ≤ 2 × connectRetrySeconds, then connectRetrySeconds (never more);
 * × U(0.75, 1). Undefined when off.
 */
export function quickRetryDelay(cfg: FsmConfig, earlyFailures: number, random: () => number): number | undefined {
  const quick = cfg.quickRetrySeconds;
  if (quick === undefined) return undefined;
  const base = Math.min(earlyFailures * quick <= 2 * cfg.connectRetrySeconds ? quick : cfg.connectRetrySeconds, cfg.connectRetrySeconds);
  return Math.round(base * 1000 * (0.75 + 0.25 * random()));
}

class Step {
  s: FsmState;
  readonly actions: FsmAction[] = [];
  constructor(
    prev: FsmState,
    readonly cfg: FsmConfig,
    readonly env: FsmEnv,
  ) {
    this.s = prev;
  }
  set(patch: Partial<FsmState>): void {
    this.s = { ...this.s, ...patch };
  }
  timers(patch: Partial<Timers>): void {
    const t: Timers = { ...this.s.timers };
    for (const [k, v] of Object.entries(patch) as [keyof Timers, number | undefined][]) {
      if (v === undefined) delete t[k];
      else t[k] = v;
    }
    this.set({ timers: t });
  }
  go(to: SessionState, reason: StateChangeReason): void {
    const from = this.s.state;
    if (from === 'Established' && to !== 'Established') this.actions.push({ type: 'down', reason });
    this.set({ state: to, previous: from, reason, lastChange: this.env.now });
    this.actions.push({ type: 'state-change', from, to, reason });
  }
  act(a: FsmAction): void {
    this.actions.push(a);
  }
  notify(n: NotificationSpec): void {
    this.act({ type: 'send-notification', notification: n });
    this.set({ lastNotification: { direction: 'sent', notification: n } });
  }
  /** Start trying: outgoing connect, or wait for the peer when passive. */
  start(reason: StateChangeReason): void {
    this.timers({ idleHold: undefined, connectRetry: this.env.now + retryDelay(this.cfg, 0, this.env.random) });
    if (this.cfg.passive) this.go('Active', reason);
    else {
      this.act({ type: 'connect' });
      this.go('Connect', reason);
    }
  }
  /** Back to Idle (RFC 4271 §8.2.2 "changes its state to Idle" paths): close, stop the timers,
   * count the failure and schedule an automatic restart with backoff unless stopped by hand
   * (quick retry when the failure was early and that is on). */
  idle(reason: StateChangeReason, early = false): void {
    this.act({ type: 'close' });
    const failures = this.s.failures + 1;
    const earlyFailures = early ? this.s.earlyFailures + 1 : 0;
    this.set({ failures, earlyFailures, negotiated: undefined, timers: {} });
    if (this.s.autoRestart) this.timers({ idleHold: this.env.now + this.backoff(early) });
    this.go('Idle', reason);
  }
  /** The wait before the next attempt, after the failure just counted. */
  backoff(early: boolean): number {
    const quick = early ? quickRetryDelay(this.cfg, this.s.earlyFailures, this.env.random) : undefined;
    return quick ?? retryDelay(this.cfg, this.s.failures, this.env.random);
  }
  holdTimer(seconds: number): void {
    this.timers({ hold: seconds > 0 ? this.env.now + seconds * 1000 : undefined });
  }
  keepaliveTimer(seconds: number): void {
    this.timers({ keepalive: seconds > 0 ? this.env.now + seconds * 1000 : undefined });
  }
}

export function step(prev: FsmState, event: FsmEvent, cfg: FsmConfig, env: FsmEnv): StepResult {
  const t = new Step(prev, cfg, env);
  if (event.type === 'tick') onTick(t);
  else onEvent(t, event);
  return { state: t.s, actions: t.actions };
}

function expired(t: Step, k: keyof Timers): boolean {
  const at = t.s.timers[k];
  return at !== undefined && at <= t.env.now;
}

function onTick(t: Step): void {
  const st = t.s.state;
  if (expired(t, 'idleHold')) {
    if (st === 'Idle' && t.s.autoRestart) t.start('automatic-start');
    else t.timers({ idleHold: undefined });
  }
  if (expired(t, 'hold')) {
    // Event 10: NOTIFICATION Hold Timer Expired, then Idle (any state with a hold timer).
    t.notify({ code: NotifyCode.HoldTimerExpired, subcode: 0 });
    t.idle('hold-timer-expired');
    return;
  }
  if (expired(t, 'connectRetry')) {
    // Event 9.
    const delay = retryDelay(t.cfg, t.s.failures, t.env.random);
    if (st === 'Connect') {
      t.act({ type: 'close' });
      t.act({ type: 'connect' });
      t.set({ failures: t.s.failures + 1 });
      t.timers({ connectRetry: t.env.now + delay });
    } else if (st === 'Active') {
      t.timers({ connectRetry: t.env.now + delay });
      if (!t.cfg.passive) {
        t.act({ type: 'connect' });
        t.go('Connect', 'connect-retry-expired');
      }
    } else t.timers({ connectRetry: undefined });
  }
  if (expired(t, 'keepalive')) {
    // Event 11: in OpenConfirm and Established, send a KEEPALIVE and restart the timer.
    const n = t.s.negotiated;
    if ((st === 'OpenConfirm' || st === 'Established') && n && n.keepaliveTime > 0) {
      t.act({ type: 'send-keepalive' });
      t.keepaliveTimer(n.keepaliveTime);
    } else t.timers({ keepalive: undefined });
  }
}

function onEvent(t: Step, e: Exclude<FsmEvent, { type: 'tick' }>): void {
  const st = t.s.state;
  switch (e.type) {
    case 'manual-start':
      t.set({ autoRestart: true, failures: 0, earlyFailures: 0 });
      if (st === 'Idle') t.start('manual-start');
      return;
    case 'manual-stop':
      // Event 2: in any state, NOTIFICATION Cease (when a connection can carry it), then Idle.
      t.set({ autoRestart: false });
      if (st === 'OpenSent' || st === 'OpenConfirm' || st === 'Established')
        t.notify(e.notification ?? { code: NotifyCode.Cease, subcode: CeaseSubcode.AdministrativeShutdown });
      if (st !== 'Idle') t.idle('manual-stop');
      t.set({ failures: 0, timers: {} });
      return;
    case 'tcp-connected':
    case 'tcp-accepted': {
      const reason = e.type === 'tcp-connected' ? 'tcp-connected' : 'tcp-accepted';
      if (st === 'Connect' || st === 'Active') {
        t.timers({ connectRetry: undefined });
        t.act({ type: 'send-open' });
        t.holdTimer(t.cfg.openHoldSeconds);
        t.go('OpenSent', reason);
      } else t.act({ type: 'close' }); // Not expected here: the driver refuses the connection.
      return;
    }
    case 'tcp-failed':
      if (st === 'Connect' || st === 'OpenSent') {
        // RFC 4271 §8.2.2: back to Active, keep the connect-retry timer running. Refused, or
        // closed before the peer's OPEN: an early failure (quick retry when on).
        t.act({ type: 'close' });
        t.set({ failures: t.s.failures + 1, earlyFailures: t.s.earlyFailures + 1 });
        t.timers({ hold: undefined, keepalive: undefined, connectRetry: t.env.now + t.backoff(true) });
        t.go('Active', 'tcp-failed');
      } else if (st !== 'Idle' && st !== 'Active') t.idle('tcp-failed');
      return;
    case 'open': {
      if (st !== 'OpenSent') return unexpected(t, st);
      const r = negotiate(t.cfg, e.open);
      if ('error' in r) {
        t.notify(r.error);
        t.idle('open-rejected');
        return;
      }
      // The peer speaks BGP to us: whatever fails from now on is not an early failure.
      t.set({ negotiated: r.negotiated, earlyFailures: 0 });
      t.act({ type: 'send-keepalive' });
      t.holdTimer(r.negotiated.holdTime);
      t.keepaliveTimer(r.negotiated.keepaliveTime);
      t.go('OpenConfirm', 'open-received');
      return;
    }
    case 'keepalive':
      if (st === 'OpenConfirm') {
        t.holdTimer(t.s.negotiated!.holdTime);
        t.set({ failures: 0 });
        t.go('Established', 'keepalive-received');
        t.act({ type: 'established', negotiated: t.s.negotiated! });
      } else if (st === 'Established') t.holdTimer(t.s.negotiated!.holdTime);
      else unexpected(t, st);
      return;
    case 'update':
      if (st !== 'Established') return unexpected(t, st);
      t.holdTimer(t.s.negotiated!.holdTime);
      t.act({ type: 'deliver-update' });
      return;
    case 'route-refresh':
      if (st !== 'Established') return unexpected(t, st);
      t.holdTimer(t.s.negotiated!.holdTime);
      t.act({ type: 'deliver-route-refresh' });
      return;
    case 'bad-message':
    case 'update-error':
      if (st === 'Idle') return;
      if (st === 'OpenSent' || st === 'OpenConfirm' || st === 'Established') t.notify(e.notification);
      t.idle(e.type === 'bad-message' ? 'bad-message' : 'update-error');
      return;
    case 'max-prefix':
      if (st !== 'Established') return;
      t.notify(e.notification);
      t.idle('max-prefix');
      return;
    case 'collision-dump':
      if (st === 'Idle') return;
      t.notify({ code: NotifyCode.Cease, subcode: CeaseSubcode.ConnectionCollisionResolution });
      // The other connection of the same peer carries on: this FSM must not restart by itself.
      t.set({ autoRestart: false });
      t.idle('collision');
      return;
    case 'notification':
      t.set({ lastNotification: { direction: 'received', notification: e.notification } });
      // A Cease before the peer's OPEN (connection rejected, collision, out of resources): the
      // peer is refusing for now, an early failure.
      if (st !== 'Idle') t.idle('notification-received', st === 'OpenSent' && e.notification.code === NotifyCode.Cease);
      return;
  }
}

/** A message the state does not expect: RFC 6608 FSM error, then Idle. */
function unexpected(t: Step, st: SessionState): void {
  if (st === 'Idle') return;
  if (st === 'OpenSent' || st === 'OpenConfirm' || st === 'Established') t.notify(FSM_ERROR(FSM_UNEXPECTED_IN[st]));
  t.idle('unexpected-message');
}

/**
 * RFC 4271 §6.8 collision resolution: of two connections with the same peer, the one initiated by
 * the speaker with the higher BGP Identifier survives. Returns which of ours must be dropped.
 */
export function collisionLoser(localId: string, remoteId: string): 'outgoing' | 'incoming' {
  return ipv4ToNumber(localId) > ipv4ToNumber(remoteId) ? 'incoming' : 'outgoing';
}

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
}
