/**
 * A VPN instance (spec looking-glass.md §2.8), at `vpns/instances/<vpn_instance_id>` and
 * `bgp/workers/<VRF-n|EVI-n>`, with the original's keys and kinds in its order:
 *
 *   gateway_port (EVI), name, internals                               local info
 *   readvertised (VRF)                                                SUBTREE
 *   instance_type, external_instance_id, description                  VALUE
 *   dataplane                                                         DELEGATE (driver link, driver data, logs)
 *   route_targets                                                     SUBITEM
 *   gateway_ip, subnet_prefix_length, instance_dataplane_id           VALUE
 *   ports                                                             SUBTREE
 *   readvertise, attract_traffic                                      SUBITEM
 *   fallback                                                          VALUE
 *   received_routes, best_routes, adv_routes, logs                    SUBTREE
 *
 * `best_routes` adds to each route object the `reason` it was chosen (ours). Tracked entries are
 * shown as the original's Python reprs: `'10.0.0.1/32'`, `('Flow', ' destination-ipv4 …')`,
 * `('MAC', 52:54:00:00:00:01)`, `('Multicast', (127.0.0.2,  rd 127.0.0.2:3))`.
 */
import type { RouteEntry } from '../../rib/route-entry.js';
import { Afi } from '../../wire/afi.js';
import { routeTarget } from '../../wire/ext-communities/index.js';
import { Evi } from '../../vpn/evi.js';
import { pyStr } from '../../vpn/py-repr.js';
import type { VpnInstance } from '../../vpn/vpn-instance.js';
import type { LookingGlassContext } from './context.js';
import { lgExtCommunityText } from './format/ext-community-text.js';
import { lgFlowRulesText } from './format/flowspec-text.js';
import { matchTexts } from './format/match-text.js';
import { routeObject } from './route-object.js';
import { absolute, delegate, subitem, subtree, value, type LgEntry, type LgObject } from './tree.js';

const rtTexts = (rts: readonly string[]): string[] => rts.map((rt) => lgExtCommunityText(routeTarget(rt)));

/** The original's repr of a tracked entry (see the header); `routes` are the entry's routes. */
function entryText(i: VpnInstance, entry: string, routes: readonly RouteEntry[]): string {
  if (i.vpnType === 'ipvpn') {
    const flow = routes.find((r) => r.nlri.kind === 'flowspec');
    if (entry.startsWith('flow ') && flow?.nlri.kind === 'flowspec') return `('Flow', ${pyStr(lgFlowRulesText(flow.nlri.components, flow.afi === (Afi.IPv6 as number)))})`;
    return pyStr(entry);
  }
  if (entry.startsWith('mac ')) return `('MAC', ${entry.slice(4)})`;
  const [, ip, rd] = entry.split(' ');
  return `('Multicast', (${ip},  rd ${rd}))`;
}

function portsInfo(i: VpnInstance): Record<string, { endpoints: unknown[] }> {
  const out: Record<string, { endpoints: unknown[] }> = {};
  for (const ep of i.endpoints.values()) {
    (out[ep.linuxif] ??= { endpoints: [] }).endpoints.push({
      label: i.macs.get(ep.mac)?.label ?? null,
      mac_address: ep.mac,
      ip_address: ep.ip?.text ?? null,
      local_pref: ep.localPref,
      // The original's repr of an RD, leading space included (a quirk clients may parse).
      rd: ep.rd === undefined ? null : ` rd ${ep.rd}`,
      description: ep.description,
      direction: ep.direction,
    });
  }
  return out;
}

function gatewayPort(i: VpnInstance, prefix: string): unknown {
  const gw = i instanceof Evi ? i.gatewayPort : undefined;
  if (!gw) return null;
  return {
    interface: pyStr(gw.linuxif),
    ipvpn: { href: absolute(prefix, ['vpns', 'instances', gw.vrf.vpnInstanceId]), id: gw.vrf.name, external_instance_id: gw.vrf.vpnInstanceId },
  };
}

/** The instance's dataplane: a link to its driver, the driver's data about it, its logs. */
function dataplaneObject(i: VpnInstance, ctx: LookingGlassContext): LgObject {
  return {
    info: (prefix) => ({ driver: { id: i.vpnType, href: absolute(prefix, ['vpns', 'dataplane', 'drivers', i.vpnType]) }, ...i.dataplaneInfo() }),
    entries: () => ({ logs: subtree(() => ctx.logs.scoped(`dataplane.${i.vpnType}.${i.vpnInstanceId}`)) }),
  };
}

export function instanceObject(i: VpnInstance, ctx: LookingGlassContext): LgObject {
  return {
    info: (prefix) => ({
      ...(i.vpnType === 'evpn' ? { gateway_port: gatewayPort(i, prefix) } : {}),
      name: i.name,
      internals: { 'event queue length': 0, subscriptions: matchTexts(ctx.bgp.rtm.subscriptionsOf(i)) },
    }),
    entries: () => {
      const readv = i.readvertiseInfo();
      const entries: Record<string, LgEntry> = {
        ...(i.vpnType === 'ipvpn' ? { readvertised: subtree((prefix) => i.readvertisedRoutes().map((r) => routeObject(r, prefix, { noSource: true }))) } : {}),
        instance_type: value(i.instanceType),
        external_instance_id: value(i.vpnInstanceId),
        description: value(i.description),
        dataplane: delegate(() => dataplaneObject(i, ctx)),
        route_targets: subitem(() => ({ import: rtTexts(i.importRts), export: rtTexts(i.exportRts) })),
        gateway_ip: value(i.settings.gatewayIp ?? null),
        subnet_prefix_length: value(i.settings.subnetLength),
        instance_dataplane_id: value(i.instanceLabel),
        ports: subtree(() => portsInfo(i)),
        readvertise: subitem(() => (readv ? { from: rtTexts(readv.from), to: rtTexts(readv.to) } : {})),
        attract_traffic: subitem(() => i.attractTrafficInfo() ?? {}),
        fallback: value(i.fallback),
        received_routes: subtree((prefix) =>
          Object.fromEntries(i.receivedRoutes().map((t) => [entryText(i, t.entry, t.routes), t.routes.map((r) => routeObject(r, prefix))])),
        ),
        best_routes: subtree((prefix) =>
          Object.fromEntries(
            i.receivedRoutes().map((t) => [entryText(i, t.entry, t.routes), t.best.map((b) => routeObject(b.route, prefix, { extra: { reason: b.reason } }))]),
          ),
        ),
        adv_routes: subtree((prefix) => i.advertisedRoutes().map((r) => routeObject(r, prefix))),
        logs: subtree(() => ctx.logs.scoped(i.name)),
      };
      return entries;
    },
  };
}
