/**
 * E-VPN MAC mobility (RFC 7432 §15), the pure parts.
 *
 * - A MAC/IP route without the MAC Mobility extended community has sequence number 0 (§15.1).
 * - A PE that advertises a MAC it had last seen advertised by another PE uses the highest
 *   sequence number among those routes plus one, so that every PE prefers the new location.
 * - Selection between routes of one MAC (§15.1, §15.2): a sticky (static) MAC wins over a
 *   non-sticky one; then the higher sequence number; with equal sequence numbers from different
 *   PEs, the lower PE address (next hop) – then the tracker's usual rules (LOCAL_PREF, tie-break).
 *   A lexicographic order on (sticky, sequence, −address): transitive, so the best route never
 *   depends on arrival order. It comes before LOCAL_PREF, as in FRR and GoBGP.
 * - A sticky MAC is never moved by us: a local plug of a MAC that another PE advertises as
 *   sticky is refused (§15.2: such a move is a misconfiguration, not a mobility event).
 */
import type { RouteEntry } from '../rib/route-entry.js';
import { extCommunitiesOf } from '../rib/route-entry.js';
import type { Comparison } from './best-path.js';

export interface MobilityInfo {
  readonly sequence: number;
  readonly sticky: boolean;
}

/** The MAC Mobility community of a route (sequence 0, not sticky when absent). */
export function mobilityOf(route: RouteEntry): MobilityInfo {
  for (const ec of extCommunitiesOf(route.attributes)) if (ec.type === 'mac-mobility') return { sequence: ec.sequence, sticky: ec.sticky };
  return { sequence: 0, sticky: false };
}

/** Whether a route carries the community at all. */
export function hasMobility(route: RouteEntry): boolean {
  return extCommunitiesOf(route.attributes).some((ec) => ec.type === 'mac-mobility');
}

/**
 * The sequence number for our advertisement of a MAC, given the other PEs' routes for it: none
 * when no other PE advertises it (no community on the wire, as the original), else their highest
 * sequence number + 1 (wrapping is left to the RFC's §15.1 "larger of the two" rule: not reached).
 */
export function nextSequence(remote: readonly RouteEntry[]): number | undefined {
  if (remote.length === 0) return undefined;
  return Math.min(Math.max(...remote.map((r) => mobilityOf(r).sequence)) + 1, 0xffffffff);
}

/** A remote route marking the MAC sticky, if any (a local plug of that MAC is refused). */
export function stickyElsewhere(remote: readonly RouteEntry[]): RouteEntry | undefined {
  return remote.find((r) => mobilityOf(r).sticky);
}

function ipValue(a: string | undefined): number {
  if (a === undefined || !/^\d+\.\d+\.\d+\.\d+$/.test(a)) return Number.MAX_SAFE_INTEGER;
  return a.split('.').reduce((v, o) => v * 256 + Number(o), 0);
}

/**
 * Compares two MAC/IP routes of the same MAC by mobility (> 0: a better); undefined when
 * mobility does not decide (the tracker's other rules do).
 */
export function compareMobility(a: RouteEntry, b: RouteEntry): Comparison | undefined {
  const ma = mobilityOf(a);
  const mb = mobilityOf(b);
  if (ma.sticky !== mb.sticky) return { cmp: ma.sticky ? 1 : -1, reason: 'MAC mobility: sticky MAC' };
  if (ma.sequence !== mb.sequence) {
    return { cmp: ma.sequence - mb.sequence, reason: `MAC mobility: sequence ${Math.max(ma.sequence, mb.sequence)} > ${Math.min(ma.sequence, mb.sequence)}` };
  }
  // Equal sequence numbers from different PEs: the lower PE address (RFC 7432 §15.1).
  if (a.nextHop !== b.nextHop) {
    const d = ipValue(b.nextHop) - ipValue(a.nextHop);
    if (d !== 0) return { cmp: d, reason: `MAC mobility: equal sequence ${ma.sequence}, lower PE address` };
  }
  return undefined;
}
