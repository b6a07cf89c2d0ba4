/**
 * The kernel MPLS driver under the VPN layer: attaches through the VPN manager, BGP routes from
 * two peers (the route table manager without sockets), and the kernel model's state after each
 * step: ECMP best routes as one multipath route whose next hops come and go one by one, another
 * VRF of this node imported through the local PE (`encap mpls <label> dev lo`, delivered by our
 * own pop route of that label), and nothing left once the last endpoints are detached.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MplsLinuxDataplaneDriver } from '../../../src/dataplane/linux-mpls/mpls-linux-driver.js';
import { DummyDataplaneDriver } from '../../../src/dataplane/dummy.js';
import { BgpManager } from '../../../src/session/bgp-manager.js';
import { memoryLogger } from '../../../src/util/logger.js';
import { VpnManager } from '../../../src/vpn/vpn-manager.js';
import { encapsulation, routeTarget } from '../../../src/wire/ext-communities/index.js';
import { fromMplsLabel } from '../../../src/wire/label.js';
import { Collector } from '../../scenario/harness/speaker.js';
import { attach, detach, ip } from '../../vpn/helpers.js';
import { KernelModel } from './kernel-model.js';

const LOCAL = '127.0.180.1';

function remote(c: Collector, prefix: string, nextHop: string, label: number, rd: string) {
  return c.advertise(1, 128, { kind: 'vpn', labels: [fromMplsLabel(label)], rd: { type: 0, value: rd }, prefix }, [{ type: 'ext-communities', communities: [routeTarget('64512:1'), encapsulation('mpls')] }], nextHop);
}

test('VPN layer over the kernel MPLS driver: ECMP next hops one by one, a local-PE import between two VRFs, detach leaves nothing', async () => {
  const log = memoryLogger();
  const kernel = new KernelModel(['eth1', 'tap1', 'tap2']);
  const bgp = new BgpManager({ localAddress: LOCAL, localAs: 64512, enableRtc: true, peerPort: 179, peers: [] }, log);
  const ipvpn = new MplsLinuxDataplaneDriver({ localAddress: LOCAL, mplsInterface: 'eth1', config: {}, executor: kernel, log });
  const vpn = new VpnManager({ rtm: bgp.rtm, localAddress: LOCAL, drivers: { ipvpn, evpn: new DummyDataplaneDriver('evpn', LOCAL, {}, log) }, log, salt: 't' });

  await vpn.attach(attach({ vpnInstanceId: 'a', ip: ip('10.0.0.1/24'), localPort: { linuxif: 'tap1' }, gatewayIp: '10.0.0.254' }));
  // First attach of the driver: reset_state, initialize, the VRF, the port.
  const first = kernel.lines();
  assert.deepEqual(first.slice(0, 2), ['ip route flush table all proto 19', 'ip -f mpls route flush proto 19']);
  assert.ok(first.includes('sysctl -w net.mpls.platform_labels=1048575'));
  const a = vpn.instances.get('a')!;
  const labelA = a.macs.get('52:54:00:00:00:01')!.label;
  assert.deepEqual(kernel.mpls.get(labelA), { via: '10.0.0.1', dev: 'tap1', proto: 19 });
  assert.equal(kernel.links.get('tap1')!.master, 'bvrf-1');

  // Two peers advertise the same prefix with equal preference: one multipath route.
  const p1 = new Collector('p1', bgp.rtm);
  const p2 = new Collector('p2', bgp.rtm);
  const r1 = remote(p1, '10.9.0.0/24', '127.0.180.21', 501, '64512:51');
  await vpn.settled();
  assert.deepEqual(kernel.routes.get(1001)!.get('10.9.0.0/24')!.nexthops, [{ encap: 501, via: '127.0.180.21', dev: 'eth1' }]);
  const r2 = remote(p2, '10.9.0.0/24', '127.0.180.22', 502, '64512:52');
  await vpn.settled();
  assert.deepEqual(kernel.routes.get(1001)!.get('10.9.0.0/24')!.nexthops, [
    { encap: 501, via: '127.0.180.21', dev: 'eth1' },
    { encap: 502, via: '127.0.180.22', dev: 'eth1' },
  ]);
  p1.withdraw(r1);
  await vpn.settled();
  assert.deepEqual(kernel.routes.get(1001)!.get('10.9.0.0/24')!.nexthops, [{ encap: 502, via: '127.0.180.22', dev: 'eth1' }]);

  // Another VRF of this node importing a's routes: a's endpoint through the local PE.
  await vpn.attach(attach({ vpnInstanceId: 'b', macAddress: '52:54:00:00:00:02', ip: ip('10.0.1.1/24'), localPort: { linuxif: 'tap2' }, gatewayIp: '10.0.1.254', exportRts: ['64512:2'] }));
  await vpn.settled();
  assert.deepEqual(kernel.routes.get(1002)!.get('10.0.0.1/32'), { proto: 19, nexthops: [{ encap: labelA, dev: 'lo' }] });
  assert.deepEqual(kernel.routes.get(1002)!.get('10.9.0.0/24')!.nexthops, [{ encap: 502, via: '127.0.180.22', dev: 'eth1' }]);
  // And a does not import b (64512:2): nothing of b in table 1001.
  assert.deepEqual([...kernel.routes.get(1001)!.keys()], ['10.9.0.0/24']);

  p2.withdraw(r2);
  await vpn.settled();
  assert.equal(kernel.routes.get(1001)!.has('10.9.0.0/24'), false);
  assert.equal(kernel.routes.get(1002)!.has('10.9.0.0/24'), false);

  await vpn.detach(detach({ vpnInstanceId: 'a', ip: ip('10.0.0.1/24'), localPort: { linuxif: 'tap1' } }));
  await vpn.settled();
  assert.equal(vpn.instances.has('a'), false);
  assert.equal(kernel.routes.get(1002)!.has('10.0.0.1/32'), false, "a's route withdrawn from b's table");
  await vpn.detach(detach({ vpnInstanceId: 'b', macAddress: '52:54:00:00:00:02', ip: ip('10.0.1.1/24'), localPort: { linuxif: 'tap2' } }));
  await vpn.settled();
  assert.equal(vpn.instances.size, 0);
  assert.deepEqual([...kernel.links.keys()].sort(), ['eth1', 'lo', 'tap1', 'tap2']);
  assert.deepEqual(kernel.rules, []);
  assert.equal(kernel.mpls.size, 0);
  assert.equal(kernel.neighbours.size, 0);
  for (const t of [1001, 1002]) assert.equal(kernel.routes.get(t)?.size ?? 0, 0);
  assert.deepEqual(
    kernel.log.filter((l) => !l.ok).map((l) => l.line),
    ['ip link del bvrf-1', 'ip link del bvrf-2'],
    'the only failures: no leftover VRF device to delete at creation',
  );
  assert.equal(log.records.filter((r) => r.level === 'error').length, 0, JSON.stringify(log.records.filter((r) => r.level === 'error')));
});
