/**
 * RFC 7606 at the UPDATE level, one test per rule: the malformed part gives the documented
 * outcome and error code, and the rest of the message is kept.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forPropagation } from '../../../src/wire/attributes/index.js';
import { DEFAULT_CONTEXT, PLAIN_CONTEXT, type CodecContext } from '../../../src/wire/context.js';
import { NotifyCode, UpdateSubcode, WireError } from '../../../src/wire/errors.js';
import { decodeUpdateBody, mpReach, routesToWithdraw, type UpdateDecodeOptions, type UpdateDecodeResult } from '../../../src/wire/update.js';
import { cleanHex } from '../../helpers/vectors.js';

const ORIGIN = '40 01 01 00';
const AS_PATH = '40 02 00';
const LOCAL_PREF = '40 05 04 00000064';
const NEXT_HOP = '40 03 04 c0000201';
const EC = 'c0 10 10 030c00000000000a 0002fc0000000001';
const MP_REACH = '80 0e 21 0001 80 0c 0000000000000000 7f004d01 00 78 000111 0001 7f004d01 0000 0a000001';
const MP_UNREACH = '80 0f 13 0001 80 78 800000 0001 7f004d01 0000 0a000001';
const NLRI = '18 0a0000 20 0a000101'; // 10.0.0.0/24, 10.0.1.1/32

/** A body from attribute hex strings, with optional withdrawn routes and NLRI fields. */
function body(attrs: string[], nlri = '', withdrawn = ''): Buffer {
  const a = Buffer.from(cleanHex(attrs.join('')), 'hex');
  const w = Buffer.from(cleanHex(withdrawn), 'hex');
  const head = Buffer.alloc(2);
  head.writeUInt16BE(w.length);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(a.length);
  return Buffer.concat([head, w, len, a, Buffer.from(cleanHex(nlri), 'hex')]);
}

function decode(b: Buffer, ctx: CodecContext = DEFAULT_CONTEXT, options: UpdateDecodeOptions = {}): UpdateDecodeResult {
  const r = decodeUpdateBody(b, ctx, options);
  assert.deepEqual(JSON.parse(JSON.stringify(r.message)), r.message);
  return r;
}

const types = (r: UpdateDecodeResult): string[] => r.message.attributes.map((a) => a.type);
const codes = (r: UpdateDecodeResult): string[] => r.errors.map((e) => e.code);

function resets(b: Buffer, code: string, subcode: UpdateSubcode, ctx: CodecContext = DEFAULT_CONTEXT, options: UpdateDecodeOptions = {}): WireError {
  let caught: WireError | undefined;
  assert.throws(
    () => decodeUpdateBody(b, ctx, options),
    (e: unknown) => {
      assert.ok(e instanceof WireError, String(e));
      assert.equal(e.code, code);
      assert.equal(e.outcome, 'session-reset');
      assert.equal(e.notification.code, NotifyCode.Update);
      assert.equal(e.notification.subcode, subcode);
      caught = e;
      return true;
    },
  );
  return caught!;
}

test('valid VPN UPDATE: no error, no outcome', () => {
  const r = decode(body([ORIGIN, AS_PATH, LOCAL_PREF, EC, MP_REACH]));
  assert.deepEqual(r.errors, []);
  assert.equal(r.outcome, undefined);
  assert.equal(r.disabledFamilies, undefined);
  assert.deepEqual(types(r), ['origin', 'as-path', 'local-pref', 'ext-communities', 'mp-reach']);
});

test('§3 (b): withdrawn routes length past the message → session reset, Malformed Attribute List', () => {
  const b = Buffer.from('00100000', 'hex');
  const e = resets(b, 'bad-withdrawn-length', UpdateSubcode.MalformedAttributeList);
  assert.equal(e.message, 'UPDATE: withdrawn routes length 16 exceeds the 0 byte(s) available');
});

test('§3 (b): total path attribute length past the message → session reset', () => {
  const b = body([ORIGIN, AS_PATH]);
  b.writeUInt16BE(8, 2);
  const e = resets(b, 'bad-attribute-list-length', UpdateSubcode.MalformedAttributeList);
  assert.equal(e.message, 'UPDATE: total path attribute length 8 exceeds the 7 byte(s) left');
  resets(Buffer.from('000000', 'hex'), 'bad-update-length', UpdateSubcode.MalformedAttributeList);
});

