import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_CONTEXT } from '../../../src/wire/context.js';
import type { Label24 } from '../../../src/wire/label.js';
import { evpnCodec, evpnRouteType, isKnownEvpn, type EvpnIpPrefix, type EvpnMacIp, type EvpnNlri } from '../../../src/wire/nlri/evpn/index.js';
import { BufferReader } from '../../../src/wire/reader.js';
import { vectorTests, type Vector } from '../../helpers/vectors.js';
import {
  arbEvpnEthernetAd,
  arbEvpnEthernetSegment,
  arbEvpnInclusiveMulticast,
  arbEvpnIpPrefix,
  arbEvpnMacIp,
  arbEvpnNlri,
  arbEvpnUnknown,
} from '../../arbitraries/nlri.js';
import { decodeOne, encodeOne, hex, MP_POLICY, onlyWireErrors, wireError } from './helpers.js';

const ZERO_ESI = '00:00:00:00:00:00:00:00:00:00';
const RD_2 = { type: 1, value: '127.0.77.1:2' };
const lbl = (n: number): Label24 => n as Label24;

const VECTORS: Vector<EvpnNlri>[] = [
  {
    // engine.md §4.1: VNI 5000 as the raw label field, MAC 52:54:00:00:00:02, IP 10.0.1.2.
    name: 'type 2 MAC/IP with IPv4',
    source: 'bagpipe',
    hex: '02 25 0001 7f004d01 0002 00000000000000000000 00000000 30 525400000002 20 0a000102 001388',
    json: {
      kind: 'evpn',
      routeType: 2,
      rd: RD_2,
      esi: ZERO_ESI,
      ethernetTag: 0,
      mac: '52:54:00:00:00:02',
      ip: '10.0.1.2',
      labels: [lbl(5000)],
    },
  },
  {
    name: 'type 3 inclusive multicast, IPv4 originator',
    source: 'bagpipe',
    hex: '03 11 0001 7f004d01 0002 00000000 20 7f004d01',
    json: { kind: 'evpn', routeType: 3, rd: RD_2, ethernetTag: 0, originatorIp: '127.0.77.1' },
  },
  {
    name: 'type 1 per-ES Ethernet A-D (MAX-ET, label 0)',
    source: 'hand',
    hex: '01 19 0000 fde8 00000064 00112233445566778899 ffffffff 000000',
    json: {
      kind: 'evpn',
      routeType: 1,
      rd: { type: 0, value: '65000:100' },
      esi: '00:11:22:33:44:55:66:77:88:99',
      ethernetTag: 0xffffffff,
      label: lbl(0),
    },
  },
  {
    name: 'type 2 MAC only (value length 33)',
    source: 'hand',
    hex: '02 21 0000 fde8 00000064 00000000000000000000 00000064 30 aabbccddeeff 00 000641',
    json: {
      kind: 'evpn',
      routeType: 2,
      rd: { type: 0, value: '65000:100' },
      esi: ZERO_ESI,
      ethernetTag: 100,
      mac: 'aa:bb:cc:dd:ee:ff',
      labels: [lbl(0x000641)],
    },
  },
  {
    name: 'type 2 MAC only with Label2 (value length 36)',
    source: 'hand',
    hex: '02 24 0000 fde8 00000064 00000000000000000000 00000000 30 aabbccddeeff 00 000641 0007d1',
    json: {
      kind: 'evpn',
      routeType: 2,
      rd: { type: 0, value: '65000:100' },
      esi: ZERO_ESI,
      ethernetTag: 0,
      mac: 'aa:bb:cc:dd:ee:ff',
      labels: [lbl(0x000641), lbl(0x0007d1)],
    },
  },
  {
    name: 'type 2 IPv4 with Label2 (value length 40)',
    source: 'hand',
    hex: '02 28 0001 0a000001 0003 0100000000000000000a 00000000 30 020000000001 20 c0000201 001388 002710',
    json: {
      kind: 'evpn',
      routeType: 2,
      rd: { type: 1, value: '10.0.0.1:3' },
      esi: '01:00:00:00:00:00:00:00:00:0a',
      ethernetTag: 0,
      mac: '02:00:00:00:00:01',
      ip: '192.0.2.1',
      labels: [lbl(5000), lbl(10000)],
    },
  },
  {
    name: 'type 2 IPv6 (value length 49)',
    source: 'hand',
    hex: '02 31 0001 0a000001 0003 00000000000000000000 00000000 30 020000000001 80 20010db8000000000000000000000002 001388',
    json: {
      kind: 'evpn',
      routeType: 2,
      rd: { type: 1, value: '10.0.0.1:3' },
      esi: ZERO_ESI,
      ethernetTag: 0,
      mac: '02:00:00:00:00:01',
      ip: '2001:db8::2',
      labels: [lbl(5000)],
    },
  },
  {
    name: 'type 2 IPv6 with Label2 (value length 52)',
    source: 'hand',
    hex: '02 34 0001 0a000001 0003 00000000000000000000 00000000 30 020000000001 80 fe800000000000000000000000000001 001388 002710',
    json: {
      kind: 'evpn',
      routeType: 2,
      rd: { type: 1, value: '10.0.0.1:3' },
      esi: ZERO_ESI,
      ethernetTag: 0,
      mac: '02:00:00:00:00:01',
      ip: 'fe80::1',
      labels: [lbl(5000), lbl(10000)],
    },
  },
  {
    name: 'type 3 inclusive multicast, IPv6 originator (value length 29)',
    source: 'hand',
    hex: '03 1d 0000 fde8 0000000a 0000000a 80 20010db8000000000000000000000001',
    json: { kind: 'evpn', routeType: 3, rd: { type: 0, value: '65000:10' }, ethernetTag: 10, originatorIp: '2001:db8::1' },
  },
  {
    name: 'type 4 Ethernet segment, IPv4 originator (value length 23)',
    source: 'hand',
    hex: '04 17 0001 c0000201 0000 0300112233445500000a 20 c0000201',
    json: {
      kind: 'evpn',
      routeType: 4,
      rd: { type: 1, value: '192.0.2.1:0' },
      esi: '03:00:11:22:33:44:55:00:00:0a',
      originatorIp: '192.0.2.1',
    },
  },
  {
    name: 'type 4 Ethernet segment, IPv6 originator (value length 35)',
    source: 'hand',
    hex: '04 23 0001 c0000201 0000 0300112233445500000a 80 20010db8000000000000000000000001',
    json: {
      kind: 'evpn',
      routeType: 4,
      rd: { type: 1, value: '192.0.2.1:0' },
      esi: '03:00:11:22:33:44:55:00:00:0a',
      originatorIp: '2001:db8::1',
    },
  },
  {
    name: 'type 5 IP prefix IPv4 (RFC 9136, value length 34)',
    source: 'hand',
    hex: '05 22 0001 c0000201 0005 00000000000000000000 00000000 18 0a010200 00000000 001388',
    json: {
      kind: 'evpn',
      routeType: 5,
      rd: { type: 1, value: '192.0.2.1:5' },
      esi: ZERO_ESI,
      ethernetTag: 0,
      prefix: '10.1.2.0/24',
      gateway: '0.0.0.0',
      label: lbl(5000),
    },
  },
  {
    name: 'type 5 IP prefix IPv6 with a gateway (RFC 9136, value length 58)',
    source: 'hand',
    hex:
      '05 3a 0000 fde8 00000005 00000000000000000000 00000000 40 20010db8000100020000000000000000 20010db8000000000000000000000001 000000',
    json: {
      kind: 'evpn',
      routeType: 5,
      rd: { type: 0, value: '65000:5' },
      esi: ZERO_ESI,
      ethernetTag: 0,
      prefix: '2001:db8:1:2::/64',
      gateway: '2001:db8::1',
      label: lbl(0),
    },
  },
  {
    name: 'type 5 prefix with host bits set is normalised',
    source: 'hand',
    hex: '05 22 0001 c0000201 0005 00000000000000000000 00000000 18 0a0102ff 0a000001 001388',
    json: {
      kind: 'evpn',
      routeType: 5,
      rd: { type: 1, value: '192.0.2.1:5' },
      esi: ZERO_ESI,
      ethernetTag: 0,
      prefix: '10.1.2.0/24',
      gateway: '10.0.0.1',
      label: lbl(5000),
    },
    decodeOnly: true,
  },
  {
    name: 'unknown route type 9 kept opaque',
    source: 'hand',
    hex: '09 05 0102030405',
    json: { kind: 'evpn', routeType: 9, data: '0102030405' },
  },
  {
    name: 'reserved route type 0, empty value, kept opaque',
    source: 'hand',
    hex: '00 00',
    json: { kind: 'evpn', routeType: 0, data: '' },
  },
];

