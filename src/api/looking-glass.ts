/**
 * The looking glass (spec looking-glass.md), first part: the tree resolver (objects rendered with
 * `href` links to their sub-objects, collections of items with an `id`, computed values descended
 * by dict keys, the 404 messages), the root, `summary`, `config`, `logs`, `vpns` (instances with
 * their ports, received and best routes – with the reason of each choice – advertised routes and
 * dummy dataplane calls; drivers; label ids; instances per VNI) and a small `bgp` node (peers,
 * route counts). Route objects use a simplified text form for now; the full tree and the
 * original's exact formats are a later task.
 */
import type { Config } from '../config/index.js';
import { lookingGlassConfig } from '../config/index.js';
import { encapText, type DataplaneDriver } from '../dataplane/driver.js';
import type { RouteEntry } from '../rib/route-entry.js';
import { extCommunitiesOf } from '../rib/route-entry.js';
import type { BgpManager } from '../session/bgp-manager.js';
import { familyName, Safi } from '../wire/afi.js';
import { extCommunityText } from '../wire/ext-communities/index.js';
import { mplsLabel } from '../wire/label.js';
import { isKnownEvpn } from '../wire/nlri/evpn/types.js';
import { rdText } from '../wire/route-distinguisher.js';
import type { VpnInstance } from '../vpn/vpn-instance.js';
import type { VpnManager } from '../vpn/vpn-manager.js';
import { localTime, type LogBuffer } from './log-buffer.js';

export class LgNotFound extends Error {
  override readonly name = 'LgNotFound';
}

/** A node of the tree: an object with links, a collection, or a computed value. */
export type LgNode = LgObject | LgCollection | LgValue;
export interface LgObject {
  readonly kind: 'object';
  info(prefix: string): Record<string, unknown>;
  /** Sub-objects shown as {"href": …} and reachable by name. */
  readonly links?: Readonly<Record<string, () => LgNode>>;
}
export interface LgCollection {
  readonly kind: 'collection';
  items(): ({ id: string } & Record<string, unknown>)[];
  item(id: string): LgNode | undefined;
}
export interface LgValue {
  readonly kind: 'value';
  value(prefix: string): unknown;
}

const obj = (info: (prefix: string) => Record<string, unknown>, links?: Record<string, () => LgNode>): LgObject => ({ kind: 'object', info, ...(links ? { links } : {}) });
const val = (value: (prefix: string) => unknown): LgValue => ({ kind: 'value', value });

function quote(segment: string): string {
  return encodeURIComponent(segment).replace(/%2F/gi, '/');
}

/** Resolves a path (decoded segments) under a node whose URL is `prefix`. */
export function resolve(node: LgNode, segments: readonly string[], prefix: string): unknown {
  if (node.kind === 'collection') {
    if (segments.length === 0) return node.items().map((i) => ({ ...i, href: `${prefix}/${quote(i.id)}` }));
    const item = node.item(segments[0]!);
    if (!item) throw new LgNotFound(`No such looking glass object: ${segments[0]} at ${prefix}`);
    return resolve(item, segments.slice(1), `${prefix}/${quote(segments[0]!)}`);
  }
  if (node.kind === 'object' && segments.length > 0) {
    const link = node.links?.[segments[0]!];
    if (link) return resolve(link(), segments.slice(1), `${prefix}/${quote(segments[0]!)}`);
  }
  let value = render(node, prefix);
  let at = prefix;
  for (const s of segments) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, s)) {
      throw new LgNotFound(`No such looking glass object: '${s}' at ${at}`);
    }
    value = (value as Record<string, unknown>)[s];
    at = `${at}/${quote(s)}`;
  }
  return value;
}

function render(node: LgNode, prefix: string): unknown {
  if (node.kind === 'value') return node.value(prefix);
  if (node.kind === 'collection') return resolve(node, [], prefix);
  const out = node.info(prefix);
  for (const name of Object.keys(node.links ?? {})) out[name] = { href: `${prefix}/${quote(name)}` };
  return out;
}

export interface LookingGlassContext {
  readonly bgp: BgpManager;
  readonly vpn: VpnManager;
  readonly config: Config | undefined;
  readonly logs: LogBuffer;
  readonly startTime: Date;
  readonly version: string;
}