test('§4: attribute length running past the list → treat-as-withdraw, NLRI still located', () => {
  // LOCAL_PREF claims 8 bytes, only 4 are inside the attribute list; the NLRI field follows.
  const r = decode(body([ORIGIN, AS_PATH, NEXT_HOP, '40 05 08 00000064'], NLRI));
  assert.equal(r.outcome, 'treat-as-withdraw');
  assert.deepEqual(codes(r), ['attribute-length-overrun']);
  assert.match(r.errors[0]!.message, /^LOCAL_PREF: length 8 runs past the attribute list \(4 byte\(s\) left\)/);
  assert.deepEqual(types(r), ['origin', 'as-path', 'next-hop']);
  assert.deepEqual(
    r.message.nlri.map((n) => n.prefix),
    ['10.0.0.0/24', '10.0.1.1/32'],
  );
  assert.deepEqual(routesToWithdraw(r.message), [{ afi: 1, safi: 1, nlri: r.message.nlri }]);
});

test('§4: fewer than 3 bytes left for an attribute header → treat-as-withdraw', () => {
  const r = decode(body([MP_REACH, ORIGIN, AS_PATH, '40 05']));
  assert.equal(r.outcome, 'treat-as-withdraw');
  assert.deepEqual(codes(r), ['attribute-header-truncated']);
  assert.deepEqual(types(r), ['mp-reach', 'origin', 'as-path']);
  // An extended-length header needs 4 bytes.
  const r2 = decode(body([MP_REACH, ORIGIN, AS_PATH, '50 05 00']));
  assert.deepEqual(codes(r2), ['attribute-header-truncated']);
  assert.match(r2.errors[0]!.message, /3 byte\(s\) left .* needs 4/);
});

test('§4: a zero length where a value is required is a length error', () => {
  const r = decode(body([ORIGIN, AS_PATH, '80 04 00', MP_REACH]));
  assert.equal(r.outcome, 'treat-as-withdraw');
  assert.deepEqual(codes(r), ['bad-attribute-length']);
  assert.deepEqual(types(r), ['origin', 'as-path', 'mp-reach']);
});

test('§3 (c): Optional/Transitive bits in conflict → treat-as-withdraw, Attribute Flags Error with the attribute', () => {
  const r = decode(body([ORIGIN, AS_PATH, 'c0 05 04 00000064', EC, MP_REACH]));
  assert.equal(r.outcome, 'treat-as-withdraw');
  assert.deepEqual(codes(r), ['bad-attribute-flags']);
  const e = r.errors[0]!;
  assert.equal(e.notification.subcode, UpdateSubcode.AttributeFlagsError);
  assert.equal(Buffer.from(e.notification.data!).toString('hex'), 'c0050400000064');
  assert.deepEqual(types(r), ['origin', 'as-path', 'ext-communities', 'mp-reach']);
});

test('§3 (c): Partial on a well-known attribute is a flags error; on an optional one it is fine', () => {
  const r = decode(body(['60 01 01 00', AS_PATH, MP_REACH]));
  assert.deepEqual(codes(r), ['bad-attribute-flags']);
  assert.equal(r.outcome, 'treat-as-withdraw');
  const ok = decode(body([ORIGIN, AS_PATH, 'e0 10 10 030c00000000000a 0002fc0000000001', MP_REACH]));
  assert.deepEqual(ok.errors, []);
});

test('§3 (d): missing ORIGIN / AS_PATH with MP_REACH_NLRI → treat-as-withdraw, Missing Well-known Attribute', () => {
  const r = decode(body([LOCAL_PREF, MP_REACH]));
  assert.equal(r.outcome, 'treat-as-withdraw');
  assert.deepEqual(codes(r), ['missing-well-known-attribute', 'missing-well-known-attribute']);
  assert.deepEqual(
    r.errors.map((e) => [...e.notification.data!]),
    [[1], [2]],
  );
  assert.equal(r.errors[0]!.message, 'UPDATE: ORIGIN missing with reachable NLRI (RFC 7606 §3 (d))');
  assert.deepEqual(types(r), ['local-pref', 'mp-reach']);
});

test('§3 (d): NEXT_HOP is mandatory only with a classic NLRI field; LOCAL_PREF only from internal peers', () => {
  const r = decode(body([ORIGIN, AS_PATH], NLRI));
  assert.deepEqual(codes(r), ['missing-well-known-attribute']);
  assert.match(r.errors[0]!.message, /NEXT_HOP missing/);
  assert.deepEqual(decode(body([ORIGIN, AS_PATH, MP_REACH])).errors, []);
  const ibgp = decode(body([ORIGIN, AS_PATH, MP_REACH]), DEFAULT_CONTEXT, { peerType: 'internal' });
  assert.deepEqual(codes(ibgp), ['missing-well-known-attribute']);
  assert.match(ibgp.errors[0]!.message, /LOCAL_PREF missing/);
});

