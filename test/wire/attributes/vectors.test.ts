/**
 * Byte vectors per attribute: each drives decode (hex → JSON) and encode (JSON → hex). Flags are
 * part of the JSON, so variants (extended length, Partial, low bits) round-trip exactly.
 */
import { decodeAttribute, encodeAttribute, type PathAttribute } from '../../../src/wire/attributes/index.js';
import { DEFAULT_CONTEXT, PLAIN_CONTEXT, type CodecContext } from '../../../src/wire/context.js';
import { vectorTests, type Vector } from '../../helpers/vectors.js';

function suite(name: string, ctx: CodecContext, vectors: Vector<PathAttribute>[]): void {
  vectorTests(
    name,
    vectors,
    (b) => decodeAttribute(b, ctx),
    (j) => encodeAttribute(j, ctx),
  );
}

// Context-independent attributes, and 4-octet AS sessions (the default context).
suite('attribute', DEFAULT_CONTEXT, [
  { name: 'ORIGIN igp', source: 'bagpipe', hex: '40 01 01 00', json: { type: 'origin', flags: 0x40, value: 'igp' } },
  { name: 'ORIGIN incomplete', source: 'hand', hex: '40 01 01 02', json: { type: 'origin', flags: 0x40, value: 'incomplete' } },
  { name: 'ORIGIN egp, extended length', source: 'hand', hex: '50 01 0001 01', json: { type: 'origin', flags: 0x50, value: 'egp' } },
  { name: 'AS_PATH empty (iBGP)', source: 'bagpipe', hex: '40 02 00', json: { type: 'as-path', flags: 0x40, segments: [] } },
  {
    name: 'AS_PATH 4-octet sequence',
    source: 'hand',
    hex: '40 02 0a 02 02 0000fde8 fa56ea00',
    json: { type: 'as-path', flags: 0x40, segments: [{ type: 'as-sequence', asns: [65000, 4200000000] }] },
  },
  {
    name: 'AS_PATH 4-octet, extended length, all segment types',
    source: 'hand',
    hex: '50 02 001c 02 01 0000fde8 01 02 00000001 00000002 03 01 00000003 04 01 00000004',
    json: {
      type: 'as-path',
      flags: 0x50,
      segments: [
        { type: 'as-sequence', asns: [65000] },
        { type: 'as-set', asns: [1, 2] },
        { type: 'as-confed-sequence', asns: [3] },
        { type: 'as-confed-set', asns: [4] },
      ],
    },
  },
  { name: 'NEXT_HOP', source: 'hand', hex: '40 03 04 c0000201', json: { type: 'next-hop', flags: 0x40, value: '192.0.2.1' } },
  { name: 'MULTI_EXIT_DISC', source: 'hand', hex: '80 04 04 00000064', json: { type: 'med', flags: 0x80, value: 100 } },
  { name: 'MULTI_EXIT_DISC max', source: 'hand', hex: '80 04 04 ffffffff', json: { type: 'med', flags: 0x80, value: 4294967295 } },
  { name: 'LOCAL_PREF 100', source: 'bagpipe', hex: '40 05 04 00000064', json: { type: 'local-pref', flags: 0x40, value: 100 } },
  { name: 'LOCAL_PREF, extended length', source: 'hand', hex: '50 05 0004 000000c8', json: { type: 'local-pref', flags: 0x50, value: 200 } },
  { name: 'ATOMIC_AGGREGATE', source: 'hand', hex: '40 06 00', json: { type: 'atomic-aggregate', flags: 0x40 } },
  {
    name: 'AGGREGATOR 4-octet AS',
    source: 'hand',
    hex: 'c0 07 08 fa56ea00 c0000201',
    json: { type: 'aggregator', flags: 0xc0, asn: 4200000000, address: '192.0.2.1' },
  },
  {
    name: 'COMMUNITIES with well-known names',
    source: 'hand',
    hex: 'c0 08 14 fde80064 ffffff01 ffffff02 ffffff03 ffff029a',
    json: { type: 'communities', flags: 0xc0, communities: ['65000:100', 'no-export', 'no-advertise', 'no-export-subconfed', 'blackhole'] },
  },
  {
    name: 'COMMUNITIES, Partial bit',
    source: 'hand',
    hex: 'e0 08 08 ffff0000 0001ffff',
    json: { type: 'communities', flags: 0xe0, communities: ['graceful-shutdown', '1:65535'] },
  },
  { name: 'ORIGINATOR_ID', source: 'hand', hex: '80 09 04 0a000001', json: { type: 'originator-id', flags: 0x80, value: '10.0.0.1' } },
  {
    name: 'CLUSTER_LIST',
    source: 'hand',
    hex: '80 0a 08 0a000001 0a000002',
    json: { type: 'cluster-list', flags: 0x80, clusterIds: ['10.0.0.1', '10.0.0.2'] },
  },
  {
    name: 'EXTENDED_COMMUNITIES encapsulation MPLS + RT',
    source: 'bagpipe',
    hex: 'c0 10 10 030c00000000000a 0002fc0000000001',
    json: {
      type: 'ext-communities',
      flags: 0xc0,
      communities: [
        { type: 'encapsulation', tunnelType: 'mpls' },
        { type: 'route-target', form: 0, value: '64512:1' },
      ],
    },
  },
  {
    name: 'PMSI_TUNNEL ingress replication IPv4, VNI 5000',
    source: 'bagpipe',
    hex: 'c0 16 09 00 06 001388 7f004d01',
    json: { type: 'pmsi-tunnel', flags: 0xc0, tunnelFlags: 0, tunnelType: 'ingress-replication', label: 5000, tunnelId: { kind: 'address', address: '127.0.77.1' } } as PathAttribute,
  },
  {
    name: 'PMSI_TUNNEL ingress replication IPv6, MPLS label 16 + BoS',
    source: 'hand',
    hex: 'c0 16 15 00 06 000101 20010db8000000000000000000000001',
    json: { type: 'pmsi-tunnel', flags: 0xc0, tunnelFlags: 0, tunnelType: 'ingress-replication', label: 0x101, tunnelId: { kind: 'address', address: '2001:db8::1' } } as PathAttribute,
  },
  {
    name: 'PMSI_TUNNEL mLDP P2MP, leaf info required, opaque id',
    source: 'hand',
    hex: 'c0 16 0b 01 02 000000 0102030405 06',
    json: { type: 'pmsi-tunnel', flags: 0xc0, tunnelFlags: 1, tunnelType: 'mldp-p2mp', label: 0, tunnelId: { kind: 'opaque', hex: '010203040506' } } as PathAttribute,
  },
  {
    name: 'PMSI_TUNNEL unknown type, no id',
    source: 'hand',
    hex: 'c0 16 05 00 c8 000010',
    json: { type: 'pmsi-tunnel', flags: 0xc0, tunnelFlags: 0, tunnelType: 200, label: 16, tunnelId: { kind: 'opaque', hex: '' } } as PathAttribute,
  },
  {
    name: 'LARGE_COMMUNITY',
    source: 'hand',
    hex: 'c0 20 18 0000fde8 00000001 00000002 ffffffff 00000000 ffffffff',
    json: { type: 'large-communities', flags: 0xc0, communities: ['65000:1:2', '4294967295:0:4294967295'] },
  },
  {
    name: 'MP_REACH_NLRI RTC (bagpipe)',
    source: 'bagpipe',
    hex: '80 0e 16 0001 84 04 7f004d01 00 60 0000fc00 0002fc0000000001',
    json: {
      type: 'mp-reach',
      flags: 0x80,
      afi: 1,
      safi: 132,
      nextHop: ['127.0.77.1'],
      nlri: [{ kind: 'rtc', originAs: 64512, routeTarget: { type: 'route-target', form: 0, value: '64512:1' } }],
    },
  },
  {
    name: 'MP_REACH_NLRI VPN-IPv4, next hop with zero RD (bagpipe)',
    source: 'bagpipe',
    hex: '80 0e 21 0001 80 0c 0000000000000000 7f004d01 00 78 000111 0001 7f004d01 0000 0a000001',
    json: {
      type: 'mp-reach',
      flags: 0x80,
      afi: 1,
      safi: 128,
      nextHop: ['127.0.77.1'],
      nlri: [{ kind: 'vpn', labels: [0x111], rd: { type: 1, value: '127.0.77.1:0' }, prefix: '10.0.0.1/32' }],
    } as PathAttribute,
  },
  {
    name: 'MP_REACH_NLRI VPN-IPv4, non-zero next hop RD kept, extended length',
    source: 'hand',
    hex: '90 0e 0011 0001 80 0c 0000fde800000001 c0000201 00',
    json: { type: 'mp-reach', flags: 0x90, afi: 1, safi: 128, nextHop: ['192.0.2.1'], nextHopRds: ['0000fde800000001'], nlri: [] },
  },
  {
    name: 'MP_REACH_NLRI IPv6 unicast, global + link-local next hop',
    source: 'hand',
    hex: '80 0e 2e 0002 01 20 20010db8000000000000000000000001 fe800000000000000000000000000001 00 40 20010db800000000',
    json: {
      type: 'mp-reach',
      flags: 0x80,
      afi: 2,
      safi: 1,
      nextHop: ['2001:db8::1', 'fe80::1'],
      nlri: [{ kind: 'prefix', prefix: '2001:db8::/64' }],
    },
  },
  {
    name: 'MP_REACH_NLRI VPN-IPv6, next hop RD + IPv6, reserved octet kept',
    source: 'hand',
    hex: '80 0e 1d 0002 80 18 0000000000000000 20010db8000000000000000000000001 07',
    json: { type: 'mp-reach', flags: 0x80, afi: 2, safi: 128, nextHop: ['2001:db8::1'], reserved: 7, nlri: [] },
  },
  {
    name: 'MP_REACH_NLRI FlowSpec with a 4-byte next hop (redirect-to-IP drafts)',
    source: 'hand',
    hex: '80 0e 09 0001 85 04 c0000201 00',
    json: { type: 'mp-reach', flags: 0x80, afi: 1, safi: 133, nextHop: ['192.0.2.1'], nlri: [] },
  },
  {
    name: 'MP_REACH_NLRI family without codec: odd next hop as hex, NLRI opaque',
    source: 'hand',
    hex: '80 0e 10 4004 47 03 0a0b0c 00 0003000401020304',
    json: { type: 'mp-reach', flags: 0x80, afi: 16388, safi: 71, nextHop: [], nextHopHex: '0a0b0c', nlri: [{ kind: 'opaque', data: '0003000401020304' }] },
  },
  {
    name: 'MP_UNREACH_NLRI E-VPN MAC/IP (bagpipe withdraw)',
    source: 'bagpipe',
    hex: '80 0f 2a 0019 46 02 25 0001 7f004d01 0002 00000000000000000000 00000000 30 525400000002 20 0a000102 001388',
    json: {
      type: 'mp-unreach',
      flags: 0x80,
      afi: 25,
      safi: 70,
      nlri: [
        {
          kind: 'evpn',
          routeType: 2,
          rd: { type: 1, value: '127.0.77.1:2' },
          esi: '00:00:00:00:00:00:00:00:00:00',
          ethernetTag: 0,
          mac: '52:54:00:00:00:02',
          ip: '10.0.1.2',
          labels: [5000],
        },
      ],
    } as PathAttribute,
  },
  { name: 'MP_UNREACH_NLRI End-of-RIB VPN-IPv4', source: 'hand', hex: '80 0f 03 0001 80', json: { type: 'mp-unreach', flags: 0x80, afi: 1, safi: 128, nlri: [] } },
  { name: 'unknown optional transitive', source: 'hand', hex: 'c0 63 03 010203', json: { type: 'unknown', code: 99, flags: 0xc0, hex: '010203' } },
  { name: 'unknown optional non-transitive, extended length', source: 'hand', hex: '90 fe 0002 abcd', json: { type: 'unknown', code: 254, flags: 0x90, hex: 'abcd' } },
  { name: 'unknown, Partial and low flag bits, empty', source: 'hand', hex: 'e3 80 00', json: { type: 'unknown', code: 128, flags: 0xe3, hex: '' } },
]);

