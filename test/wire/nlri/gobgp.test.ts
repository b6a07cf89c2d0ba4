/**
 * NLRI fields captured from GoBGP 3.10 (test/fixtures/captured/gobgp, committed by the capture
 * harness): the NLRI part of MP_REACH / MP_UNREACH (or the UPDATE's own NLRI field), copied here so
 * these vectors stay fixed. Decode gives the JSON, and encoding the JSON gives GoBGP's bytes back.
 */
import { familyKey } from '../../../src/wire/afi.js';
import { contextWith, DEFAULT_CONTEXT, type CodecContext } from '../../../src/wire/context.js';
import type { Label24 } from '../../../src/wire/label.js';
import { decodeNlriField, encodeNlriField, type Nlri } from '../../../src/wire/nlri/registry.js';
import { BufferReader } from '../../../src/wire/reader.js';
import { BufferWriter } from '../../../src/wire/writer.js';
import { vectorTests, type Vector } from '../../helpers/vectors.js';
import { MP_POLICY } from './helpers.js';

const ZERO_ESI = '00:00:00:00:00:00:00:00:00:00';
const lbl = (n: number): Label24 => n as Label24;

function family(afi: number, safi: number, vectors: Vector<Nlri[]>[], ctx: CodecContext = DEFAULT_CONTEXT, suffix = ''): void {
  vectorTests(
    `gobgp ${afi}/${safi}${suffix}`,
    vectors,
    (b) => decodeNlriField(afi, safi, BufferReader.of(b, MP_POLICY), ctx),
    (j) => {
      const w = new BufferWriter();
      encodeNlriField(afi, safi, w, j, ctx);
      return w.finish();
    },
  );
}

family(25, 70, [
  {
    name: 'evpn-ad.json: type 1, ESI type 0, label 2000',
    source: 'gobgp',
    hex: '01 19 0000fde900000066 00001122334455667788 00000000 0007d0',
    json: [{ kind: 'evpn', routeType: 1, rd: { type: 0, value: '65001:102' }, esi: '00:00:11:22:33:44:55:66:77:88', ethernetTag: 0, label: lbl(2000) }],
  },
  {
    name: 'evpn-macadv.json: type 2, IPv4, VXLAN label 1000',
    source: 'gobgp',
    hex: '02 25 0000fde900000064 00000000000000000000 00000000 30 525400000001 20 0a000101 0003e8',
    json: [
      {
        kind: 'evpn',
        routeType: 2,
        rd: { type: 0, value: '65001:100' },
        esi: ZERO_ESI,
        ethernetTag: 0,
        mac: '52:54:00:00:00:01',
        ip: '10.0.1.1',
        labels: [lbl(1000)],
      },
    ],
  },
  {
    name: 'evpn-macadv-noip.json: type 2 without IP, Ethernet tag 10, RD type 1',
    source: 'gobgp',
    hex: '02 21 00017f005b020064 00000000000000000000 0000000a 30 525400000002 00 0003e9',
    json: [
      {
        kind: 'evpn',
        routeType: 2,
        rd: { type: 1, value: '127.0.91.2:100' },
        esi: ZERO_ESI,
        ethernetTag: 10,
        mac: '52:54:00:00:00:02',
        labels: [lbl(1001)],
      },
    ],
  },
  {
    name: 'evpn-macadv-ipv6-esi.json: type 2, IPv6, ESI type 1 (LACP), two labels',
    source: 'gobgp',
    hex: '02 34 0000fde900000065 01aabbccddeeff000100 00000000 30 525400000003 80 20010db8000000000000000000000003 0003ea 0003eb',
    json: [
      {
        kind: 'evpn',
        routeType: 2,
        rd: { type: 0, value: '65001:101' },
        esi: '01:aa:bb:cc:dd:ee:ff:00:01:00',
        ethernetTag: 0,
        mac: '52:54:00:00:00:03',
        ip: '2001:db8::3',
        labels: [lbl(1002), lbl(1003)],
      },
    ],
  },
  {
    name: 'evpn-multicast.json: type 3 (also withdraw-evpn-multicast.json)',
    source: 'gobgp',
    hex: '03 11 0000fde900000064 00000000 20 7f005b02',
    json: [{ kind: 'evpn', routeType: 3, rd: { type: 0, value: '65001:100' }, ethernetTag: 0, originatorIp: '127.0.91.2' }],
  },
  {
    name: 'evpn-es.json: type 4, ESI type 3 (MAC)',
    source: 'gobgp',
    hex: '04 17 0000fde900000067 03525400112233000064 20 7f005b02',
    json: [{ kind: 'evpn', routeType: 4, rd: { type: 0, value: '65001:103' }, esi: '03:52:54:00:11:22:33:00:00:64', originatorIp: '127.0.91.2' }],
  },
  {
    name: 'evpn-prefix.json: type 5 IPv4',
    source: 'gobgp',
    hex: '05 22 0000fde900000068 00000000000000000000 00000000 18 0a030000 0a030001 000bb9',
    json: [
      {
        kind: 'evpn',
        routeType: 5,
        rd: { type: 0, value: '65001:104' },
        esi: ZERO_ESI,
        ethernetTag: 0,
        prefix: '10.3.0.0/24',
        gateway: '10.3.0.1',
        label: lbl(3001),
      },
    ],
  },
  {
    name: 'evpn-prefix-ipv6.json: type 5 IPv6',
    source: 'gobgp',
    hex: '05 3a 0000fde900000069 00000000000000000000 00000000 40 20010db8000300000000000000000000 20010db8000300000000000000000001 000bba',
    json: [
      {
        kind: 'evpn',
        routeType: 5,
        rd: { type: 0, value: '65001:105' },
        esi: ZERO_ESI,
        ethernetTag: 0,
        prefix: '2001:db8:3::/64',
        gateway: '2001:db8:3::1',
        label: lbl(3002),
      },
    ],
  },
]);

