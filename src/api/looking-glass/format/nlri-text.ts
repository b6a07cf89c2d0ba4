/**
 * The text of an NLRI as the original's looking glass shows it: the key of every route object
 * (spec looking-glass.md §3.1, ExaBGP's repr of the NLRI).
 *
 * | family          | text                                                                  |
 * |-----------------|-----------------------------------------------------------------------|
 * | VPN-IPv4/IPv6   | `10.0.0.1/32 label 17 next-hop 127.0.0.1 rd 127.0.0.1:0`              |
 * | E-VPN type 2    | `evpn:macadv::<rd>:<esi or ->:<etag>:<mac>/48:<ip>: label 93 (1500)`  |
 * | E-VPN type 3    | `evpn:multicast::<rd>:<etag>:<originator ip>`                         |
 * | RTC             | `rtc 64512:target:64512:1`, `rtc wildcard`                            |
 * | FlowSpec VPN    | `flow destination-ipv4 40.0.0.0/24 … rd 127.0.77.1:4`                 |
 *
 * E-VPN labels: the 24-bit field shifted right by 4, then the raw field (the VNI for VXLAN) in
 * parentheses (ExaBGP keeps the raw value of E-VPN labels only). Other route types and families
 * (which the original never had) get a text in the same spirit.
 */
import type { RouteEntry } from '../../../rib/route-entry.js';
import { Afi, familyName } from '../../../wire/afi.js';
import type { Label24 } from '../../../wire/label.js';
import { mplsLabel } from '../../../wire/label.js';
import { isKnownEvpn, type EvpnKnown } from '../../../wire/nlri/evpn/types.js';
import type { RtcNlri } from '../../../wire/nlri/rtc.js';
import type { RouteDistinguisher } from '../../../wire/route-distinguisher.js';
import { lgExtCommunityText } from './ext-community-text.js';
import { lgFlowRulesText } from './flowspec-text.js';

const ZERO_ESI = /^(00:){9}00$/;

/** RD text: `a.b.c.d:n`, `asn:n`, `asn4:n` (ExaBGP: no "L" suffix here). */
export function lgRdText(rd: RouteDistinguisher): string {
  if (rd.type > 2) return `${rd.type}:${rd.value}`;
  return rd.type === 2 ? rd.value.replace(/L:/i, ':') : rd.value;
}

/** " label 17", " label [ 16 17 ]" (ExaBGP's Labels). */
function mplsLabelsText(labels: readonly Label24[]): string {
  if (labels.length === 0) return '';
  if (labels.length === 1) return ` label ${mplsLabel(labels[0]!)}`;
  return ` label [ ${labels.map(mplsLabel).join(' ')} ]`;
}

/** E-VPN label field: "93 (1500)"; the raw value is left out when it is 0, as ExaBGP does. */
function evpnLabelText(raw: Label24): string {
  return `${raw >>> 4}${raw ? ` (${raw})` : ''}`;
}

function esiText(esi: string): string {
  return ZERO_ESI.test(esi) ? '-' : esi.toLowerCase();
}

function evpnText(n: EvpnKnown): string {
  const rd = lgRdText(n.rd);
  switch (n.routeType) {
    case 1:
      return `evpn:autodiscovery::${rd}:${esiText(n.esi)}:${n.ethernetTag}: label ${evpnLabelText(n.label)}`;
    case 2:
      // ExaBGP shows the first label only (Label2, RFC 7432 §7.2, is not in its text).
      return `evpn:macadv::${rd}:${esiText(n.esi)}:${n.ethernetTag}:${n.mac}/48:${n.ip ?? ''}: label ${evpnLabelText(n.labels[0] ?? (0 as Label24))}`;
    case 3:
      return `evpn:multicast::${rd}:${n.ethernetTag}:${n.originatorIp}`;
    case 4:
      return `evpn:segment::${rd}:${esiText(n.esi)}:${n.originatorIp}`;
    case 5:
      return `evpn:prefix::${rd}:${esiText(n.esi)}:${n.ethernetTag}:${n.prefix}:${n.gateway}: label ${evpnLabelText(n.label)}`;
  }
}

export function lgRtcText(n: RtcNlri): string {
  if (n.originAs === undefined) return 'rtc wildcard';
  if (n.routeTarget !== undefined) return `rtc ${n.originAs}:${lgExtCommunityText(n.routeTarget)}`;
  if (n.rtPrefix !== undefined) return `rtc ${n.originAs}:0x${n.rtPrefix.hex.toUpperCase()}/${n.rtPrefix.length}`;
  return `rtc ${n.originAs}`;
}

export function nlriText(r: RouteEntry): string {
  const n = r.nlri;
  switch (n.kind) {
    case 'vpn':
      return `${n.prefix}${mplsLabelsText(n.labels)}${r.nextHop !== undefined ? ` next-hop ${r.nextHop}` : ''} rd ${lgRdText(n.rd)}`;
    case 'evpn':
      return isKnownEvpn(n) ? evpnText(n) : `evpn:unknown-${n.routeType}::${n.data}`;
    case 'rtc':
      return lgRtcText(n);
    case 'flowspec':
      return `flow${lgFlowRulesText(n.components, r.afi === (Afi.IPv6 as number))}${n.rd !== undefined ? ` rd ${lgRdText(n.rd)}` : ''}`;
    case 'prefix':
      return `${n.prefix}${r.nextHop !== undefined ? ` next-hop ${r.nextHop}` : ''}`;
    default:
      return `${familyName(r.afi, r.safi)} ${r.key}`;
  }
}
