/**
 * OPEN messages (RFC 4271 §4.2, RFC 5492, RFC 9072): the original's OPEN, a GoBGP-like and an
 * FRR-like OPEN with many capabilities, RFC 9072 forms, opaque parameters, errors, properties.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_CONTEXT } from '../../../src/wire/context.js';
import { NotifyCode, OpenSubcode, WireError } from '../../../src/wire/errors.js';
import { decodeMessage, encodeMessage, type BgpMessage } from '../../../src/wire/message.js';
import { decodeOpenBody, peerAs, type OpenMessage } from '../../../src/wire/messages/open.js';
import { vectorTests, type Vector } from '../../helpers/vectors.js';
import { openArb } from '../../arbitraries/messages.js';
import { assertWireError, bytes, decodeWhole, encodeWhole, MARKER_HEX } from './helpers.js';

const text = (s: string): string => Buffer.from(s, 'utf8').toString('hex');
const u16 = (n: number): string => n.toString(16).padStart(4, '0');

const BAGPIPE_OPEN: OpenMessage = {
  type: 'open',
  version: 4,
  myAs: 64512,
  holdTime: 180,
  bgpId: '127.0.77.1',
  capabilities: [
    { type: 'multiprotocol', family: 'ipv4/mpls-vpn' },
    { type: 'multiprotocol', family: 'ipv4/rtc' },
    { type: 'multiprotocol', family: 'ipv4/flow-vpn' },
    { type: 'multiprotocol', family: 'l2vpn/evpn' },
  ],
};

const FRR_LIKE: OpenMessage = {
  type: 'open',
  version: 4,
  myAs: 23456,
  holdTime: 180,
  bgpId: '10.0.0.2',
  capabilities: [
    { type: 'multiprotocol', family: 'ipv4/unicast' },
    { type: 'multiprotocol', family: 'ipv4/mpls-vpn' },
    { type: 'route-refresh' },
    { type: 'enhanced-route-refresh' },
    { type: 'four-octet-as', as: 4200000001 },
    { type: 'extended-message' },
    {
      type: 'add-path',
      families: [
        { family: 'ipv4/unicast', mode: 'receive' },
        { family: 'ipv4/mpls-vpn', mode: 'both' },
      ],
    },
    {
      type: 'paths-limit',
      families: [
        { family: 'ipv4/unicast', limit: 0 },
        { family: 'ipv4/mpls-vpn', limit: 0 },
      ],
    },
    { type: 'fqdn', hostname: 'frr-rr', domain: '' },
    { type: 'graceful-restart', restarting: false, notification: true, time: 120, families: [{ family: 'ipv4/unicast', forwarding: true }] },
    { type: 'long-lived-graceful-restart', families: [{ family: 'ipv4/unicast', forwarding: true, staleTime: 0 }] },
    { type: 'software-version', version: 'FRRouting/9.0.1' },
  ],
};

const longHost = 'h'.repeat(200);
const longVersion = 'v'.repeat(100);

const vectors: Vector<BgpMessage>[] = [
  {
    // engine.md §3, captured from the original (local_address 127.0.77.1, AS 64512, enable_rtc).
    name: 'the original BaGPipe OPEN: one multiprotocol capability per parameter',
    source: 'bagpipe',
    hex: `${MARKER_HEX} 003d 01
      04 fc00 00b4 7f004d01 20
      02 06 01 04 0001 00 80
      02 06 01 04 0001 00 84
      02 06 01 04 0001 00 86
      02 06 01 04 0019 00 46`,
    json: BAGPIPE_OPEN,
  },
  {
    name: 'GoBGP-like OPEN: every capability in one parameter',
    source: 'hand',
    hex: `${MARKER_HEX} 0047 01
      04 fc00 005a c0000201 2a
      02 28
        02 00
        01 04 0001 00 80
        01 04 0019 00 46
        01 04 0001 00 84
        01 04 0001 00 86
        41 04 0000fc00
        45 04 0019 46 01
        06 00`,
    json: {
      type: 'open',
      version: 4,
      myAs: 64512,
      holdTime: 90,
      bgpId: '192.0.2.1',
      capabilities: [
        { type: 'route-refresh' },
        { type: 'multiprotocol', family: 'ipv4/mpls-vpn' },
        { type: 'multiprotocol', family: 'l2vpn/evpn' },
        { type: 'multiprotocol', family: 'ipv4/rtc' },
        { type: 'multiprotocol', family: 'ipv4/flow-vpn' },
        { type: 'four-octet-as', as: 64512 },
        { type: 'add-path', families: [{ family: 'l2vpn/evpn', mode: 'receive' }] },
        { type: 'extended-message' },
      ],
      params: [{ type: 'capabilities', count: 8 }],
    },
  },
  {
    name: 'FRR-like OPEN: 4-octet AS 4200000001 (AS_TRANS), twelve capabilities, one per parameter',
    source: 'hand',
    hex: `${MARKER_HEX} 0090 01
      04 5ba0 00b4 0a000002 73
      02 06 01 04 0001 00 01
      02 06 01 04 0001 00 80
      02 02 02 00
      02 02 46 00
      02 06 41 04 fa56ea01
      02 02 06 00
      02 0a 45 08 0001 01 01 0001 80 03
      02 0c 4c 0a 0001 01 0000 0001 80 0000
      02 0a 49 08 06 ${text('frr-rr')} 00
      02 08 40 06 4078 0001 01 80
      02 09 47 07 0001 01 80 000000
      02 12 4b 10 0f ${text('FRRouting/9.0.1')}`,
    json: FRR_LIKE,
  },
  {
    name: 'RFC 9072 extended parameters length, used although not needed',
    source: 'hand',
    hex: `${MARKER_HEX} 002e 01
      04 fc00 00b4 7f000001 ff ff 000e
      02 0006 01 04 0001 00 80
      02 0002 02 00`,
    json: {
      type: 'open',
      version: 4,
      myAs: 64512,
      holdTime: 180,
      bgpId: '127.0.0.1',
      capabilities: [{ type: 'multiprotocol', family: 'ipv4/mpls-vpn' }, { type: 'route-refresh' }],
      extendedParams: true,
    },
  },
  {
    name: 'RFC 9072 extended parameters length, needed (a 307-byte parameter)',
    source: 'hand',
    hex: `${MARKER_HEX} 0156 01
      04 fc00 00b4 7f000001 ff ff 0136
      02 0133
        49 ca c8 ${text(longHost)} 00
        4b 65 64 ${text(longVersion)}`,
    json: {
      type: 'open',
      version: 4,
      myAs: 64512,
      holdTime: 180,
      bgpId: '127.0.0.1',
      capabilities: [
        { type: 'fqdn', hostname: longHost, domain: '' },
        { type: 'software-version', version: longVersion },
      ],
      params: [{ type: 'capabilities', count: 2 }],
    },
  },
  {
    name: 'an opaque optional parameter (deprecated authentication, type 1) before the capabilities',
    source: 'hand',
    hex: `${MARKER_HEX} 0026 01
      04 fc00 00b4 7f000001 09
      01 03 000102
      02 02 02 00`,
    json: {
      type: 'open',
      version: 4,
      myAs: 64512,
      holdTime: 180,
      bgpId: '127.0.0.1',
      capabilities: [{ type: 'route-refresh' }],
      params: [
        { type: 'opaque', code: 1, hex: '000102' },
        { type: 'capabilities', count: 1 },
      ],
    },
  },
  {
    name: 'no optional parameters',
    source: 'hand',
    hex: `${MARKER_HEX} 001d 01 04 fc00 0000 01020304 00`,
    json: { type: 'open', version: 4, myAs: 64512, holdTime: 0, bgpId: '1.2.3.4', capabilities: [] },
  },
  {
    name: 'an empty capabilities parameter',
    source: 'hand',
    hex: `${MARKER_HEX} 001f 01 04 fc00 00b4 01020304 02 02 00`,
    json: {
      type: 'open',
      version: 4,
      myAs: 64512,
      holdTime: 180,
      bgpId: '1.2.3.4',
      capabilities: [],
      params: [{ type: 'capabilities', count: 0 }],
    },
  },
];

vectorTests('OPEN', vectors, decodeWhole(), encodeWhole());

test('OPEN: peerAs reads the 4-octet AS capability, else My AS', () => {
  assert.equal(peerAs(BAGPIPE_OPEN), 64512);
  assert.equal(peerAs(FRR_LIKE), 4200000001);
});

test('OPEN: version 3 → Unsupported Version Number, data = our version (2 octets)', () => {
  assertWireError(() => decodeOpenBody(bytes('03 fc00 00b4 7f000001 00')), {
    code: 'unsupported-version',
    notify: NotifyCode.Open,
    subcode: OpenSubcode.UnsupportedVersion,
    data: '0004',
  });
});

const structural: { name: string; body: string; code: string }[] = [
  { name: 'optional parameters length past the end', body: '04 fc00 00b4 7f000001 05 02 03 0200', code: 'bad-open-length' },
  { name: 'bytes after the optional parameters', body: '04 fc00 00b4 7f000001 00 00', code: 'bad-open-length' },
  { name: 'a parameter longer than the parameters field', body: '04 fc00 00b4 7f000001 08 02 08 01 04 0001 0080', code: 'bad-open-length' },
  { name: 'a parameter header cut short', body: '04 fc00 00b4 7f000001 01 02', code: 'truncated' },
  { name: 'a capability longer than its parameter', body: '04 fc00 00b4 7f000001 06 02 04 01 04 0001', code: 'truncated' },
  { name: 'a malformed capability', body: '04 fc00 00b4 7f000001 05 02 03 01 01 00', code: 'bad-capability-length' },
  { name: 'RFC 9072 marker without its length', body: '04 fc00 00b4 7f000001 ff ff', code: 'bad-open-length' },
  { name: 'RFC 9072 length past the end', body: '04 fc00 00b4 7f000001 ff ff 0010 02 0002 0200', code: 'bad-open-length' },
  { name: 'RFC 9072 parameter length past the end', body: '04 fc00 00b4 7f000001 ff ff 0005 02 0009 0200', code: 'bad-open-length' },
];
for (const s of structural) {
  test(`OPEN error: ${s.name} → ${s.code}, OPEN Message Error / unspecific`, () => {
    assertWireError(() => decodeOpenBody(bytes(s.body)), { code: s.code, notify: NotifyCode.Open, subcode: 0 });
  });
}

test('OPEN: policy is not checked here (hold time 1, BGP id 0.0.0.0, AS 0 decode fine)', () => {
  const m = decodeOpenBody(bytes('04 0000 0001 00000000 00'));
  assert.deepEqual(m, { type: 'open', version: 4, myAs: 0, holdTime: 1, bgpId: '0.0.0.0', capabilities: [] });
});

test('OPEN encoder: inconsistent layouts and bad fields fail clearly', () => {
  const base: OpenMessage = { ...BAGPIPE_OPEN };
  const cases: [OpenMessage, string][] = [
    [{ ...base, params: [{ type: 'capabilities', count: 2 }] }, 'bad-open-params'],
    [{ ...base, params: [{ type: 'capabilities', count: 5 }] }, 'bad-open-params'],
    [{ ...base, bgpId: '2001:db8::1' }, 'bad-open'],
    [{ ...base, bgpId: 'not-an-address' }, 'bad-address-text'],
    [{ ...base, myAs: 70000 }, 'value-out-of-range'],
    [
      {
        ...base,
        capabilities: [],
        params: [{ type: 'opaque', code: 255, hex: '00' }],
      },
      'bad-open-params',
    ],
  ];
  for (const [msg, code] of cases) {
    assert.throws(
      () => encodeMessage(msg, DEFAULT_CONTEXT),
      (e: unknown) => e instanceof WireError && e.code === code,
      JSON.stringify(msg),
    );
  }
});

test('OPEN encoder: parameters over 255 bytes switch to the RFC 9072 form by themselves', () => {
  const host = 'x'.repeat(130);
  const msg: OpenMessage = {
    type: 'open',
    version: 4,
    myAs: 1,
    holdTime: 3,
    bgpId: '10.1.1.1',
    capabilities: [
      { type: 'fqdn', hostname: host, domain: '' },
      { type: 'fqdn', hostname: host, domain: 'd' },
    ],
  };
  const wire = encodeMessage(msg, DEFAULT_CONTEXT);
  // Classic form: parameters of 2 + 134 and 2 + 135 bytes, 273 > 255. RFC 9072: 3 + 134 + 3 + 135.
  assert.equal(wire[28], 255, 'Non-Ext OP Len');
  assert.equal(wire[29], 255, 'Non-Ext OP Type');
  assert.equal(wire.readUInt16BE(30), 275, 'Extended Opt. Parm. Length');
  assert.equal(wire.length, 32 + 275);
  assert.deepEqual(decodeMessage(wire, DEFAULT_CONTEXT).message, msg);
});

test('OPEN: an OPEN over 4096 bytes cannot be sent, even with extended message (RFC 8654 §4)', () => {
  const caps = Array.from({ length: 20 }, () => ({ type: 'software-version' as const, version: 'v'.repeat(250) }));
  const msg: OpenMessage = { type: 'open', version: 4, myAs: 1, holdTime: 90, bgpId: '10.0.0.1', capabilities: caps };
  for (const extendedMessage of [false, true]) {
    assert.throws(
      () => encodeMessage(msg, { ...DEFAULT_CONTEXT, extendedMessage }),
      (e: unknown) => e instanceof WireError && e.code === 'message-too-long',
    );
  }
});

test('property: OPEN JSON round-trips (layouts, opaque parameters, RFC 9072)', () => {
  fc.assert(
    fc.property(openArb, (open) => {
      const wire = encodeMessage(open, DEFAULT_CONTEXT);
      assert.deepEqual(decodeMessage(wire, DEFAULT_CONTEXT).message, open);
    }),
  );
});

test(`property: OPEN bodies that decode re-encode to the same bytes`, () => {
  fc.assert(
    fc.property(openArb, fc.nat(), fc.nat(255), (open, at, value) => {
      const wire = encodeMessage(open, DEFAULT_CONTEXT);
      const body = Buffer.from(wire.subarray(19));
      body[at % body.length] = value; // one mutated byte
      let m: OpenMessage;
      try {
        m = decodeOpenBody(body);
      } catch (e) {
        assert.ok(e instanceof WireError, String(e));
        return;
      }
      // A changed Non-Ext OP Len with the RFC 9072 marker is accepted but re-encoded as 255.
      const reencoded = encodeMessage(m, DEFAULT_CONTEXT).subarray(19);
      if (body[10] === 255 && body[9] !== 255) body[9] = 255;
      assert.equal(reencoded.toString('hex'), body.toString('hex'), `${u16(at)} ${JSON.stringify(m)}`);
    }),
  );
});
