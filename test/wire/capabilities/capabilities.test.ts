/**
 * Capabilities (RFC 5492 TLVs): one vector per capability and variant, the malformed values that
 * must fail (OPEN Message Error, subcode 0), the ones kept opaque, and properties.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  CAPABILITY_POLICY,
  capabilitiesOfType,
  capabilityCode,
  capabilityName,
  readCapability,
  writeCapability,
  type Capability,
} from '../../../src/wire/capabilities/index.js';
import { NotifyCode, WireError } from '../../../src/wire/errors.js';
import { BufferReader } from '../../../src/wire/reader.js';
import { BufferWriter } from '../../../src/wire/writer.js';
import { cleanHex, vectorTests, type Vector } from '../../helpers/vectors.js';
import { capabilityArb } from '../../arbitraries/messages.js';

function decode(bytes: Buffer): Capability {
  const r = BufferReader.of(bytes, CAPABILITY_POLICY);
  const cap = readCapability(r);
  assert.equal(r.remaining, 0, 'the TLV was not read to its end');
  return cap;
}

function encode(cap: Capability): Buffer {
  const w = new BufferWriter(16);
  writeCapability(w, cap);
  return w.finish();
}

const text = (s: string): string => Buffer.from(s, 'utf8').toString('hex');

const vectors: Vector<Capability>[] = [
  // engine.md §3: the original sends these four (one per optional parameter).
  { name: 'multiprotocol ipv4/mpls-vpn', source: 'bagpipe', hex: '01 04 0001 00 80', json: { type: 'multiprotocol', family: 'ipv4/mpls-vpn' } },
  { name: 'multiprotocol ipv4/rtc', source: 'bagpipe', hex: '01 04 0001 00 84', json: { type: 'multiprotocol', family: 'ipv4/rtc' } },
  { name: 'multiprotocol ipv4/flow-vpn', source: 'bagpipe', hex: '01 04 0001 00 86', json: { type: 'multiprotocol', family: 'ipv4/flow-vpn' } },
  { name: 'multiprotocol l2vpn/evpn', source: 'bagpipe', hex: '01 04 0019 00 46', json: { type: 'multiprotocol', family: 'l2vpn/evpn' } },
  {
    name: 'multiprotocol with a non-zero reserved byte (kept)',
    source: 'hand',
    hex: '01 04 0002 07 01',
    json: { type: 'multiprotocol', family: 'ipv6/unicast', reserved: 7 },
  },
  {
    name: 'multiprotocol of an unnamed family',
    source: 'hand',
    hex: '01 04 1234 00 63',
    json: { type: 'multiprotocol', family: 'afi-4660/safi-99' },
  },
  { name: 'route refresh', source: 'hand', hex: '02 00', json: { type: 'route-refresh' } },
  { name: 'route refresh, Cisco code 128', source: 'hand', hex: '80 00', json: { type: 'route-refresh-cisco' } },
  { name: 'enhanced route refresh', source: 'hand', hex: '46 00', json: { type: 'enhanced-route-refresh' } },
  { name: 'extended message', source: 'hand', hex: '06 00', json: { type: 'extended-message' } },
  {
    name: 'extended next hop: IPv4 unicast and VPN-IPv4 over IPv6',
    source: 'hand',
    hex: '05 0c 0001 0001 0002 0001 0080 0002',
    json: {
      type: 'extended-next-hop',
      entries: [
        { family: 'ipv4/unicast', nextHop: 'ipv6' },
        { family: 'ipv4/mpls-vpn', nextHop: 'ipv6' },
      ],
    },
  },
  {
    name: 'extended next hop with a 2-byte SAFI above 255 (opaque)',
    source: 'hand',
    hex: '05 06 0001 0100 0002',
    json: { type: 'opaque', code: 5, hex: '000101000002' },
  },
  { name: 'role customer', source: 'hand', hex: '09 01 03', json: { type: 'role', role: 'customer' } },
  { name: 'role of an unassigned value (opaque)', source: 'hand', hex: '09 01 07', json: { type: 'opaque', code: 9, hex: '07' } },
  {
    name: 'graceful restart, helper only, N bit, 120 s (as FRR sends it)',
    source: 'hand',
    hex: '40 02 4078',
    json: { type: 'graceful-restart', restarting: false, notification: true, time: 120, families: [] },
  },
  {
    name: 'graceful restart, restarting, 180 s, two families',
    source: 'hand',
    hex: '40 0a 80b4 0001 01 80 0019 46 00',
    json: {
      type: 'graceful-restart',
      restarting: true,
      notification: false,
      time: 180,
      families: [
        { family: 'ipv4/unicast', forwarding: true },
        { family: 'l2vpn/evpn', forwarding: false },
      ],
    },
  },
  {
    name: 'graceful restart with reserved flag bits set (kept)',
    source: 'hand',
    hex: '40 06 3fff 0001 80 41',
    json: {
      type: 'graceful-restart',
      restarting: false,
      notification: false,
      time: 4095,
      reservedFlags: 3,
      families: [{ family: 'ipv4/mpls-vpn', forwarding: false, reservedFlags: 0x41 }],
    },
  },
  { name: '4-octet AS 4200000001', source: 'hand', hex: '41 04 fa56ea01', json: { type: 'four-octet-as', as: 4200000001 } },
  { name: '4-octet AS 64512', source: 'hand', hex: '41 04 0000fc00', json: { type: 'four-octet-as', as: 64512 } },
  {
    name: 'ADD-PATH receive IPv4 unicast, both for E-VPN',
    source: 'hand',
    hex: '45 08 0001 01 01 0019 46 03',
    json: {
      type: 'add-path',
      families: [
        { family: 'ipv4/unicast', mode: 'receive' },
        { family: 'l2vpn/evpn', mode: 'both' },
      ],
    },
  },
  { name: 'ADD-PATH send', source: 'hand', hex: '45 04 0001 80 02', json: { type: 'add-path', families: [{ family: 'ipv4/mpls-vpn', mode: 'send' }] } },
  {
    name: 'ADD-PATH with mode 0 (not understood: opaque, RFC 7911 §4)',
    source: 'hand',
    hex: '45 04 0001 01 00',
    json: { type: 'opaque', code: 69, hex: '00010100' },
  },
  {
    name: 'long-lived graceful restart, 1 h stale time',
    source: 'hand',
    hex: '47 07 0001 01 80 000e10',
    json: { type: 'long-lived-graceful-restart', families: [{ family: 'ipv4/unicast', forwarding: true, staleTime: 3600 }] },
  },
  {
    name: 'FQDN without domain (as FRR sends it)',
    source: 'hand',
    hex: `49 08 06 ${text('frr-rr')} 00`,
    json: { type: 'fqdn', hostname: 'frr-rr', domain: '' },
  },
  {
    name: 'FQDN with domain',
    source: 'hand',
    hex: `49 11 04 ${text('node')} 0b ${text('example.org')}`,
    json: { type: 'fqdn', hostname: 'node', domain: 'example.org' },
  },
  {
    name: 'FQDN that is not UTF-8 (opaque)',
    source: 'hand',
    hex: '49 03 01 ff 00',
    json: { type: 'opaque', code: 73, hex: '01ff00' },
  },
  {
    name: 'software version',
    source: 'hand',
    hex: `4b 10 0f ${text('FRRouting/9.0.1')}`,
    json: { type: 'software-version', version: 'FRRouting/9.0.1' },
  },
  {
    name: 'paths limit',
    source: 'hand',
    hex: '4c 0a 0001 01 000a 0001 80 0000',
    json: {
      type: 'paths-limit',
      families: [
        { family: 'ipv4/unicast', limit: 10 },
        { family: 'ipv4/mpls-vpn', limit: 0 },
      ],
    },
  },
  {
    name: 'outbound route filtering (not decoded: opaque)',
    source: 'hand',
    hex: '03 07 0001 00 01 01 40 03',
    json: { type: 'opaque', code: 3, hex: '00010001014003' },
  },
  { name: 'vendor capability with an empty value', source: 'hand', hex: 'ef 00', json: { type: 'opaque', code: 239, hex: '' } },
];

vectorTests('capability', vectors, decode, encode);

/** Malformed values: each must fail with an OPEN Message Error (unspecific subcode). */
const malformed: { name: string; hex: string; code: string }[] = [
  { name: 'multiprotocol of length 3', hex: '01 03 000100', code: 'bad-capability-length' },
  { name: 'multiprotocol of length 5', hex: '01 05 0001008000', code: 'bad-capability-length' },
  { name: 'route refresh of length 1', hex: '02 01 00', code: 'bad-capability-length' },
  { name: 'enhanced route refresh of length 1', hex: '46 01 00', code: 'bad-capability-length' },
  { name: 'extended message of length 2', hex: '06 02 0000', code: 'bad-capability-length' },
  { name: 'extended next hop of length 4', hex: '05 04 00010001', code: 'bad-capability-length' },
  { name: '4-octet AS of length 2', hex: '41 02 fc00', code: 'bad-capability-length' },
  { name: 'graceful restart of length 1', hex: '40 01 40', code: 'bad-capability-length' },
  { name: 'graceful restart with a partial family', hex: '40 05 0078 000101', code: 'bad-capability-length' },
  { name: 'ADD-PATH of length 5', hex: '45 05 0001010100', code: 'bad-capability-length' },
  { name: 'long-lived graceful restart of length 6', hex: '47 06 000101800000', code: 'bad-capability-length' },
  { name: 'role of length 2', hex: '09 02 0000', code: 'bad-capability-length' },
  { name: 'FQDN with bytes after the domain', hex: '49 04 01 61 00 62', code: 'bad-capability-length' },
  { name: 'FQDN whose hostname overruns the value', hex: '49 02 05 61', code: 'truncated' },
  { name: 'software version whose text overruns', hex: '4b 02 09 61', code: 'truncated' },
  { name: 'value longer than the bytes left', hex: '01 04 0001', code: 'truncated' },
];

