import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DummyDataplaneDriver, type DataplaneCall } from '../../src/dataplane/dummy.js';
import { memoryLogger, type LogLevel } from '../../src/util/logger.js';
import type { InstanceParams } from '../../src/dataplane/driver.js';

const params: InstanceParams = { vpnInstanceId: 'vpn-1', instanceId: 1, instanceLabel: 100, gatewayIp: null, subnetLength: null };

test('the dummy driver shows the last 1,000 calls of an instance, oldest first, however many came', async () => {
  const driver = new DummyDataplaneDriver('ipvpn', '127.0.0.1', {}, memoryLogger());
  const instance = await driver.createInstance(params);
  for (let i = 0; i < 2_345; i++) await instance.setupRemoteEndpoint(`10.0.${i >> 8}.${i & 255}/32`, '127.0.0.2', 16 + i, ['mpls'], 0);
  const calls = instance.lookingGlass().calls as DataplaneCall[];
  assert.equal(calls.length, 1000);
  assert.deepEqual(calls[999]!.args.label, 16 + 2_344);
  assert.deepEqual(calls[0]!.args.label, 16 + 1_345);
  for (let i = 1; i < calls.length; i++) assert.equal(calls[i]!.seq, calls[i - 1]!.seq + 1);
});

test('the dummy driver logs each call at debug level only when debug is on', async () => {
  const records: { level: LogLevel; name: string; msg: string }[] = [];
  const on = new DummyDataplaneDriver('evpn', '127.0.0.1', {}, memoryLogger(records));
  await (await on.createInstance(params)).addBumEndpoint('127.0.0.2', 10, ['vxlan']);
  assert.ok(records.some((r) => r.level === 'debug' && r.msg.includes('addBumEndpoint {"remotePe":"127.0.0.2","vni":10')));
  const quiet: { level: LogLevel; name: string; msg: string }[] = [];
  const logger = { ...memoryLogger(quiet), debugEnabled: false };
  const off = new DummyDataplaneDriver('evpn', '127.0.0.1', {}, { ...logger, child: () => logger });
  await (await off.createInstance(params)).addBumEndpoint('127.0.0.2', 10, ['vxlan']);
  assert.equal(quiet.filter((r) => r.level === 'debug').length, 0);
});