vectorTests('evpn', VECTORS, (b) => decodeOne(evpnCodec, b), (j) => encodeOne(evpnCodec, j));

void test('evpn: codec family and next hop; route type table rows', () => {
  assert.deepEqual([evpnCodec.afi, evpnCodec.safi, evpnCodec.nextHop], [25, 70, 'ip']);
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((t) => evpnRouteType(t)?.name),
    ['ethernet-ad', 'mac-ip', 'inclusive-multicast', 'ethernet-segment', 'ip-prefix'],
  );
  assert.equal(evpnRouteType(6), undefined);
  assert.equal(evpnRouteType(0), undefined);
});

void test('evpn: isKnownEvpn separates typed routes from opaque ones', () => {
  const typed = decodeOne(evpnCodec, hex('03 11 0001 7f004d01 0002 00000000 20 7f004d01'));
  const opaque = decodeOne(evpnCodec, hex('0b 01 ff'));
  assert.equal(isKnownEvpn(typed), true);
  assert.equal(isKnownEvpn(opaque), false);
  if (isKnownEvpn(typed) && typed.routeType === 3) assert.equal(typed.originatorIp, '127.0.77.1');
  else assert.fail('expected a type 3 route');
});

void test('evpn: an opaque value of a known type is sent as given', () => {
  const raw = '03 11 0001 7f004d01 0002 00000000 20 7f004d01'.replace(/ /g, '');
  assert.equal(encodeOne(evpnCodec, { kind: 'evpn', routeType: 3, data: raw.slice(4) }).toString('hex'), raw);
});

