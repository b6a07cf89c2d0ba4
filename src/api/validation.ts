/**
 * Attach / detach request validation, in the original's order and with its messages (spec
 * rest-api.md §4.2, §5.1), so that the same bad request gets the same answer:
 *
 *  1. body not JSON → 400 "No local port details received"; JSON but not an object → 500
 *  2. vpn_type present and known
 *  3. vpn_instance_id, mac_address, local_port, then ip_address (ipvpn), import_rt, export_rt present
 *  4. local_port string → {"linuxif": s}; RT strings split on /,+ * /
 *  5. local_port has linuxif or evpn   6. MAC syntax   7. IP syntax   8. advertise_subnet boolean
 *  9. defaults; direction value        10. ipvpn: gateway_ip present
 * 11. route targets converted (500 on a malformed one, as the original), readvertise and
 *      attract_traffic route targets too (a missing from_rt / to_rt / redirect_rts: 500)
 *  and our addition: field types checked against a TypeBox schema (a 400 naming the field, where
 *  the original failed later with a 500 or misbehaved). The service chaining rules that depend on
 *  the combination (rest-api.md §4.4) are the instance's (vpn/chaining.ts, 400 at creation).
 *
 * ApiError → 400 "API error: <message>"; InternalError → 500.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Direction, LocalPort, VpnType } from '../dataplane/driver.js';
import { ApiError, InternalError } from '../vpn/errors.js';
import { pyRepr } from '../vpn/py-repr.js';
import type { AttachRequest, AttractTraffic, DetachRequest, EndpointIp, Readvertise } from '../vpn/requests.js';
import { isValidMac, parseEndpointIp } from './netaddr.js';

/** The unparsable-body 400, whose description has no "API error: " prefix. */
export class BodyError extends Error {
  override readonly name = 'BodyError';
}

const DIRECTIONS: readonly Direction[] = ['both', 'to-port', 'from-port'];
const MAX_U32 = 0xffffffff;

/** Types of the parameters the original left unchecked (rest-api.md §4.1), with the 400 naming each. */
const FIELD_TYPES: readonly [name: string, schema: TSchema, message: string][] = [
  ['vpn_instance_id', Type.String(), "'vpn_instance_id' must be a string"],
  ['vni', Type.Union([Type.Null(), Type.Integer({ minimum: 0, maximum: 0xffffff })]), "'vni' must be an integer between 0 and 16777215"],
  ['local_pref', Type.Union([Type.Null(), Type.Integer({ minimum: 0, maximum: MAX_U32 })]), "'local_pref' must be an integer between 0 and 4294967295"],
  [
    'lb_consistent_hash_order',
    Type.Union([Type.Null(), Type.Integer({ minimum: 0, maximum: MAX_U32 })]),
    "'lb_consistent_hash_order' must be an integer between 0 and 4294967295",
  ],
  ['linuxbr', Type.Union([Type.Null(), Type.String()]), "'linuxbr' must be a string"],
  ['fallback', Type.Union([Type.Null(), Type.Record(Type.String(), Type.Unknown())]), "'fallback' must be an object"],
];

const LINUXIF = Type.String({ minLength: 1 });

/** str() of a value as Python's "%s" shows it. */
function pyText(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v);
}

/** Step 1: the raw body, parsed as JSON whatever the Content-Type. */
export function parseBody(raw: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new BodyError('No local port details received');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new InternalError(`request body is not a JSON object: ${raw.slice(0, 100)}`);
  return body as Record<string, unknown>;
}

/** Steps 2-8, common to attach and detach; returns the body with local_port and RTs normalised. */
function common(body: Record<string, unknown>, attach: boolean): { vpnType: VpnType; p: Record<string, unknown>; ip: EndpointIp | null } {
  if (!('vpn_type' in body)) throw new ApiError('missing instance_type');
  const vpnType = body.vpn_type;
  if (vpnType !== 'ipvpn' && vpnType !== 'evpn') throw new ApiError(`unknown vpn_type: ${pyText(vpnType)}`);
  const mandatory = ['vpn_instance_id', 'mac_address', 'local_port'];
  if (vpnType === 'ipvpn') mandatory.push('ip_address');
  if (attach) mandatory.push('import_rt', 'export_rt');
  for (const k of mandatory) if (!(k in body)) throw new ApiError(`Missing parameter: '${k}'`);
  const p: Record<string, unknown> = { ...body };
  if (typeof p.local_port === 'string') p.local_port = { linuxif: p.local_port };
  for (const k of ['import_rt', 'export_rt']) if (typeof p[k] === 'string') p[k] = splitRts(p[k]);
  const lp = p.local_port;
  if (lp === null || typeof lp !== 'object' || Array.isArray(lp) || !('linuxif' in lp || 'evpn' in lp)) {
    throw new ApiError('Mandatory key is missing in local_port parameter (linuxif, or evpn)');
  }
  if (typeof p.mac_address !== 'string' || !isValidMac(p.mac_address)) throw new ApiError(`MAC address ${pyText(p.mac_address)} is not valid`);
  let ip: EndpointIp | null = null;
  if ('ip_address' in p) {
    const parsed = typeof p.ip_address === 'string' ? parseEndpointIp(p.ip_address) : undefined;
    if (!parsed) throw new ApiError(`IP address ${pyText(p.ip_address)} is not valid`);
    ip = parsed;
  }
  if ('advertise_subnet' in p && typeof p.advertise_subnet !== 'boolean') throw new ApiError("'advertise_subnet' must be a boolean");
  return { vpnType, p, ip };
}

