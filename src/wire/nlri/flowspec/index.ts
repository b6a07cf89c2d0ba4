/**
 * FlowSpec NLRI: IPv4 (RFC 8955, AFI 1 SAFI 133), IPv6 (RFC 8956, AFI 2 SAFI 133) and their VPN
 * forms (RFC 8955 §8 and RFC 8956 §2, SAFI 134: a route distinguisher before the components).
 * The MP_REACH_NLRI next hop is empty (RFC 8955 §4: a receiver ignores a non-empty one).
 *
 *   +-----------------------------------+
 *   | length (1 or 2 octets)            |   < 240: one octet; else 0xF000 | length (up to 4095)
 *   +-----------------------------------+
 *   | route distinguisher (8)           |   SAFI 134 only
 *   +-----------------------------------+
 *   | component: type (1) + encoding    |   at least one, types strictly increasing
 *   | ...                               |
 *   +-----------------------------------+
 *
 * Errors, decided from RFC 8955 §4.2 / §10 and RFC 7606 §5.3 (see docs/wire-json/flowspec.md):
 * - the length field itself (or a length running past the NLRI field) breaks the framing of the
 *   whole field: the error comes from the caller's reader, with the caller's policy (the one
 *   given to the MP_REACH/MP_UNREACH NLRI field: AFI/SAFI disable or session reset);
 * - anything wrong inside a well-framed NLRI (unknown component type, type 13 in IPv4, types out
 *   of order or repeated, no component, a list without end-of-list, a bad prefix length or
 *   offset, a short RD) is a malformed NLRI: 'treat-as-withdraw'. The caller's reader has then
 *   already moved past this NLRI, so the rest of the field can still be parsed.
 *   Codes: 'flowspec-unknown-component', 'flowspec-component-order', 'flowspec-empty',
 *   'flowspec-bad-offset', 'bad-prefix-length', 'truncated'.
 * Encoding refuses what would be malformed: 'flowspec-missing-rd' / 'flowspec-unexpected-rd',
 * 'flowspec-component-order', 'flowspec-unknown-component', 'flowspec-empty',
 * 'flowspec-empty-component', 'flowspec-bad-operator', 'flowspec-bad-fragment',
 * 'flowspec-bad-offset', 'bad-value-length', 'value-out-of-range' (also a body over 4095 octets).
 */
import { Afi, Safi } from '../../afi.js';
import type { IpVersion } from '../../ip.js';
import type { BufferReader } from '../../reader.js';
import { readRd, writeRd, type RouteDistinguisher } from '../../route-distinguisher.js';
import { BufferWriter } from '../../writer.js';
import type { NlriBase, NlriCodec } from '../codec.js';
import { readBitmaskItems, writeBitmaskItems } from './bitmask-component.js';
import { readNumericItems, writeNumericItems } from './numeric-component.js';
import { readPrefixComponent, writePrefixComponent } from './prefix-component.js';
import {
  componentByCode,
  componentByType,
  FLOWSPEC_BODY_POLICY,
  invalidFlowspec,
  isList,
  MAX_NLRI_LENGTH,
  type FlowspecBitmaskComponent,
  type FlowspecBitmaskType,
  type FlowspecComponent,
  type FlowspecNumericComponent,
  type FlowspecNumericType,
  type FlowspecPrefixComponent,
  type FlowspecPrefixType,
} from './types.js';

export type {
  BitmaskItem,
  FlowspecBitmaskComponent,
  FlowspecBitmaskType,
  FlowspecComponent,
  FlowspecComponentType,
  FlowspecNumericComponent,
  FlowspecNumericType,
  FlowspecPrefixComponent,
  FlowspecPrefixType,
  FlowspecValue,
  NumericItem,
  NumericOp,
  ValueLength,
} from './types.js';
export { COMPONENTS as FLOWSPEC_COMPONENTS } from './types.js';
export { flowspecRuleText } from './rule-text.js';

export interface FlowspecNlri extends NlriBase {
  kind: 'flowspec';
  /** SAFI 134 (VPN) only. */
  rd?: RouteDistinguisher;
  /** In strictly increasing type order, at least one. */
  components: FlowspecComponent[];
}

const TWO_OCTET_LENGTH = 240;

