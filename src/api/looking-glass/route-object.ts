/**
 * Route objects, the form of every route in the looking glass (spec looking-glass.md §2.9):
 *
 *   {"<NLRI text>": {"afi-safi": "ipv4/mpls-vpn", "attributes": {…}, "next_hop": "127.0.0.1",
 *                    "source": {"id": "VRF-1", "href": "…/bgp/workers/VRF-1"},
 *                    "route_targets": ["target:64512:1"]}}
 *
 * `route_targets` only for VPN-IPv4/IPv6 and E-VPN routes; all three RT forms are listed (the
 * original only knew 2-octet-AS ones and ignored the others entirely).
 */
import type { RouteEntry } from '../../rib/route-entry.js';
import { familyName, Safi } from '../../wire/afi.js';
import { routeTarget } from '../../wire/ext-communities/index.js';
import { attributesText } from './format/attributes-text.js';
import { lgExtCommunityText } from './format/ext-community-text.js';
import { nlriText } from './format/nlri-text.js';
import { absolute } from './tree.js';

export interface RouteObjectOptions {
  /** Leave out `source` (re-advertised copies, §2.8 `readvertised`). */
  readonly noSource?: boolean;
  /** Keys added after the original's (ours: the best-path `reason`). */
  readonly extra?: Record<string, unknown>;
}

export function routeObject(r: RouteEntry, prefix: string, options: RouteObjectOptions = {}): Record<string, unknown> {
  const body: Record<string, unknown> = {
    'afi-safi': familyName(r.afi, r.safi),
    attributes: attributesText(r.attributes, r.source.kind === 'local'),
    next_hop: r.nextHop ?? null,
  };
  if (!options.noSource) body.source = { id: r.source.name, href: absolute(prefix, ['bgp', 'workers', r.source.name]) };
  if (r.safi === (Safi.MplsVpn as number) || r.safi === (Safi.Evpn as number)) body.route_targets = r.routeTargets.map((t) => lgExtCommunityText(routeTarget(t)));
  return { [nlriText(r)]: { ...body, ...options.extra } };
}
