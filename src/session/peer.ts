/**
 * One BGP peer: the thin I/O driver around the pure FSM (fsm.ts). It owns the sockets, the framer
 * and the timers, and it is the peer's worker in the route table manager:
 * - imports the peer's UPDATEs as route events (RFC 7606 outcomes applied: treat-as-withdraw,
 *   AFI/SAFI disable, attribute discard), RTC routes turned into subscriptions (RFC 4684);
 * - exports the routes it is subscribed to through its Adj-RIB-Out, pulled only while the socket
 *   is writable (back-pressure);
 * - keeps a restarting peer's routes as stale (RFC 4724 helper) until its End-of-RIB or the restart
 *   time; enforces max-prefix (RFC 4486 Cease 1);
 * - as the restarting speaker (local-restart.ts): the R and F bits in its OPENs, End-of-RIB held
 *   until our routes are restored.
 * Connection collisions (RFC 4271 §6.8) are resolved between the main connection and at most one
 * second, incoming, connection.
 */
import net from 'node:net';
import { familyKey, familyName, parseFamilyName, type FamilyKey } from '../wire/afi.js';
import type { PathAttribute } from '../wire/attributes/registry.js';
import { DEFAULT_CONTEXT, PLAIN_CONTEXT, type CodecContext } from '../wire/context.js';
import { CeaseSubcode, NotifyCode, WireError, type NotificationSpec } from '../wire/errors.js';
import { MessageFramer } from '../wire/framer.js';
import { decodeMessage, encodeMessage, maxMessageLength, type DecodedMessage } from '../wire/message.js';
import { makeNotification, type NotificationMessage } from '../wire/messages/notification.js';
import type { Nlri } from '../wire/nlri/registry.js';
import { isEndOfRib, type UpdateMessage } from '../wire/update.js';
import { toHex } from '../wire/hex.js';
import { makeEntry, routeTargetsOf } from '../rib/route-entry.js';
import type { Match, RouteTableManager } from '../rib/route-table-manager.js';
import type { RouteEvent, Worker } from '../rib/worker.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { AdjRibOut } from './adj-rib-out.js';
import { collisionLoser, initialState, nextDeadline, step, type FsmAction, type FsmConfig, type FsmEvent, type FsmState, type SessionState } from './fsm.js';
import type { LocalRestart } from './local-restart.js';
import { buildOpen, sessionContexts, type Negotiated } from './negotiation.js';
import { Outbound } from './outbound.js';
import { RdInterner } from './rd-interner.js';
import { RtcInterest } from './rtc-interest.js';
import { StaleRoutes } from './stale-routes.js';

export interface PeerConfig extends FsmConfig {
  /** Peer address and TCP port. */
  address: string;
  port: number;
  /** Source address of outgoing connections. */
  localAddress: string;
  enableRtc: boolean;
  /** Max routes accepted from the peer; undefined: no limit. */
  maxPrefix: number | undefined;
  /** How long VPN routes wait for the peer's RTC End-of-RIB, seconds (RFC 4684 §6). */
  rtcDeferralSeconds: number;
}

interface Conn {
  direction: 'outgoing' | 'incoming';
  fsm: FsmState;
  socket: net.Socket | undefined;
  framer: MessageFramer;
  recv: CodecContext;
  send: CodecContext;
  cancelWake?: () => void;
  blocked: boolean;
}

const RTC: Match = { afi: 1, safi: 132, rt: undefined };

/** A state change of one of the peer's connections, for the looking glass. */
export interface PeerStateChange {
  /** Milliseconds on the peer's clock. */
  readonly time: number;
  readonly connection: 'outgoing' | 'incoming';
  readonly from: SessionState;
  readonly to: SessionState;
  readonly reason: string;
}

/** A NOTIFICATION sent or received, for the looking glass. */
export interface NotificationRecord {
  /** Milliseconds on the peer's clock. */
  readonly time: number;
  readonly message: NotificationMessage;
}

const KEEP_STATE_CHANGES = 20;

