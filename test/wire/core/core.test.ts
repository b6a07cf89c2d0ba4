import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { adminValueBytes, adminValueText, parseAdminValue } from '../../../src/wire/admin-value.js';
import { familyName, parseFamilyName } from '../../../src/wire/afi.js';
import { NotifyCode, UpdateSubcode, WireError, strongerOutcome } from '../../../src/wire/errors.js';
import { fromHex, toHex } from '../../../src/wire/hex.js';
import { ipToBytes, ipToText, normalisePrefix, readPrefixBits, writePrefixBytes } from '../../../src/wire/ip.js';
import { fromMplsLabel, fromVni, isBottomOfStack, label24, mplsLabel, vni } from '../../../src/wire/label.js';
import { BufferReader } from '../../../src/wire/reader.js';
import { parseRd, rdText, readRd, writeRd } from '../../../src/wire/route-distinguisher.js';
import { BufferWriter } from '../../../src/wire/writer.js';

test('reader: reads big-endian values and fails with its policy on a short read', () => {
  const r = BufferReader.of(Buffer.from('0102030405060708aa', 'hex'), {
    what: 'LOCAL_PREF',
    outcome: 'treat-as-withdraw',
    notification: { code: NotifyCode.Update, subcode: UpdateSubcode.AttributeLengthError },
  });
  assert.equal(r.u8(), 1);
  assert.equal(r.u16(), 0x0203);
  assert.equal(r.u24(), 0x040506);
  assert.equal(r.remaining, 3);
  const sub = r.sub(2);
  assert.equal(sub.u16(), 0x0708);
  assert.equal(r.remaining, 1);
  assert.throws(
    () => r.u32(),
    (e: unknown) =>
      e instanceof WireError &&
      e.code === 'truncated' &&
      e.outcome === 'treat-as-withdraw' &&
      e.notification.subcode === Number(UpdateSubcode.AttributeLengthError) &&
      e.message === 'LOCAL_PREF: need 4 byte(s), 1 left',
  );
  // A failed read consumes nothing.
  assert.equal(r.u8(), 0xaa);
  assert.ok(r.atEnd);
});

test('writer: grows, backfills length prefixes, and rejects out-of-range values', () => {
  const w = new BufferWriter(2);
  w.u8(1).lengthPrefixed(2, (x) => x.u32(0xdeadbeef).u24(0x0a0b0c));
  assert.equal(w.finish().toString('hex'), '010007deadbeef0a0b0c');
  assert.throws(() => new BufferWriter().u8(256), (e: unknown) => e instanceof WireError && e.code === 'value-out-of-range');
  assert.throws(() => new BufferWriter().u16(-1), WireError);
  assert.throws(() => new BufferWriter().lengthPrefixed(1, (x) => x.bytes(Buffer.alloc(256))), WireError);
});

test('label: the raw 24 bits are read as MPLS label or VNI only on request', () => {
  const raw = label24(0x000111);
  assert.equal(mplsLabel(raw), 17);
  assert.ok(isBottomOfStack(raw));
  assert.equal(vni(raw), 0x111);
  assert.equal(fromMplsLabel(17), 0x000111);
  assert.equal(fromMplsLabel(17, false), 0x000110);
  assert.equal(fromVni(5000), 5000); // RFC 8365 §5.1.3: no shift for VXLAN
  assert.throws(() => fromMplsLabel(1 << 20), WireError);
  assert.throws(() => label24(1 << 24), WireError);
});

test('outcomes: the strongest wins (RFC 7606 §3 j)', () => {
  assert.equal(strongerOutcome('attribute-discard', 'treat-as-withdraw'), 'treat-as-withdraw');
  assert.equal(strongerOutcome('session-reset', 'afi-safi-disable'), 'session-reset');
  assert.equal(strongerOutcome('afi-safi-disable', 'attribute-discard'), 'afi-safi-disable');
});