function readComponents(r: BufferReader, version: IpVersion): FlowspecComponent[] {
  const components: FlowspecComponent[] = [];
  let last = 0;
  while (!r.atEnd) {
    const code = r.u8();
    const d = componentByCode(code, version);
    if (d === undefined) r.fail('flowspec-unknown-component', `component type ${code} is not defined for IPv${version} (RFC 8955 §4.2: malformed)`);
    if (code <= last) r.fail('flowspec-component-order', `component type ${code} after type ${last}: types must strictly increase (RFC 8955 §4.2)`);
    last = code;
    switch (d.encoding) {
      case 'prefix':
        components.push(readPrefixComponent(r, d.type as FlowspecPrefixType, version));
        break;
      case 'numeric':
        components.push({ type: d.type as FlowspecNumericType, items: readNumericItems(r) });
        break;
      case 'bitmask':
        components.push({ type: d.type as FlowspecBitmaskType, items: readBitmaskItems(r, d.type as FlowspecBitmaskType, version) });
        break;
    }
  }
  if (components.length === 0) r.fail('flowspec-empty', 'no component (RFC 8955 §4.2: <[component]+>)');
  return components;
}

/** Decodes one FlowSpec NLRI (length field included) and advances r past it. */
export function decodeFlowspecNlri(r: BufferReader, version: IpVersion, vpn: boolean): FlowspecNlri {
  const first = r.u8();
  const length = first >= TWO_OCTET_LENGTH ? ((first & 0x0f) << 8) | r.u8() : first;
  const body = r.sub(length, FLOWSPEC_BODY_POLICY);
  if (vpn) {
    const rd = readRd(body);
    return { kind: 'flowspec', rd, components: readComponents(body, version) };
  }
  return { kind: 'flowspec', components: readComponents(body, version) };
}

function writeComponents(w: BufferWriter, components: readonly FlowspecComponent[], version: IpVersion): void {
  if (!isList(components) || components.length === 0) invalidFlowspec('flowspec-empty', 'an NLRI needs at least one component');
  let last = 0;
  for (const c of components) {
    const d = componentByType(c.type);
    if (d === undefined || !(version === 4 ? d.v4 : d.v6)) invalidFlowspec('flowspec-unknown-component', `component ${JSON.stringify(c.type)} does not exist in IPv${version}`);
    if (d.code <= last) invalidFlowspec('flowspec-component-order', `${c.type} (type ${d.code}) after type ${last}: components must be in strictly increasing type order`);
    last = d.code;
    switch (d.encoding) {
      case 'prefix':
        writePrefixComponent(w, d.code, c as FlowspecPrefixComponent, version);
        break;
      case 'numeric':
        w.u8(d.code);
        writeNumericItems(w, d.type as FlowspecNumericType, (c as FlowspecNumericComponent).items);
        break;
      case 'bitmask':
        w.u8(d.code);
        writeBitmaskItems(w, d.type as FlowspecBitmaskType, (c as FlowspecBitmaskComponent).items, version);
        break;
    }
  }
}

/** Encodes one FlowSpec NLRI, length field included (one octet below 240, else two). */
export function encodeFlowspecNlri(w: BufferWriter, nlri: FlowspecNlri, version: IpVersion, vpn: boolean): void {
  const body = new BufferWriter(64);
  if (vpn) {
    if (nlri.rd === undefined) invalidFlowspec('flowspec-missing-rd', 'a VPN FlowSpec NLRI (SAFI 134) needs an rd');
    writeRd(body, nlri.rd);
  } else if (nlri.rd !== undefined) {
    invalidFlowspec('flowspec-unexpected-rd', 'only VPN FlowSpec NLRI (SAFI 134) carry an rd');
  }
  writeComponents(body, nlri.components, version);
  const bytes = body.finish();
  if (bytes.length > MAX_NLRI_LENGTH) invalidFlowspec('value-out-of-range', `NLRI of ${bytes.length} octets exceeds ${MAX_NLRI_LENGTH}`);
  if (bytes.length < TWO_OCTET_LENGTH) w.u8(bytes.length);
  else w.u16(0xf000 | bytes.length);
  w.bytes(bytes);
}

function codec(afi: Afi, safi: Safi): NlriCodec<FlowspecNlri> {
  const version: IpVersion = afi === Afi.IPv4 ? 4 : 6;
  const vpn = safi === Safi.FlowSpecVpn;
  return {
    afi,
    safi,
    nextHop: 'none',
    decode: (r) => decodeFlowspecNlri(r, version, vpn),
    encode: (w, nlri) => encodeFlowspecNlri(w, nlri, version, vpn),
  };
}

export const flowspecIpv4Codec = codec(Afi.IPv4, Safi.FlowSpec);
export const flowspecIpv6Codec = codec(Afi.IPv6, Safi.FlowSpec);
export const flowspecVpnIpv4Codec = codec(Afi.IPv4, Safi.FlowSpecVpn);
export const flowspecVpnIpv6Codec = codec(Afi.IPv6, Safi.FlowSpecVpn);

/** (1,133), (2,133), (1,134), (2,134). */
export const flowspecCodecs: NlriCodec<FlowspecNlri>[] = [flowspecIpv4Codec, flowspecIpv6Codec, flowspecVpnIpv4Codec, flowspecVpnIpv6Codec];