export class Peer implements Worker {
  readonly kind = 'bgp-peer';
  readonly name: string;
  private main: Conn;
  private second: Conn | undefined;
  private adj: AdjRibOut | undefined;
  private negotiated: Negotiated | undefined;
  private readonly outbound: Outbound;
  private rtcActive = false;
  /** Subscriptions driven by the peer's RTC routes. */
  private readonly rtcInterest: RtcInterest;
  private disabled = new Set<FamilyKey>();
  /** RFC 4724 helper: keys of the routes kept from the previous session, per family. */
  private readonly stale: StaleRoutes;
  /** Received routes share their RD objects (memory of a full feed). */
  private readonly rds = new RdInterner();
  private cancelDeferral: (() => void) | undefined;
  /** Families of this session whose End-of-RIB waits for our routes to be restored (RFC 4724 §4.1). */
  private endOfRibHeld: { afi: number; safi: number }[] = [];
  private pumpScheduled = false;
  readonly stats = { updatesIn: 0, updatesOut: 0, notificationsIn: 0, notificationsOut: 0, establishedTransitions: 0, decodeErrors: 0 };
  /** For the looking glass: last errors handled without a reset. */
  readonly recentErrors: { time: number; code: string; message: string; outcome: string }[] = [];
  private readonly changes: PeerStateChange[] = [];
  private lastSent: NotificationRecord | undefined;
  private lastReceived: NotificationRecord | undefined;

