/** Encoding rules (default flags, extended length, input errors) and the attribute helpers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  asPathText,
  communityText,
  communityValue,
  decodeAttribute,
  encodeAttribute,
  forPropagation,
  standardFlags,
  type PathAttribute,
} from '../../../src/wire/attributes/index.js';
import { DEFAULT_CONTEXT, PLAIN_CONTEXT } from '../../../src/wire/context.js';
import { WireError } from '../../../src/wire/errors.js';
import type { Label24 } from '../../../src/wire/label.js';

const hexOf = (a: PathAttribute, ctx = DEFAULT_CONTEXT): string => encodeAttribute(a, ctx).toString('hex');

function throwsCode(fn: () => unknown, code: string, message?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof WireError, String(e));
    assert.equal(e.code, code);
    if (message) assert.match(e.message, message);
    return true;
  });
}

test('encode: no flags → the standard flags of the attribute', () => {
  assert.equal(hexOf({ type: 'origin', value: 'igp' }), '40010100');
  assert.equal(hexOf({ type: 'local-pref', value: 100 }), '40050400000064');
  assert.equal(hexOf({ type: 'med', value: 7 }), '80040400000007');
  assert.equal(hexOf({ type: 'communities', communities: ['no-export'] }), 'c00804ffffff01');
  assert.equal(hexOf({ type: 'mp-unreach', afi: 1, safi: 128, nlri: [] }), '800f03000180');
  assert.equal(
    hexOf({ type: 'mp-reach', afi: 1, safi: 132, nextHop: ['127.0.77.1'], nlri: [{ kind: 'rtc', originAs: 64512, routeTarget: { type: 'route-target', form: 0, value: '64512:1' } }] }),
    '800e16000184047f004d0100600000fc000002fc0000000001',
  );
  assert.equal(standardFlags('pmsi-tunnel'), 0xc0);
  assert.equal(standardFlags('unknown'), undefined);
});

test('encode: no flags and a value over 255 bytes → Extended Length and a 2-byte length', () => {
  const communities = Array.from({ length: 70 }, (_, i) => `65000:${i}`);
  const bytes = encodeAttribute({ type: 'communities', communities });
  assert.equal(bytes.subarray(0, 4).toString('hex'), 'd0080118');
  assert.equal(bytes.length, 4 + 280);
  assert.deepEqual(decodeAttribute(bytes), { type: 'communities', flags: 0xd0, communities });
});

test('encode: given flags are written as is; Extended Length decides the length size', () => {
  assert.equal(hexOf({ type: 'local-pref', flags: 0x50, value: 1 }), '5005000400000001');
  assert.equal(hexOf({ type: 'unknown', code: 200, flags: 0xd0, hex: 'aa' }), 'd0c80001aa');
  const communities = Array.from({ length: 70 }, (_, i) => `1:${i}`);
  throwsCode(() => encodeAttribute({ type: 'communities', flags: 0xc0, communities }), 'attribute-too-long', /COMMUNITIES: the value exceeds 255 bytes/);
  throwsCode(() => encodeAttribute({ type: 'unknown', code: 200, flags: 0xc0, hex: 'aa'.repeat(256) }), 'attribute-too-long');
});

test('encode: invalid JSON fails with a clear WireError', () => {
  throwsCode(() => encodeAttribute({ type: 'origin', value: 'bgp' } as unknown as PathAttribute), 'bad-origin-value');
  throwsCode(() => encodeAttribute({ type: 'as-path', segments: [{ type: 'as-sequence', asns: [70000] }] }, PLAIN_CONTEXT), 'bad-as-path', /AS 70000 does not fit 2 octets/);
  throwsCode(() => encodeAttribute({ type: 'as-path', segments: [{ type: 'as-sequence', asns: [] }] }), 'bad-as-path', /1\.\.255/);
  throwsCode(() => encodeAttribute({ type: 'aggregator', asn: 70000, address: '1.2.3.4' }, PLAIN_CONTEXT), 'value-out-of-range', /AGGREGATOR/);
  throwsCode(() => encodeAttribute({ type: 'next-hop', value: '1.2.3' }), 'bad-address-text', /NEXT_HOP/);
  throwsCode(() => encodeAttribute({ type: 'communities', communities: ['65536:1'] }), 'bad-community');
  throwsCode(() => encodeAttribute({ type: 'communities', communities: [] }), 'empty-attribute');
  throwsCode(() => encodeAttribute({ type: 'large-communities', communities: ['1:2'] }), 'bad-community');
  throwsCode(() => encodeAttribute({ type: 'bogus' } as unknown as PathAttribute), 'unknown-attribute-type');
  throwsCode(() => encodeAttribute({ type: 'unknown', code: 99, hex: '00' } as unknown as PathAttribute), 'missing-flags');
  throwsCode(
    () => encodeAttribute({ type: 'pmsi-tunnel', tunnelFlags: 0, tunnelType: 'rsvp-te-p2mp', label: 0 as Label24, tunnelId: { kind: 'address', address: '1.2.3.4' } }),
    'bad-pmsi-tunnel',
  );
  throwsCode(() => encodeAttribute({ type: 'mp-reach', afi: 1, safi: 128, nextHop: [], nextHopHex: '01', nlri: [] }), 'bad-next-hop');
  throwsCode(() => encodeAttribute({ type: 'mp-reach', afi: 1, safi: 128, nextHop: [], nlri: [] }), 'bad-next-hop', /needs a next hop/);
  throwsCode(() => encodeAttribute({ type: 'mp-reach', afi: 1, safi: 1, nextHop: ['1.1.1.1', '2.2.2.2'], nlri: [] }), 'bad-next-hop');
  throwsCode(() => encodeAttribute({ type: 'mp-reach', afi: 1, safi: 1, nextHop: ['1.1.1.1'], nextHopRds: ['0000000000000001'], nlri: [] }), 'bad-next-hop');
  throwsCode(() => encodeAttribute({ type: 'mp-reach', afi: 1, safi: 128, nextHop: ['1.1.1.1'], nlri: [{ kind: 'prefix', prefix: '10.0.0.0/8' }] }), 'nlri-kind-mismatch');
});

test('forPropagation: Partial on unknown optional transitive, unknown non-transitive dropped', () => {
  const attrs: PathAttribute[] = [
    { type: 'origin', flags: 0x40, value: 'igp' },
    { type: 'unknown', code: 99, flags: 0xc0, hex: '01' },
    { type: 'unknown', code: 98, flags: 0x80, hex: '02' },
    { type: 'unknown', code: 97, flags: 0xd0, hex: '03' },
    { type: 'med', flags: 0x80, value: 5 },
  ];
  const copy = structuredClone(attrs);
  assert.deepEqual(forPropagation(attrs), [
    { type: 'origin', flags: 0x40, value: 'igp' },
    { type: 'unknown', code: 99, flags: 0xe0, hex: '01' },
    { type: 'unknown', code: 97, flags: 0xf0, hex: '03' },
    { type: 'med', flags: 0x80, value: 5 },
  ]);
  assert.deepEqual(attrs, copy, 'input unchanged');
  assert.equal(encodeAttribute(forPropagation(attrs)[1]!).toString('hex'), 'e0630101');
});

test('community and AS path text helpers', () => {
  assert.equal(communityText(0xffffff01), 'no-export');
  assert.equal(communityText(0xfde80064), '65000:100');
  assert.equal(communityValue('no-peer'), 0xffffff04);
  assert.equal(communityValue('1:2'), 0x00010002);
  assert.equal(
    asPathText([
      { type: 'as-sequence', asns: [64512, 65000] },
      { type: 'as-set', asns: [1, 2] },
      { type: 'as-confed-sequence', asns: [3] },
      { type: 'as-confed-set', asns: [4, 5] },
    ]),
    '64512 65000 {1 2} (3) [4 5]',
  );
});
