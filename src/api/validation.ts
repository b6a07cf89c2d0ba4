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
 *  then our additions: field types checked against a TypeBox schema (a 400 naming the field,
 *  where the original failed later with a 500 or misbehaved), route targets converted (500 on a
 *  malformed one, as the original), service chaining parameters refused (not implemented yet).
 *
 * ApiError → 400 "API error: <message>"; InternalError → 500.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Direction, LocalPort, VpnType } from '../dataplane/driver.js';
import { ApiError, InternalError } from '../vpn/errors.js';
import { pyRepr } from '../vpn/py-repr.js';
import type { AttachRequest, DetachRequest, EndpointIp } from '../vpn/requests.js';
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
  // Service chaining (vpn.md §4) comes with issue 7: refused rather than silently ignored.
  for (const k of ['readvertise', 'attract_traffic', 'lb_consistent_hash_order'])
    if (!falsy(p[k])) throw new ApiError(`'${k}' (service chaining) is not supported yet`);
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
    lbConsistentHashOrder: (p.lb_consistent_hash_order as number | null | undefined) ?? 0,
    description: p.description ?? null,
    instanceDescription: p.instance_description ?? null,
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
