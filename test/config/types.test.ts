import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  booleanType,
  hostAddressType,
  integerType,
  interfaceAddressType,
  ipAddressType,
  isIPv4,
  isIPv6,
  listenAddressType,
  listType,
  portType,
  stringType,
  TypeValueError,
} from '../../src/config/types.js';
import type { OptType } from '../../src/config/types.js';
import { fakeInterfaces } from './helpers.js';

function ok<T>(type: OptType<T>, text: string): T | null {
  return type.convert(text, fakeInterfaces);
}

function bad<T>(type: OptType<T>, text: string, message: string): void {
  assert.throws(
    () => type.convert(text, fakeInterfaces),
    (e: unknown) => e instanceof TypeValueError && e.message === message,
  );
}

test('types: Boolean accepts true/false/yes/no/on/off/1/0 in any case', () => {
  for (const t of ['true', 'TRUE', 'Yes', 'on', 'oN', '1']) assert.equal(ok(booleanType, t), true);
  for (const t of ['false', 'No', 'OFF', '0']) assert.equal(ok(booleanType, t), false);
  bad(booleanType, '', "Unexpected boolean value ''");
  bad(booleanType, 'y', "Unexpected boolean value 'y'");
  bad(booleanType, ' true', "Unexpected boolean value ' true'");
  assert.equal(booleanType.format(true), 'true');
});

test('types: Integer with bounds; empty is None', () => {
  const t = integerType(1, 65535);
  assert.equal(ok(t, '64512'), 64512);
  assert.equal(ok(t, ''), null);
  assert.equal(ok(t, '  '), null);
  assert.equal(ok(t, '+1_0'), 10);
  bad(t, '0', 'Should be greater than or equal to 1');
  bad(t, '65536', 'Should be less than or equal to 65535');
  bad(t, 'ten', "invalid literal for int() with base 10: 'ten'");
  bad(t, '1e3', "invalid literal for int() with base 10: '1e3'");
  assert.equal(ok(integerType(), '-5'), -5);
  assert.equal(ok(portType, '0'), 0);
  bad(portType, '65536', 'Should be less than or equal to 65535');
  bad(portType, '-1', 'Should be greater than or equal to 0');
});

test('types: String with choices (exact, or ignoring case)', () => {
  const t = stringType(['auto', 'True', 'False']);
  assert.equal(ok(t, 'True'), 'True');
  bad(t, 'true', "Valid values are [auto, True, False], but found 'true'");
  assert.equal(ok(stringType(['none', 'size'], true), 'SIZE'), 'SIZE');
  assert.equal(ok(stringType(), ' any\nthing '), ' any\nthing ');
});

test('types: List strips items, drops trailing commas, retries joined items', () => {
  const strings = listType(stringType());
  assert.deepEqual(ok(strings, ' a , b,c ,,'), ['a', 'b', 'c']);
  assert.deepEqual(ok(strings, 'a,,b'), ['a', '', 'b']);
  assert.deepEqual(ok(strings, ''), []);
  assert.deepEqual(ok(strings, ' , '), []);
  const ints = listType(integerType(0, 10));
  assert.deepEqual(ok(ints, '1, 2'), [1, 2]);
  bad(ints, '1, x, 2', "invalid literal for int() with base 10: 'x, 2'");
  const hosts = listType(hostAddressType(4));
  assert.deepEqual(ok(hosts, '10.0.0.1,peer.example.,x'), ['10.0.0.1', 'peer.example', 'x']);
  bad(hosts, '10.0.0.1,,10.0.0.2', ',10.0.0.2 is not a valid host address');
  assert.equal(strings.format(['a', 'b']), 'a,b');
  assert.throws(() => strings.format(['a,b']), RangeError);
  assert.throws(() => strings.format([' a']), RangeError);
});

test('types: IPv4 and IPv6 literals as inet_pton reads them', () => {
  for (const a of ['0.0.0.0', '1.2.3.4', '255.255.255.255']) assert.ok(isIPv4(a), a);
  for (const a of ['01.2.3.4', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1.2.3.4 ', '', '1.2.3.-1']) assert.ok(!isIPv4(a), a);
  for (const a of ['::', '::1', '1::', '1:2:3:4:5:6:7::', '::1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8', '::ffff:1.2.3.4', '1:2:3:4:5:6:1.2.3.4', 'FE80::A']) {
    assert.ok(isIPv6(a), a);
  }
  for (const a of ['1:2:3:4:5:6:7:8:9', '::ffff:01.2.3.4', '1::2::3', '12345::', '1:2:3:4:5:6:7:1.2.3.4', 'fe80::1%eth0', '1:2:3:4:5:6:7::8', ':1::', '1::1.2.3.4:5', ':::', '']) {
    assert.ok(!isIPv6(a), a);
  }
  bad(ipAddressType(4), '::1', '::1 is not an IPv4 address');
  bad(ipAddressType(6), '1.2.3.4', '1.2.3.4 is not an IPv6 address');
  bad(ipAddressType(), 'x', 'x is not IPv4 or IPv6 address');
  bad(ipAddressType(), '', 'IP address cannot be an empty string');
});

test('types: HostAddress: IP or RFC 1123 host name', () => {
  const any = hostAddressType();
  for (const h of ['localhost', 'a-b.example', 'x1', '::1', '10.0.0.1', 'A.B.C']) assert.equal(ok(any, h), h);
  assert.equal(ok(any, 'localhost.'), 'localhost');
  for (const h of ['', 'a_b', '-a', 'a-', 'a..b', '1.2.3', '123', 'a.' + 'b'.repeat(64), 'x'.repeat(254), 'fe80::1%lo']) {
    bad(any, h, `${h} is not a valid host address`);
  }
  bad(hostAddressType(4), '::1', '::1 is not a valid host address');
});

test('types: InterfaceAddress: IPv4 literal or the first IPv4 address of an interface', () => {
  assert.equal(ok(interfaceAddressType, '10.1.2.3'), '10.1.2.3');
  assert.equal(ok(interfaceAddressType, 'lo'), '127.0.0.1');
  assert.equal(ok(interfaceAddressType, 'eth7'), '192.0.2.7');
  bad(interfaceAddressType, 'v6only', 'no IPv4 address found on interface v6only');
  bad(interfaceAddressType, 'down0', 'no IPv4 address found on interface down0');
  bad(interfaceAddressType, 'eth9', 'interface eth9 does not exist');
  bad(interfaceAddressType, '::1', 'interface ::1 does not exist');
  bad(interfaceAddressType, '', 'interface  does not exist');
  assert.equal(ok(listenAddressType, '::'), '::');
  assert.equal(ok(listenAddressType, 'eth7'), '192.0.2.7');
});