test('§3 (d): no mandatory attribute for a withdrawal or an empty UPDATE', () => {
  assert.deepEqual(decode(body([MP_UNREACH])).errors, []);
  assert.deepEqual(decode(body([], '', '18 0a0000')).errors, []);
  assert.deepEqual(decode(body([])).errors, []);
});

test('§3 (e), §7.1-§7.5: ORIGIN, AS_PATH, NEXT_HOP, MED, LOCAL_PREF malformed → treat-as-withdraw', () => {
  // [bad attribute, expected code, index of the good attribute it replaces (-1: added)]
  const cases: [string, string, number][] = [
    ['40 01 01 05', 'bad-origin-value', 0],
    ['40 02 02 02 00', 'bad-as-path', 1],
    ['40 02 06 02 01 00000000', 'as-zero', 1],
    ['40 03 05 c000020100', 'bad-attribute-length', -1],
    ['80 04 02 0000', 'bad-attribute-length', -1],
    ['40 05 03 000064', 'bad-attribute-length', 2],
  ];
  for (const [hex, code, at] of cases) {
    const attrs = [ORIGIN, AS_PATH, LOCAL_PREF, EC, MP_REACH];
    if (at >= 0) attrs[at] = hex;
    else attrs.splice(3, 0, hex);
    const r = decode(body(attrs));
    assert.equal(r.outcome, 'treat-as-withdraw', hex);
    assert.deepEqual(codes(r), [code], hex);
    assert.equal(r.message.attributes.length, 5 - (at >= 0 ? 1 : 0), hex);
    assert.ok(types(r).includes('mp-reach') && types(r).includes('ext-communities'), hex);
  }
});

test('§3 (f), §7.6, §7.7: ATOMIC_AGGREGATE / AGGREGATOR malformed → attribute discard, rest intact', () => {
  const r = decode(body([ORIGIN, AS_PATH, '40 06 01 00', 'c0 07 06 fde8 c0000201', LOCAL_PREF, MP_REACH]));
  assert.equal(r.outcome, 'attribute-discard');
  assert.deepEqual(codes(r), ['bad-attribute-length', 'bad-attribute-length']);
  assert.deepEqual(types(r), ['origin', 'as-path', 'local-pref', 'mp-reach']);
  assert.deepEqual(r.message, decode(body([ORIGIN, AS_PATH, LOCAL_PREF, MP_REACH])).message);
});

test('§3 (g): a repeated attribute is discarded, the first one kept', () => {
  const r = decode(body([ORIGIN, AS_PATH, LOCAL_PREF, '40 05 04 000000c8', MP_REACH]));
  assert.equal(r.outcome, 'attribute-discard');
  assert.deepEqual(codes(r), ['duplicate-attribute']);
  assert.equal(r.message.attributes.find((a) => a.type === 'local-pref')?.flags, 0x40);
  assert.deepEqual(
    r.message.attributes.filter((a) => a.type === 'local-pref'),
    [{ type: 'local-pref', flags: 0x40, value: 100 }],
  );
  // An unknown attribute repeated too.
  const u = decode(body([ORIGIN, AS_PATH, 'c0 63 01 01', 'c0 63 01 02', MP_REACH]));
  assert.deepEqual(codes(u), ['duplicate-attribute']);
  assert.deepEqual(u.message.attributes[2], { type: 'unknown', code: 99, flags: 0xc0, hex: '01' });
});

test('§3 (g): a repeated MP_REACH_NLRI or MP_UNREACH_NLRI resets the session', () => {
  resets(body([ORIGIN, AS_PATH, MP_REACH, MP_REACH]), 'duplicate-mp-attribute', UpdateSubcode.MalformedAttributeList);
  resets(body([MP_UNREACH, MP_UNREACH]), 'duplicate-mp-attribute', UpdateSubcode.MalformedAttributeList);
});