family(1, 128, [
  {
    name: 'vpnv4-rd0.json: label 100, RD type 0 (also withdraw-vpnv4.json: the withdrawal keeps the label)',
    source: 'gobgp',
    hex: '70 000641 0000fde90000000a 0a0200',
    json: [{ kind: 'vpn', labels: [lbl(0x000641)], rd: { type: 0, value: '65001:10' }, prefix: '10.2.0.0/24' }],
  },
  {
    name: 'vpnv4-rd1.json: RD type 1',
    source: 'gobgp',
    hex: '70 000651 00017f005b02000b 0a0201',
    json: [{ kind: 'vpn', labels: [lbl(0x000651)], rd: { type: 1, value: '127.0.91.2:11' }, prefix: '10.2.1.0/24' }],
  },
  {
    // GoBGP was asked for RD 4200000000:12 (type 2) and sent type 0 with AS 65535: kept as sent.
    name: 'vpnv4-rd2.json: RD "4200000000:12" sent by GoBGP as type 0 65535:12',
    source: 'gobgp',
    hex: '70 000661 0000ffff0000000c 0a0202',
    json: [{ kind: 'vpn', labels: [lbl(0x000661)], rd: { type: 0, value: '65535:12' }, prefix: '10.2.2.0/24' }],
  },
  {
    name: 'vpnv4-host.json: /32, label 1048575 (the largest)',
    source: 'gobgp',
    hex: '78 fffff1 0000fde90000000d 0a020304',
    json: [{ kind: 'vpn', labels: [lbl(0xfffff1)], rd: { type: 0, value: '65001:13' }, prefix: '10.2.3.4/32' }],
  },
]);

family(2, 128, [
  {
    name: 'vpnv6.json: 2001:db8:2::/64, label 200',
    source: 'gobgp',
    hex: '98 000c81 0000fde90000000e 20010db800020000',
    json: [{ kind: 'vpn', labels: [lbl(0x000c81)], rd: { type: 0, value: '65001:14' }, prefix: '2001:db8:2::/64' }],
  },
]);

family(
  1,
  128,
  [
    {
      name: 'rtc-session-vpnv4-rd0.json: path id 1',
      source: 'gobgp',
      hex: '00000001 70 000641 0000fde90000000a 0a0200',
      json: [{ kind: 'vpn', labels: [lbl(0x000641)], rd: { type: 0, value: '65001:10' }, prefix: '10.2.0.0/24', pathId: 1 }],
    },
    {
      name: 'rtc-session-vpnv4-host.json: path id 1',
      source: 'gobgp',
      hex: '00000001 78 fffff1 0000fde90000000d 0a020304',
      json: [{ kind: 'vpn', labels: [lbl(0xfffff1)], rd: { type: 0, value: '65001:13' }, prefix: '10.2.3.4/32', pathId: 1 }],
    },
  ],
  contextWith({ addPath: new Set([familyKey(1, 128)]) }),
  ' ADD-PATH',
);

family(
  1,
  1,
  [
    {
      name: 'ipv4-unicast-two-prefixes-2.json: path id 1, /26',
      source: 'gobgp',
      hex: '00000001 1a 0a010280',
      json: [{ kind: 'prefix', prefix: '10.1.2.128/26', pathId: 1 }],
    },
  ],
  contextWith({ addPath: new Set([familyKey(1, 1)]) }),
  ' ADD-PATH',
);

family(2, 1, [
  {
    name: 'ipv6-unicast.json: 2001:db8:1::/48',
    source: 'gobgp',
    hex: '30 20010db80001',
    json: [{ kind: 'prefix', prefix: '2001:db8:1::/48' }],
  },
]);
