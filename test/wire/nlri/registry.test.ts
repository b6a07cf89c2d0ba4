import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { familyKey } from '../../../src/wire/afi.js';
import { contextWith, DEFAULT_CONTEXT } from '../../../src/wire/context.js';
import { flowspecCodecs } from '../../../src/wire/nlri/flowspec/index.js';
import { decodeNlriField, encodeNlriField, isKnownFamily, knownFamilies, nlriCodec, type Nlri } from '../../../src/wire/nlri/registry.js';
import { evpnCodec } from '../../../src/wire/nlri/evpn/index.js';
import { ipv4UnicastCodec, ipv6UnicastCodec } from '../../../src/wire/nlri/ip-prefix.js';
import { rtcCodec } from '../../../src/wire/nlri/rtc.js';
import { vpnIpv4Codec, vpnIpv6Codec } from '../../../src/wire/nlri/vpn-prefix.js';
import { BufferReader } from '../../../src/wire/reader.js';
import { BufferWriter } from '../../../src/wire/writer.js';
import { arbNlriOfFamily } from '../../arbitraries/nlri.js';
import { hex, MP_POLICY, onlyWireErrors, wireError } from './helpers.js';

const VPNV4 = familyKey(1, 128);
const ADD_PATH_VPNV4 = contextWith({ addPath: new Set([VPNV4]) });

function decodeField(afi: number, safi: number, h: string, ctx = DEFAULT_CONTEXT): Nlri[] {
  return decodeNlriField(afi, safi, BufferReader.of(hex(h), MP_POLICY), ctx);
}

function encodeField(afi: number, safi: number, nlris: Nlri[], ctx = DEFAULT_CONTEXT): string {
  const w = new BufferWriter();
  encodeNlriField(afi, safi, w, nlris, ctx);
  return w.finish().toString('hex');
}

void test('registry: one row per family, each with its codec', () => {
  assert.equal(nlriCodec(1, 1), ipv4UnicastCodec);
  assert.equal(nlriCodec(2, 1), ipv6UnicastCodec);
  assert.equal(nlriCodec(1, 128), vpnIpv4Codec);
  assert.equal(nlriCodec(2, 128), vpnIpv6Codec);
  assert.equal(nlriCodec(25, 70), evpnCodec);
  assert.equal(nlriCodec(1, 132), rtcCodec);
  for (const c of flowspecCodecs) assert.equal(nlriCodec(c.afi, c.safi), c);
  assert.equal(nlriCodec(1, 4), undefined);
  assert.equal(nlriCodec(25, 65), undefined);
  assert.ok(isKnownFamily(1, 2) && isKnownFamily(2, 2) && isKnownFamily(25, 70));
  assert.ok(!isKnownFamily(16388, 71) && !isKnownFamily(1, 0));
  const keys = knownFamilies().map((f) => familyKey(f.afi, f.safi));
  assert.equal(new Set(keys).size, keys.length, 'a family appears twice in the table');
  assert.equal(keys.length, 8 + flowspecCodecs.length);
});

void test('registry: a field of several VPN-IPv4 NLRI decodes in order and re-encodes to the same bytes', () => {
  const h = '78 000111 0001 7f004d01 0000 0a000001' + '58 000141 0001 7f004d01 0005' + '68 800000 0002 0000fde8 0001 0a01';
  const got = decodeField(1, 128, h);
  assert.deepEqual(
    got.map((n) => (n.kind === 'vpn' ? `${n.rd.value} ${n.prefix} ${n.labels.join(',')}` : n.kind)),
    ['127.0.77.1:0 10.0.0.1/32 273', '127.0.77.1:5 0.0.0.0/0 321', '65000:1 10.1.0.0/16 8388608'],
  );
  assert.equal(encodeField(1, 128, got), h.replace(/ /g, ''));
});

void test('registry: ADD-PATH path ids (RFC 7911) are read before each NLRI of the negotiated family', () => {
  const h = '00000001 78 000111 0001 7f004d01 0000 0a000001' + 'fffffffe 58 000141 0001 7f004d01 0005';
  const got = decodeField(1, 128, h, ADD_PATH_VPNV4);
  assert.deepEqual(got, [
    { kind: 'vpn', labels: [0x111], rd: { type: 1, value: '127.0.77.1:0' }, prefix: '10.0.0.1/32', pathId: 1 },
    { kind: 'vpn', labels: [0x141], rd: { type: 1, value: '127.0.77.1:5' }, prefix: '0.0.0.0/0', pathId: 0xfffffffe },
  ]);
  assert.equal(encodeField(1, 128, got, ADD_PATH_VPNV4), h.replace(/ /g, ''));
  // Other families of the same session are not affected.
  assert.deepEqual(decodeField(1, 1, '18 0a0001', ADD_PATH_VPNV4), [{ kind: 'prefix', prefix: '10.0.1.0/24' }]);
  // Without ADD-PATH the path id is not written, even if the NLRI has one.
  assert.equal(encodeField(1, 128, got.slice(0, 1)), '780001110001 7f004d01 0000 0a000001'.replace(/ /g, ''));
  // With ADD-PATH an NLRI without a path id cannot be encoded.
  assert.throws(
    () => encodeField(1, 128, [{ kind: 'vpn', labels: [], rd: { type: 0, value: '1:1' }, prefix: '10.0.0.0/8' }], ADD_PATH_VPNV4),
    wireError('missing-path-id'),
  );
  // A path id cut short.
  assert.throws(() => decodeField(1, 128, '000000', ADD_PATH_VPNV4), wireError('truncated', 'afi-safi-disable'));
});