  constructor(
    readonly cfg: PeerConfig,
    private readonly rtm: RouteTableManager,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Our side of graceful restart (shared by the daemon's peers); none: helper only. */
    private readonly restart?: LocalRestart,
  ) {
    this.name = `BGP-${cfg.address}`;
    this.main = this.newConn('outgoing');
    this.rtcInterest = new RtcInterest(rtm, this);
    this.stale = new StaleRoutes(clock, (fk, keys) => {
      for (const e of this.rtm.routesFrom(this)) if (familyKey(e.afi, e.safi) === fk && keys.has(e.key)) this.rtm.withdraw(e);
    });
    this.outbound = new Outbound({ localAs: cfg.localAs, ibgp: cfg.localAs === cfg.remoteAs, localAddress: cfg.localAddress });
    restart?.onRestored(() => this.releaseEndOfRib());
  }

  // ---- public ----

  get state(): SessionState {
    return this.main.fsm.state;
  }
  get fsm(): FsmState {
    return this.main.fsm;
  }
  get session(): Negotiated | undefined {
    return this.negotiated;
  }
  get isRtcActive(): boolean {
    return this.rtcActive;
  }
  get adjRibOut(): AdjRibOut | undefined {
    return this.adj;
  }
  /** For the looking glass: the last state changes of the peer's connections, oldest first. */
  get stateChanges(): readonly PeerStateChange[] {
    return this.changes;
  }
  get lastNotificationSent(): NotificationRecord | undefined {
    return this.lastSent;
  }
  get lastNotificationReceived(): NotificationRecord | undefined {
    return this.lastReceived;
  }
  /** We restarted and our routes are not restored yet (R bit in our OPENs). */
  get restarting(): boolean {
    return this.restart?.isRestoring ?? false;
  }
  /** Routes of the peer kept as stale while it restarts (RFC 4724 helper). */
  get staleRouteCount(): number {
    return this.stale.count;
  }
  /** Families whose End-of-RIB waits for our routes to be restored after our restart. */
  get endOfRibHeldFamilies(): string[] {
    return this.endOfRibHeld.map((f) => familyName(f.afi, f.safi));
  }

  /** Route targets the peer's RTC routes ask for ('*': its default route or a partial RT). */
  get rtcRouteTargets(): string[] {
    return this.rtcInterest.routeTargets();
  }

  /** Sockets being closed (end() sent, 'close' not yet seen). */
  private readonly closing = new Set<Promise<void>>();

  start(): void {
    this.feed(this.main, { type: 'manual-start' });
  }

  /** Administrative stop: Cease NOTIFICATION (with an RFC 8203 message if given), then close. */
  stop(notification?: NotificationSpec): void {
    if (this.second) this.feed(this.second, { type: 'manual-stop', ...(notification ? { notification } : {}) });
    this.feed(this.main, { type: 'manual-stop', ...(notification ? { notification } : {}) });
    this.stale.end();
    this.rtm.cleanup(this);
  }

  /** An incoming connection from this peer's address (from the listener). */
  incoming(socket: net.Socket): void {
    const st = this.main.fsm.state;
    if (st === 'Idle' && !this.main.fsm.autoRestart) return this.reject(socket, 'peer is administratively down');
    if (st === 'Idle' || st === 'Active') {
      // No connection of ours in flight: this one becomes the session.
      this.main.direction = 'incoming';
      this.attach(this.main, socket);
      if (st === 'Idle') this.feed(this.main, { type: 'manual-start' }, true);
      this.feed(this.main, { type: 'tcp-accepted' });
      return;
    }
    if (st === 'Established' || this.second) return this.reject(socket, `a session is already ${this.second ? 'being set up twice' : st}`);
    // Our own connection is in flight (Connect, OpenSent, OpenConfirm): run both until the BGP
    // identifiers decide (RFC 4271 §6.8). Dropping ours at once would make both sides drop theirs.
    const c = this.newConn('incoming');
    this.second = c;
    this.attach(c, socket);
    this.feed(c, { type: 'manual-start' }, true);
    this.feed(c, { type: 'tcp-accepted' });
  }

  private reject(socket: net.Socket, why: string): void {
    this.log.log('info', `${this.name}: refusing an incoming connection: ${why}`);
    socket.destroy();
  }

  /** Route events from the route table manager: what to send to the peer. */
  onRouteEvent(ev: RouteEvent): void {
    if (!this.adj) return;
    const e = ev.entry;
    if (ev.type === 'advertise') this.adj.advertise(this.outbound.route(e));
    else this.adj.withdraw(e.afi, e.safi, e.key);
    this.schedulePump();
  }

  // ---- connections ----

  private newConn(direction: Conn['direction']): Conn {
    return {
      direction,
      fsm: initialState(this.clock.now()),
      socket: undefined,
      framer: new MessageFramer(),
      recv: PLAIN_CONTEXT,
      send: PLAIN_CONTEXT,
      blocked: false,
    };
  }

  private attach(c: Conn, socket: net.Socket): void {
    c.socket = socket;
    c.framer = new MessageFramer();
    c.blocked = false;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (c.socket === socket) this.onData(c, chunk);
    });
    socket.on('drain', () => {
      if (c.socket !== socket) return;
      c.blocked = false;
      this.schedulePump();
    });
    const gone = (err?: Error): void => {
      if (c.socket !== socket) return;
      if (err) this.log.log('info', `connection to ${this.cfg.address} failed: ${err.message}`);
      c.socket = undefined;
      this.feed(c, { type: 'tcp-failed' });
    };
    socket.on('error', gone);
    socket.on('close', () => gone());
  }

  /** Stops listening to a connection's socket and closes it (after pending writes). */
  private detach(c: Conn): void {
    const s = c.socket;
    if (!s) return;
    c.socket = undefined;
    if (s.destroyed) return;
    const closed = new Promise<void>((resolve) => {
      const t = setTimeout(() => s.destroy(), 1000);
      t.unref();
      s.once('close', () => {
        clearTimeout(t);
        this.closing.delete(closed);
        resolve();
      });
    });
    this.closing.add(closed);
    s.end();
  }

  /** Resolves once every socket being closed is (its NOTIFICATION written; at most about 1 s). */
  async closed(): Promise<void> {
    await Promise.all([...this.closing]);
  }

  private connect(c: Conn): void {
    const socket = net.connect({ host: this.cfg.address, port: this.cfg.port, localAddress: this.cfg.localAddress });
    c.socket = socket;
    socket.once('connect', () => {
      if (c.socket !== socket) return;
      this.attach(c, socket);
      this.feed(c, { type: 'tcp-connected' });
    });
    socket.once('error', (err) => {
      if (c.socket !== socket) return;
      this.log.log('debug', `connect to ${this.cfg.address}:${this.cfg.port}: ${err.message}`);
      c.socket = undefined;
      socket.destroy();
      this.feed(c, { type: 'tcp-failed' });
    });
  }

  private write(c: Conn, bytes: Buffer): void {
    if (!c.socket) return;
    if (!c.socket.write(bytes)) c.blocked = true;
  }

  // ---- FSM stepping ----

  private feed(c: Conn, e: FsmEvent, passiveStart = false): void {
    const cfg = passiveStart || c !== this.main ? { ...this.cfg, passive: true } : this.cfg;
    const r = step(c.fsm, e, cfg, { now: this.clock.now(), random: Math.random });
    c.fsm = r.state;
    for (const a of r.actions) this.act(c, a);
    this.wake(c);
  }

  private wake(c: Conn): void {
    c.cancelWake?.();
    c.cancelWake = undefined;
    const at = nextDeadline(c.fsm);
    if (at !== undefined) c.cancelWake = this.clock.after(at - this.clock.now(), () => this.feed(c, { type: 'tick' }));
  }

  private act(c: Conn, a: FsmAction): void {
    switch (a.type) {
      case 'connect':
        return this.connect(c);
      case 'close':
        return this.detach(c);
      case 'send-open':
        return this.write(c, encodeMessage(buildOpen(this.cfg, this.restart?.flags(this.cfg.families, this.stats.establishedTransitions > 0)), DEFAULT_CONTEXT));
      case 'send-keepalive':
        return this.write(c, encodeMessage({ type: 'keepalive' }, c.send));
      case 'send-notification': {
        const n = a.notification;
        this.stats.notificationsOut++;
        this.lastSent = { time: this.clock.now(), message: makeNotification(n.code, n.subcode, n.data) };
        this.log.log('warning', `sending NOTIFICATION ${n.code}/${n.subcode} to ${this.cfg.address}`);
        return this.write(c, encodeMessage({ type: 'notification', code: n.code, subcode: n.subcode, data: toHex(n.data ?? Buffer.alloc(0)) }, c.send));
      }
      case 'state-change':
        this.changes.push({ time: this.clock.now(), connection: c.direction, from: a.from, to: a.to, reason: a.reason });
        if (this.changes.length > KEEP_STATE_CHANGES) this.changes.shift();
        this.log.log('info', `${this.name} (${c.direction}): ${a.from} → ${a.to} (${a.reason})`);
        if (a.to === 'OpenConfirm') this.resolveCollision();
        if (a.to === 'Idle' && c === this.second) this.second = undefined;
        return;
      case 'established':
        return this.onEstablished(c, a.negotiated);
      case 'down':
        return this.onDown(a.reason);
      case 'deliver-update':
      case 'deliver-route-refresh':
        return; // handled where the message is decoded (onMessage)
    }
  }

  /** Called when a connection reaches OpenConfirm while another one exists (RFC 4271 §6.8). */
  private resolveCollision(): void {
    const other = this.second;
    if (!other) return;
    const mainState = this.main.fsm.state;
    if (mainState === 'Idle' || mainState === 'Connect' || mainState === 'Active') {
      // Our attempt never got as far: the other connection simply takes over.
      this.detach(this.main);
      this.promote(other);
      return;
    }
    const peerId = this.main.fsm.negotiated?.peerId ?? other.fsm.negotiated?.peerId;
    if (!peerId) return;
    const loser = this.main.direction === other.direction ? other : collisionLoser(this.cfg.localId, peerId) === this.main.direction ? this.main : other;
    this.log.log('info', `${this.name}: connection collision, closing the ${loser.direction} connection`);
    if (loser === other) return this.feed(other, { type: 'collision-dump' });
    this.feed(this.main, { type: 'collision-dump' });
    this.promote(other);
  }

  private promote(c: Conn): void {
    this.main.cancelWake?.();
    this.main = c;
    this.second = undefined;
  }

  // ---- receiving ----

  private onData(c: Conn, chunk: Buffer): void {
    const { frames, error } = c.framer.feed(chunk);
    for (const f of frames) {
      if (!c.socket) return;
      let d: DecodedMessage;
      try {
        d = decodeMessage(f, c.recv, { peerType: this.cfg.localAs === this.cfg.remoteAs ? 'internal' : 'external' });
      } catch (e) {
        const err = e instanceof WireError ? e : undefined;
        this.stats.decodeErrors++;
        this.log.log('error', `${this.name}: ${err ? `${err.code}: ${err.message}` : String(e)}`);
        this.feed(c, { type: 'bad-message', notification: err?.notification ?? { code: NotifyCode.Cease, subcode: 0 } });
        return;
      }
      this.onMessage(c, d);
    }
    if (error && c.socket) {
      this.log.log('error', `${this.name}: ${error.code}: ${error.message}`);
      this.feed(c, { type: 'bad-message', notification: error.notification });
    }
  }

  private onMessage(c: Conn, d: DecodedMessage): void {
    const m = d.message;
    switch (m.type) {
      case 'open':
        return this.feed(c, { type: 'open', open: m });
      case 'keepalive':
        return this.feed(c, { type: 'keepalive' });
      case 'notification':
        this.stats.notificationsIn++;
        this.lastReceived = { time: this.clock.now(), message: m };
        this.log.log('warning', `${this.name}: NOTIFICATION received ${m.code}/${m.subcode} ${m.codeName ?? ''} ${m.subcodeName ?? ''}${m.communication ? ` "${m.communication}"` : ''}`);
        return this.feed(c, { type: 'notification', notification: { code: m.code, subcode: m.subcode, data: Buffer.from(m.data, 'hex') } });
      case 'route-refresh':
        this.feed(c, { type: 'route-refresh' });
        if (c === this.main && this.main.fsm.state === 'Established' && m.subtype === 'normal') {
          const f = parseFamilyName(m.family);
          if (f) this.refresh(f.afi, f.safi);
        }
        return;
      case 'update':
        this.feed(c, { type: 'update' });
        if (c === this.main && this.main.fsm.state === 'Established') this.importUpdate(m, d);
        return;
    }
  }

  private refresh(afi: number, safi: number): void {
    this.log.log('info', `${this.name}: route refresh requested for ${familyName(afi, safi)}`);
    this.adj?.resend(afi, safi);
    this.schedulePump();
  }

  private importUpdate(msg: UpdateMessage, d: DecodedMessage): void {
    this.stats.updatesIn++;
    for (const e of d.errors) {
      this.recentErrors.push({ time: this.clock.now(), code: e.code, message: e.message, outcome: e.outcome });
      if (this.recentErrors.length > 20) this.recentErrors.shift();
      this.log.log('warning', `${this.name}: UPDATE error handled by ${e.outcome}: ${e.code}: ${e.message}`);
    }
    for (const f of d.disabledFamilies ?? []) this.disableFamily(f.afi, f.safi);
    const eor = isEndOfRib(msg);
    if (eor) return this.onEndOfRib(eor.afi, eor.safi);
    const attrs: PathAttribute[] = [];
    for (const a of msg.attributes) if (a.type !== 'mp-reach' && a.type !== 'mp-unreach') attrs.push(a);
    // RFC 4456 §8: a route reflected back to us (ORIGINATOR_ID = our BGP identifier) is ignored;
    // as a withdrawal, so that an earlier version of it goes too.
    const reflectedBack = attrs.some((a) => a.type === 'originator-id' && a.value === this.cfg.localId);
    const withdrawAll = d.outcome === 'treat-as-withdraw' || reflectedBack;
    const rts = routeTargetsOf(attrs);
    for (const a of msg.attributes) {
      if (a.type === 'mp-unreach') for (const n of a.nlri) this.importWithdraw(a.afi, a.safi, n);
      else if (a.type === 'mp-reach') {
        for (const n of a.nlri) {
          if (withdrawAll) this.importWithdraw(a.afi, a.safi, n);
          else this.importAdvertise(a.afi, a.safi, n, attrs, a.nextHop[0], rts);
        }
      }
    }
    for (const n of msg.withdrawn) this.importWithdraw(1, 1, n);
    const nh = attrs.find((a) => a.type === 'next-hop');
    for (const n of msg.nlri) {
      if (withdrawAll) this.importWithdraw(1, 1, n);
      else this.importAdvertise(1, 1, n, attrs, nh?.type === 'next-hop' ? nh.value : undefined, rts);
    }
    this.checkMaxPrefix();
  }

  private importAdvertise(afi: number, safi: number, n: Nlri, attrs: PathAttribute[], nextHop: string | undefined, rts: string[]): void {
    const fk = familyKey(afi, safi);
    if (this.disabled.has(fk)) return;
    this.rds.share(n);
    const entry = makeEntry(afi, safi, n, attrs, nextHop, this, rts);
    this.stale.refreshed(afi, safi, entry.key);
    if (afi === 1 && safi === 132 && n.kind === 'rtc') {
      this.rtcInterest.advertised(entry.key, n, this.vpnFamilies());
      this.schedulePump();
    }
    this.rtm.advertise(entry);
  }

  private importWithdraw(afi: number, safi: number, n: Nlri): void {
    if (this.disabled.has(familyKey(afi, safi))) return;
    const entry = makeEntry(afi, safi, n, [], undefined, this, []);
    if (afi === 1 && safi === 132) {
      this.rtcInterest.withdrawn(entry.key);
      this.schedulePump();
    }
    this.rtm.withdraw(entry);
  }

  private disableFamily(afi: number, safi: number): void {
    const fk = familyKey(afi, safi);
    if (this.disabled.has(fk)) return;
    this.log.log('error', `${this.name}: family ${familyName(afi, safi)} disabled for this session (RFC 7606 AFI/SAFI disable)`);
    for (const e of this.rtm.routesFrom(this)) if (e.afi === afi && e.safi === safi) this.rtm.withdraw(e);
    this.disabled.add(fk);
  }

  private checkMaxPrefix(): void {
    const max = this.cfg.maxPrefix;
    if (max === undefined || this.rtm.routeCountFrom(this) <= max) return;
    this.log.log('error', `${this.name}: more than ${max} routes received (max-prefix): closing the session`);
    const data = Buffer.alloc(7);
    data.writeUInt16BE(1, 0);
    data.writeUInt8(128, 2);
    data.writeUInt32BE(max, 3);
    this.feed(this.main, { type: 'max-prefix', notification: { code: NotifyCode.Cease, subcode: CeaseSubcode.MaxPrefixes, data } });
  }

  // ---- RT Constraint, peer side (RFC 4684 §4, spec engine.md §7.5) ----

  private vpnFamilies(): { afi: number; safi: number }[] {
    return (this.negotiated?.families ?? [])
      .map((f) => parseFamilyName(f)!)
      .filter((f) => !(f.afi === 1 && f.safi === 132));
  }

  private releaseVpnFamilies(why: string): void {
    this.cancelDeferral?.();
    this.cancelDeferral = undefined;
    if (!this.adj) return;
    let any = false;
    for (const f of this.vpnFamilies())
      if (this.adj.isHeld(f.afi, f.safi)) {
        this.adj.release(f.afi, f.safi);
        any = true;
      }
    if (any) this.log.log('info', `${this.name}: sending VPN routes (${why})`);
    this.schedulePump();
  }

  // ---- session up / down ----

  private onEstablished(c: Conn, n: Negotiated): void {
    if (c !== this.main) return; // the second connection is promoted first by resolveCollision
    this.stats.establishedTransitions++;
    this.negotiated = n;
    const ctx = sessionContexts(n);
    c.recv = ctx.receive;
    c.send = ctx.send;
    c.framer.setMaxLength(maxMessageLength(ctx.receive));
    for (const f of n.missingFamilies) this.log.log('warning', `${this.name}: peer did not announce ${f}`);
    this.adj = new AdjRibOut(ctx.send);
    this.disabled.clear();
    const families = n.families.map((f) => parseFamilyName(f)!);
    // RFC 4724 §4.1: after our restart, a family whose routes the peer keeps as stale gets its
    // End-of-RIB once our routes are back (releaseEndOfRib), not once the first ones are out.
    this.endOfRibHeld = [];
    for (const f of families) {
      if (this.restart?.holdsEndOfRib(familyName(f.afi, f.safi))) this.endOfRibHeld.push(f);
      else this.adj.expectEndOfRib(f.afi, f.safi);
    }
    if (this.endOfRibHeld.length > 0)
      this.log.log('info', `${this.name}: restarting: End-of-RIB for ${this.endOfRibHeldFamilies.join(', ')} held until our routes are restored`);
    this.rtcActive = this.cfg.enableRtc && n.families.includes('ipv4/rtc');
    if (this.rtcActive) {
      // RFC 4684 §6: hold VPN routes until the peer's RTC End-of-RIB, but only when the peer
      // announced graceful restart: others may never send one (GoBGP without GR does not), and
      // holding would delay every route by the whole deferral time.
      if (n.gracefulRestart !== undefined) {
        for (const f of this.vpnFamilies()) this.adj.hold(f.afi, f.safi);
        this.cancelDeferral = this.clock.after(this.cfg.rtcDeferralSeconds * 1000, () => this.releaseVpnFamilies('RTC End-of-RIB deferral expired'));
      }
      this.rtm.subscribe(this, RTC);
    } else for (const f of families) this.rtm.subscribe(this, { afi: f.afi, safi: f.safi, rt: undefined });
    if (this.stale.active) this.keepForwardedStale(n);
    this.schedulePump();
  }

  /** Our routes are restored after our restart: the held End-of-RIB markers go. */
  private releaseEndOfRib(): void {
    const held = this.endOfRibHeld;
    this.endOfRibHeld = [];
    if (!this.adj || held.length === 0) return;
    this.log.log('info', `${this.name}: routes restored, sending End-of-RIB for ${held.map((f) => familyName(f.afi, f.safi)).join(', ')}`);
    for (const f of held) this.adj.expectEndOfRib(f.afi, f.safi);
    this.schedulePump();
  }

  /**
   * RFC 4724 §4.2, the peer is back after its restart: stale routes of a family its new
   * capability does not list with the F bit go at once (its forwarding state for them is lost);
   * the others wait for its End-of-RIB, or the restart time.
   */
  private keepForwardedStale(n: Negotiated): void {
    const forwarded = new Set(n.gracefulRestart?.families.filter((f) => f.forwarding).map((f) => f.family));
    for (const name of this.stale.peerBack(forwarded, n.gracefulRestart?.time ?? 0, () => this.staleExpired())) {
      this.log.log('info', `${this.name}: forwarding state of ${name} not preserved by the peer: stale routes removed`);
    }
  }

  private staleExpired(): void {
    this.log.log('warning', `${this.name}: graceful restart time expired, removing stale routes`);
  }


  private onDown(reason: string): void {
    const n = this.negotiated;
    this.negotiated = undefined;
    this.adj = undefined;
    this.endOfRibHeld = [];
    this.rtcActive = false;
    this.rtcInterest.clear();
    this.cancelDeferral?.();
    this.cancelDeferral = undefined;
    this.rtm.dropSubscriptions(this);
    // RFC 4724 §4.2: a peer that announced graceful restart keeps its routes, marked stale, when
    // the TCP session drops without a NOTIFICATION either way (RFC 8538 is not negotiated here:
    // not after one received, nor after one we sent: hold timer, max-prefix, errors); only the
    // routes of the families its capability listed (a helper-only peer, FRR by default, lists none).
    const grFamilies = new Set(n?.gracefulRestart?.families.map((f) => f.family));
    const helper = n?.gracefulRestart !== undefined && n.gracefulRestart.time > 0 && grFamilies.size > 0 && reason === 'tcp-failed';
    if (helper) {
      const kept = [];
      for (const e of this.rtm.routesFrom(this)) {
        if (grFamilies.has(familyName(e.afi, e.safi))) kept.push(e);
        else this.rtm.withdraw(e);
      }
      this.stale.keep(kept, n.gracefulRestart!.time, () => this.staleExpired());
      this.log.log('info', `${this.name}: keeping ${kept.length} routes as stale for up to ${n.gracefulRestart!.time}s (graceful restart)`);
    } else {
      this.stale.end();
      this.rtm.cleanup(this);
    }
  }

  private onEndOfRib(afi: number, safi: number): void {
    this.log.log('info', `${this.name}: End-of-RIB received for ${familyName(afi, safi)}`);
    this.stale.sweep(familyKey(afi, safi));
    if (afi === 1 && safi === 132 && this.rtcActive) this.releaseVpnFamilies('RTC End-of-RIB received');
  }

  // ---- sending ----

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Writes pending UPDATEs while the socket takes them; yields to the event loop between batches. */
  private pump(): void {
    const c = this.main;
    const adj = this.adj;
    if (!adj || !c.socket || c.fsm.state !== 'Established' || c.blocked) return;
    const batch = adj.nextBatch(32);
    for (const b of batch) {
      this.write(c, b);
      this.stats.updatesOut++;
    }
    if (batch.length > 0 && !c.blocked) this.schedulePump();
  }
}

