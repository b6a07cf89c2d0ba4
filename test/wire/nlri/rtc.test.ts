/** RT Constraint NLRI (RFC 4684 §4): vectors, malformed lengths, encoder checks, properties. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { routeTarget } from '../../../src/wire/ext-communities/index.js';
import { rtcCodec, rtcRoute, rtcText, type RtcNlri } from '../../../src/wire/nlri/rtc.js';
import { BufferReader } from '../../../src/wire/reader.js';
import { arbRtcNlri } from '../../arbitraries/ext-communities.js';
import { vectorTests, type Vector } from '../../helpers/vectors.js';
import { decodeOne, encodeOne, hex, MP_POLICY, onlyWireErrors, wireError } from './helpers.js';

const RT_64512_1 = { type: 'route-target', form: 0, value: '64512:1' } as const;

const VECTORS: Vector<RtcNlri>[] = [
  // spec/engine.md §4.1: the original's RTC route for 64512:1, origin AS 64512
  { name: 'origin 64512, RT 64512:1', source: 'bagpipe', hex: '60 0000fc00 0002fc0000000001', json: { kind: 'rtc', originAs: 64512, routeTarget: RT_64512_1 } },
  { name: 'default (wildcard) route', source: 'hand', hex: '00', json: { kind: 'rtc' } },
  { name: 'origin AS only (length 32)', source: 'hand', hex: '20 fa56ea00', json: { kind: 'rtc', originAs: 4200000000 } },
  {
    name: 'IPv4-form RT',
    source: 'hand',
    hex: '60 0000fc00 0102c00002010005',
    json: { kind: 'rtc', originAs: 64512, routeTarget: { type: 'route-target', form: 1, value: '192.0.2.1:5' } },
  },
  {
    name: '4-octet-AS-form RT',
    source: 'hand',
    hex: '60 00010000 0202fa56ea000001',
    json: { kind: 'rtc', originAs: 65536, routeTarget: { type: 'route-target', form: 2, value: '4200000000:1' } },
  },
  {
    name: 'partial RT prefix, byte aligned (64 bits: type, sub-type, AS)',
    source: 'hand',
    hex: '40 0000fc00 0002fc00',
    json: { kind: 'rtc', originAs: 64512, rtPrefix: { length: 32, hex: '0002fc00' } },
  },
  {
    name: 'partial RT prefix, 33 bits',
    source: 'hand',
    hex: '21 0000fc00 00',
    json: { kind: 'rtc', originAs: 64512, rtPrefix: { length: 1, hex: '00' } },
  },
  {
    name: 'partial RT prefix, 95 bits',
    source: 'hand',
    hex: '5f 0000fc00 0002fc0000000002',
    json: { kind: 'rtc', originAs: 64512, rtPrefix: { length: 63, hex: '0002fc0000000002' } },
  },
  // Non-canonical inputs a peer may send: decoded as the original reads them.
  {
    name: 'RT with the non-transitive flag: flags cleared (engine.md §5.4)',
    source: 'hand',
    hex: '60 0000fc00 4002fc0000000001',
    json: { kind: 'rtc', originAs: 64512, routeTarget: RT_64512_1 },
    decodeOnly: true,
  },
  {
    name: 'RT with both high flag bits: cleared',
    source: 'hand',
    hex: '60 0000fc00 c002fc0000000001',
    json: { kind: 'rtc', originAs: 64512, routeTarget: RT_64512_1 },
    decodeOnly: true,
  },
  {
    name: 'partial prefix with bits past its length: cleared',
    source: 'hand',
    hex: '34 0000fc00 ff02ff',
    json: { kind: 'rtc', originAs: 64512, rtPrefix: { length: 20, hex: '3f02f0' } },
    decodeOnly: true,
  },
];

vectorTests(
  'rtc',
  VECTORS,
  (b) => decodeOne(rtcCodec, b),
  (n) => encodeOne(rtcCodec, n),
);

void test('rtc: family IPv4/RTC (1/132), next hop an IP address', () => {
  assert.equal(rtcCodec.afi, 1);
  assert.equal(rtcCodec.safi, 132);
  assert.equal(rtcCodec.nextHop, 'ip');
});

void test('rtc: consecutive NLRI of different lengths consume exactly their bytes', () => {
  const r = BufferReader.of(hex('00 | 20 0000fc00 | 60 0000fc00 0002fc0000000001 | 28 0000fc00 00 | 00'), MP_POLICY);
  const got: RtcNlri[] = [];
  while (!r.atEnd) got.push(rtcCodec.decode(r, { as4: true, addPath: new Set(), extendedNextHop: new Set(), extendedMessage: false }));
  assert.deepEqual(got, [
    { kind: 'rtc' },
    { kind: 'rtc', originAs: 64512 },
    { kind: 'rtc', originAs: 64512, routeTarget: RT_64512_1 },
    { kind: 'rtc', originAs: 64512, rtPrefix: { length: 8, hex: '00' } },
    { kind: 'rtc' },
  ]);
});

void test('rtc: lengths 1..31 and above 96 are malformed, with the reader policy', () => {
  for (const len of [1, 8, 31, 97, 128, 255]) {
    const bytes = Buffer.concat([Buffer.from([len]), Buffer.alloc(32)]);
    assert.throws(() => decodeOne(rtcCodec, bytes), wireError('bad-rtc-prefix-length', 'afi-safi-disable'), String(len));
  }
});

void test('rtc: a short NLRI fails as truncated', () => {
  for (const h of ['60 0000fc00 0002fc00000000', '20 0000fc', '21 0000fc00', '5f 0000fc00 0002fc00000000']) {
    assert.throws(() => decodeOne(rtcCodec, hex(h)), wireError('truncated', 'afi-safi-disable'), h);
  }
});

void test('rtc: the encoder clears the RT flag bits and refuses inconsistent values', () => {
  const nt = { ...RT_64512_1, transitive: false as const };
  assert.equal(encodeOne(rtcCodec, { kind: 'rtc', originAs: 64512, routeTarget: nt }).toString('hex'), '600000fc000002fc0000000001');
  assert.equal(
    encodeOne(rtcCodec, { kind: 'rtc', originAs: 1, rtPrefix: { length: 12, hex: 'ffff' } }).toString('hex'),
    '2c000000013ff0',
  );
  const refused: [unknown, string][] = [
    [{ kind: 'rtc', routeTarget: RT_64512_1 }, 'bad-rtc-nlri'],
    [{ kind: 'rtc', rtPrefix: { length: 8, hex: '00' } }, 'bad-rtc-nlri'],
    [{ kind: 'rtc', originAs: 1, routeTarget: RT_64512_1, rtPrefix: { length: 8, hex: '00' } }, 'bad-rtc-nlri'],
    [{ kind: 'rtc', originAs: 1, rtPrefix: { length: 0, hex: '' } }, 'bad-rtc-nlri'],
    [{ kind: 'rtc', originAs: 1, rtPrefix: { length: 64, hex: '0002fc0000000001' } }, 'bad-rtc-nlri'],
    [{ kind: 'rtc', originAs: 1, rtPrefix: { length: 9, hex: '00' } }, 'bad-rtc-nlri'],
    [{ kind: 'rtc', originAs: 1, rtPrefix: { length: 8, hex: 'zz' } }, 'bad-rtc-nlri'],
    [{ kind: 'rtc', originAs: 2 ** 32 }, 'value-out-of-range'],
    [{ kind: 'rtc', originAs: 1, routeTarget: { type: 'route-target', form: 0, value: '1' } }, 'bad-admin-value'],
  ];
  for (const [n, code] of refused) {
    assert.throws(() => encodeOne(rtcCodec, n as RtcNlri), wireError(code), JSON.stringify(n));
  }
});

void test('rtc: rtcRoute builds what the wire carries; rtcText shows it', () => {
  assert.deepEqual(rtcRoute(), { kind: 'rtc' });
  assert.deepEqual(rtcRoute(64512), { kind: 'rtc', originAs: 64512 });
  assert.deepEqual(rtcRoute(64512, routeTarget('64512:1')), { kind: 'rtc', originAs: 64512, routeTarget: RT_64512_1 });
  assert.deepEqual(rtcRoute(64512, { ...RT_64512_1, transitive: false }), { kind: 'rtc', originAs: 64512, routeTarget: RT_64512_1 });
  assert.throws(() => rtcRoute(undefined, RT_64512_1), wireError('bad-rtc-nlri'));
  assert.equal(rtcText({ kind: 'rtc' }), 'rtc wildcard');
  assert.equal(rtcText({ kind: 'rtc', originAs: 64512 }), 'rtc 64512');
  assert.equal(rtcText(rtcRoute(64512, routeTarget('64512:1'))), 'rtc 64512:target:64512:1');
  assert.equal(rtcText({ kind: 'rtc', originAs: 1, rtPrefix: { length: 24, hex: '0002fc' } }), 'rtc 1:0002fc/24');
});

void test('rtc property: decode(encode(x)) deep-equals x', () => {
  fc.assert(fc.property(arbRtcNlri, (n) => assert.deepEqual(decodeOne(rtcCodec, encodeOne(rtcCodec, n)), n)));
});

void test('rtc property: any well-formed NLRI re-encodes to its normalised bytes', () => {
  const arb = fc.tuple(fc.constantFrom(0, ...Array.from({ length: 65 }, (_, i) => 32 + i)), fc.uint8Array({ minLength: 12, maxLength: 12 }));
  fc.assert(
    fc.property(arb, ([bits, body]) => {
      const bytes = Buffer.concat([Buffer.from([bits]), body.subarray(0, (bits + 7) >>> 3)]);
      const n = decodeOne(rtcCodec, bytes);
      assert.deepEqual(JSON.parse(JSON.stringify(n)), n);
      const expected = Buffer.from(bytes);
      if (bits > 32) {
        expected[5] = expected[5]! & 0x3f;
        if (bits & 7) expected[expected.length - 1] = expected[expected.length - 1]! & (0xff << (8 - (bits & 7)));
      }
      assert.deepEqual(encodeOne(rtcCodec, n), expected);
    }),
  );
});

void test('rtc property: random bytes only ever raise WireError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 30 }), (bytes) =>
      onlyWireErrors(() => {
        const r = BufferReader.of(bytes, MP_POLICY);
        while (!r.atEnd) rtcCodec.decode(r, { as4: true, addPath: new Set(), extendedNextHop: new Set(), extendedMessage: false });
      }),
    ),
  );
});