/** The absolute URL of a looking-glass path, from any prefix under the root. */
function absolute(prefix: string, path: string[]): string {
  const i = prefix.indexOf('/looking-glass');
  const root = i >= 0 ? prefix.slice(0, i + '/looking-glass'.length) : prefix;
  return [root, ...path.map(quote)].join('/');
}

function routeCounts(bgp: BgpManager): { local_routes_count: number; received_routes_count: number } {
  let local = 0;
  let received = 0;
  for (const r of bgp.rtm.routes()) {
    if (r.safi === (Safi.Rtc as number)) continue;
    if (r.source.kind === 'bgp-peer') received++;
    else local++;
  }
  return { local_routes_count: local, received_routes_count: received };
}

/** NLRI text (looking-glass.md §3.1, for the families VPN instances use). */
export function nlriText(r: RouteEntry): string {
  const n = r.nlri;
  if (n.kind === 'vpn') return `${n.prefix} label ${n.labels.map(mplsLabel).join(',')} next-hop ${r.nextHop ?? '-'} rd ${rdText(n.rd)}`;
  if (n.kind === 'evpn' && isKnownEvpn(n)) {
    if (n.routeType === 2) {
      const l = n.labels[0] ?? 0;
      return `evpn:macadv::${rdText(n.rd)}:-:${n.ethernetTag}:${n.mac}/48:${n.ip ?? ''}: label ${l >>> 4} (${l})`;
    }
    if (n.routeType === 3) return `evpn:multicast::${rdText(n.rd)}:${n.ethernetTag}:${n.originatorIp}`;
  }
  return `${familyName(r.afi, r.safi)} ${r.key}`;
}

function routeObject(r: RouteEntry, prefix: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const attributes: Record<string, string> = {};
  for (const a of r.attributes) {
    if (a.type === 'origin' || a.type === 'as-path') continue;
    if (a.type === 'ext-communities') {
      const t = extCommunitiesOf([a]).map(extCommunityText);
      attributes['extended-community'] = t.length === 1 ? t[0]! : `[ ${t.join(' ')} ]`;
    } else if (a.type === 'local-pref') attributes['local-preference'] = String(a.value);
    else if (a.type === 'pmsi-tunnel') attributes['pmsi-tunnel'] = `pmsi:${String(a.tunnelType).replace('-', '')}:${a.tunnelFlags}:${a.label >>> 4}(${a.label}):${a.tunnelId.kind === 'address' ? a.tunnelId.address : a.tunnelId.hex}`;
    else {
      const { type, flags: _f, ...rest } = a as { type: string; flags?: number };
      attributes[type] = JSON.stringify(rest);
    }
  }
  return {
    [nlriText(r)]: {
      'afi-safi': familyName(r.afi, r.safi),
      attributes,
      next_hop: r.nextHop ?? null,
      source: { id: r.source.name, href: absolute(prefix, ['bgp', 'workers', r.source.name]) },
      ...(r.safi === (Safi.MplsVpn as number) || r.safi === (Safi.Evpn as number) ? { route_targets: r.routeTargets.map((t) => `target:${t}`) } : {}),
      ...extra,
    },
  };
}

