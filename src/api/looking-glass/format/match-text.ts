/**
 * Subscriptions of a worker as the original shows them (spec looking-glass.md §3.2):
 * "match:<afi or *>/<safi or *>,<rt text or *>", sorted as it sorted its Match objects: by AFI,
 * SAFI, then route-target text (wildcards first).
 */
import type { Match } from '../../../rib/route-table-manager.js';
import { familyName } from '../../../wire/afi.js';
import { routeTarget } from '../../../wire/ext-communities/index.js';
import { lgExtCommunityText } from './ext-community-text.js';

function familyPart(m: Match): string {
  if (m.afi !== undefined && m.safi !== undefined) return familyName(m.afi, m.safi);
  const [afi, safi] = familyName(m.afi ?? 0, m.safi ?? 0).split('/');
  return `${m.afi === undefined ? '*' : afi}/${m.safi === undefined ? '*' : safi}`;
}

function rtPart(m: Match): string | undefined {
  return m.rt === undefined ? undefined : lgExtCommunityText(routeTarget(m.rt));
}

function compare(a: Match, b: Match): number {
  const ra = rtPart(a) ?? 'target:0:0';
  const rb = rtPart(b) ?? 'target:0:0';
  return (a.afi ?? 0) - (b.afi ?? 0) || (a.safi ?? 0) - (b.safi ?? 0) || (ra < rb ? -1 : ra > rb ? 1 : 0);
}

export function matchTexts(matches: readonly Match[]): string[] {
  return [...matches].sort(compare).map((m) => `match:${familyPart(m)},${rtPart(m) ?? '*'}`);
}
