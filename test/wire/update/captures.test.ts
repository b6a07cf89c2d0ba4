/**
 * Whole UPDATE messages captured from the original BaGPipe-BGP (engine.md §4.1), reassembled: the
 * capture lines elide the shared ORIGIN / AS_PATH / LOCAL_PREF prefix with "…", restored here.
 * Bodies only (after the 19-byte header); each must decode without any error and re-encode to the
 * same bytes.
 */
import assert from 'node:assert/strict';
import { DEFAULT_CONTEXT } from '../../../src/wire/context.js';
import { decodeUpdateBody, encodeUpdateBody, type UpdateMessage } from '../../../src/wire/update.js';
import { BufferWriter } from '../../../src/wire/writer.js';
import { vectorTests, type Vector } from '../../helpers/vectors.js';
import type { PathAttribute } from '../../../src/wire/attributes/index.js';

/** ORIGIN IGP, empty AS_PATH, LOCAL_PREF 100: what BaGPipe puts first in every UPDATE. */
const BASE_HEX = '40 01 01 00 | 40 02 00 | 40 05 04 00000064';
const BASE: PathAttribute[] = [
  { type: 'origin', flags: 0x40, value: 'igp' },
  { type: 'as-path', flags: 0x40, segments: [] },
  { type: 'local-pref', flags: 0x40, value: 100 },
];

function body(attrs: string): string {
  const n = attrs.replace(/[\s|]/g, '').length / 2;
  return `0000 ${n.toString(16).padStart(4, '0')} ${attrs}`;
}

function update(...attributes: PathAttribute[]): UpdateMessage {
  return { type: 'update', withdrawn: [], attributes: [...BASE, ...attributes], nlri: [] };
}

const RD2 = { type: 1, value: '127.0.77.1:2' };
const EVPN_EC = {
  type: 'ext-communities',
  flags: 0xc0,
  communities: [
    { type: 'encapsulation', tunnelType: 'vxlan' },
    { type: 'route-target', form: 0, value: '64512:2' },
  ],
} as PathAttribute;
const MAC_ROUTE = {
  kind: 'evpn',
  routeType: 2,
  rd: RD2,
  esi: '00:00:00:00:00:00:00:00:00:00',
  ethernetTag: 0,
  mac: '52:54:00:00:00:02',
  ip: '10.0.1.2',
  labels: [5000],
};

