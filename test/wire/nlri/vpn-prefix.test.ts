import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_CONTEXT } from '../../../src/wire/context.js';
import type { Label24 } from '../../../src/wire/label.js';
import { readRdFast, vpnIpv4Codec, vpnIpv6Codec, type VpnPrefixNlri } from '../../../src/wire/nlri/vpn-prefix.js';
import { BufferReader } from '../../../src/wire/reader.js';
import { readRd } from '../../../src/wire/route-distinguisher.js';
import { vectorTests, type Vector } from '../../helpers/vectors.js';
import { arbVpnPrefixNlri } from '../../arbitraries/nlri.js';
import { decodeOne, encodeOne, hex, MP_POLICY, onlyWireErrors, wireError } from './helpers.js';

const L = (...raw: number[]): Label24[] => raw as Label24[];
const vpn = (labels: Label24[], type: number, value: string, prefix: string): VpnPrefixNlri => ({
  kind: 'vpn',
  labels,
  rd: { type, value },
  prefix,
});

const V4: Vector<VpnPrefixNlri>[] = [
  {
    // engine.md §4.1: 10.0.0.1/32, label 17 (0x000111 = 17 << 4 | BoS), RD 127.0.77.1:0.
    name: 'bagpipe VPNv4 host route',
    source: 'bagpipe',
    hex: '78 000111 0001 7f004d01 0000 0a000001',
    json: vpn(L(0x000111), 1, '127.0.77.1:0', '10.0.0.1/32'),
  },
  {
    // engine.md §4.1: attract-traffic default route, label 20, RD 127.0.77.1:5.
    name: 'bagpipe VPNv4 default route',
    source: 'bagpipe',
    hex: '58 000141 0001 7f004d01 0005',
    json: vpn(L(0x000141), 1, '127.0.77.1:5', '0.0.0.0/0'),
  },
  {
    name: 'label stack of 2 (RFC 3107), RD type 0',
    source: 'hand',
    hex: '88 000100 000211 0000 fc00 00000064 0a0001',
    json: vpn(L(0x000100, 0x000211), 0, '64512:100', '10.0.1.0/24'),
  },
  {
    name: 'withdrawal label 0x800000 (RFC 8277 §2.4), RD type 2',
    source: 'hand',
    hex: '68 800000 0002 0000fde8 0001 0a01',
    json: vpn(L(0x800000), 2, '65000:1', '10.1.0.0/16'),
  },
  {
    name: 'legacy withdrawal label 0x000000 (RFC 3107 §3)',
    source: 'hand',
    hex: '68 000000 0001 c0000201 0007 0a01',
    json: vpn(L(0), 1, '192.0.2.1:7', '10.1.0.0/16'),
  },
  {
    name: 'unknown RD type kept as hex',
    source: 'hand',
    hex: '60 000031 0007 0102030405ff 0a',
    json: vpn(L(0x000031), 7, '0102030405ff', '10.0.0.0/8'),
  },
  {
    name: 'trailing prefix bits are cleared',
    source: 'hand',
    hex: '6c 000111 0000 fde8 00000001 0a01ff',
    json: vpn(L(0x000111), 0, '65000:1', '10.1.240.0/20'),
    decodeOnly: true,
  },
];

const V6: Vector<VpnPrefixNlri>[] = [
  {
    name: 'VPNv6 /48 (RFC 4659)',
    source: 'hand',
    hex: '88 000031 0000 fde8 00000007 20010db80001',
    json: vpn(L(0x000031), 0, '65000:7', '2001:db8:1::/48'),
  },
  {
    name: 'VPNv6 /128 with two labels (216 + 24 = 240 bits)',
    source: 'hand',
    hex: 'f0 000640 000031 0001 0a000001 0002 20010db8000000000000000000000001',
    json: vpn(L(0x000640, 0x000031), 1, '10.0.0.1:2', '2001:db8::1/128'),
  },
];

vectorTests('vpn-ipv4', V4, (b) => decodeOne(vpnIpv4Codec, b), (j) => encodeOne(vpnIpv4Codec, j));
vectorTests('vpn-ipv6', V6, (b) => decodeOne(vpnIpv6Codec, b), (j) => encodeOne(vpnIpv6Codec, j));

void test('vpn: codecs name their family and the vpn-ip next hop form', () => {
  assert.deepEqual([vpnIpv4Codec.afi, vpnIpv4Codec.safi, vpnIpv4Codec.nextHop], [1, 128, 'vpn-ip']);
  assert.deepEqual([vpnIpv6Codec.afi, vpnIpv6Codec.safi, vpnIpv6Codec.nextHop], [2, 128, 'vpn-ip']);
});