for (const m of malformed) {
  test(`capability error: ${m.name} → ${m.code}, OPEN Message Error`, () => {
    assert.throws(
      () => readCapability(BufferReader.of(Buffer.from(cleanHex(m.hex), 'hex'), CAPABILITY_POLICY)),
      (e: unknown) => {
        assert.ok(e instanceof WireError);
        assert.equal(e.code, m.code);
        assert.equal(e.outcome, 'session-reset');
        assert.equal(e.notification.code, NotifyCode.Open);
        assert.equal(e.notification.subcode, 0);
        return true;
      },
    );
  });
}

test('capability encoder: bad input fails with a WireError naming the field', () => {
  const cases: [unknown, string][] = [
    [{ type: 'multiprotocol', family: 'ipv4/nonsense' }, 'bad-capability'],
    [{ type: 'add-path', families: [{ family: 'ipv4/unicast', mode: 'sometimes' }] }, 'bad-capability'],
    [{ type: 'graceful-restart', restarting: false, notification: false, time: 5000, families: [] }, 'bad-capability'],
    [{ type: 'role', role: 'boss' }, 'bad-capability'],
    [{ type: 'four-octet-as', as: 2 ** 32 }, 'value-out-of-range'],
    [{ type: 'no-such-capability' }, 'bad-capability'],
    [{ type: 'opaque', code: 3, hex: 'xyz' }, 'bad-hex'],
    [{ type: 'software-version', version: 'x'.repeat(300) }, 'value-out-of-range'],
  ];
  for (const [cap, code] of cases) {
    assert.throws(
      () => encode(cap as Capability),
      (e: unknown) => e instanceof WireError && e.code === code,
      JSON.stringify(cap),
    );
  }
});

