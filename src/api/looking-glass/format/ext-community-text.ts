/**
 * Extended communities as the original's looking glass shows them (its ExaBGP library's text,
 * spec looking-glass.md §3.2): `target:64512:1`, `encap:VXLAN`, `consistentHashSortOrder:3`,
 * `redirect:64512:7`…; a type ExaBGP does not name as `0x` and the 8 bytes in uppercase hex.
 * The extended-community attribute is one community alone, or `[ a b … ]` sorted by the
 * 8-byte encoding.
 */
import { encodeExtCommunity, type AdminSpecificEc, type ExtCommunity } from '../../../wire/ext-communities/index.js';

/** ExaBGP's names of RFC 9012 tunnel types (0: the original's "Default", never sent). */
const ENCAP_NAMES: Readonly<Record<string, string>> = {
  '0': 'Default',
  l2tpv3: 'L2TPv3',
  gre: 'GRE',
  'ip-in-ip': 'IP-in-IP',
  vxlan: 'VXLAN',
  nvgre: 'NVGRE',
  mpls: 'MPLS',
  'mpls-in-gre': 'MPLS-in-GRE',
  'vxlan-gpe': 'VXLAN-GPE',
  'mpls-in-udp': 'MPLS-in-UDP',
  geneve: 'GENEVE',
};

/** "admin:number"; the 4-octet-AS form with ExaBGP's "L" after the AS. */
function adminText(ec: AdminSpecificEc<string>): string {
  if (ec.form !== 2) return ec.value;
  const i = ec.value.lastIndexOf(':');
  return `${ec.value.slice(0, i)}L${ec.value.slice(i)}`;
}

function hexText(ec: ExtCommunity): string {
  return `0x${encodeExtCommunity(ec).toString('hex').toUpperCase()}`;
}

export function lgExtCommunityText(ec: ExtCommunity): string {
  switch (ec.type) {
    case 'route-target':
      return `target:${adminText(ec)}`;
    case 'rt-record':
      return `rtrecord:${adminText(ec)}`;
    case 'route-origin':
      return `origin:${adminText(ec)}`;
    case 'redirect-to-vrf':
      return `redirect:${adminText(ec)}`;
    case 'encapsulation': {
      const name = ENCAP_NAMES[String(ec.tunnelType)];
      return name !== undefined ? `encap:${name}` : `encap:UNKNOWN-${ec.tunnelType}`;
    }
    case 'consistent-hash-sort-order':
      return `consistentHashSortOrder:${ec.order}`;
    case 'mac-mobility':
      return `mac-mobility:${ec.sequence}${ec.sticky ? ':sticky' : ''}`;
    case 'traffic-rate-bytes':
      return ec.rate !== undefined ? `rate-limit:${Math.trunc(ec.rate)}` : hexText(ec);
    case 'traffic-action':
      return `action ${[...(ec.sample ? ['sample'] : []), ...(ec.terminal ? ['terminal'] : [])].join('-')}`;
    case 'traffic-marking':
      return `mark ${ec.dscp}`;
    case 'redirect-to-nexthop':
      return ec.copy ? 'copy-to-nexthop' : 'redirect-to-nexthop';
    case 'redirect-to-ip':
      return ec.copy ? `copy-to-nexthop-ietf ${ec.ip} (with copy)` : `redirect-to-nexthop-ietf ${ec.ip}`;
    default:
      return hexText(ec);
  }
}

/** The extended-community attribute's text: one alone, several as "[ a b ]" in encoding order. */
export function lgExtCommunitiesText(list: readonly ExtCommunity[]): string {
  if (list.length === 1) return lgExtCommunityText(list[0]!);
  if (list.length === 0) return '';
  const sorted = list.map((ec) => ({ ec, bytes: encodeExtCommunity(ec) })).sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  return `[ ${sorted.map((s) => lgExtCommunityText(s.ec)).join(' ')} ]`;
}
