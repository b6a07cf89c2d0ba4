/** Display text and constructors (the operator-facing forms). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  consistentHashSortOrder,
  decodeExtCommunity,
  encapsulation,
  encodeExtCommunity,
  extCommunityText,
  isRouteTarget,
  macMobility,
  redirectToVrf,
  routeOrigin,
  routeTarget,
  rtRecord,
  type ExtCommunity,
  type TunnelTypeName,
} from '../../../src/wire/ext-communities/index.js';
import { WireError } from '../../../src/wire/errors.js';
import { arbExtCommunity, arbRouteTarget } from '../../arbitraries/ext-communities.js';

const text = (hex: string): string => extCommunityText(decodeExtCommunity(Buffer.from(hex, 'hex')));

void test('text: one display form per type', () => {
  const cases: [string, string][] = [
    ['0002fc0000000001', 'target:64512:1'],
    ['0102c00002010005', 'target:192.0.2.1:5'],
    ['0202fa56ea000001', 'target:4200000000:1'],
    ['02020000fc000001', 'target:64512L:1'],
    ['4002fc0000000001', 'target:64512:1 (non-transitive)'],
    ['0003fc0000000064', 'origin:64512:100'],
    ['0013fc0000000033', 'rt-record:64512:51'],
    ['030c000000000008', 'encap:vxlan'],
    ['030c00000000000a', 'encap:mpls'],
    ['030c0000000000ff', 'encap:255'],
    ['030d000000000000', 'default-gateway'],
    ['0314000000020000', 'consistent-hash-sort-order:2'],
    ['0600010000000005', 'mac-mobility:5:sticky'],
    ['0600000000000005', 'mac-mobility:5'],
    ['0601010000001388', 'esi-label:5000:single-active'],
    ['0601000000000641', 'esi-label:1601'],
    ['06020a0b0c0d0e0f', 'es-import:0a:0b:0c:0d:0e:0f'],
    ['0603525400000002', 'router-mac:52:54:00:00:00:02'],
    ['8006fc00447a0000', 'rate-limit:64512:1000'],
    ['800600007fc00000', 'rate-limit:0:0x7fc00000'],
    ['800c000742c80000', 'rate-limit-packets:7:100'],
    ['8007000000000003', 'traffic-action:terminal,sample'],
    ['8007000000000000', 'traffic-action:none'],
    ['8008fc0000000033', 'redirect:64512:51'],
    ['8208000100000002', 'redirect:65536:2'],
    ['800900000000002e', 'mark:46'],
    ['0800000000000000', 'redirect-to-nexthop'],
    ['0800000000000001', 'copy-to-nexthop'],
    ['010cc00002010000', 'redirect-to-ip:192.0.2.1'],
    ['010cc00002010001', 'copy-to-ip:192.0.2.1'],
    ['030b000000000064', 'opaque:030b000000000064'],
  ];
  for (const [hex, expected] of cases) assert.equal(text(hex), expected, hex);
});

void test('text: never throws on a valid value', () => {
  fc.assert(fc.property(arbExtCommunity, (ec) => typeof extCommunityText(ec) === 'string'));
});

void test('routeTarget: picks the form from the text, accepts the display prefix', () => {
  assert.deepEqual(routeTarget('64512:1'), { type: 'route-target', form: 0, value: '64512:1' });
  assert.deepEqual(routeTarget('target:64512:1'), { type: 'route-target', form: 0, value: '64512:1' });
  assert.deepEqual(routeTarget('192.0.2.1:5'), { type: 'route-target', form: 1, value: '192.0.2.1:5' });
  assert.deepEqual(routeTarget('4200000000:1'), { type: 'route-target', form: 2, value: '4200000000:1' });
  assert.deepEqual(routeTarget('64512L:1'), { type: 'route-target', form: 2, value: '64512:1' });
  assert.equal(encodeExtCommunity(routeTarget('64512:1')).toString('hex'), '0002fc0000000001');
  assert.equal(encodeExtCommunity(routeTarget('64512L:1')).toString('hex'), '02020000fc000001');
  for (const bad of ['64512', '70000:4294967296', '192.0.2.1:65536', 'x:1', '', 'target:']) {
    assert.throws(() => routeTarget(bad), WireError, bad);
  }
});

void test('routeTarget: the display text parses back to the same route target', () => {
  fc.assert(fc.property(arbRouteTarget, (rt) => assert.deepEqual(routeTarget(extCommunityText(rt)), rt)));
});

void test('constructors: route origin, RT-record, redirect, hash order, MAC mobility', () => {
  assert.deepEqual(routeOrigin('origin:10.0.0.1:3'), { type: 'route-origin', form: 1, value: '10.0.0.1:3' });
  assert.deepEqual(rtRecord(routeTarget('64512:51')), { type: 'rt-record', form: 0, value: '64512:51' });
  assert.deepEqual(rtRecord({ type: 'route-target', form: 2, value: '1:2', transitive: false }), {
    type: 'rt-record',
    form: 2,
    value: '1:2',
    transitive: false,
  });
  assert.deepEqual(rtRecord('rt-record:64512:7'), { type: 'rt-record', form: 0, value: '64512:7' });
  assert.equal(encodeExtCommunity(rtRecord(routeTarget('64512:51'))).toString('hex'), '0013fc0000000033');
  assert.deepEqual(redirectToVrf('64512:51'), { type: 'redirect-to-vrf', form: 0, value: '64512:51' });
  assert.equal(encodeExtCommunity(redirectToVrf('redirect:64512:51')).toString('hex'), '8008fc0000000033');
  assert.equal(encodeExtCommunity(consistentHashSortOrder(2)).toString('hex'), '0314000000020000');
  assert.deepEqual(macMobility(7, true), { type: 'mac-mobility', sticky: true, sequence: 7 });
  assert.equal(encodeExtCommunity(macMobility(7)).toString('hex'), '0600000000000007');
  assert.throws(() => consistentHashSortOrder(-1), WireError);
  assert.throws(() => macMobility(2 ** 32), WireError);
});

void test('encapsulation: names and numbers, canonical name when there is one', () => {
  assert.deepEqual(encapsulation('vxlan'), { type: 'encapsulation', tunnelType: 'vxlan' });
  assert.deepEqual(encapsulation(10), { type: 'encapsulation', tunnelType: 'mpls' });
  assert.deepEqual(encapsulation(300), { type: 'encapsulation', tunnelType: 300 });
  const names: [TunnelTypeName, number][] = [
    ['l2tpv3', 1],
    ['gre', 2],
    ['ip-in-ip', 7],
    ['vxlan', 8],
    ['nvgre', 9],
    ['mpls', 10],
    ['mpls-in-gre', 11],
    ['vxlan-gpe', 12],
    ['mpls-in-udp', 13],
    ['geneve', 19],
  ];
  for (const [name, code] of names) {
    assert.equal(encodeExtCommunity(encapsulation(name)).readUInt16BE(6), code, name);
    assert.equal(extCommunityText(encapsulation(code)), `encap:${name}`);
  }
  assert.throws(() => encapsulation('toString' as TunnelTypeName), WireError);
  assert.throws(() => encapsulation('bogus' as TunnelTypeName), WireError);
  assert.throws(() => encapsulation(65536), WireError);
});

void test('isRouteTarget narrows to route targets only', () => {
  const ecs: ExtCommunity[] = [routeTarget('1:1'), rtRecord('1:1'), encapsulation('mpls')];
  assert.deepEqual(ecs.filter(isRouteTarget), [{ type: 'route-target', form: 0, value: '1:1' }]);
});
