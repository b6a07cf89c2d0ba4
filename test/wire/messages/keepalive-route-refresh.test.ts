/** KEEPALIVE (RFC 4271 §4.4) and ROUTE-REFRESH (RFC 2918, RFC 7313 subtypes, RFC 5291 data). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_CONTEXT } from '../../../src/wire/context.js';
import { NotifyCode, RouteRefreshSubcode, WireError } from '../../../src/wire/errors.js';
import { decodeMessage, encodeMessage, type BgpMessage } from '../../../src/wire/message.js';
import { KEEPALIVE } from '../../../src/wire/messages/keepalive.js';
import { routeRefresh, type RouteRefreshMessage } from '../../../src/wire/messages/route-refresh.js';
import { vectorTests, type Vector } from '../../helpers/vectors.js';
import { routeRefreshArb } from '../../arbitraries/messages.js';
import { assertWireError, bytes, decodeWhole, encodeWhole, MARKER_HEX } from './helpers.js';

const vectors: Vector<BgpMessage>[] = [
  { name: 'KEEPALIVE', source: 'hand', hex: `${MARKER_HEX} 0013 04`, json: { type: 'keepalive' } },
  {
    name: 'ROUTE-REFRESH for VPN-IPv4',
    source: 'hand',
    hex: `${MARKER_HEX} 0017 05 0001 00 80`,
    json: { type: 'route-refresh', family: 'ipv4/mpls-vpn', subtype: 'normal' },
  },
  {
    name: 'ROUTE-REFRESH BoRR for E-VPN (RFC 7313)',
    source: 'hand',
    hex: `${MARKER_HEX} 0017 05 0019 01 46`,
    json: { type: 'route-refresh', family: 'l2vpn/evpn', subtype: 'borr' },
  },
  {
    name: 'ROUTE-REFRESH EoRR for RTC (RFC 7313)',
    source: 'hand',
    hex: `${MARKER_HEX} 0017 05 0001 02 84`,
    json: { type: 'route-refresh', family: 'ipv4/rtc', subtype: 'eorr' },
  },
  {
    name: 'ROUTE-REFRESH with the reserved subtype 255 (to be ignored by the session)',
    source: 'hand',
    hex: `${MARKER_HEX} 0017 05 0002 ff 01`,
    json: { type: 'route-refresh', family: 'ipv6/unicast', subtype: 255 },
  },
  {
    name: 'ROUTE-REFRESH carrying ORF entries (RFC 5291: kept as data)',
    source: 'hand',
    hex: `${MARKER_HEX} 0020 05 0001 00 01 01 40 0005 01 00000000`,
    json: { type: 'route-refresh', family: 'ipv4/unicast', subtype: 'normal', data: '014000050100000000' },
  },
];

vectorTests('KEEPALIVE / ROUTE-REFRESH', vectors, decodeWhole(), encodeWhole());

test('KEEPALIVE constant encodes to the 19-byte message', () => {
  assert.equal(encodeMessage(KEEPALIVE, DEFAULT_CONTEXT).toString('hex'), `${MARKER_HEX}001304`);
});

test('ROUTE-REFRESH: BoRR or EoRR longer than 4 bytes → ROUTE-REFRESH error / Invalid Message Length, data = the message', () => {
  for (const sub of ['01', '02']) {
    const msg = `${MARKER_HEX} 0018 05 0001 ${sub} 80 00`;
    assertWireError(() => decodeMessage(bytes(msg), DEFAULT_CONTEXT), {
      code: 'bad-route-refresh-length',
      notify: NotifyCode.RouteRefresh,
      subcode: RouteRefreshSubcode.InvalidMessageLength,
      data: msg,
    });
  }
});

test('routeRefresh helper and encoder checks', () => {
  assert.deepEqual(routeRefresh('l2vpn/evpn'), { type: 'route-refresh', family: 'l2vpn/evpn', subtype: 'normal' });
  assert.throws(() => routeRefresh('nonsense'), WireError);
  const bad = { type: 'route-refresh', family: 'ipv4/unicast', subtype: 'sometimes' } as unknown as RouteRefreshMessage;
  assert.throws(() => encodeMessage(bad, DEFAULT_CONTEXT), (e: unknown) => e instanceof WireError && e.code === 'bad-capability');
  const numeric = { type: 'route-refresh', family: 'ipv4/unicast', subtype: 1 } as RouteRefreshMessage;
  assert.equal(encodeMessage(numeric, DEFAULT_CONTEXT).toString('hex'), `${MARKER_HEX}00170500010101`);
});

test('property: ROUTE-REFRESH JSON round-trips', () => {
  fc.assert(
    fc.property(routeRefreshArb, (m) => {
      assert.deepEqual(decodeMessage(encodeMessage(m, DEFAULT_CONTEXT), DEFAULT_CONTEXT).message, m);
    }),
  );
});
