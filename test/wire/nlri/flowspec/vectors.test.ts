/**
 * FlowSpec byte vectors: RFC 8955 §4.2.3 and RFC 8956 §3.8 examples, the original daemon's capture
 * (spec/engine.md §5.5), and hand-made vectors covering every component type, every operator,
 * every value size, the 2-octet length and the decode-only normalisations the RFCs ask for.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { vectorTests, type Vector } from '../../../helpers/vectors.js';
import { flowspecCodecs, type FlowspecNlri, type NumericItem } from '../../../../src/wire/nlri/flowspec/index.js';
import { bm, CODECS, decodeOne, encodeOne, fs, num } from './helpers.js';

const ipv4: Vector<FlowspecNlri>[] = [
  {
    name: 'RFC 8955 example 1: to 192.0.2.0/24, TCP, port 25',
    source: 'rfc',
    hex: '0b | 01 18 c0 00 02 | 03 81 06 | 04 81 19',
    json: fs(
      { type: 'destination-prefix', prefix: '192.0.2.0/24' },
      { type: 'ip-protocol', items: [num('==', 6)] },
      { type: 'port', items: [num('==', 25)] },
    ),
  },
  {
    name: 'RFC 8955 example 2: from 203.0.113.0/24, port [137, 139] or 8080',
    source: 'rfc',
    hex: '12 | 01 18 c0 00 02 | 02 18 cb 00 71 | 04 03 89 45 8b 91 1f 90',
    json: fs(
      { type: 'destination-prefix', prefix: '192.0.2.0/24' },
      { type: 'source-prefix', prefix: '203.0.113.0/24' },
      { type: 'port', items: [num('>=', 137), num('<=', 139, 1, true), num('==', 8080, 2)] },
    ),
  },
  {
    name: 'fragment DF or FF (any-bit bitmask) to 192.0.2.1/32',
    source: 'hand',
    hex: '09 | 01 20 c0 00 02 01 | 0c 80 05',
    json: fs({ type: 'destination-prefix', prefix: '192.0.2.1/32' }, { type: 'fragment', items: [bm('', 5)] }),
  },
  {
    name: 'every numeric operator (false == > >= < <= != true), AND and OR',
    source: 'hand',
    hex: '11 | 0a 00 64 41 64 02 64 43 64 04 64 45 64 06 64 c7 64',
    json: fs({
      type: 'packet-length',
      items: [
        num('false', 100),
        num('==', 100, 1, true),
        num('>', 100),
        num('>=', 100, 1, true),
        num('<', 100),
        num('<=', 100, 1, true),
        num('!=', 100),
        num('true', 100, 1, true),
      ],
    }),
  },
  {
    name: 'every value size, 8-octet values around 2^53 exact (number below, decimal text from 2^53)',
    source: 'hand',
    hex: '2f | 0a 01 ff 11 01 00 21 00 01 00 00 31 00 1f ff ff ff ff ff ff 31 00 20 00 00 00 00 00 00 31 ff ff ff ff ff ff ff ff b1 00 00 00 00 00 00 00 05',
    json: fs({
      type: 'packet-length',
      items: [
        num('==', 255, 1),
        num('==', 256, 2),
        num('==', 65536, 4),
        num('==', 9007199254740991, 8),
        num('==', '9007199254740992', 8),
        num('==', '18446744073709551615', 8),
        num('==', 5, 8),
      ],
    }),
  },
  {
    name: 'every bitmask operator (any, not, match, not+match), 1 and 2 octets',
    source: 'hand',
    hex: '0a | 09 00 02 42 12 01 02 d3 01 00',
    json: fs({ type: 'tcp-flags', items: [bm('', 2), bm('&n', 0x12), bm('m', 2), bm('&nm', 256, 2)] }),
  },
  {
    name: 'every IPv4 component type (1-12)',
    source: 'hand',
    hex: '2f | 01 18 0a 00 00 | 02 20 c0 00 02 01 | 03 81 11 | 04 81 35 | 05 91 1f 90 | 06 13 04 00 d5 ff ff | 07 81 08 | 08 81 00 | 09 81 02 | 0a 94 05 dc | 0b 81 2e | 0c 82 02',
    json: fs(
      { type: 'destination-prefix', prefix: '10.0.0.0/24' },
      { type: 'source-prefix', prefix: '192.0.2.1/32' },
      { type: 'ip-protocol', items: [num('==', 17)] },
      { type: 'port', items: [num('==', 53)] },
      { type: 'destination-port', items: [num('==', 8080, 2)] },
      { type: 'source-port', items: [num('>=', 1024, 2), num('<=', 65535, 2, true)] },
      { type: 'icmp-type', items: [num('==', 8)] },
      { type: 'icmp-code', items: [num('==', 0)] },
      { type: 'tcp-flags', items: [bm('m', 2)] },
      { type: 'packet-length', items: [num('<', 1500, 2)] },
      { type: 'dscp', items: [num('==', 46)] },
      { type: 'fragment', items: [bm('n', 2)] },
    ),
  },
  {
    name: 'a value size above the minimum is kept',
    source: 'hand',
    hex: '04 | 03 91 00 06',
    json: fs({ type: 'ip-protocol', items: [num('==', 6, 2)] }),
  },
  {
    name: 'destination 0.0.0.0/0 (no prefix octet)',
    source: 'hand',
    hex: '05 | 01 00 | 03 81 01',
    json: fs({ type: 'destination-prefix', prefix: '0.0.0.0/0' }, { type: 'ip-protocol', items: [num('==', 1)] }),
  },
  {
    name: 'decode-only: 2-octet length form for a short NLRI',
    source: 'hand',
    hex: 'f0 06 | 03 81 06 | 04 81 19',
    json: fs({ type: 'ip-protocol', items: [num('==', 6)] }, { type: 'port', items: [num('==', 25)] }),
    decodeOnly: true,
  },
  {
    name: 'decode-only: reserved numeric operator bit (0x08) ignored',
    source: 'hand',
    hex: '03 | 03 89 06',
    json: fs({ type: 'ip-protocol', items: [num('==', 6)] }),
    decodeOnly: true,
  },
  {
    name: 'decode-only: reserved bitmask operator bits (0x0c) ignored',
    source: 'hand',
    hex: '03 | 09 8d 02',
    json: fs({ type: 'tcp-flags', items: [bm('m', 2)] }),
    decodeOnly: true,
  },
  {
    name: 'decode-only: AND bit of the first operator treated as unset',
    source: 'hand',
    hex: '05 | 03 41 06 c1 11',
    json: fs({ type: 'ip-protocol', items: [num('==', 6), num('==', 17, 1, true)] }),
    decodeOnly: true,
  },
  {
    name: 'decode-only: prefix bits past the length cleared',
    source: 'hand',
    hex: '05 | 01 17 c0 00 03',
    json: fs({ type: 'destination-prefix', prefix: '192.0.2.0/23' }),
    decodeOnly: true,
  },
  {
    name: 'decode-only: reserved fragment bits ignored (IPv4 keeps DF)',
    source: 'hand',
    hex: '03 | 0c 80 f5',
    json: fs({ type: 'fragment', items: [bm('', 5)] }),
    decodeOnly: true,
  },
];

/** Ports 1000..1079, == each, 2-octet values: an NLRI of 246 octets. */
const manyPorts: NumericItem[] = Array.from({ length: 80 }, (_, i) => num('==', 1000 + i, 2));
const manyPortsHex = manyPorts.map((it, i) => `${i === manyPorts.length - 1 ? '91' : '11'}${(it.value as number).toString(16).padStart(4, '0')}`).join('');
ipv4.push({
  name: '2-octet length (0xF000 | 246)',
  source: 'hand',
  hex: `f0f6 0118c00002 04 ${manyPortsHex}`,
  json: fs({ type: 'destination-prefix', prefix: '192.0.2.0/24' }, { type: 'port', items: manyPorts }),
});

