/**
 * The BGP side of the daemon: the peers, the listener, and the local RT Constraint originator,
 * around one route table manager. The daemon entry point builds it from the configuration.
 */
import type { NotificationSpec } from '../wire/errors.js';
import { CeaseSubcode, NotifyCode } from '../wire/errors.js';
import { communicationData } from '../wire/messages/notification.js';
import { RouteTableManager } from '../rib/route-table-manager.js';
import { RtcOriginator } from '../rib/rtc-originator.js';
import { systemClock, type Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { BgpListener } from './listener.js';
import { LocalRestart, type RestartStart } from './local-restart.js';
import { Peer, type PeerConfig } from './peer.js';

/** Families the daemon speaks by default, in the original's order (spec engine.md §3). */
export const DEFAULT_FAMILIES = ['ipv4/mpls-vpn', 'ipv4/rtc', 'ipv4/flow-vpn', 'l2vpn/evpn'];

export interface PeerSettings {
  address: string;
  port?: number;
  remoteAs?: number;
  /** Our AS toward this peer (default: the daemon's). */
  localAs?: number;
  passive?: boolean;
  families?: string[];
  maxPrefix?: number;
  holdTime?: number;
  /** Families on which we accept ADD-PATH path identifiers from this peer (RFC 7911). */
  addPathReceive?: string[];
}

export interface BgpManagerConfig {
  localAddress: string;
  localAs: number;
  routerId?: string;
  enableRtc: boolean;
  /** Port of peers by default (the original's bgp_port). */
  peerPort: number;
  /** Listen for incoming sessions here; undefined: do not listen (the original's behaviour). */
  listen?: { address: string; port: number };
  peers: PeerSettings[];
  holdTime?: number;
  connectRetrySeconds?: number;
  /** First retry after a connection refused or closed before the peer's OPEN, seconds (default 1; 0: off). */
  quickRetrySeconds?: number;
  /** Restart time announced (RFC 4724), seconds (default 120; 0: helper only). */
  gracefulRestartTime?: number;
}

export class BgpManager {
  readonly rtm: RouteTableManager;
  readonly rtc: RtcOriginator;
  readonly peers = new Map<string, Peer>();
  /** Graceful restart, our side (RFC 4724 §4.1): set up by start(). */
  readonly restart: LocalRestart;
  private listener: BgpListener | undefined;

  constructor(
    readonly cfg: BgpManagerConfig,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {
    this.rtc = new RtcOriginator(cfg.localAs, cfg.localAddress, cfg.enableRtc);
    this.rtm = new RouteTableManager(this.rtc);
    this.rtc.bind(this.rtm);
    this.restart = new LocalRestart(cfg.gracefulRestartTime ?? 120);
    for (const p of cfg.peers) this.peers.set(p.address, new Peer(this.peerConfig(p), this.rtm, clock, log.child(`peer.${p.address}`), this.restart));
  }

  private peerConfig(p: PeerSettings): PeerConfig {
    const c = this.cfg;
    const families = (p.families ?? DEFAULT_FAMILIES).filter((f) => c.enableRtc || f !== 'ipv4/rtc');
    return {
      address: p.address,
      port: p.port ?? c.peerPort,
      localAddress: c.localAddress,
      localAs: p.localAs ?? c.localAs,
      remoteAs: p.remoteAs ?? p.localAs ?? c.localAs,
      localId: c.routerId ?? c.localAddress,
      holdTime: p.holdTime ?? c.holdTime ?? 180,
      families,
      addPathReceive: p.addPathReceive ?? [],
      gracefulRestartTime: c.gracefulRestartTime ?? 120,
      extendedMessage: true,
      passive: p.passive ?? false,
      connectRetrySeconds: c.connectRetrySeconds ?? 5,
      ...(c.quickRetrySeconds !== 0 ? { quickRetrySeconds: c.quickRetrySeconds ?? 1 } : {}),
      maxIdleHoldSeconds: 60,
      openHoldSeconds: 240,
      enableRtc: c.enableRtc,
      maxPrefix: p.maxPrefix,
      rtcDeferralSeconds: 60,
    };
  }

  /**
   * Listens (if configured) and starts every peer. `restart`: the forwarding state a previous run
   * left and the dataplane kept (the daemon learns it from its drivers), for our OPENs and
   * End-of-RIB markers (local-restart.ts); none: a fresh start.
   */
  async start(restart?: RestartStart): Promise<void> {
    if (restart) {
      this.restart.begin(restart);
      if (this.restart.isRestoring) this.log.log('info', `restarting gracefully: forwarding state kept for ${this.restart.preservedFamilies.join(', ')}`);
    }
    if (this.cfg.listen) {
      this.listener = new BgpListener(this.cfg.listen.address, this.cfg.listen.port, (remote) => {
        const peer = this.peers.get(remote);
        return peer ? (s) => peer.incoming(s) : undefined;
      }, this.log.child('listener'));
      await this.listener.start();
    }
    for (const p of this.peers.values()) p.start();
  }

  get listenPort(): number | undefined {
    return this.listener?.boundPort;
  }

  /** Cease / administrative shutdown to every peer (RFC 8203 message), then close. */
  async stop(message = 'bagpipe-bgp shutting down'): Promise<void> {
    const n: NotificationSpec = { code: NotifyCode.Cease, subcode: CeaseSubcode.AdministrativeShutdown, data: communicationData(message) };
    for (const p of this.peers.values()) p.stop(n);
    await this.listener?.stop();
    // The NOTIFICATIONs reach the wire before the process goes: each socket flushed and closed.
    await Promise.all([...this.peers.values()].map((p) => p.closed()));
  }

  established(): Peer[] {
    return [...this.peers.values()].filter((p) => p.state === 'Established');
  }
}
