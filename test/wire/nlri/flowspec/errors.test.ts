/**
 * FlowSpec error handling: malformed NLRI values are treat-as-withdraw (RFC 8955 §4.2 / §10,
 * RFC 7606), leaving the caller's reader past the NLRI; a broken length field fails with the
 * caller's policy; the encoder refuses what would be malformed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CONTEXT } from '../../../../src/wire/context.js';
import { NotifyCode, UpdateSubcode, WireError, type ErrorOutcome } from '../../../../src/wire/errors.js';
import type { NlriCodec } from '../../../../src/wire/nlri/codec.js';
import type { FlowspecComponent, FlowspecNlri } from '../../../../src/wire/nlri/flowspec/index.js';
import { BufferReader, type ShortReadPolicy } from '../../../../src/wire/reader.js';
import { bm, CODECS, decodeOne, encodeOne, fs, num } from './helpers.js';

function bytes(hex: string): Buffer {
  return Buffer.from(hex.replace(/[\s|]/g, ''), 'hex');
}

function isError(code: string, outcome: ErrorOutcome): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof WireError, `not a WireError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.equal(e.outcome, outcome, e.message);
    return true;
  };
}

const MALFORMED: [string, NlriCodec<FlowspecNlri>, string, string][] = [
  ['unknown component type 14', CODECS.ipv6, '03 | 0e 81 01', 'flowspec-unknown-component'],
  ['type 13 (flow label) in IPv4', CODECS.ipv4, '03 | 0d 81 01', 'flowspec-unknown-component'],
  ['type 0', CODECS.ipv4, '03 | 00 81 01', 'flowspec-unknown-component'],
  ['types out of order', CODECS.ipv4, '06 | 04 81 19 | 03 81 06', 'flowspec-component-order'],
  ['type repeated', CODECS.ipv4, '06 | 04 81 19 | 04 81 1a', 'flowspec-component-order'],
  ['no component', CODECS.ipv4, '00', 'flowspec-empty'],
  ['VPN: RD and no component', CODECS.vpnIpv4, '08 | 0000 fde8 00000064', 'flowspec-empty'],
  ['VPN: RD cut short', CODECS.vpnIpv6, '04 | 0000 fde8', 'truncated'],
  ['operator list without end-of-list', CODECS.ipv4, '05 | 03 01 06 01 11', 'truncated'],
  ['value cut short', CODECS.ipv4, '03 | 05 91 1f', 'truncated'],
  ['IPv4 prefix cut short', CODECS.ipv4, '04 | 01 18 c0 00', 'truncated'],
  ['IPv4 prefix length 33', CODECS.ipv4, '07 | 01 21 c0 00 02 01 00', 'bad-prefix-length'],
  ['IPv6 prefix length 129', CODECS.ipv6, '04 | 01 81 00 00', 'bad-prefix-length'],
  ['IPv6 offset equal to length', CODECS.ipv6, '07 | 01 20 20 20 01 0d b8', 'flowspec-bad-offset'],
  ['IPv6 offset above length', CODECS.ipv6, '04 | 01 20 28 00', 'flowspec-bad-offset'],
  ['IPv6 pattern cut short', CODECS.ipv6, '05 | 01 68 40 12 34', 'truncated'],
];

for (const [name, codec, hex, code] of MALFORMED) {
  void test(`flowspec malformed NLRI (${name}): ${code}, treat-as-withdraw, reader past the NLRI`, () => {
    // A well-formed NLRI follows: the caller can carry on with it after the error.
    const next = codec === CODECS.vpnIpv4 || codec === CODECS.vpnIpv6 ? '0b | 0000 fde8 00000064 | 03 81 06' : '03 | 03 81 06';
    const r = BufferReader.of(bytes(hex + next));
    assert.throws(() => codec.decode(r, DEFAULT_CONTEXT), (e: unknown) => {
      isError(code, 'treat-as-withdraw')(e);
      const w = e as WireError;
      assert.deepEqual(w.notification, { code: NotifyCode.Update, subcode: UpdateSubcode.OptionalAttributeError });
      assert.match(w.message, /^FlowSpec NLRI: /);
      return true;
    });
    assert.equal(r.offset, bytes(hex).length);
    const n = codec.decode(r, DEFAULT_CONTEXT);
    assert.deepEqual(n.components, [{ type: 'ip-protocol', items: [num('==', 6)] }]);
    assert.ok(r.atEnd);
  });
}

void test('flowspec: a length running past the field fails with the caller policy (framing of the whole field)', () => {
  const policy: ShortReadPolicy = {
    what: 'MP_REACH_NLRI',
    outcome: 'afi-safi-disable',
    notification: { code: NotifyCode.Update, subcode: UpdateSubcode.OptionalAttributeError },
  };
  for (const hex of ['05 | 01 18 c0 00', 'f1 00 | 03 81 06', 'f0']) {
    const r = BufferReader.of(bytes(hex), policy);
    assert.throws(() => CODECS.ipv4.decode(r, DEFAULT_CONTEXT), isError('truncated', 'afi-safi-disable'), hex);
  }
  // Without a policy of its own, the reader's default (session reset) applies.
  assert.throws(() => decodeOne(CODECS.ipv4, bytes('05 | 01 18 c0 00')), isError('truncated', 'session-reset'));
});

void test('flowspec: length boundaries 239 (one octet) / 240 (0xF0F0) / 4095, and over 4095 refused', () => {
  const prefix = { type: 'destination-prefix', prefix: '192.0.2.0/24' } as const; // 5 octets, + 1 type octet
  const ports = (n2: number, n1: number) => [...Array.from({ length: n2 }, (_, i) => num('==', 1000 + i, 2)), ...Array.from({ length: n1 }, () => num('==', 7, 1))];
  const n239 = fs(prefix, { type: 'port', items: ports(77, 1) }); // 6 + 77*3 + 2 = 239
  const n240 = fs(prefix, { type: 'port', items: ports(78, 0) }); // 6 + 78*3 = 240
  const b239 = encodeOne(CODECS.ipv4, n239);
  const b240 = encodeOne(CODECS.ipv4, n240);
  assert.equal(b239.length, 240);
  assert.equal(b239[0], 239);
  assert.equal(b240.length, 242);
  assert.equal(b240.readUInt16BE(0), 0xf0f0);
  assert.deepEqual(decodeOne(CODECS.ipv4, b239), n239);
  assert.deepEqual(decodeOne(CODECS.ipv4, b240), n240);
  const n4095 = fs(prefix, { type: 'port', items: ports(1363, 0) }); // 6 + 1363*3 = 4095
  const b4095 = encodeOne(CODECS.ipv4, n4095);
  assert.equal(b4095.readUInt16BE(0), 0xffff);
  assert.deepEqual(decodeOne(CODECS.ipv4, b4095), n4095);
  const n4096 = fs(prefix, { type: 'port', items: [...ports(1363, 0), num('==', 7, 1)] }); // 4097
  assert.throws(() => encodeOne(CODECS.ipv4, n4096), isError('value-out-of-range', 'session-reset'));
});

const BAD_INPUT: [string, NlriCodec<FlowspecNlri>, FlowspecNlri, string][] = [
  ['VPN without rd', CODECS.vpnIpv4, fs({ type: 'ip-protocol', items: [num('==', 6)] }), 'flowspec-missing-rd'],
  ['rd outside VPN', CODECS.ipv4, { kind: 'flowspec', rd: { type: 0, value: '1:1' }, components: [{ type: 'ip-protocol', items: [num('==', 6)] }] }, 'flowspec-unexpected-rd'],
  ['no component', CODECS.ipv4, fs(), 'flowspec-empty'],
  ['components out of order', CODECS.ipv4, fs({ type: 'port', items: [num('==', 1)] }, { type: 'ip-protocol', items: [num('==', 6)] }), 'flowspec-component-order'],
  ['component repeated', CODECS.ipv4, fs({ type: 'port', items: [num('==', 1)] }, { type: 'port', items: [num('==', 2)] }), 'flowspec-component-order'],
  ['flow label in IPv4', CODECS.ipv4, fs({ type: 'flow-label', items: [num('==', 1)] }), 'flowspec-unknown-component'],
  ['unknown component name', CODECS.ipv4, fs({ type: 'ttl', items: [num('==', 1)] } as unknown as FlowspecComponent), 'flowspec-unknown-component'],
  ['empty operator list', CODECS.ipv4, fs({ type: 'port', items: [] }), 'flowspec-empty-component'],
  ['empty bitmask list', CODECS.ipv4, fs({ type: 'tcp-flags', items: [] }), 'flowspec-empty-component'],
  ['first numeric item ANDed', CODECS.ipv4, fs({ type: 'port', items: [num('==', 1, 1, true)] }), 'flowspec-bad-operator'],
  ['first bitmask item ANDed', CODECS.ipv4, fs({ type: 'tcp-flags', items: [bm('&', 2)] }), 'flowspec-bad-operator'],
  ['unknown operator', CODECS.ipv4, fs({ type: 'port', items: [{ and: false, op: '=>' as '>=', value: 1 }] }), 'flowspec-bad-operator'],
  ['IPv6 fragment with DF', CODECS.ipv6, fs({ type: 'fragment', items: [bm('', 1)] }), 'flowspec-bad-fragment'],
  ['IPv4 fragment reserved bit', CODECS.ipv4, fs({ type: 'fragment', items: [bm('', 0x10, 1)] }), 'flowspec-bad-fragment'],
  ['value too large for its length', CODECS.ipv4, fs({ type: 'port', items: [num('==', 256, 1)] }), 'value-out-of-range'],
  ['value length 3', CODECS.ipv4, fs({ type: 'port', items: [num('==', 1, 3 as 4)] }), 'bad-value-length'],
  ['negative value', CODECS.ipv4, fs({ type: 'port', items: [num('==', -1)] }), 'value-out-of-range'],
  ['fractional value', CODECS.ipv4, fs({ type: 'port', items: [num('==', 1.5)] }), 'value-out-of-range'],
  ['unsafe number', CODECS.ipv4, fs({ type: 'port', items: [num('==', 2 ** 60, 8)] }), 'value-out-of-range'],
  ['non-decimal text', CODECS.ipv4, fs({ type: 'port', items: [num('==', '0x10', 8)] }), 'value-out-of-range'],
  ['text above 2^64-1', CODECS.ipv4, fs({ type: 'port', items: [num('==', '18446744073709551616', 8)] }), 'value-out-of-range'],
  ['IPv6 prefix in IPv4', CODECS.ipv4, fs({ type: 'destination-prefix', prefix: '2001:db8::/32' }), 'bad-address-text'],
  ['IPv4 prefix in IPv6', CODECS.ipv6, fs({ type: 'destination-prefix', prefix: '10.0.0.0/8' }), 'bad-address-text'],
  ['offset in IPv4', CODECS.ipv4, fs({ type: 'destination-prefix', prefix: '10.0.0.0/8', offset: 4 }), 'flowspec-bad-offset'],
  ['IPv6 offset not below length', CODECS.ipv6, fs({ type: 'source-prefix', prefix: '2001:db8::/32', offset: 32 }), 'flowspec-bad-offset'],
  ['bad prefix text', CODECS.ipv4, fs({ type: 'destination-prefix', prefix: '10.0.0.300/8' }), 'bad-address-text'],
];

for (const [name, codec, nlri, code] of BAD_INPUT) {
  void test(`flowspec encode refuses ${name}: ${code}`, () => {
    assert.throws(() => encodeOne(codec, nlri), isError(code, 'session-reset'));
  });
}

void test('flowspec encode: a missing value length picks the minimal one; text values are accepted', () => {
  const n = fs({
    type: 'packet-length',
    items: [
      { and: false, op: '==', value: 0 },
      { and: false, op: '==', value: 255 },
      { and: false, op: '==', value: 256 },
      { and: false, op: '==', value: 65536 },
      { and: false, op: '==', value: 2 ** 32 },
      { and: false, op: '==', value: '18446744073709551615' },
      { and: false, op: '==', value: '7' },
    ],
  });
  assert.equal(
    encodeOne(CODECS.ipv4, n).toString('hex'),
    '21' + '0a' + '0100' + '01ff' + '110100' + '2100010000' + '310000000100000000' + '31ffffffffffffffff' + '8107',
  );
  // IPv4 offset 0 and IPv6 offset 0 are the same as none.
  assert.equal(encodeOne(CODECS.ipv6, fs({ type: 'destination-prefix', prefix: '2001:db8::/32', offset: 0 })).toString('hex'), '070120002001' + '0db8');
  assert.equal(encodeOne(CODECS.ipv4, fs({ type: 'destination-prefix', prefix: '10.0.0.0/8', offset: 0 })).toString('hex'), '0301080a');
  // Host bits and bits before the offset are not part of the pattern.
  assert.equal(encodeOne(CODECS.ipv4, fs({ type: 'destination-prefix', prefix: '10.1.2.3/8' })).toString('hex'), '0301080a');
  assert.equal(encodeOne(CODECS.ipv6, fs({ type: 'source-prefix', prefix: 'ffff::1234:5678:9a00:0/104', offset: 65 })).toString('hex'), '080268412468acf134');
});