const ipv6: Vector<FlowspecNlri>[] = [
  {
    name: 'RFC 8956 example 1: to 2001:db8::/32, from ::1234:5678:9a00:0/64-104, TCP',
    source: 'rfc',
    hex: '12 | 01 20 00 20 01 0d b8 | 02 68 40 12 34 56 78 9a | 03 81 06',
    json: fs(
      { type: 'destination-prefix', prefix: '2001:db8::/32' },
      { type: 'source-prefix', prefix: '::1234:5678:9a00:0/104', offset: 64 },
      { type: 'ip-protocol', items: [num('==', 6)] },
    ),
  },
  {
    name: 'RFC 8956 example 2: source offset 65 (pattern not octet aligned, one padding bit)',
    source: 'rfc',
    hex: '0f | 01 20 00 20 01 0d b8 | 02 68 41 24 68 ac f1 34',
    json: fs({ type: 'destination-prefix', prefix: '2001:db8::/32' }, { type: 'source-prefix', prefix: '::1234:5678:9a00:0/104', offset: 65 }),
  },
  {
    name: 'IPv6 component types incl. 13 flow label',
    source: 'hand',
    hex: '24 | 01 40 00 20 01 0d b8 00 00 00 00 | 02 80 60 00 00 00 05 | 03 81 3a | 07 81 80 | 08 81 00 | 0c 81 04 | 0d a1 00 01 23 45',
    json: fs(
      { type: 'destination-prefix', prefix: '2001:db8::/64' },
      { type: 'source-prefix', prefix: '::5/128', offset: 96 },
      { type: 'ip-protocol', items: [num('==', 58)] },
      { type: 'icmp-type', items: [num('==', 128)] },
      { type: 'icmp-code', items: [num('==', 0)] },
      { type: 'fragment', items: [bm('m', 4)] },
      { type: 'flow-label', items: [num('==', 0x12345, 4)] },
    ),
  },
  {
    name: 'IPv6 ::/0 (length 0, offset 0)',
    source: 'hand',
    hex: '03 | 01 00 00',
    json: fs({ type: 'destination-prefix', prefix: '::/0' }),
  },
  {
    name: 'decode-only: IPv6 pattern padding bit ignored',
    source: 'hand',
    hex: '0f | 01 20 00 20 01 0d b8 | 02 68 41 24 68 ac f1 35',
    json: fs({ type: 'destination-prefix', prefix: '2001:db8::/32' }, { type: 'source-prefix', prefix: '::1234:5678:9a00:0/104', offset: 65 }),
    decodeOnly: true,
  },
  {
    name: 'decode-only: IPv6 fragment DF bit is reserved (RFC 8956 §3.6)',
    source: 'hand',
    hex: '03 | 0c 80 0f',
    json: fs({ type: 'fragment', items: [bm('', 0x0e)] }),
    decodeOnly: true,
  },
];

