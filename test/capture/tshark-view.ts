/**
 * What tshark (Wireshark 4.0's BGP dissector) would show for a message, computed from OUR decoded
 * JSON: the same field names as the `tshark` object of the captured fixtures, with the values in
 * tshark's text form and wire order. The cross-check test (test/wire/captured.test.ts) compares the
 * two field by field, so a field here is a claim "our decoder and tshark agree on this".
 *
 * Mapping notes (tshark's conventions, checked against the captures):
 * - a 24-bit label field is shown either as a VNI (the raw value) when an Encapsulation community
 *   VXLAN/NVGRE/VXLAN-GPE came earlier in the message, or as an MPLS label (raw >>> 4);
 * - E-VPN RDs are shown as the 8 raw bytes, VPN RDs as "admin:number";
 * - FlowSpec numeric values go to dec_val_8/16/32 by value length, except DSCP (val_dsfield);
 *   TCP flags and fragment bitmasks to val_tcp.flags / val_frag, all in hex; tshark 4.0 shows no
 *   operator or value of the IPv6 flow label component, nor the RD and prefix of VPN-IPv6 NLRI.
 */
import {
  attributeCode,
  capabilityCode,
  communityValue,
  encodeExtCommunity,
  mplsLabel,
  parseFamilyName,
  WITHDRAW_LABEL,
  writeRd,
  BufferWriter,
  type BgpMessage,
  type Capability,
  type CodecContext,
  type ExtCommunity,
  type FlowspecComponent,
  type Label24,
  type Nlri,
  type PathAttribute,
  type RouteDistinguisher,
} from '../../src/wire/index.js';

export type Fields = Record<string, string[]>;