test('§3 (h): the strongest approach wins', () => {
  const r = decode(body([ORIGIN, AS_PATH, '40 06 01 00', '40 05 03 000064', MP_REACH]));
  assert.deepEqual(
    r.errors.map((e) => e.outcome),
    ['attribute-discard', 'treat-as-withdraw'],
  );
  assert.equal(r.outcome, 'treat-as-withdraw');
  const r2 = decode(body([ORIGIN, AS_PATH, '40 05 03 000064', '80 0e 09 0001 80 04 7f004d01 00']));
  assert.deepEqual(
    r2.errors.map((e) => e.outcome),
    ['treat-as-withdraw', 'afi-safi-disable'],
  );
  assert.equal(r2.outcome, 'afi-safi-disable');
});

test('§3 (i), §5.3: a syntactically incorrect withdrawn routes field resets the session', () => {
  const e = resets(body([], '', '21 0a000001 01'), 'bad-prefix-length', UpdateSubcode.InvalidNetworkField);
  assert.equal(e.message, 'UPDATE withdrawn routes: prefix length 33 exceeds 32');
  resets(body([], '', '18 0a00'), 'truncated', UpdateSubcode.InvalidNetworkField);
});

test('§5.3: a syntactically incorrect NLRI field resets the session', () => {
  const e = resets(body([ORIGIN, AS_PATH, NEXT_HOP], '18 0a00'), 'truncated', UpdateSubcode.InvalidNetworkField);
  assert.match(e.message, /^UPDATE NLRI: /);
});

test('§5.2: attributes, no reachable NLRI, and an error above discard → session reset', () => {
  // BaGPipe-style withdrawal (full attributes + MP_UNREACH) with a malformed LOCAL_PREF.
  const e = resets(body([ORIGIN, AS_PATH, '40 05 03 000064', EC, MP_UNREACH]), 'bad-attribute-length', UpdateSubcode.AttributeLengthError);
  assert.equal(e.message, 'UPDATE without reachable NLRI (RFC 7606 §5.2): LOCAL_PREF: length 3, expected 4');
  // Only attribute-discard errors: kept, not escalated.
  const ok = decode(body([ORIGIN, AS_PATH, '40 06 01 00', MP_UNREACH]));
  assert.equal(ok.outcome, 'attribute-discard');
  // The same withdrawal, well formed, decodes with no error.
  assert.deepEqual(decode(body([ORIGIN, AS_PATH, LOCAL_PREF, EC, MP_UNREACH])).errors, []);
});

test('§7.11: MP_REACH_NLRI next hop of the wrong length → AFI/SAFI disable, family named, rest kept', () => {
  const r = decode(body([ORIGIN, AS_PATH, LOCAL_PREF, EC, '80 0e 09 0001 80 04 7f004d01 00']));
  assert.equal(r.outcome, 'afi-safi-disable');
  assert.deepEqual(r.disabledFamilies, [{ afi: 1, safi: 128 }]);
  assert.deepEqual(codes(r), ['bad-next-hop-length']);
  assert.equal(r.errors[0]!.notification.subcode, UpdateSubcode.OptionalAttributeError);
  assert.deepEqual(types(r), ['origin', 'as-path', 'local-pref', 'ext-communities']);
  assert.equal(mpReach(r.message), undefined);
});

test('§5.3, §7.11: MP_REACH_NLRI / MP_UNREACH_NLRI with unparsable NLRI → AFI/SAFI disable', () => {
  const r = decode(body([ORIGIN, AS_PATH, '80 0e 1f 0001 80 0c 0000000000000000 7f004d01 00 78 000111 0001 7f004d01 0000 0a00']));
  assert.deepEqual(r.disabledFamilies, [{ afi: 1, safi: 128 }]);
  assert.equal(r.outcome, 'afi-safi-disable');
  const u = decode(body(['80 0f 06 0019 46 02 25 00']));
  assert.deepEqual(u.disabledFamilies, [{ afi: 25, safi: 70 }]);
  assert.equal(u.outcome, 'afi-safi-disable');
});

test('§7.11: MP_REACH_NLRI too short to name its family → session reset', () => {
  resets(body([ORIGIN, AS_PATH, '80 0e 02 0001']), 'bad-attribute-length', UpdateSubcode.OptionalAttributeError);
});

test('§7.8, §7.14, RFC 8092: COMMUNITIES / EXTENDED_COMMUNITIES / LARGE_COMMUNITY bad length → treat-as-withdraw', () => {
  for (const bad of ['c0 08 03 000001', 'c0 10 04 00020000', 'c0 20 04 00000001']) {
    const r = decode(body([ORIGIN, AS_PATH, LOCAL_PREF, bad, MP_REACH]));
    assert.equal(r.outcome, 'treat-as-withdraw', bad);
    assert.deepEqual(codes(r), ['bad-attribute-length'], bad);
    assert.deepEqual(types(r), ['origin', 'as-path', 'local-pref', 'mp-reach'], bad);
  }
});