const vpnIpv4: Vector<FlowspecNlri>[] = [
  {
    name: 'bagpipe attract-traffic rule: RD 127.0.77.1:4, 40.0.0.0/24 from 1.1.1.0/24, TCP, port 80',
    source: 'bagpipe',
    hex: '18 0001 7f004d01 0004 01 18 280000 02 18 010101 03 81 06 05 81 50',
    json: {
      kind: 'flowspec',
      rd: { type: 1, value: '127.0.77.1:4' },
      components: [
        { type: 'destination-prefix', prefix: '40.0.0.0/24' },
        { type: 'source-prefix', prefix: '1.1.1.0/24' },
        { type: 'ip-protocol', items: [num('==', 6)] },
        { type: 'destination-port', items: [num('==', 80)] },
      ],
    },
  },
  {
    name: 'RD type 2 (4-octet AS)',
    source: 'hand',
    hex: '0d | 0002 fa56ea00 0001 | 01 00 | 03 81 01',
    json: {
      kind: 'flowspec',
      rd: { type: 2, value: '4200000000:1' },
      components: [{ type: 'destination-prefix', prefix: '0.0.0.0/0' }, { type: 'ip-protocol', items: [num('==', 1)] }],
    },
  },
];

const vpnIpv6: Vector<FlowspecNlri>[] = [
  {
    name: 'RD type 0, 2001:db8:1::/48, destination port 80',
    source: 'hand',
    hex: '14 | 0000 fde8 00000064 | 01 30 00 20 01 0d b8 00 01 | 05 81 50',
    json: {
      kind: 'flowspec',
      rd: { type: 0, value: '65000:100' },
      components: [{ type: 'destination-prefix', prefix: '2001:db8:1::/48' }, { type: 'destination-port', items: [num('==', 80)] }],
    },
  },
];

for (const [suite, codec, vectors] of [
  ['flowspec ipv4/flow', CODECS.ipv4, ipv4],
  ['flowspec ipv6/flow', CODECS.ipv6, ipv6],
  ['flowspec ipv4/flow-vpn', CODECS.vpnIpv4, vpnIpv4],
  ['flowspec ipv6/flow-vpn', CODECS.vpnIpv6, vpnIpv6],
] as const) {
  vectorTests(
    suite,
    vectors,
    (b) => decodeOne(codec, b),
    (j) => encodeOne(codec, j),
  );
}

void test('flowspec codecs: (1,133) (2,133) (1,134) (2,134), next hop form none', () => {
  assert.deepEqual(
    flowspecCodecs.map((c) => [c.afi, c.safi, c.nextHop]),
    [
      [1, 133, 'none'],
      [2, 133, 'none'],
      [1, 134, 'none'],
      [2, 134, 'none'],
    ],
  );
});