/** Field names (or prefixes ending in '.') this view produces; other tshark fields are not compared. */
export const COMPARED_FIELDS: readonly string[] = [
  'bgp.type',
  'bgp.length',
  'bgp.open.version',
  'bgp.open.myas',
  'bgp.open.holdtime',
  'bgp.open.identifier',
  'bgp.cap.type',
  'bgp.cap.mp.afi',
  'bgp.cap.mp.safi',
  'bgp.cap.4as',
  'bgp.cap.ap.afi',
  'bgp.cap.ap.safi',
  'bgp.cap.ap.sendreceive',
  'bgp.cap.gr.timers',
  'bgp.cap.gr.afi',
  'bgp.cap.gr.safi',
  'bgp.cap.gr.flag',
  'bgp.cap.orf.fqdn.hostname',
  'bgp.cap.orf.fqdn.domain_name',
  'bgp.cap.enh.afi',
  'bgp.cap.enh.safi',
  'bgp.cap.enh.nhafi',
  'bgp.notify.major_error',
  'bgp.notify.minor_error_cease',
  'bgp.notify.communication',
  'bgp.route_refresh.afi',
  'bgp.route_refresh.safi',
  'bgp.route_refresh.subtype',
  'bgp.update.path_attribute.type_code',
  'bgp.update.path_attribute.flags',
  'bgp.update.path_attribute.origin',
  'bgp.update.path_attribute.as_path_segment.type',
  'bgp.update.path_attribute.as_path_segment.length',
  'bgp.update.path_attribute.as_path_segment.as2',
  'bgp.update.path_attribute.as_path_segment.as4',
  'bgp.update.path_attribute.next_hop',
  'bgp.update.path_attribute.multi_exit_disc',
  'bgp.update.path_attribute.local_pref',
  'bgp.update.path_attribute.aggregator_as',
  'bgp.update.path_attribute.aggregator_origin',
  'bgp.update.path_attribute.community_as',
  'bgp.update.path_attribute.community_value',
  'bgp.update.path_attribute.community_wellknown',
  'bgp.update.path_attribute.originator_id',
  'bgp.path_attribute.cluster_id',
  'bgp.large_communities.ga',
  'bgp.large_communities.ldp1',
  'bgp.large_communities.ldp2',
  'bgp.update.path_attribute.mp_reach_nlri.afi',
  'bgp.update.path_attribute.mp_reach_nlri.safi',
  'bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4',
  'bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6',
  'bgp.update.path_attribute.mp_reach_nlri.next_hop.rd',
  'bgp.update.path_attribute.mp_unreach_nlri.afi',
  'bgp.update.path_attribute.mp_unreach_nlri.safi',
  'bgp.update.path_attribute.pmsi.tunnel.flags',
  'bgp.update.path_attribute.pmsi.tunnel.type',
  'bgp.update.path_attribute.pmsi.ingress_rep_ip',
  'bgp.update.path_attribute.mpls_label_value',
  'bgp.update.path_attribute.mpls_label_value_20bits',
  'bgp.update.path_attribute.mpls_bottom_stack',
  'bgp.ext_com.type',
  'bgp.ext_com.value_as2',
  'bgp.ext_com.value_an4',
  'bgp.ext_com.value_IP4',
  'bgp.ext_com.value_an2',
  'bgp.ext_com.value_as4',
  'bgp.ext_com.tunnel_type',
  'bgp.ext_com_evpn.esi.router_mac',
  'bgp.ext_com_evpn.esi.rt',
  'bgp.ext_com_l2.esi_label_flag',
  'bgp.ext_com_flow.rate_limit',
  'bgp.ext_com_flow.sample',
  'bgp.ext_com_flow.traff_act',
  'bgp.ext_com.value_fs_dscp',
  'bgp.nlri_path_id',
  'bgp.prefix_length',
  'bgp.nlri_prefix',
  'bgp.withdrawn_prefix',
  'bgp.rd',
  'bgp.label_stack',
  'bgp.mp_reach_nlri_ipv4_prefix',
  'bgp.mp_reach_nlri_ipv6_prefix',
  'bgp.mp_unreach_nlri_ipv4_prefix',
  'bgp.mp_unreach_nlri_ipv6_prefix',
  'bgp.originating_as',
  'bgp.community_prefix',
  'bgp.evpn.nlri.rt',
  'bgp.evpn.nlri.rd',
  'bgp.evpn.nlri.esi',
  'bgp.evpn.nlri.etag',
  'bgp.evpn.nlri.mac_addr',
  'bgp.evpn.nlri.ip.addr',
  'bgp.evpn.nlri.ipv6.addr',
  'bgp.evpn.nlri.prefix_len',
  'bgp.evpn.nlri.ipv4.gtw_addr',
  'bgp.evpn.nlri.ipv6.gtw_addr',
  'bgp.evpn.nlri.mpls_ls1',
  'bgp.evpn.nlri.mpls_ls2',
  'bgp.evpn.nlri.vni',
  'bgp.flowspec_nlri.filter_type',
  'bgp.flowspec_nlri.dst_prefix_filter',
  'bgp.flowspec_nlri.src_prefix_filter',
  'bgp.flowspec_nlri.dst_ipv6_pref',
  'bgp.flowspec_nlri.src_ipv6_pref',
  'bgp.flowspec_nlri.ipv6_pref_length',
  'bgp.flowspec_nlri.ipv6_pref_offset',
  'bgp.flowspec_nlri.opflags',
  'bgp.flowspec_nlri.dec_val_8',
  'bgp.flowspec_nlri.dec_val_16',
  'bgp.flowspec_nlri.dec_val_32',
  'bgp.flowspec_nlri.val_dsfield',
  'bgp.flowspec_nlri.val_tcp.flags',
  'bgp.flowspec_nlri.val_frag',
  'bgp.flowspec_route_distinguisher_type',
];

const hex = (n: number, digits: number): string => `0x${n.toString(16).padStart(digits, '0')}`;
const ORIGINS: Record<string, number> = { igp: 0, egp: 1, incomplete: 2 };
const SEGMENT_TYPES: Record<string, number> = { 'as-set': 1, 'as-sequence': 2, 'as-confed-sequence': 3, 'as-confed-set': 4 };
const ADD_PATH_MODES: Record<string, number> = { receive: 1, send: 2, both: 3 };
const PMSI_TYPES: Record<string, number> = { 'no-tunnel-info': 0, 'ingress-replication': 6 };
const SUBTYPES: Record<string, number> = { normal: 0, borr: 1, eorr: 2 };
const VXLAN_LIKE = new Set<string | number>(['vxlan', 'nvgre', 'vxlan-gpe', 8, 9, 12]);
const OPS: Record<string, number> = { false: 0, '==': 1, '>': 2, '>=': 3, '<': 4, '<=': 5, '!=': 6, true: 7 };
const LENGTH_CODE: Record<number, number> = { 1: 0, 2: 1, 4: 2, 8: 3 };