test('§7.9, §7.10: ORIGINATOR_ID / CLUSTER_LIST bad length → treat-as-withdraw', () => {
  for (const bad of ['80 09 03 0a0000', '80 0a 02 0a00']) {
    const r = decode(body([ORIGIN, AS_PATH, bad, MP_REACH]));
    assert.equal(r.outcome, 'treat-as-withdraw', bad);
  }
});

test('§7.5, §7.9, §7.10: LOCAL_PREF, ORIGINATOR_ID, CLUSTER_LIST from an external peer are discarded', () => {
  const r = decode(body([ORIGIN, AS_PATH, LOCAL_PREF, '80 09 04 0a000001', '80 0a 04 0a000001', MP_REACH]), DEFAULT_CONTEXT, { peerType: 'external' });
  assert.equal(r.outcome, 'attribute-discard');
  assert.deepEqual(codes(r), ['ibgp-only-attribute', 'ibgp-only-attribute', 'ibgp-only-attribute']);
  assert.deepEqual(types(r), ['origin', 'as-path', 'mp-reach']);
});

test('PMSI_TUNNEL malformed → treat-as-withdraw', () => {
  const r = decode(body([ORIGIN, AS_PATH, 'c0 16 03 000600', MP_REACH]));
  assert.equal(r.outcome, 'treat-as-withdraw');
  assert.deepEqual(codes(r), ['bad-attribute-length']);
});

test('RFC 6793: AS4_PATH / AS4_AGGREGATOR kept from a 2-octet peer, discarded between 4-octet peers, discarded when malformed', () => {
  const as4 = ['c0 11 06 02 01 fa56ea00', 'c0 12 08 fa56ea00 c0000201'];
  const old = decode(body([ORIGIN, '40 02 04 02 01 5ba0', ...as4, MP_REACH]), PLAIN_CONTEXT);
  assert.deepEqual(old.errors, []);
  assert.deepEqual(types(old), ['origin', 'as-path', 'as4-path', 'as4-aggregator', 'mp-reach']);
  const now = decode(body([ORIGIN, AS_PATH, ...as4, MP_REACH]));
  assert.deepEqual(codes(now), ['unexpected-as4-attribute', 'unexpected-as4-attribute']);
  assert.equal(now.outcome, 'attribute-discard');
  const bad = decode(body([ORIGIN, '40 02 04 02 01 5ba0', 'c0 11 02 02 00', MP_REACH]), PLAIN_CONTEXT);
  assert.equal(bad.outcome, 'attribute-discard');
  assert.deepEqual(types(bad), ['origin', 'as-path', 'mp-reach']);
});

test('RFC 4271 §6.3: an unrecognised well-known attribute resets the session', () => {
  const e = resets(body([ORIGIN, AS_PATH, '40 63 01 00', MP_REACH]), 'unrecognized-well-known-attribute', UpdateSubcode.UnrecognizedWellKnownAttribute);
  assert.equal(Buffer.from(e.notification.data!).toString('hex'), '40630100');
});

test('RFC 4271 §5, §9: unknown optional attributes are kept opaque; forPropagation marks or drops them', () => {
  const r = decode(body([ORIGIN, AS_PATH, 'c0 63 02 abcd', '80 64 01 01', MP_REACH]));
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.message.attributes.slice(2, 4), [
    { type: 'unknown', code: 99, flags: 0xc0, hex: 'abcd' },
    { type: 'unknown', code: 100, flags: 0x80, hex: '01' },
  ]);
  assert.deepEqual(
    forPropagation(r.message.attributes).map((a) => (a.type === 'unknown' ? [a.code, a.flags] : a.type)),
    ['origin', 'as-path', [99, 0xe0], 'mp-reach'],
  );
});

test('treat-as-withdraw: routesToWithdraw lists every route of the UPDATE by family', () => {
  const r = decode(body([ORIGIN, AS_PATH, NEXT_HOP, '40 05 03 000064', MP_REACH, MP_UNREACH], NLRI, '18 0b0000'));
  assert.equal(r.outcome, 'treat-as-withdraw');
  const w = routesToWithdraw(r.message);
  assert.deepEqual(
    w.map((f) => [f.afi, f.safi, f.nlri.length]),
    [
      [1, 1, 3],
      [1, 128, 2],
    ],
  );
});