test('capability names and codes', () => {
  assert.equal(capabilityName(1), 'multiprotocol');
  assert.equal(capabilityName(69), 'add-path');
  assert.equal(capabilityName(128), 'route-refresh-cisco');
  assert.equal(capabilityName(3), 'outbound-route-filtering');
  assert.equal(capabilityName(200), 'capability-200');
  assert.equal(capabilityCode({ type: 'four-octet-as', as: 1 }), 65);
  assert.equal(capabilityCode({ type: 'opaque', code: 99, hex: '' }), 99);
  const caps: Capability[] = [
    { type: 'multiprotocol', family: 'ipv4/rtc' },
    { type: 'route-refresh' },
    { type: 'multiprotocol', family: 'l2vpn/evpn' },
  ];
  assert.deepEqual(
    capabilitiesOfType(caps, 'multiprotocol').map((c) => c.family),
    ['ipv4/rtc', 'l2vpn/evpn'],
  );
});

test('property: capability JSON round-trips through the wire', () => {
  fc.assert(
    fc.property(capabilityArb, (cap) => {
      const back = decode(encode(cap));
      assert.deepEqual(back, cap);
      assert.deepEqual(JSON.parse(JSON.stringify(back)), back);
    }),
  );
});

test('property: any TLV that decodes re-encodes to the same bytes', () => {
  const codes = [1, 2, 5, 6, 9, 64, 65, 69, 70, 71, 73, 75, 76, 128, 3, 200];
  fc.assert(
    fc.property(fc.constantFrom(...codes), fc.uint8Array({ maxLength: 24 }), (code, value) => {
      const tlv = Buffer.from([code, value.length, ...value]);
      let cap: Capability;
      try {
        cap = decode(tlv);
      } catch (e) {
        assert.ok(e instanceof WireError, String(e));
        return;
      }
      assert.equal(encode(cap).toString('hex'), tlv.toString('hex'));
    }),
  );
});

test('property: random bytes only ever raise WireError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
      try {
        const r = BufferReader.of(Buffer.from(bytes), CAPABILITY_POLICY);
        while (!r.atEnd) readCapability(r);
      } catch (e) {
        assert.ok(e instanceof WireError, String(e));
      }
    }),
  );
});
