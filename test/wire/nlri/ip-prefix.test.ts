import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ipv4MulticastCodec, ipv4UnicastCodec, ipv6MulticastCodec, ipv6UnicastCodec, readIpPrefix, writeIpPrefix, type IpPrefixNlri } from '../../../src/wire/nlri/ip-prefix.js';
import { BufferReader } from '../../../src/wire/reader.js';
import { BufferWriter } from '../../../src/wire/writer.js';
import { vectorTests, type Vector } from '../../helpers/vectors.js';
import { arbIpPrefixNlri } from '../../arbitraries/nlri.js';
import { decodeOne, encodeOne, hex, MP_POLICY, onlyWireErrors, wireError } from './helpers.js';

const p = (prefix: string): IpPrefixNlri => ({ kind: 'prefix', prefix });

const V4: Vector<IpPrefixNlri>[] = [
  { name: '10.0.1.0/24', source: 'hand', hex: '18 0a0001', json: p('10.0.1.0/24') },
  { name: 'default route', source: 'hand', hex: '00', json: p('0.0.0.0/0') },
  { name: 'host route', source: 'hand', hex: '20 c0000201', json: p('192.0.2.1/32') },
  { name: '/1', source: 'hand', hex: '01 80', json: p('128.0.0.0/1') },
  { name: '/20: partial last byte', source: 'hand', hex: '14 ac10f0', json: p('172.16.240.0/20') },
  // RFC 4271 §4.3: trailing bits are irrelevant; decoding clears them.
  { name: 'host bits set are cleared', source: 'hand', hex: '17 0a0001', json: p('10.0.0.0/23'), decodeOnly: true },
  { name: '/20 with trailing bits', source: 'hand', hex: '14 ac10ff', json: p('172.16.240.0/20'), decodeOnly: true },
];

const V6: Vector<IpPrefixNlri>[] = [
  { name: '2001:db8::/32', source: 'hand', hex: '20 20010db8', json: p('2001:db8::/32') },
  { name: '::/0', source: 'hand', hex: '00', json: p('::/0') },
  { name: '/128', source: 'hand', hex: '80 20010db8000000000000000000000001', json: p('2001:db8::1/128') },
  { name: '/56', source: 'hand', hex: '38 20010db8000a01', json: p('2001:db8:a:100::/56') },
  { name: '/61 with trailing bits', source: 'hand', hex: '3d 20010db8000a01ff', json: p('2001:db8:a:1f8::/61'), decodeOnly: true },
];

vectorTests('ipv4 unicast', V4, (b) => decodeOne(ipv4UnicastCodec, b), (j) => encodeOne(ipv4UnicastCodec, j));
vectorTests('ipv6 unicast', V6, (b) => decodeOne(ipv6UnicastCodec, b), (j) => encodeOne(ipv6UnicastCodec, j));

void test('ip prefix: codecs name their family and next hop form', () => {
  assert.deepEqual(
    [ipv4UnicastCodec, ipv4MulticastCodec, ipv6UnicastCodec, ipv6MulticastCodec].map((c) => [c.afi, c.safi, c.nextHop]),
    [
      [1, 1, 'ip'],
      [1, 2, 'ip'],
      [2, 1, 'ip'],
      [2, 2, 'ip'],
    ],
  );
  assert.deepEqual(decodeOne(ipv4MulticastCodec, hex('10 e000')), p('224.0.0.0/16'));
  assert.deepEqual(decodeOne(ipv6MulticastCodec, hex('08 ff')), p('ff00::/8'));
});

void test('ip prefix: readIpPrefix / writeIpPrefix handle a classic NLRI field of several prefixes', () => {
  const r = BufferReader.of(hex('18 0a0001 00 20 c0000201'));
  const got: IpPrefixNlri[] = [];
  while (!r.atEnd) got.push(readIpPrefix(r, 4));
  assert.deepEqual(got, [p('10.0.1.0/24'), p('0.0.0.0/0'), p('192.0.2.1/32')]);
  const w = new BufferWriter();
  for (const n of got) writeIpPrefix(w, n, 4);
  assert.equal(w.finish().toString('hex'), '180a000100 20c0000201'.replace(' ', ''));
});

void test('ip prefix: a length past the family width fails with bad-prefix-length under the reader policy', () => {
  assert.throws(() => decodeOne(ipv4UnicastCodec, hex('21 0a000000 00')), wireError('bad-prefix-length', 'afi-safi-disable'));
  assert.throws(() => decodeOne(ipv6UnicastCodec, hex('81' + '00'.repeat(17))), wireError('bad-prefix-length', 'afi-safi-disable'));
  // The UPDATE's own NLRI field uses its own policy (session reset by default).
  assert.throws(() => readIpPrefix(BufferReader.of(hex('ff')), 4), wireError('bad-prefix-length', 'session-reset'));
});

void test('ip prefix: a prefix cut short fails with truncated', () => {
  assert.throws(() => decodeOne(ipv4UnicastCodec, hex('18 0a00')), wireError('truncated', 'afi-safi-disable'));
  assert.throws(() => decodeOne(ipv6UnicastCodec, hex('40 20010db8')), wireError('truncated'));
  assert.throws(() => readIpPrefix(BufferReader.of(Buffer.alloc(0), MP_POLICY), 6), wireError('truncated'));
});

void test('ip prefix: encoding rejects text of the wrong family or an invalid prefix', () => {
  assert.throws(() => encodeOne(ipv4UnicastCodec, p('2001:db8::/32')), wireError('bad-address-text'));
  assert.throws(() => encodeOne(ipv6UnicastCodec, p('10.0.0.0/8')), wireError('bad-address-text'));
  assert.throws(() => encodeOne(ipv4UnicastCodec, p('10.0.0.0/33')), wireError('bad-address-text'));
  assert.throws(() => encodeOne(ipv4UnicastCodec, p('10.0.0.0')), wireError('bad-address-text'));
  // Host bits are cleared on encode too.
  assert.equal(encodeOne(ipv4UnicastCodec, p('10.1.2.3/16')).toString('hex'), '100a01');
});

for (const [name, codec, version] of [
  ['ipv4', ipv4UnicastCodec, 4],
  ['ipv6', ipv6UnicastCodec, 6],
] as const) {
  void test(`ip prefix property: ${name} decode(encode(x)) = x`, () => {
    fc.assert(
      fc.property(arbIpPrefixNlri(version), (n) => {
        const decoded = decodeOne(codec, encodeOne(codec, n));
        assert.deepEqual(decoded, n);
        assert.deepEqual(JSON.parse(JSON.stringify(decoded)), decoded);
      }),
    );
  });

  void test(`ip prefix property: ${name} random bytes only raise WireError`, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20 }), (b) =>
        onlyWireErrors(() => {
          const r = BufferReader.of(b, MP_POLICY);
          while (!r.atEnd) codec.decode(r, { as4: true, addPath: new Set(), extendedNextHop: new Set(), extendedMessage: false });
        }),
      ),
    );
  });
}