void test('vpn: a length too short for label + RD fails with bad-vpn-nlri-length (reader policy)', () => {
  // 80 bits: one label and 56 bits, no room for the RD.
  assert.throws(() => decodeOne(vpnIpv4Codec, hex('50 000111 0001 7f004d01 00')), wireError('bad-vpn-nlri-length', 'afi-safi-disable'));
  // A stack that never ends before the RD would have to start.
  assert.throws(
    () => decodeOne(vpnIpv4Codec, hex('70 000100 000200 0001 7f004d01 0000 0a')),
    wireError('bad-vpn-nlri-length', 'afi-safi-disable'),
  );
  assert.throws(() => decodeOne(vpnIpv4Codec, hex('00')), wireError('bad-vpn-nlri-length'));
});

void test('vpn: a prefix part past 32 / 128 bits fails with bad-prefix-length', () => {
  // 24 + 64 + 33 = 121 bits.
  assert.throws(() => decodeOne(vpnIpv4Codec, hex('79 000111 0001 7f004d01 0000 0a00000100')), wireError('bad-prefix-length', 'afi-safi-disable'));
  // 24 + 64 + 129 = 217 bits.
  assert.throws(() => decodeOne(vpnIpv6Codec, hex('d9 000111 0001 7f004d01 0000' + '00'.repeat(17))), wireError('bad-prefix-length'));
});

void test('vpn: short reads fail with truncated under the reader policy', () => {
  assert.throws(() => decodeOne(vpnIpv4Codec, hex('78 000111 0001 7f004d01 0000 0a00')), wireError('truncated', 'afi-safi-disable'));
  assert.throws(() => decodeOne(vpnIpv4Codec, hex('78 0001')), wireError('truncated'));
});

void test('vpn: encoding validates the label stack', () => {
  const base = vpn(L(0x000111), 1, '127.0.77.1:0', '10.0.0.1/32');
  assert.throws(() => encodeOne(vpnIpv4Codec, { ...base, labels: [] }), wireError('bad-label-stack'));
  // Not the last but ends the stack (BoS set / withdrawal value).
  assert.throws(() => encodeOne(vpnIpv4Codec, { ...base, labels: L(0x000111, 0x000211) }), wireError('bad-label-stack'));
  assert.throws(() => encodeOne(vpnIpv4Codec, { ...base, labels: L(0x800000, 0x000211) }), wireError('bad-label-stack'));
  // The last does not end it.
  assert.throws(() => encodeOne(vpnIpv4Codec, { ...base, labels: L(0x000110) }), wireError('bad-label-stack'));
  assert.throws(() => encodeOne(vpnIpv4Codec, { ...base, labels: L(0x1000001) }), wireError('bad-label-stack'));
  // Three labels and a /128 do not fit the one-byte length (264 bits).
  assert.throws(
    () => encodeOne(vpnIpv6Codec, vpn(L(0x10, 0x20, 0x31), 0, '1:1', '2001:db8::1/128')),
    wireError('value-out-of-range'),
  );
  assert.throws(() => encodeOne(vpnIpv4Codec, { ...base, prefix: '2001:db8::/32' }), wireError('bad-address-text'));
  assert.throws(() => encodeOne(vpnIpv4Codec, { ...base, rd: { type: 0, value: '70000:1' } }), wireError('bad-admin-value'));
});

void test('vpn: readRdFast gives exactly what readRd gives', () => {
  fc.assert(
    fc.property(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.nat(0xffff)), fc.uint8Array({ minLength: 6, maxLength: 6 }), (type, v) => {
      const b = Buffer.alloc(8);
      b.writeUInt16BE(type, 0);
      b.set(v, 2);
      assert.deepEqual(readRdFast(BufferReader.of(b)), readRd(BufferReader.of(b)));
    }),
  );
});

for (const [name, codec, version] of [
  ['vpn-ipv4', vpnIpv4Codec, 4],
  ['vpn-ipv6', vpnIpv6Codec, 6],
] as const) {
  void test(`vpn property: ${name} decode(encode(x)) = x, and the length byte counts every bit`, () => {
    fc.assert(
      fc.property(arbVpnPrefixNlri(version), (n) => {
        const bytes = encodeOne(codec, n);
        assert.equal(bytes.length, 1 + Math.ceil(bytes[0]! / 8));
        const decoded = decodeOne(codec, bytes);
        assert.deepEqual(decoded, n);
        assert.deepEqual(JSON.parse(JSON.stringify(decoded)), decoded);
      }),
    );
  });

  void test(`vpn property: ${name} random and mutated bytes only raise WireError`, () => {
    const decodeAll = (b: Uint8Array): void => {
      const r = BufferReader.of(b, MP_POLICY);
      while (!r.atEnd) codec.decode(r, DEFAULT_CONTEXT);
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (b) => onlyWireErrors(() => decodeAll(b))));
    fc.assert(
      fc.property(arbVpnPrefixNlri(version), fc.nat(), fc.nat(255), (n, at, v) => {
        const b = encodeOne(codec, n);
        b[at % b.length] = v;
        return onlyWireErrors(() => decodeAll(b));
      }),
    );
  });
}