const VECTORS: Vector<UpdateMessage>[] = [
  {
    name: 'RTC route 64512:1, origin AS 64512 (message length 0x3e)',
    source: 'bagpipe',
    hex: body(`${BASE_HEX} | 80 0e 16 0001 84 04 7f004d01 00 | 60 0000fc00 0002fc0000000001`),
    json: update({
      type: 'mp-reach',
      flags: 0x80,
      afi: 1,
      safi: 132,
      nextHop: ['127.0.77.1'],
      nlri: [{ kind: 'rtc', originAs: 64512, routeTarget: { type: 'route-target', form: 0, value: '64512:1' } }],
    }),
  },
  {
    name: 'VPNv4 10.0.0.1/32, label 17, RD 127.0.77.1:0, encap MPLS, RT 64512:1',
    source: 'bagpipe',
    hex: body(`${BASE_HEX} | c0 10 10 030c00000000000a 0002fc0000000001 | 80 0e 21 0001 80 0c 0000000000000000 7f004d01 00 | 78 000111 0001 7f004d01 0000 0a000001`),
    json: update(
      {
        type: 'ext-communities',
        flags: 0xc0,
        communities: [
          { type: 'encapsulation', tunnelType: 'mpls' },
          { type: 'route-target', form: 0, value: '64512:1' },
        ],
      },
      {
        type: 'mp-reach',
        flags: 0x80,
        afi: 1,
        safi: 128,
        nextHop: ['127.0.77.1'],
        nlri: [{ kind: 'vpn', labels: [(17 << 4) | 1], rd: { type: 1, value: '127.0.77.1:0' }, prefix: '10.0.0.1/32' }],
      } as PathAttribute,
    ),
  },
  {
    name: 'E-VPN MAC/IP, VNI 5000, encap VXLAN, RT 64512:2',
    source: 'bagpipe',
    hex: body(
      `${BASE_HEX} | c0 10 10 030c000000000008 0002fc0000000002 | 80 0e 30 0019 46 04 7f004d01 00 | 02 25 0001 7f004d01 0002 00000000000000000000 00000000 30 525400000002 20 0a000102 001388`,
    ),
    json: update(EVPN_EC, { type: 'mp-reach', flags: 0x80, afi: 25, safi: 70, nextHop: ['127.0.77.1'], nlri: [MAC_ROUTE] } as PathAttribute),
  },
  {
    name: 'E-VPN inclusive multicast with PMSI ingress replication',
    source: 'bagpipe',
    hex: body(`${BASE_HEX} | c0 10 10 030c000000000008 0002fc0000000002 | c0 16 09 00 06 001388 7f004d01 | 80 0e 1c 0019 46 04 7f004d01 00 | 03 11 0001 7f004d01 0002 00000000 20 7f004d01`),
    json: update(
      EVPN_EC,
      { type: 'pmsi-tunnel', flags: 0xc0, tunnelFlags: 0, tunnelType: 'ingress-replication', label: 5000, tunnelId: { kind: 'address', address: '127.0.77.1' } } as PathAttribute,
      {
        type: 'mp-reach',
        flags: 0x80,
        afi: 25,
        safi: 70,
        nextHop: ['127.0.77.1'],
        nlri: [{ kind: 'evpn', routeType: 3, rd: RD2, ethernetTag: 0, originatorIp: '127.0.77.1' }],
      },
    ),
  },
  {
    name: 'FlowSpec VPN, redirect to 64512:51, RT 64512:52, next hop length 0',
    source: 'bagpipe',
    hex: body(`${BASE_HEX} | c0 10 10 8008fc0000000033 0002fc0000000034 | 80 0e 1e 0001 86 00 00 | 18 0001 7f004d01 0004 01 18 280000 02 18 010101 03 81 06 05 81 50`),
    json: update(
      {
        type: 'ext-communities',
        flags: 0xc0,
        communities: [
          { type: 'redirect-to-vrf', form: 0, value: '64512:51' },
          { type: 'route-target', form: 0, value: '64512:52' },
        ],
      },
      {
        type: 'mp-reach',
        flags: 0x80,
        afi: 1,
        safi: 134,
        nextHop: [],
        nlri: [
          {
            kind: 'flowspec',
            rd: { type: 1, value: '127.0.77.1:4' },
            components: [
              { type: 'destination-prefix', prefix: '40.0.0.0/24' },
              { type: 'source-prefix', prefix: '1.1.1.0/24' },
              { type: 'ip-protocol', items: [{ and: false, op: '==', value: 6, length: 1 }] },
              { type: 'destination-port', items: [{ and: false, op: '==', value: 80, length: 1 }] },
            ],
          },
        ],
      },
    ),
  },
  {
    name: 'default route for attract-traffic, label 20, consistent hash sort order 2',
    source: 'bagpipe',
    hex: body(`${BASE_HEX} | c0 10 18 030c00000000000a 0314000000020000 0002fc0000000033 | 80 0e 1d 0001 80 0c 0000000000000000 7f004d01 00 | 58 000141 0001 7f004d01 0005`),
    json: update(
      {
        type: 'ext-communities',
        flags: 0xc0,
        communities: [
          { type: 'encapsulation', tunnelType: 'mpls' },
          { type: 'consistent-hash-sort-order', order: 2 },
          { type: 'route-target', form: 0, value: '64512:51' },
        ],
      },
      {
        type: 'mp-reach',
        flags: 0x80,
        afi: 1,
        safi: 128,
        nextHop: ['127.0.77.1'],
        nlri: [{ kind: 'vpn', labels: [(20 << 4) | 1], rd: { type: 1, value: '127.0.77.1:5' }, prefix: '0.0.0.0/0' }],
      } as PathAttribute,
    ),
  },
  {
    name: 'withdraw of the E-VPN MAC route: full attribute set + MP_UNREACH (quirk)',
    source: 'bagpipe',
    hex: body(
      `${BASE_HEX} | c0 10 10 030c000000000008 0002fc0000000002 | 80 0f 2a 0019 46 | 02 25 0001 7f004d01 0002 00000000000000000000 00000000 30 525400000002 20 0a000102 001388`,
    ),
    json: update(EVPN_EC, { type: 'mp-unreach', flags: 0x80, afi: 25, safi: 70, nlri: [MAC_ROUTE] } as PathAttribute),
  },
];

vectorTests(
  'UPDATE capture',
  VECTORS,
  (b) => {
    const r = decodeUpdateBody(b, DEFAULT_CONTEXT);
    assert.deepEqual(r.errors, []);
    assert.equal(r.outcome, undefined);
    return r.message;
  },
  (m) => {
    const w = new BufferWriter();
    encodeUpdateBody(w, m, DEFAULT_CONTEXT);
    return w.finish();
  },
);