void test('evpn: decoding errors carry their code and the reader policy', () => {
  const T2 = (len: string, tail: string): Buffer => hex(`02 ${len} 0001 7f004d01 0002 00000000000000000000 00000000 ${tail}`);
  // MAC length must be 48.
  assert.throws(() => decodeOne(evpnCodec, T2('25', '2f 525400000002 20 0a000102 001388')), wireError('bad-evpn-mac-length', 'afi-safi-disable'));
  // 34 is not a MAC/IP value length.
  assert.throws(() => decodeOne(evpnCodec, T2('22', '30 525400000002 00 001388 00')), wireError('bad-evpn-length', 'afi-safi-disable'));
  // IP length 0 in a value of 37 (which needs an IPv4 address).
  assert.throws(() => decodeOne(evpnCodec, T2('25', '30 525400000002 00 0a000102 001388')), wireError('bad-evpn-ip-length'));
  // IP length 24 is neither 0, 32 nor 128.
  assert.throws(() => decodeOne(evpnCodec, T2('25', '30 525400000002 18 0a000102 001388')), wireError('bad-evpn-ip-length'));
  assert.throws(() => decodeOne(evpnCodec, T2('25', '80 525400000002 20 0a000102 001388')), wireError('bad-evpn-mac-length'));
  // IPv6 length in a value of 37.
  assert.throws(() => decodeOne(evpnCodec, T2('25', '30 525400000002 80 0a000102 001388')), wireError('bad-evpn-ip-length'));
  // Type 3: IP length must match the value length.
  assert.throws(() => decodeOne(evpnCodec, hex('03 11 0001 7f004d01 0002 00000000 80 7f004d01')), wireError('bad-evpn-ip-length'));
  assert.throws(() => decodeOne(evpnCodec, hex('03 12 0001 7f004d01 0002 00000000 20 7f004d0100')), wireError('bad-evpn-length'));
  // Type 4: same.
  assert.throws(() => decodeOne(evpnCodec, hex('04 17 0001 c0000201 0000 0300112233445500000a 18 c0000201')), wireError('bad-evpn-ip-length'));
  // Type 1 must be 25 bytes.
  assert.throws(() => decodeOne(evpnCodec, hex('01 18' + '00'.repeat(24))), wireError('bad-evpn-length'));
  // Type 5: prefix length above 32.
  assert.throws(
    () => decodeOne(evpnCodec, hex('05 22 0001 c0000201 0005 00000000000000000000 00000000 21 0a010200 00000000 001388')),
    wireError('bad-prefix-length', 'afi-safi-disable'),
  );
  // A value running past the field (known and unknown types alike).
  assert.throws(() => decodeOne(evpnCodec, hex('03 11 0001 7f004d01 0002 00000000 20 7f00')), wireError('truncated', 'afi-safi-disable'));
  assert.throws(() => decodeOne(evpnCodec, hex('09 05 0102')), wireError('truncated'));
  assert.throws(() => decodeOne(evpnCodec, hex('02')), wireError('truncated'));
});