function instanceNode(i: VpnInstance, ctx: LookingGlassContext): LgObject {
  const entryText = (e: string): string => {
    if (i.vpnType === 'ipvpn') return e.startsWith('flow ') ? `('Flow', '${e.slice(5)}')` : `'${e}'`;
    if (e.startsWith('mac ')) return `('MAC', ${e.slice(4)})`;
    const [, ip, rd] = e.split(' ');
    return `('Multicast', (${ip},  rd ${rd}))`;
  };
  return obj(
    () => ({
      ...(i.vpnType === 'evpn' ? { gateway_port: null } : {}),
      name: i.name,
      internals: {
        'event queue length': 0,
        subscriptions: ctx.bgp.rtm
          .subscriptionsOf(i)
          .map((m) => `match:${m.afi !== undefined && m.safi !== undefined ? familyName(m.afi, m.safi) : '*/*'},${m.rt === undefined ? '*' : `target:${m.rt}`}`)
          .sort(),
      },
      instance_type: i.instanceType,
      external_instance_id: i.vpnInstanceId,
      description: i.description,
      route_targets: { import: i.importRts.map((t) => `target:${t}`), export: i.exportRts.map((t) => `target:${t}`) },
      gateway_ip: i.settings.gatewayIp,
      subnet_prefix_length: i.settings.subnetLength,
      instance_dataplane_id: i.instanceLabel,
      readvertise: {},
      attract_traffic: {},
      fallback: i.fallback,
    }),
    {
      dataplane: () =>
        obj((prefix) => ({ driver: { id: i.vpnType, href: absolute(prefix, ['vpns', 'dataplane', 'drivers', i.vpnType]) }, ...i.dataplaneInfo() })),
      ports: () =>
        val(() => {
          const out: Record<string, { endpoints: unknown[] }> = {};
          for (const ep of i.endpoints.values()) {
            (out[ep.linuxif] ??= { endpoints: [] }).endpoints.push({
              label: i.macs.get(ep.mac)?.label ?? null,
              mac_address: ep.mac,
              ip_address: ep.ip?.text ?? null,
              local_pref: ep.localPref,
              rd: ep.rd === undefined ? null : ` rd ${ep.rd}`,
              description: ep.description,
              direction: ep.direction,
            });
          }
          return out;
        }),
      received_routes: () =>
        val((prefix) => Object.fromEntries(i.receivedRoutes().map((t) => [entryText(t.entry), t.routes.map((r) => routeObject(r, prefix))]))),
      best_routes: () =>
        val((prefix) => Object.fromEntries(i.receivedRoutes().map((t) => [entryText(t.entry), t.best.map((b) => routeObject(b.route, prefix, { reason: b.reason }))]))),
      adv_routes: () => val((prefix) => i.advertisedRoutes().map((r) => routeObject(r, prefix))),
    },
  );
}

function driverNode(d: DataplaneDriver): LgObject {
  return obj(() => ({ ...d.lookingGlass(), supported_encaps: d.supportedEncaps.map(encapText) }));
}

/** The root of the tree. */
export function lookingGlassRoot(ctx: LookingGlassContext): LgObject {
  const { bgp, vpn } = ctx;
  return obj(
    () => ({
      summary: {
        BGP_established_peers: bgp.established().length,
        route_counts: routeCounts(bgp),
        vpn_instances_count: vpn.instances.size,
        warnings_and_errors: ctx.logs.size,
        start_time: localTime(ctx.startTime),
        version: ctx.version,
      },
    }),
    {
      config: () => val(() => (ctx.config ? lookingGlassConfig(ctx.config) : {})),
      bgp: () =>
        obj(() => ({ route_counts: routeCounts(bgp) }), {
          peers: () => ({
            kind: 'collection',
            items: () => [...bgp.peers.values()].map((p) => ({ id: p.cfg.address, state: p.state })),
            item: (id) => {
              const p = bgp.peers.get(id);
              return p ? obj(() => ({ peer_address: p.cfg.address, state: p.state })) : undefined;
            },
          }),
          adv_routes: () => val((prefix) => bgp.rtc.advertisedRoutes().map((r) => routeObject(r, prefix))),
        }),
      vpns: () =>
        obj(
          () => ({
            instances_per_vni: Object.fromEntries([...vpn.instancesByVni].map(([vni, i]) => [String(vni), { name: i.name, external_instance_id: i.vpnInstanceId }])),
          }),
          {
            instances: () => ({
              kind: 'collection',
              items: () =>
                [...vpn.instances.values()].map((i) => ({ id: i.vpnInstanceId, name: i.name, ...(i.description ? { description: i.description } : {}) })),
              item: (id) => {
                const i = vpn.instances.get(id);
                return i ? instanceNode(i, ctx) : undefined;
              },
            }),
            dataplane: () =>
              obj(() => ({}), {
                drivers: () => ({
                  kind: 'collection',
                  items: () => [{ id: 'evpn' }, { id: 'ipvpn' }],
                  item: (id) => (id === 'evpn' || id === 'ipvpn' ? driverNode(vpn.drivers[id]) : undefined),
                }),
                ids: () => val(() => Object.fromEntries(vpn.labels.entries().map(([l, d]) => [String(l), d]))),
              }),
          },
        ),
      logs: () => val(() => ctx.logs.list()),
    },
  );
}