// Sessions without the 4-octet AS capability (RFC 6793 "OLD" peers): 2-octet AS_PATH/AGGREGATOR,
// and the AS4_PATH / AS4_AGGREGATOR that carry the real numbers.
suite('attribute (2-octet AS)', PLAIN_CONTEXT, [
  {
    name: 'AS_PATH 2-octet, AS_TRANS',
    source: 'hand',
    hex: '40 02 06 02 02 5ba0 fde8',
    json: { type: 'as-path', flags: 0x40, segments: [{ type: 'as-sequence', asns: [23456, 65000] }] },
  },
  {
    name: 'AS_PATH 2-octet set + confed',
    source: 'hand',
    hex: '40 02 0e 01 02 0001 0002 03 01 0003 04 01 0004',
    json: {
      type: 'as-path',
      flags: 0x40,
      segments: [
        { type: 'as-set', asns: [1, 2] },
        { type: 'as-confed-sequence', asns: [3] },
        { type: 'as-confed-set', asns: [4] },
      ],
    },
  },
  {
    name: 'AS4_PATH',
    source: 'hand',
    hex: 'c0 11 0a 02 02 fa56ea00 0000fde8',
    json: { type: 'as4-path', flags: 0xc0, segments: [{ type: 'as-sequence', asns: [4200000000, 65000] }] },
  },
  {
    name: 'AGGREGATOR 2-octet AS',
    source: 'hand',
    hex: 'c0 07 06 5ba0 c0000201',
    json: { type: 'aggregator', flags: 0xc0, asn: 23456, address: '192.0.2.1' },
  },
  {
    name: 'AS4_AGGREGATOR',
    source: 'hand',
    hex: 'c0 12 08 fa56ea00 c0000201',
    json: { type: 'as4-aggregator', flags: 0xc0, asn: 4200000000, address: '192.0.2.1' },
  },
]);
