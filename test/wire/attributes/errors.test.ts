/**
 * Malformed attribute values: each gives its RFC 7606 §7 outcome, a stable code, the NOTIFICATION
 * subcode it maps to, the attribute bytes as NOTIFICATION data, and a specific message.
 * decodeAttribute is strict: it throws whatever the UPDATE decoder would only record.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeAttribute } from '../../../src/wire/attributes/index.js';
import { DEFAULT_CONTEXT, PLAIN_CONTEXT, type CodecContext } from '../../../src/wire/context.js';
import { NotifyCode, UpdateSubcode, WireError, type ErrorOutcome } from '../../../src/wire/errors.js';
import { cleanHex } from '../../helpers/vectors.js';

interface Case {
  name: string;
  hex: string;
  ctx?: CodecContext;
  code: string;
  outcome: ErrorOutcome;
  subcode: UpdateSubcode;
  message: string | RegExp;
}

const CASES: Case[] = [
  // RFC 7606 §7.1
  { name: 'ORIGIN length 2', hex: '40 01 02 0000', code: 'bad-attribute-length', outcome: 'treat-as-withdraw', subcode: UpdateSubcode.AttributeLengthError, message: 'ORIGIN: length 2, expected 1' },
  { name: 'ORIGIN value 3', hex: '40 01 01 03', code: 'bad-origin-value', outcome: 'treat-as-withdraw', subcode: UpdateSubcode.InvalidOrigin, message: 'ORIGIN: undefined value 3' },
  // §7.2, RFC 7607
  { name: 'AS_PATH unknown segment type', hex: '40 02 06 05 01 0000fde8', code: 'bad-as-path', outcome: 'treat-as-withdraw', subcode: UpdateSubcode.MalformedAsPath, message: 'AS_PATH: segment 0 has unknown type 5' },
  { name: 'AS_PATH segment count 0', hex: '40 02 02 02 00', code: 'bad-as-path', outcome: 'treat-as-withdraw', subcode: UpdateSubcode.MalformedAsPath, message: 'AS_PATH: segment 0 has an AS count of 0' },
  {
    name: 'AS_PATH segment overrun (2-octet)',
    hex: '40 02 04 02 02 fde8',
    ctx: PLAIN_CONTEXT,
    code: 'bad-as-path',
    outcome: 'treat-as-withdraw',
    subcode: UpdateSubcode.MalformedAsPath,
    message: 'AS_PATH: segment 0 of 2 AS needs 4 bytes, 2 left',
  },
  {
    name: 'AS_PATH one byte after the last segment',
    hex: '40 02 07 02 01 0000fde8 02',
    code: 'bad-as-path',
    outcome: 'treat-as-withdraw',
    subcode: UpdateSubcode.MalformedAsPath,
    message: 'AS_PATH: 1 byte left after segment 0, a segment header needs 2',
  },
  { name: 'AS_PATH with AS 0', hex: '40 02 06 02 01 00000000', code: 'as-zero', outcome: 'treat-as-withdraw', subcode: UpdateSubcode.MalformedAsPath, message: /AS_PATH: segment 0 contains AS 0/ },
  { name: 'AS_PATH 2-octet read as 4-octet', hex: '40 02 06 02 02 fde8 fde9', code: 'bad-as-path', outcome: 'treat-as-withdraw', subcode: UpdateSubcode.MalformedAsPath, message: 'AS_PATH: segment 0 of 2 AS needs 8 bytes, 4 left' },
  // §7.3 - §7.5
  { name: 'NEXT_HOP length 16', hex: '40 03 10 20010db8000000000000000000000001', code: 'bad-attribute-length', outcome: 'treat-as-withdraw', subcode: UpdateSubcode.AttributeLengthError, message: 'NEXT_HOP: length 16, expected 4' },
  { name: 'MULTI_EXIT_DISC length 0', hex: '80 04 00', code: 'bad-attribute-length', outcome: 'treat-as-withdraw', subcode: UpdateSubcode.AttributeLengthError, message: 'MULTI_EXIT_DISC: length 0, expected 4' },
  { name: 'LOCAL_PREF length 3', hex: '40 05 03 000064', code: 'bad-attribute-length', outcome: 'treat-as-withdraw', subcode: UpdateSubcode.AttributeLengthError, message: 'LOCAL_PREF: length 3, expected 4' },
  // §7.6, §7.7
  { name: 'ATOMIC_AGGREGATE length 1', hex: '40 06 01 00', code: 'bad-attribute-length', outcome: 'attribute-discard', subcode: UpdateSubcode.AttributeLengthError, message: 'ATOMIC_AGGREGATE: length 1, expected 0' },
  { name: 'AGGREGATOR length 6 on a 4-octet session', hex: 'c0 07 06 fde8 c0000201', code: 'bad-attribute-length', outcome: 'attribute-discard', subcode: UpdateSubcode.AttributeLengthError, message: 'AGGREGATOR: length 6, expected 8' },
  {
    name: 'AGGREGATOR length 8 on a 2-octet session',
    hex: 'c0 07 08 0000fde8 c0000201',
    ctx: PLAIN_CONTEXT,
    code: 'bad-attribute-length',
    outcome: 'attribute-discard',
    subcode: UpdateSubcode.AttributeLengthError,
    message: 'AGGREGATOR: length 8, expected 6',
  },
  { name: 'AGGREGATOR AS 0', hex: 'c0 07 08 00000000 c0000201', code: 'as-zero', outcome: 'attribute-discard', subcode: UpdateSubcode.OptionalAttributeError, message: 'AGGREGATOR: AS 0 (RFC 7607)' },
  // §7.8 - §7.10, §7.14, RFC 8092
  { name: 'COMMUNITIES length 0', hex: 'c0 08 00', code: 'bad-attribute-length', outcome: 'treat-as-withdraw', subcode: UpdateSubcode.AttributeLengthError, message: 'COMMUNITIES: length 0, expected a non-zero multiple of 4' },
  { name: 'COMMUNITIES length 5', hex: 'c0 08 05 0000000001', code: 'bad-attribute-length', outcome: 'treat-as-withdraw', subcode: UpdateSubcode.AttributeLengthError, message: 'COMMUNITIES: length 5, expected a non-zero multiple of 4' },
  { name: 'ORIGINATOR_ID length 5', hex: '80 09 05 0a00000100', code: 'bad-attribute-length', outcome: 'treat-as-withdraw', subcode: UpdateSubcode.AttributeLengthError, message: 'ORIGINATOR_ID: length 5, expected 4' },
  { name: 'CLUSTER_LIST length 6', hex: '80 0a 06 0a0000010a00', code: 'bad-attribute-length', outcome: 'treat-as-withdraw', subcode: UpdateSubcode.AttributeLengthError, message: 'CLUSTER_LIST: length 6, expected a non-zero multiple of 4' },
  {
    name: 'EXTENDED_COMMUNITIES length 12',
    hex: 'c0 10 0c 0002fc0000000001 00000000',
    code: 'bad-attribute-length',
    outcome: 'treat-as-withdraw',
    subcode: UpdateSubcode.AttributeLengthError,
    message: 'EXTENDED_COMMUNITIES: length 12, expected a non-zero multiple of 8',
  },
  { name: 'LARGE_COMMUNITY length 8', hex: 'c0 20 08 0000fde800000001', code: 'bad-attribute-length', outcome: 'treat-as-withdraw', subcode: UpdateSubcode.AttributeLengthError, message: 'LARGE_COMMUNITY: length 8, expected a non-zero multiple of 12' },
  { name: 'PMSI_TUNNEL length 4', hex: 'c0 16 04 00 06 0013', code: 'bad-attribute-length', outcome: 'treat-as-withdraw', subcode: UpdateSubcode.AttributeLengthError, message: 'PMSI_TUNNEL: length 4, expected at least 5' },
  // RFC 6793 §6
  { name: 'AS4_PATH empty', hex: 'c0 11 00', ctx: PLAIN_CONTEXT, code: 'bad-attribute-length', outcome: 'attribute-discard', subcode: UpdateSubcode.AttributeLengthError, message: /AS4_PATH: length 0/ },
  { name: 'AS4_PATH count 0', hex: 'c0 11 02 02 00', ctx: PLAIN_CONTEXT, code: 'bad-as-path', outcome: 'attribute-discard', subcode: UpdateSubcode.MalformedAsPath, message: 'AS4_PATH: segment 0 has an AS count of 0' },
  { name: 'AS4_AGGREGATOR length 6', hex: 'c0 12 06 fde8 c0000201', ctx: PLAIN_CONTEXT, code: 'bad-attribute-length', outcome: 'attribute-discard', subcode: UpdateSubcode.AttributeLengthError, message: 'AS4_AGGREGATOR: length 6, expected 8' },
  // §7.11: the next hop does not fit the family, so the NLRI cannot be found: AFI/SAFI disable.
  {
    name: 'MP_REACH_NLRI VPN-IPv4 with a 4-byte next hop',
    hex: '80 0e 09 0001 80 04 7f004d01 00',
    code: 'bad-next-hop-length',
    outcome: 'afi-safi-disable',
    subcode: UpdateSubcode.OptionalAttributeError,
    message: 'ipv4/mpls-vpn MP_REACH_NLRI: next hop length 4 invalid for ipv4/mpls-vpn (expected 12, 24 or 48)',
  },
  {
    name: 'MP_REACH_NLRI E-VPN with a 12-byte next hop',
    hex: '80 0e 11 0019 46 0c 0000000000000000 7f004d01 00',
    code: 'bad-next-hop-length',
    outcome: 'afi-safi-disable',
    subcode: UpdateSubcode.OptionalAttributeError,
    message: 'l2vpn/evpn MP_REACH_NLRI: next hop length 12 invalid for l2vpn/evpn (expected 4, 16 or 32)',
  },
  {
    name: 'MP_REACH_NLRI next hop longer than the attribute',
    hex: '80 0e 06 0001 80 0c 0000',
    code: 'bad-next-hop-length',
    outcome: 'afi-safi-disable',
    subcode: UpdateSubcode.OptionalAttributeError,
    message: /next hop length 12 and the reserved octet exceed the 2 bytes left/,
  },
  {
    name: 'MP_REACH_NLRI VPN-IPv4 NLRI cut short',
    hex: '80 0e 1f 0001 80 0c 0000000000000000 7f004d01 00 78 000111 0001 7f004d01 0000 0a00',
    code: 'truncated',
    outcome: 'afi-safi-disable',
    subcode: UpdateSubcode.OptionalAttributeError,
    message: /^ipv4\/mpls-vpn MP_REACH_NLRI: /,
  },
  {
    name: 'MP_UNREACH_NLRI E-VPN NLRI cut short',
    hex: '80 0f 06 0019 46 02 25 00',
    code: 'truncated',
    outcome: 'afi-safi-disable',
    subcode: UpdateSubcode.OptionalAttributeError,
    message: /^l2vpn\/evpn MP_UNREACH_NLRI: /,
  },
  // RFC 7606 §3 (c): Optional / Transitive bits in conflict (and Partial on a well-known one).
  { name: 'LOCAL_PREF flagged optional', hex: 'c0 05 04 00000064', code: 'bad-attribute-flags', outcome: 'treat-as-withdraw', subcode: UpdateSubcode.AttributeFlagsError, message: "LOCAL_PREF: flags 0xc0 conflict with the attribute's 0x40 (RFC 7606 §3 (c))" },
  { name: 'ORIGIN with Partial', hex: '60 01 01 00', code: 'bad-attribute-flags', outcome: 'treat-as-withdraw', subcode: UpdateSubcode.AttributeFlagsError, message: /ORIGIN: flags 0x60 conflict/ },
  { name: 'MULTI_EXIT_DISC flagged transitive', hex: 'c0 04 04 00000000', code: 'bad-attribute-flags', outcome: 'treat-as-withdraw', subcode: UpdateSubcode.AttributeFlagsError, message: /MULTI_EXIT_DISC: flags 0xc0/ },
  { name: 'AGGREGATOR flagged well-known', hex: '40 07 08 0000fde8 c0000201', code: 'bad-attribute-flags', outcome: 'treat-as-withdraw', subcode: UpdateSubcode.AttributeFlagsError, message: /AGGREGATOR: flags 0x40/ },
  { name: 'AS4_PATH flagged non-transitive', hex: '80 11 06 02 01 0000fde8', ctx: PLAIN_CONTEXT, code: 'bad-attribute-flags', outcome: 'attribute-discard', subcode: UpdateSubcode.AttributeFlagsError, message: /AS4_PATH: flags 0x80/ },
  {
    name: 'MP_REACH_NLRI flagged transitive',
    hex: 'c0 0e 16 0001 84 04 7f004d01 00 60 0000fc00 0002fc0000000001',
    code: 'bad-attribute-flags',
    outcome: 'afi-safi-disable',
    subcode: UpdateSubcode.OptionalAttributeError,
    message: /^ipv4\/rtc MP_REACH_NLRI: flags 0xc0/,
  },
];

for (const c of CASES) {
  test(`malformed attribute: ${c.name} → ${c.outcome}`, () => {
    const bytes = Buffer.from(cleanHex(c.hex), 'hex');
    assert.throws(
      () => decodeAttribute(bytes, c.ctx ?? DEFAULT_CONTEXT),
      (e: unknown) => {
        assert.ok(e instanceof WireError, String(e));
        assert.equal(e.code, c.code);
        assert.equal(e.outcome, c.outcome);
        assert.equal(e.notification.code, NotifyCode.Update);
        assert.equal(e.notification.subcode, c.subcode);
        assert.deepEqual(Buffer.from(e.notification.data ?? []), bytes, 'NOTIFICATION data is the whole attribute');
        if (typeof c.message === 'string') assert.equal(e.message, c.message);
        else assert.match(e.message, c.message);
        return true;
      },
    );
  });
}

test('malformed attribute: MP_REACH_NLRI too short to hold its family resets the session', () => {
  assert.throws(
    () => decodeAttribute(Buffer.from('800e020001', 'hex'), DEFAULT_CONTEXT),
    (e: unknown) => e instanceof WireError && e.outcome === 'session-reset' && e.code === 'bad-attribute-length' && e.notification.subcode === (UpdateSubcode.OptionalAttributeError as number),
  );
  assert.throws(
    () => decodeAttribute(Buffer.from('800f020019', 'hex'), DEFAULT_CONTEXT),
    (e: unknown) => e instanceof WireError && e.outcome === 'session-reset' && e.message === 'MP_UNREACH_NLRI: length 2, expected at least 3',
  );
});

test('unrecognised well-known attribute resets the session with the attribute as data', () => {
  assert.throws(
    () => decodeAttribute(Buffer.from('40630100', 'hex'), DEFAULT_CONTEXT),
    (e: unknown) =>
      e instanceof WireError &&
      e.code === 'unrecognized-well-known-attribute' &&
      e.outcome === 'session-reset' &&
      e.notification.subcode === (UpdateSubcode.UnrecognizedWellKnownAttribute as number) &&
      Buffer.from(e.notification.data ?? []).toString('hex') === '40630100',
  );
});

test('decodeAttribute wants exactly one attribute', () => {
  assert.throws(() => decodeAttribute(Buffer.from('4001010040020' + '0', 'hex')), (e: unknown) => e instanceof WireError && e.code === 'not-one-attribute');
  assert.throws(() => decodeAttribute(Buffer.alloc(0)), (e: unknown) => e instanceof WireError && e.code === 'not-one-attribute');
  assert.throws(() => decodeAttribute(Buffer.from('400104', 'hex')), (e: unknown) => e instanceof WireError && e.code === 'attribute-length-overrun' && e.outcome === 'treat-as-withdraw');
});