/** "a,,b" / "a, b" → ["a", "b"]: the original's re.split(",+ *") (empty items are skipped, duplicates removed, by convertRts). */
export function splitRts(s: string): string[] {
  return s.split(/,+ */);
}

/** Route targets "asn:nn" (2-octet AS only, as the original); a malformed one is a 500 (rest-api.md §4.1). */
export function convertRts(v: unknown, name: string): string[] {
  if (!Array.isArray(v)) throw new InternalError(`'${name}' is neither a list nor a string: ${JSON.stringify(v)}`);
  const out: string[] = [];
  for (const item of v) {
    if (item === '') continue;
    const m = typeof item === 'string' ? /^\s*\+?(\d+)\s*:\s*\+?(\d+)\s*$/.exec(item) : null;
    if (!m || Number(m[1]) > 0xffff || Number(m[2]) > MAX_U32) throw new InternalError(`Malformed route target: '${pyText(item)}'`);
    const rt = `${Number(m[1])}:${Number(m[2])}`;
    if (!out.includes(rt)) out.push(rt);
  }
  return out;
}

function falsy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

export function validateAttach(body: Record<string, unknown>): AttachRequest {
  const { vpnType, p, ip } = common(body, true);
  const direction = falsy(p.direction) ? 'both' : p.direction;
  if (!DIRECTIONS.includes(direction as Direction)) throw new ApiError(`direction should be one of: ${DIRECTIONS.join(', ')}`);
  if (vpnType === 'ipvpn' && !('gateway_ip' in p)) throw new ApiError("Missing parameter: 'gateway_ip'");
  for (const [name, schema, message] of FIELD_TYPES) if (name in p && !Value.Check(schema, p[name])) throw new ApiError(message);
  const localPort = p.local_port as Record<string, unknown>;
  if ('linuxif' in localPort && !Value.Check(LINUXIF, localPort.linuxif)) throw new ApiError("'local_port/linuxif' must be a non-empty string");
  const importRts = convertRts(p.import_rt, 'import_rt');
  const exportRts = convertRts(p.export_rt, 'export_rt');
  const readvertise = readvertiseOf(p.readvertise);
  const attractTraffic = attractTrafficOf(p.attract_traffic);
  return {
    vpnType,
    vpnInstanceId: p.vpn_instance_id as string,
    macAddress: p.mac_address as string,
    ip,
    localPort: localPort as LocalPort,
    importRts,
    exportRts,
    gatewayIp: p.gateway_ip ?? null,
    advertiseSubnet: p.advertise_subnet === true,
    vni: (p.vni as number | null | undefined) ?? 0,
    linuxbr: (p.linuxbr as string | null | undefined) ?? undefined,
    // 0 and null mean 100 (the original's falsy test): null here, 100 in the route.
    localPref: (p.local_pref as number | null | undefined) || null,
    direction: direction as Direction,
    fallback: p.fallback ?? null,
    readvertise,
    attractTraffic,
    lbConsistentHashOrder: (p.lb_consistent_hash_order as number | null | undefined) ?? 0,
    description: p.description ?? null,
    instanceDescription: p.instance_description ?? null,
  };
}

/** A list of route targets inside a service chaining object: a list, converted (500 otherwise, as the original). */
function rtList(v: unknown, name: string): string[] {
  if (!Array.isArray(v)) throw new InternalError(`'${name}' must be a list of route targets, got ${JSON.stringify(v) ?? 'nothing'}`);
  return convertRts(v, name);
}

function objectOf(v: unknown, name: string): Record<string, unknown> | null {
  if (falsy(v)) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw new ApiError(`'${name}' must be an object`);
  return v as Record<string, unknown>;
}

/** readvertise: null, {} or {from_rt: [...], to_rt: [...]} (both required: 500, rest-api.md §4.1). */
function readvertiseOf(v: unknown): Readvertise | null {
  const o = objectOf(v, 'readvertise');
  if (!o) return null;
  for (const k of ['from_rt', 'to_rt']) if (!(k in o)) throw new InternalError(`'readvertise' without '${k}'`);
  return { fromRts: rtList(o.from_rt, 'readvertise/from_rt'), toRts: rtList(o.to_rt, 'readvertise/to_rt') };
}

/** attract_traffic: null, {} or an object with redirect_rts (required: 500, rest-api.md §4.4). */
function attractTrafficOf(v: unknown): AttractTraffic | null {
  const o = objectOf(v, 'attract_traffic');
  if (!o) return null;
  if (!('redirect_rts' in o)) throw new InternalError("'attract_traffic' without 'redirect_rts'");
  return {
    redirectRts: rtList(o.redirect_rts, 'attract_traffic/redirect_rts'),
    classifier: o.classifier,
    toRts: o.to_rt === undefined || o.to_rt === null ? undefined : rtList(o.to_rt, 'attract_traffic/to_rt'),
    staticDestinationPrefixes: o.static_destination_prefixes,
  };
}

export function validateDetach(body: Record<string, unknown>): DetachRequest {
  const { vpnType, p, ip } = common(body, false);
  if (typeof p.vpn_instance_id !== 'string') throw new ApiError(`VPN ${pyText(p.vpn_instance_id)} could not be found`);
  return {
    vpnType,
    vpnInstanceId: p.vpn_instance_id,
    macAddress: p.mac_address as string,
    ip,
    localPort: p.local_port as Record<string, unknown>,
  };
}