void test('registry: ADD-PATH on E-VPN and IPv6 unicast', () => {
  const ctx = contextWith({ addPath: new Set([familyKey(25, 70), familyKey(2, 1)]) });
  const evpn = '0000000a 03 11 0001 7f004d01 0002 00000000 20 7f004d01' + '0000000b 09 01 ff';
  const got = decodeField(25, 70, evpn, ctx);
  assert.deepEqual(got, [
    { kind: 'evpn', routeType: 3, rd: { type: 1, value: '127.0.77.1:2' }, ethernetTag: 0, originatorIp: '127.0.77.1', pathId: 10 },
    { kind: 'evpn', routeType: 9, data: 'ff', pathId: 11 },
  ]);
  assert.equal(encodeField(25, 70, got, ctx), evpn.replace(/ /g, ''));
  assert.deepEqual(decodeField(2, 1, '00000007 20 20010db8', ctx), [{ kind: 'prefix', prefix: '2001:db8::/32', pathId: 7 }]);
});

void test('registry: an unknown E-VPN route type does not stop the field', () => {
  const h = '0a 03 010203' + '02 25 0001 7f004d01 0002 00000000000000000000 00000000 30 525400000002 20 0a000102 001388';
  const got = decodeField(25, 70, h);
  assert.deepEqual(
    got.map((n) => (n.kind === 'evpn' ? n.routeType : -1)),
    [10, 2],
  );
  assert.equal(encodeField(25, 70, got), h.replace(/ /g, ''));
});

void test('registry: an empty field is no NLRI; an unknown family is one opaque NLRI', () => {
  assert.deepEqual(decodeField(1, 128, ''), []);
  assert.deepEqual(decodeField(16388, 71, ''), []);
  assert.deepEqual(decodeField(16388, 71, '0102 0304'), [{ kind: 'opaque', data: '01020304' }]);
  assert.deepEqual(decodeField(16388, 71, '0102', ADD_PATH_VPNV4), [{ kind: 'opaque', data: '0102' }]);
  assert.equal(encodeField(16388, 71, [{ kind: 'opaque', data: '01020304' }]), '01020304');
  assert.equal(encodeField(16388, 71, []), '');
});

void test('registry: encoding checks the NLRI kind against the family', () => {
  assert.throws(() => encodeField(1, 128, [{ kind: 'prefix', prefix: '10.0.0.0/8' }]), wireError('nlri-kind-mismatch'));
  assert.throws(() => encodeField(1, 1, [{ kind: 'opaque', data: '00' }]), wireError('nlri-kind-mismatch'));
  assert.throws(() => encodeField(16388, 71, [{ kind: 'prefix', prefix: '10.0.0.0/8' }]), wireError('nlri-kind-mismatch'));
});

void test('registry: a bad NLRI fails the field with the reader policy', () => {
  assert.throws(() => decodeField(1, 128, '78 000111 0001 7f004d01 0000 0a000001 50'), wireError('bad-vpn-nlri-length', 'afi-safi-disable'));
  assert.throws(() => decodeField(1, 1, '18 0a0001 21 00000000 00'), wireError('bad-prefix-length', 'afi-safi-disable'));
});

const FAMILIES: [number, number][] = [
  [1, 1],
  [2, 1],
  [1, 2],
  [2, 2],
  [1, 128],
  [2, 128],
  [25, 70],
];

for (const [afi, safi] of FAMILIES) {
  const arb = arbNlriOfFamily(afi, safi)!;
  void test(`registry property ${afi}/${safi}: a field round-trips, with and without ADD-PATH`, () => {
    const ctx = contextWith({ addPath: new Set([familyKey(afi, safi)]) });
    fc.assert(
      fc.property(fc.array(arb, { maxLength: 5 }), fc.array(fc.nat(0xffffffff), { minLength: 5, maxLength: 5 }), (nlris, ids) => {
        const plain = nlris as Nlri[];
        const w = new BufferWriter();
        encodeNlriField(afi, safi, w, plain, DEFAULT_CONTEXT);
        assert.deepEqual(decodeNlriField(afi, safi, BufferReader.of(w.finish()), DEFAULT_CONTEXT), plain);
        const withIds = plain.map((n, i) => ({ ...n, pathId: ids[i]! }));
        const w2 = new BufferWriter();
        encodeNlriField(afi, safi, w2, withIds, ctx);
        assert.deepEqual(decodeNlriField(afi, safi, BufferReader.of(w2.finish()), ctx), withIds);
      }),
    );
  });

  void test(`registry property ${afi}/${safi}: random bytes only raise WireError`, () => {
    const ctx = contextWith({ addPath: new Set([familyKey(afi, safi)]) });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), fc.boolean(), (b, addPath) =>
        onlyWireErrors(() => decodeNlriField(afi, safi, BufferReader.of(b, MP_POLICY), addPath ? ctx : DEFAULT_CONTEXT)),
      ),
    );
  });
}
