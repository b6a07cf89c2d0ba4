/**
 * The capability descriptor table (BIRD style: one row per code) and the generic TLV reading and
 * writing of RFC 5492 §4. A capability whose code has no row, or whose value the row cannot
 * represent, is kept opaque (`{ type: 'opaque', code, hex }`) and round-trips.
 *
 *   +------------------------------+
 *   | Capability Code (1 octet)    |
 *   +------------------------------+
 *   | Capability Length (1 octet)  |
 *   +------------------------------+
 *   | Capability Value (variable)  |
 *   +------------------------------+
 */
import { fromHex, toHex } from '../hex.js';
import { BufferReader } from '../reader.js';
import type { BufferWriter } from '../writer.js';
import { addPathCodec, type AddPathCapability } from './add-path.js';
import { badInput, CAPABILITY_POLICY, type CapabilityCodec } from './codec.js';
import { enhancedRouteRefreshCodec, type EnhancedRouteRefreshCapability } from './enhanced-route-refresh.js';
import { extendedMessageCodec, type ExtendedMessageCapability } from './extended-message.js';
import { extendedNextHopCodec, type ExtendedNextHopCapability } from './extended-next-hop.js';
import { fourOctetAsCodec, type FourOctetAsCapability } from './four-octet-as.js';
import { fqdnCodec, type FqdnCapability } from './fqdn.js';
import { gracefulRestartCodec, type GracefulRestartCapability } from './graceful-restart.js';
import {
  longLivedGracefulRestartCodec,
  type LongLivedGracefulRestartCapability,
} from './long-lived-graceful-restart.js';
import { multiprotocolCodec, type MultiprotocolCapability } from './multiprotocol.js';
import { pathsLimitCodec, type PathsLimitCapability } from './paths-limit.js';
import { roleCodec, type RoleCapability } from './role.js';
import {
  ciscoRouteRefreshCodec,
  routeRefreshCodec,
  type CiscoRouteRefreshCapability,
  type RouteRefreshCapability,
} from './route-refresh.js';
import { softwareVersionCodec, type SoftwareVersionCapability } from './software-version.js';

/** A capability we have no decoder for, or whose value we cannot represent: the raw value. */
export interface OpaqueCapability {
  type: 'opaque';
  code: number;
  /** The value bytes (without code and length), lowercase hex. */
  hex: string;
}

export type Capability =
  | MultiprotocolCapability
  | RouteRefreshCapability
  | CiscoRouteRefreshCapability
  | ExtendedNextHopCapability
  | ExtendedMessageCapability
  | RoleCapability
  | GracefulRestartCapability
  | FourOctetAsCapability
  | AddPathCapability
  | EnhancedRouteRefreshCapability
  | LongLivedGracefulRestartCapability
  | FqdnCapability
  | SoftwareVersionCapability
  | PathsLimitCapability
  | OpaqueCapability;

export type CapabilityType = Capability['type'];

/** A row of the table (each row's encode only ever receives its own type: see BY_TYPE). */
type AnyCodec = CapabilityCodec<Capability>;

/** One row per capability code we decode. */
export const CAPABILITY_CODECS: readonly AnyCodec[] = [
  multiprotocolCodec, // 1, RFC 4760
  routeRefreshCodec, // 2, RFC 2918
  extendedNextHopCodec, // 5, RFC 8950
  extendedMessageCodec, // 6, RFC 8654
  roleCodec, // 9, RFC 9234
  gracefulRestartCodec, // 64, RFC 4724
  fourOctetAsCodec, // 65, RFC 6793
  addPathCodec, // 69, RFC 7911
  enhancedRouteRefreshCodec, // 70, RFC 7313
  longLivedGracefulRestartCodec, // 71, RFC 9494
  fqdnCodec, // 73, draft-walton-bgp-hostname-capability
  softwareVersionCodec, // 75, draft-ietf-idr-software-version
  pathsLimitCodec, // 76, draft-abraitis-idr-addpath-paths-limit
  ciscoRouteRefreshCodec, // 128, pre-standard route refresh
];

const BY_CODE: (AnyCodec | undefined)[] = new Array<AnyCodec | undefined>(256).fill(undefined);
const BY_TYPE = new Map<string, AnyCodec>();
for (const c of CAPABILITY_CODECS) {
  BY_CODE[c.code] = c;
  BY_TYPE.set(c.type, c);
}

/** Names of the IANA capability codes we do not decode, for logs and the CLI. */
const OTHER_NAMES: Record<number, string> = {
  3: 'outbound-route-filtering',
  4: 'multiple-routes-to-destination',
  7: 'bgpsec',
  8: 'multiple-labels',
  66: 'dynamic-capability-old',
  67: 'dynamic-capability',
  68: 'multisession',
  72: 'routing-policy-distribution',
  74: 'bfd',
  130: 'outbound-route-filtering-cisco',
  131: 'multisession-cisco',
};

/** "multiprotocol", "add-path", ... or "capability-N" for a code we know nothing of. */
export function capabilityName(code: number): string {
  return BY_CODE[code]?.type ?? OTHER_NAMES[code] ?? `capability-${code}`;
}

/** The wire code of a capability. */
export function capabilityCode(cap: Capability): number {
  if (cap.type === 'opaque') return cap.code;
  const row = BY_TYPE.get(cap.type);
  return row ? row.code : badInput('capability', `unknown capability type ${JSON.stringify((cap as { type: unknown }).type)}`);
}

/** Reads one capability TLV (code, length, value) from r. */
export function readCapability(r: BufferReader): Capability {
  const code = r.u8();
  const raw = r.bytes(r.u8());
  const row = BY_CODE[code];
  if (row) {
    const v = BufferReader.of(raw, CAPABILITY_POLICY);
    const cap = row.decode(v);
    if (cap !== undefined) {
      if (!v.atEnd) v.fail('bad-capability-length', `${row.type}: ${v.remaining} unread byte(s)`);
      return cap;
    }
  }
  return { type: 'opaque', code, hex: toHex(raw) };
}

/** Writes one capability TLV. */
export function writeCapability(w: BufferWriter, cap: Capability): void {
  if (cap === null || typeof cap !== 'object') badInput('capability', `${JSON.stringify(cap)} is not an object`);
  const code = capabilityCode(cap);
  w.u8(code);
  w.lengthPrefixed(1, (x) => {
    if (cap.type === 'opaque') x.bytes(fromHex(cap.hex));
    else BY_TYPE.get(cap.type)!.encode(x, cap);
  });
}

/** The capabilities of one type in a list, in order (typed). */
export function capabilitiesOfType<T extends CapabilityType>(
  caps: readonly Capability[],
  type: T,
): Extract<Capability, { type: T }>[] {
  return caps.filter((c): c is Extract<Capability, { type: T }> => c.type === type);
}