test('families: names follow the original and round-trip, unknown ones numerically', () => {
  assert.equal(familyName(1, 128), 'ipv4/mpls-vpn');
  assert.equal(familyName(25, 70), 'l2vpn/evpn');
  assert.equal(familyName(1, 134), 'ipv4/flow-vpn');
  assert.equal(familyName(9, 77), 'afi-9/safi-77');
  assert.deepEqual(parseFamilyName('afi-9/safi-77'), { afi: 9, safi: 77 });
  assert.deepEqual(parseFamilyName('ipv4/rtc'), { afi: 1, safi: 132 });
  assert.equal(parseFamilyName('ipv4'), undefined);
  assert.equal(parseFamilyName('ipv4/nope'), undefined);
});

test('ip: prefixes are normalised and bounded', () => {
  const w = new BufferWriter();
  assert.equal(writePrefixBytes(w, '10.1.2.3/20'), 20);
  assert.equal(w.finish().toString('hex'), '0a0100');
  assert.equal(readPrefixBits(BufferReader.of(Buffer.from('0a01ff', 'hex')), 20, 4), '10.1.240.0/20');
  assert.equal(readPrefixBits(BufferReader.of(Buffer.from('20010db8', 'hex')), 32, 6), '2001:db8::/32');
  assert.equal(readPrefixBits(BufferReader.of(Buffer.alloc(0)), 0, 4), '0.0.0.0/0');
  assert.throws(() => readPrefixBits(BufferReader.of(Buffer.alloc(5)), 33, 4), (e: unknown) => e instanceof WireError && e.code === 'bad-prefix-length');
  assert.equal(normalisePrefix('2001:db8::1/64'), '2001:db8::/64');
  assert.equal(ipToText(ipToBytes('fe80::1')), 'fe80::1');
  for (const bad of ['10.0.0.256', '1.2.3', 'x', '10.0.0.1/33'])
    assert.throws(() => (bad.includes('/') ? normalisePrefix(bad) : ipToBytes(bad)), WireError);
});

test('admin values and route distinguishers: the three layouts', () => {
  assert.equal(adminValueBytes(0, '64512:10').toString('hex'), 'fc000000000a');
  assert.equal(adminValueBytes(1, '127.0.77.1:2').toString('hex'), '7f004d010002');
  assert.equal(adminValueBytes(2, '4200000000:7').toString('hex'), 'fa56ea000007');
  assert.equal(adminValueText(1, Buffer.from('7f004d010002', 'hex')), '127.0.77.1:2');
  assert.deepEqual(parseAdminValue('4200000000:7'), { type: 2, value: '4200000000:7' });
  assert.deepEqual(parseAdminValue('64512L:7'), { type: 2, value: '64512:7' });
  assert.deepEqual(parseAdminValue('10.0.0.1:7'), { type: 1, value: '10.0.0.1:7' });
  assert.throws(() => parseAdminValue('10.0.0.1:70000'), WireError);
  assert.throws(() => parseAdminValue('64512'), WireError);
  const rd = readRd(BufferReader.of(Buffer.from('00017f004d010002', 'hex')));
  assert.deepEqual(rd, { type: 1, value: '127.0.77.1:2' });
  assert.equal(rdText(rd), '127.0.77.1:2');
  assert.deepEqual(parseRd('64512:1'), { type: 0, value: '64512:1' });
  const unknown = readRd(BufferReader.of(Buffer.from('0005010203040506', 'hex')));
  assert.deepEqual(unknown, { type: 5, value: '010203040506' });
  const w = new BufferWriter();
  writeRd(w, unknown);
  assert.equal(w.finish().toString('hex'), '0005010203040506');
});

test('property: RD bytes round-trip through their JSON form', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), (bytes) => {
      const rd = readRd(BufferReader.of(bytes));
      const w = new BufferWriter();
      writeRd(w, rd);
      assert.equal(toHex(w.finish()), toHex(bytes));
    }),
  );
});

test('hex: tolerant parsing, clear failure', () => {
  assert.equal(fromHex('0xFF ff:01').toString('hex'), 'ffff01');
  assert.throws(() => fromHex('abc'), (e: unknown) => e instanceof WireError && e.code === 'bad-hex');
});