class View {
  readonly f: Fields = {};
  /** An Encapsulation community VXLAN/NVGRE was seen: tshark then reads label fields as VNIs. */
  vxlan = false;
  add(name: string, value: string | number | boolean): void {
    (this.f[name] ??= []).push(typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
}

function family(name: string): { afi: number; safi: number } {
  const f = parseFamilyName(name);
  if (!f) throw new Error(`unknown family ${name}`);
  return f;
}

function capabilities(v: View, caps: Capability[]): void {
  for (const c of caps) v.add('bgp.cap.type', capabilityCode(c));
  for (const c of caps) {
    switch (c.type) {
      case 'multiprotocol': {
        const { afi, safi } = family(c.family);
        v.add('bgp.cap.mp.afi', afi);
        v.add('bgp.cap.mp.safi', safi);
        break;
      }
      case 'four-octet-as':
        v.add('bgp.cap.4as', c.as);
        break;
      case 'add-path':
        for (const e of c.families) {
          const { afi, safi } = family(e.family);
          v.add('bgp.cap.ap.afi', afi);
          v.add('bgp.cap.ap.safi', safi);
          v.add('bgp.cap.ap.sendreceive', ADD_PATH_MODES[e.mode]!);
        }
        break;
      case 'graceful-restart':
        v.add('bgp.cap.gr.timers', hex(((c.restarting ? 8 : 0) | (c.notification ? 4 : 0) | (c.reservedFlags ?? 0)) * 0x1000 + c.time, 4));
        for (const e of c.families) {
          const { afi, safi } = family(e.family);
          v.add('bgp.cap.gr.afi', afi);
          v.add('bgp.cap.gr.safi', safi);
          v.add('bgp.cap.gr.flag', hex((e.forwarding ? 0x80 : 0) | (e.reservedFlags ?? 0), 2));
        }
        break;
      case 'fqdn':
        v.add('bgp.cap.orf.fqdn.hostname', c.hostname);
        v.add('bgp.cap.orf.fqdn.domain_name', c.domain);
        break;
      case 'extended-next-hop':
        for (const e of c.entries) {
          const { afi, safi } = family(e.family);
          v.add('bgp.cap.enh.afi', afi);
          v.add('bgp.cap.enh.safi', safi);
          v.add('bgp.cap.enh.nhafi', family(`${e.nextHop}/unicast`).afi);
        }
        break;
      default:
        break;
    }
  }
}

function rdBytes(rd: RouteDistinguisher): string {
  const w = new BufferWriter(8);
  writeRd(w, rd);
  return [...w.finish()].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** The E-VPN / PMSI label as tshark shows it: the VNI, or the 20-bit MPLS label. */
function label(v: View, raw: Label24, mplsField: string): void {
  if (v.vxlan) v.add('bgp.evpn.nlri.vni', raw);
  else v.add(mplsField, mplsLabel(raw));
}

function extCommunities(v: View, list: ExtCommunity[]): void {
  for (const ec of list) {
    const bytes = encodeExtCommunity(ec);
    const type = bytes[0]!;
    v.add('bgp.ext_com.type', hex(type, 2));
    switch (ec.type) {
      case 'route-target':
      case 'route-origin':
      case 'rt-record':
      case 'redirect-to-vrf': {
        const [admin, num] = [ec.value.slice(0, ec.value.lastIndexOf(':')), ec.value.slice(ec.value.lastIndexOf(':') + 1)];
        if (ec.form === 0) {
          v.add('bgp.ext_com.value_as2', admin);
          v.add('bgp.ext_com.value_an4', num);
        } else if (ec.form === 1) {
          v.add('bgp.ext_com.value_IP4', admin);
          v.add('bgp.ext_com.value_an2', num);
        } else {
          v.add('bgp.ext_com.value_as4', admin);
          v.add('bgp.ext_com.value_an2', num);
        }
        break;
      }
      case 'encapsulation':
        v.add('bgp.ext_com.tunnel_type', bytes.readUInt16BE(6));
        if (VXLAN_LIKE.has(ec.tunnelType)) v.vxlan = true;
        break;
      case 'router-mac':
        v.add('bgp.ext_com_evpn.esi.router_mac', ec.mac);
        break;
      case 'es-import-route-target':
        v.add('bgp.ext_com_evpn.esi.rt', ec.mac);
        break;
      case 'esi-label':
        v.add('bgp.ext_com_l2.esi_label_flag', ec.singleActive ? 1 : 0);
        v.add('bgp.update.path_attribute.mpls_label_value', ec.label);
        v.add('bgp.update.path_attribute.mpls_label_value_20bits', mplsLabel(ec.label));
        v.add('bgp.update.path_attribute.mpls_bottom_stack', ec.label & 1);
        break;
      case 'traffic-rate-bytes':
        v.add('bgp.ext_com.value_as2', ec.id);
        if (ec.rate !== undefined) v.add('bgp.ext_com_flow.rate_limit', ec.rate);
        break;
      case 'traffic-action':
        v.add('bgp.ext_com_flow.sample', ec.sample);
        v.add('bgp.ext_com_flow.traff_act', ec.terminal);
        break;
      case 'traffic-marking':
        v.add('bgp.ext_com.value_fs_dscp', hex(ec.dscp, 2));
        break;
      default:
        break;
    }
  }
}

function flowspec(v: View, components: FlowspecComponent[], ipv6: boolean): void {
  for (const c of components) {
    const code = FLOWSPEC_CODES[c.type];
    v.add('bgp.flowspec_nlri.filter_type', code);
    if ('prefix' in c) {
      const [addr, len] = c.prefix.split('/');
      const dst = c.type === 'destination-prefix';
      if (ipv6) {
        v.add('bgp.flowspec_nlri.ipv6_pref_length', len!);
        v.add('bgp.flowspec_nlri.ipv6_pref_offset', c.offset ?? 0);
        v.add(dst ? 'bgp.flowspec_nlri.dst_ipv6_pref' : 'bgp.flowspec_nlri.src_ipv6_pref', addr!);
      } else {
        v.add('bgp.prefix_length', len!);
        v.add(dst ? 'bgp.flowspec_nlri.dst_prefix_filter' : 'bgp.flowspec_nlri.src_prefix_filter', addr!);
      }
      continue;
    }
    if (c.type === 'flow-label') continue; // tshark 4.0 shows no operator or value for it
    c.items.forEach((item, i) => {
      const length = item.length ?? 1;
      const last = i === c.items.length - 1 ? 0x80 : 0;
      const and = item.and ? 0x40 : 0;
      const op = 'op' in item ? OPS[item.op]! : (item.not ? 2 : 0) | (item.match ? 1 : 0);
      v.add('bgp.flowspec_nlri.opflags', hex(last | and | (LENGTH_CODE[length]! << 4) | op, 2));
      const value = Number(item.value);
      if (c.type === 'tcp-flags') v.add('bgp.flowspec_nlri.val_tcp.flags', hex(value, 2 * length));
      else if (c.type === 'fragment') v.add('bgp.flowspec_nlri.val_frag', hex(value, 2));
      else if (c.type === 'dscp') v.add('bgp.flowspec_nlri.val_dsfield', hex(value, 2));
      else v.add(`bgp.flowspec_nlri.dec_val_${length * 8}`, value);
    });
  }
}

const FLOWSPEC_CODES: Record<FlowspecComponent['type'], number> = {
  'destination-prefix': 1,
  'source-prefix': 2,
  'ip-protocol': 3,
  port: 4,
  'destination-port': 5,
  'source-port': 6,
  'icmp-type': 7,
  'icmp-code': 8,
  'tcp-flags': 9,
  'packet-length': 10,
  dscp: 11,
  fragment: 12,
  'flow-label': 13,
};

function nlri(v: View, list: Nlri[], reach: boolean, classic?: 'nlri' | 'withdrawn'): void {
  for (const n of list) {
    if (n.pathId !== undefined) v.add('bgp.nlri_path_id', n.pathId);
    switch (n.kind) {
      case 'prefix': {
        const [addr, len] = n.prefix.split('/');
        v.add('bgp.prefix_length', len!);
        const v6 = addr!.includes(':') ? 'ipv6' : 'ipv4';
        if (classic === 'nlri') v.add('bgp.nlri_prefix', addr!);
        else if (classic === 'withdrawn') v.add('bgp.withdrawn_prefix', addr!);
        else v.add(`bgp.mp_${reach ? '' : 'un'}reach_nlri_${v6}_prefix`, addr!);
        break;
      }
      case 'vpn': {
        const [addr, len] = n.prefix.split('/');
        // tshark: "100 (bottom)", "401,402 (bottom)"; a withdrawal label (0 or 0x800000) "0 (withdrawn)"
        const last = n.labels[n.labels.length - 1]!;
        const end = last === 0 || last === WITHDRAW_LABEL ? 'withdrawn' : 'bottom';
        v.add('bgp.label_stack', `${n.labels.map((l) => mplsLabel(l)).join(',')} (${end})`);
        if (addr!.includes(':')) break; // tshark 4.0 shows VPN-IPv6 RD and prefix as text only
        v.add('bgp.prefix_length', 24 * n.labels.length + 64 + Number(len));
        v.add('bgp.rd', n.rd.value);
        v.add(`bgp.mp_${reach ? '' : 'un'}reach_nlri_ipv4_prefix`, addr!);
        break;
      }
      case 'rtc':
        v.add('bgp.prefix_length', n.originAs === undefined ? 0 : n.routeTarget ? 96 : n.rtPrefix ? 32 + n.rtPrefix.length : 32);
        if (n.originAs !== undefined) v.add('bgp.originating_as', n.originAs);
        if (n.routeTarget && 'value' in n.routeTarget) v.add('bgp.community_prefix', n.routeTarget.value);
        break;
      case 'evpn':
        v.add('bgp.evpn.nlri.rt', n.routeType);
        if (!('rd' in n)) break;
        v.add('bgp.evpn.nlri.rd', rdBytes(n.rd));
        if ('esi' in n) v.add('bgp.evpn.nlri.esi', n.esi);
        if ('ethernetTag' in n) v.add('bgp.evpn.nlri.etag', n.ethernetTag);
        if ('mac' in n) v.add('bgp.evpn.nlri.mac_addr', n.mac);
        if (n.routeType === 1) label(v, n.label, 'bgp.evpn.nlri.mpls_ls1');
        if (n.routeType === 2) {
          if (n.ip !== undefined) v.add(n.ip.includes(':') ? 'bgp.evpn.nlri.ipv6.addr' : 'bgp.evpn.nlri.ip.addr', n.ip);
          n.labels.forEach((l, i) => label(v, l, `bgp.evpn.nlri.mpls_ls${i + 1}`));
        }
        if (n.routeType === 3 || n.routeType === 4) {
          v.add(n.originatorIp.includes(':') ? 'bgp.evpn.nlri.ipv6.addr' : 'bgp.evpn.nlri.ip.addr', n.originatorIp);
        }
        if (n.routeType === 5) {
          const [addr, len] = n.prefix.split('/');
          const six = addr!.includes(':');
          v.add('bgp.evpn.nlri.prefix_len', len!);
          v.add(six ? 'bgp.evpn.nlri.ipv6.addr' : 'bgp.evpn.nlri.ip.addr', addr!);
          v.add(six ? 'bgp.evpn.nlri.ipv6.gtw_addr' : 'bgp.evpn.nlri.ipv4.gtw_addr', n.gateway);
          v.add('bgp.update.path_attribute.mpls_label_value', n.label);
        }
        break;
      case 'flowspec':
        if (n.rd) v.add('bgp.flowspec_route_distinguisher_type', n.rd.type);
        flowspec(v, n.components, n.components.some((c) => 'prefix' in c && c.prefix.includes(':')));
        break;
      default:
        break;
    }
  }
}

function attributes(v: View, attrs: PathAttribute[], ctx: CodecContext): void {
  for (const a of attrs) {
    v.add('bgp.update.path_attribute.type_code', attributeCode(a));
    v.add('bgp.update.path_attribute.flags', hex(a.flags ?? 0, 2));
  }
  for (const a of attrs) {
    switch (a.type) {
      case 'origin':
        v.add('bgp.update.path_attribute.origin', ORIGINS[a.value]!);
        break;
      case 'as-path':
      case 'as4-path':
        for (const s of a.segments) {
          v.add('bgp.update.path_attribute.as_path_segment.type', SEGMENT_TYPES[s.type]!);
          v.add('bgp.update.path_attribute.as_path_segment.length', s.asns.length);
          const field = a.type === 'as4-path' || ctx.as4 ? 'as4' : 'as2';
          for (const asn of s.asns) v.add(`bgp.update.path_attribute.as_path_segment.${field}`, asn);
        }
        break;
      case 'next-hop':
        v.add('bgp.update.path_attribute.next_hop', a.value);
        break;
      case 'med':
        v.add('bgp.update.path_attribute.multi_exit_disc', a.value);
        break;
      case 'local-pref':
        v.add('bgp.update.path_attribute.local_pref', a.value);
        break;
      case 'aggregator':
      case 'as4-aggregator':
        v.add('bgp.update.path_attribute.aggregator_as', a.asn);
        v.add('bgp.update.path_attribute.aggregator_origin', a.address);
        break;
      case 'communities':
        for (const c of a.communities) {
          const m = /^(\d+):(\d+)$/.exec(c);
          if (m) {
            v.add('bgp.update.path_attribute.community_as', m[1]!);
            v.add('bgp.update.path_attribute.community_value', m[2]!);
          } else v.add('bgp.update.path_attribute.community_wellknown', hex(communityValue(c), 8));
        }
        break;
      case 'originator-id':
        v.add('bgp.update.path_attribute.originator_id', a.value);
        break;
      case 'cluster-list':
        for (const id of a.clusterIds) v.add('bgp.path_attribute.cluster_id', id);
        break;
      case 'large-communities':
        for (const c of a.communities) {
          const [g, l1, l2] = c.split(':');
          v.add('bgp.large_communities.ga', g!);
          v.add('bgp.large_communities.ldp1', l1!);
          v.add('bgp.large_communities.ldp2', l2!);
        }
        break;
      case 'ext-communities':
        extCommunities(v, a.communities);
        break;
      case 'pmsi-tunnel':
        v.add('bgp.update.path_attribute.pmsi.tunnel.flags', a.tunnelFlags);
        v.add('bgp.update.path_attribute.pmsi.tunnel.type', typeof a.tunnelType === 'number' ? a.tunnelType : PMSI_TYPES[a.tunnelType]!);
        if (v.vxlan) v.add('bgp.evpn.nlri.vni', a.label);
        if (a.tunnelId.kind === 'address') v.add('bgp.update.path_attribute.pmsi.ingress_rep_ip', a.tunnelId.address);
        break;
      case 'mp-reach': {
        v.add('bgp.update.path_attribute.mp_reach_nlri.afi', a.afi);
        v.add('bgp.update.path_attribute.mp_reach_nlri.safi', a.safi);
        for (const nh of a.nextHop) {
          if (a.safi === 128) v.add('bgp.update.path_attribute.mp_reach_nlri.next_hop.rd', '0:0');
          v.add(`bgp.update.path_attribute.mp_reach_nlri.next_hop.${nh.includes(':') ? 'ipv6' : 'ipv4'}`, nh);
        }
        nlri(v, a.nlri, true);
        break;
      }
      case 'mp-unreach':
        v.add('bgp.update.path_attribute.mp_unreach_nlri.afi', a.afi);
        v.add('bgp.update.path_attribute.mp_unreach_nlri.safi', a.safi);
        nlri(v, a.nlri, false);
        break;
      default:
        break;
    }
  }
}

/**
 * The sub-types of every extended community of the message, sorted ("0x02"...): tshark spreads
 * them over one field per type family (stype_tr_as2, stype_tr_exp...), so they compare as a set.
 */
export function extCommunitySubtypes(msg: BgpMessage): string[] {
  if (msg.type !== 'update') return [];
  const out: string[] = [];
  for (const a of msg.attributes) {
    if (a.type === 'ext-communities') for (const ec of a.communities) out.push(hex(encodeExtCommunity(ec)[1]!, 2));
  }
  return out.sort();
}

/** Our decoded message, seen with tshark's field names. */
export function tsharkView(msg: BgpMessage, ctx: CodecContext, frameLength: number): Fields {
  const v = new View();
  v.add('bgp.length', frameLength);
  const TYPES = { open: 1, update: 2, notification: 3, keepalive: 4, 'route-refresh': 5 } as const;
  v.add('bgp.type', TYPES[msg.type]);
  switch (msg.type) {
    case 'open':
      v.add('bgp.open.version', msg.version);
      v.add('bgp.open.myas', msg.myAs);
      v.add('bgp.open.holdtime', msg.holdTime);
      v.add('bgp.open.identifier', msg.bgpId);
      capabilities(v, msg.capabilities);
      break;
    case 'update':
      nlri(v, msg.withdrawn, false, 'withdrawn');
      attributes(v, msg.attributes, ctx);
      nlri(v, msg.nlri, true, 'nlri');
      break;
    case 'notification':
      v.add('bgp.notify.major_error', msg.code);
      if (msg.code === 6) v.add('bgp.notify.minor_error_cease', msg.subcode);
      if (msg.communication !== undefined) v.add('bgp.notify.communication', msg.communication);
      break;
    case 'route-refresh': {
      const { afi, safi } = family(msg.family);
      v.add('bgp.route_refresh.afi', afi);
      v.add('bgp.route_refresh.safi', safi);
      v.add('bgp.route_refresh.subtype', typeof msg.subtype === 'number' ? msg.subtype : SUBTYPES[msg.subtype]!);
      break;
    }
    case 'keepalive':
      break;
  }
  return v.f;
}