void test('evpn: encoding errors', () => {
  const mac = VECTORS[0]!.json as EvpnMacIp;
  assert.throws(() => encodeOne(evpnCodec, { ...mac, mac: '52:54:00:00:00' }), wireError('bad-colon-hex'));
  assert.throws(() => encodeOne(evpnCodec, { ...mac, mac: '52-54-00-00-00-02' }), wireError('bad-colon-hex'));
  assert.throws(() => encodeOne(evpnCodec, { ...mac, esi: '00:00' }), wireError('bad-colon-hex'));
  assert.throws(() => encodeOne(evpnCodec, { ...mac, labels: [] }), wireError('bad-label-stack'));
  assert.throws(() => encodeOne(evpnCodec, { ...mac, labels: [lbl(1), lbl(2), lbl(3)] }), wireError('bad-label-stack'));
  assert.throws(() => encodeOne(evpnCodec, { ...mac, labels: [lbl(1 << 24)] }), wireError('value-out-of-range'));
  assert.throws(() => encodeOne(evpnCodec, { ...mac, ip: '10.0.1' }), wireError('bad-address-text'));
  assert.throws(() => encodeOne(evpnCodec, { ...mac, ethernetTag: -1 }), wireError('value-out-of-range'));
  // Upper-case MAC text is accepted, decoded back lower-case.
  assert.deepEqual(decodeOne(evpnCodec, encodeOne(evpnCodec, { ...mac, mac: '52:54:00:AB:CD:EF' })), { ...mac, mac: '52:54:00:ab:cd:ef' });
  const t5 = VECTORS.find((v) => v.json.routeType === 5)!.json as EvpnIpPrefix;
  assert.throws(() => encodeOne(evpnCodec, { ...t5, gateway: '2001:db8::1' }), wireError('bad-address-text'));
  assert.throws(() => encodeOne(evpnCodec, { kind: 'evpn', routeType: 256, data: '' }), wireError('value-out-of-range'));
  assert.throws(() => encodeOne(evpnCodec, { kind: 'evpn', routeType: 9, data: 'zz' }), wireError('bad-hex'));
  assert.throws(() => encodeOne(evpnCodec, { kind: 'evpn', routeType: 9, data: '00'.repeat(256) }), wireError('value-out-of-range'));
});

const PER_TYPE = [
  ['type 1', arbEvpnEthernetAd],
  ['type 2', arbEvpnMacIp],
  ['type 3', arbEvpnInclusiveMulticast],
  ['type 4', arbEvpnEthernetSegment],
  ['type 5', arbEvpnIpPrefix],
  ['unknown types', arbEvpnUnknown],
] as const;

for (const [name, arb] of PER_TYPE) {
  void test(`evpn property: ${name} decode(encode(x)) = x`, () => {
    fc.assert(
      fc.property(arb as fc.Arbitrary<EvpnNlri>, (n) => {
        const bytes = encodeOne(evpnCodec, n);
        assert.equal(bytes.length, 2 + bytes[1]!);
        const decoded = decodeOne(evpnCodec, bytes);
        assert.deepEqual(decoded, n);
        assert.deepEqual(JSON.parse(JSON.stringify(decoded)), decoded);
      }),
    );
  });
}

void test('evpn property: random and mutated bytes only raise WireError', () => {
  const decodeAll = (b: Uint8Array): void => {
    const r = BufferReader.of(b, MP_POLICY);
    while (!r.atEnd) evpnCodec.decode(r, DEFAULT_CONTEXT);
  };
  fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (b) => onlyWireErrors(() => decodeAll(b))));
  // Random bytes behind a valid route type and length reach the per-type decoders.
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5 }), fc.uint8Array({ minLength: 17, maxLength: 58 }), (t, v) =>
      onlyWireErrors(() => decodeAll(Buffer.concat([Buffer.from([t, v.length]), v]))),
    ),
  );
  fc.assert(
    fc.property(arbEvpnNlri, fc.nat(), fc.nat(255), (n, at, x) => {
      const b = encodeOne(evpnCodec, n);
      b[at % b.length] = x;
      return onlyWireErrors(() => decodeAll(b));
    }),
  );
});
