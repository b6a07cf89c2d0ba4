/**
 * A BGP peer (spec looking-glass.md §2.6), at `bgp/peers/<address>` and `bgp/workers/BGP-<address>`:
 * the original's keys (addresses, AS numbers, RT Constraint, active families, protocol state with
 * hold time and transition time, name, subscriptions; `adv_routes` = the routes received from
 * the peer; `logs`), then ours for an operator:
 *
 * - `protocol.last_state_change_reason` and `state_changes` (the last 20, most recent first, with
 *   the connection they happened on and their typed reason);
 * - `notifications`: the last NOTIFICATION sent and received (code, subcode, names, RFC 8203
 *   message);
 * - `rtc.route_targets_requested` (what the peer's RT Constraint routes ask for, `*` for all) and
 *   `rtc.vpn_routes_held` (families held until its RTC End-of-RIB, RFC 4684 §6);
 * - `session` (what was negotiated), `statistics`, `update_errors` (errors handled without a
 *   reset, RFC 7606);
 * - `graceful_restart` (RFC 4724): whether we are restarting (R bit), the families whose
 *   End-of-RIB we hold until our routes are restored, and how many of the peer's routes we keep
 *   as stale while it restarts.
 *
 * The original cleared a peer's `logs` at each new connection attempt; here they stay.
 */
import type { NotificationRecord, Peer } from '../../session/peer.js';
import { parseFamilyName } from '../../wire/afi.js';
import { routeTarget } from '../../wire/ext-communities/index.js';
import { notificationText } from '../../wire/messages/notification.js';
import { localTime } from '../log-buffer.js';
import type { LookingGlassContext } from './context.js';
import { lgExtCommunityText } from './format/ext-community-text.js';
import { matchTexts } from './format/match-text.js';
import { routeObject } from './route-object.js';
import { subtree, type LgObject } from './tree.js';

/** The original's order of families (engine.md §3). */
const FAMILY_ORDER = ['ipv4/mpls-vpn', 'l2vpn/evpn', 'ipv4/flow-vpn', 'ipv4/rtc'];

function activeFamilies(families: readonly string[]): string[] {
  const rank = (f: string): number => (FAMILY_ORDER.includes(f) ? FAMILY_ORDER.indexOf(f) : FAMILY_ORDER.length);
  return [...families].sort((a, b) => rank(a) - rank(b)).map((f) => `(${f.split('/').join(', ')})`);
}

function notificationInfo(n: NotificationRecord | undefined): Record<string, unknown> | null {
  if (!n) return null;
  const m = n.message;
  return {
    time: localTime(new Date(n.time), true),
    code: m.code,
    subcode: m.subcode,
    text: notificationText(m.code, m.subcode),
    data: m.data,
    ...(m.communication !== undefined ? { communication: m.communication } : {}),
  };
}

function sessionInfo(p: Peer): Record<string, unknown> | null {
  const n = p.session;
  if (!n) return null;
  return {
    peer_id: n.peerId,
    peer_as: n.peerAs,
    hold_time: n.holdTime,
    keepalive_time: n.keepaliveTime,
    families: n.families,
    families_not_announced_by_peer: n.missingFamilies,
    four_octet_as: n.as4,
    route_refresh: n.routeRefresh,
    enhanced_route_refresh: n.enhancedRouteRefresh,
    extended_message: n.extendedMessage,
    add_path_receive: n.addPathReceive,
    graceful_restart: n.gracefulRestart ?? null,
  };
}

/** VPN families whose routes wait for the peer's RTC End-of-RIB. */
function heldFamilies(p: Peer): string[] {
  const adj = p.adjRibOut;
  if (!adj) return [];
  return (p.session?.families ?? []).filter((f) => {
    const fam = parseFamilyName(f);
    return fam !== undefined && f !== 'ipv4/rtc' && adj.isHeld(fam.afi, fam.safi);
  });
}

export function peerObject(p: Peer, ctx: LookingGlassContext): LgObject {
  return {
    info: () => {
      const fsm = p.fsm;
      const n = p.session;
      const hold = n ? 3 * Math.floor(n.holdTime / 3) : p.cfg.holdTime;
      return {
        peeringAddresses: { peer_address: p.cfg.address, local_address: p.cfg.localAddress },
        as_info: { local: p.cfg.localAs, peer: n?.peerAs ?? p.cfg.remoteAs },
        rtc: {
          active: p.isRtcActive,
          enabled: p.cfg.enableRtc,
          route_targets_requested: p.rtcRouteTargets.map((rt) => (rt === '*' ? rt : lgExtCommunityText(routeTarget(rt)))).sort(),
          vpn_routes_held: heldFamilies(p),
        },
        active_families: activeFamilies(n?.families ?? []),
        protocol: {
          state: fsm.state,
          previous_state: `(${fsm.previous})`,
          hold_time: hold,
          last_transition_time: localTime(new Date(fsm.lastChange)),
          last_state_change_reason: fsm.reason ?? null,
        },
        name: p.name,
        internals: { 'event queue length': 0, subscriptions: matchTexts(ctx.bgp.rtm.subscriptionsOf(p)) },
        state_changes: [...p.stateChanges]
          .reverse()
          .map((c) => ({ time: localTime(new Date(c.time), true), connection: c.connection, from: c.from, to: c.to, reason: c.reason })),
        notifications: { last_sent: notificationInfo(p.lastNotificationSent), last_received: notificationInfo(p.lastNotificationReceived) },
        session: sessionInfo(p),
        statistics: {
          routes_received: ctx.bgp.rtm.routeCountFrom(p),
          updates_received: p.stats.updatesIn,
          updates_sent: p.stats.updatesOut,
          notifications_received: p.stats.notificationsIn,
          notifications_sent: p.stats.notificationsOut,
          established_transitions: p.stats.establishedTransitions,
          decode_errors: p.stats.decodeErrors,
        },
        update_errors: p.recentErrors.map((e) => ({ time: localTime(new Date(e.time), true), code: e.code, outcome: e.outcome, message: e.message })),
        graceful_restart: { restarting: p.restarting, end_of_rib_held: p.endOfRibHeldFamilies, stale_routes_of_peer: p.staleRouteCount },
      };
    },
    entries: () => ({
      adv_routes: subtree((prefix) => ctx.bgp.rtm.routesFrom(p).map((r) => routeObject(r, prefix))),
      logs: subtree(() => ctx.logs.scoped(`peer.${p.cfg.address}`)),
    }),
  };
}
