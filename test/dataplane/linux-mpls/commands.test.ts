/**
 * The kernel MPLS driver's exact command sequences (spec dataplane.md §5), call by call, for each
 * state the spec describes: initialize, reset_state, instance creation, plug / unplug, remote
 * routes (first next hop, second = multipath, local PE, default route), their removal (one of
 * two, the last), cleanup; MPLS over GRE. The commands run against the kernel model
 * (kernel-model.ts), so each test also checks the state they leave.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MplsLinuxDataplaneDriver, type MplsLinuxVrf } from '../../../src/dataplane/linux-mpls/mpls-linux-driver.js';
import { ip, ip6, ipMpls } from '../../../src/dataplane/linux-mpls/steps.js';
import { memoryLogger } from '../../../src/util/logger.js';
import { KernelModel } from './kernel-model.js';

const LOCAL = '192.0.2.1';

function setup(mplsInterface = 'eth1', devices = ['eth1', 'tap1', 'tap2']) {
  const kernel = new KernelModel(devices);
  const log = memoryLogger();
  const driver = new MplsLinuxDataplaneDriver({ localAddress: LOCAL, mplsInterface, config: {}, executor: kernel, log });
  return { kernel, driver, records: log.records };
}

/** The lines a call produced. */
async function linesOf(kernel: KernelModel, fn: () => Promise<unknown>): Promise<string[]> {
  const m = kernel.mark();
  await fn();
  return kernel.lines(m);
}

function instance(driver: MplsLinuxDataplaneDriver, instanceId = 1, gatewayIp: unknown = '10.0.0.254', subnetLength: number | null = 24): Promise<MplsLinuxVrf> {
  return driver.createInstance({ instanceId, vpnInstanceId: `vpn${instanceId}`, gatewayIp, subnetLength, instanceLabel: 16 + instanceId });
}

const PORT1 = { linuxif: 'tap1' };
const MAC1 = '52:54:00:00:00:01';
const MAC2 = '52:54:00:00:00:02';

test('driver: ECMP, encapsulations MPLS and Default, direction both only', () => {
  const { driver } = setup();
  assert.equal(driver.ecmp, true);
  assert.deepEqual(driver.supportedEncaps, ['mpls', 'default']);
  assert.equal(driver.supportsDirection('both'), true);
  assert.equal(driver.supportsDirection('to-port'), false);
  assert.throws(() => setup(''), /mpls_interface must be set/);
  assert.throws(() => setup('eth 1'), /not an interface name/);
});

test('initialize: the sysctl knobs spelled right (the original joined their characters with dots and crashed)', async () => {
  const { kernel, driver } = setup();
  assert.deepEqual(await linesOf(kernel, () => driver.initialize()), [
    'sysctl -w net.mpls.platform_labels=1048575',
    'sysctl -w net.mpls.conf.eth1.input=1',
    'sysctl -w net.mpls.conf.lo.input=1',
    'sysctl -w net.ipv4.ip_forward=1',
  ]);
  assert.equal(kernel.sysctls.get('net.mpls.conf.eth1.input'), '1');
});

test('initialize fails with the command and its error when the MPLS interface does not exist', async () => {
  const { driver } = setup('eth9');
  await assert.rejects(driver.initialize(), /linux MPLS dataplane initialization failed: 'sysctl -w net\.mpls\.conf\.eth9\.input=1': Cannot find device "eth9"/);
  assert.equal(driver.failures.length, 1);
});

test('reset_state: bvrf-* devices (ports set down first), their rules, protocol-19 routes and MPLS routes; nothing else', async () => {
  const { kernel, driver } = setup('eth1', ['eth1', 'tap9', 'tap8']);
  // What a previous run left: bvrf-3 with tap9 enslaved, rules of bvrf-3 and of a vanished bvrf-7.
  await kernel.run([
    ip('link add bvrf-3 type vrf table 1003'),
    ip('link set tap9 master bvrf-3'),
    ip('rule add iif bvrf-3 table 1003 pref 100'),
    ip('rule add oif bvrf-7 unreachable pref 101'),
    ip6('rule add iif bvrf-3 table 1003 pref 100'),
    ip6('rule add iif foreign table 5 pref 200'),
    ip('route replace 10.9.0.0/24 table 1003 proto 19 encap mpls 99 via 192.0.2.9 dev eth1'),
    ip('route replace 10.8.0.0/24 table 1003 proto 4 via 192.0.2.9 dev eth1'),
    ipMpls('route replace 77 via inet 10.9.0.1 dev tap8 proto 19'),
    ipMpls('route replace 78 via inet 10.9.0.2 dev tap8 proto 3'),
  ]);
  assert.deepEqual(await linesOf(kernel, () => driver.resetState()), [
    'ip link set tap9 down',
    'ip link del bvrf-3',
    'ip rule flush iif bvrf-3',
    'ip rule flush oif bvrf-3',
    'ip rule flush iif bvrf-7',
    'ip rule flush oif bvrf-7',
    'ip -6 rule flush iif bvrf-3',
    'ip -6 rule flush oif bvrf-3',
    'ip route flush table all proto 19',
    'ip -f mpls route flush proto 19',
  ]);
  assert.equal(kernel.links.has('bvrf-3'), false);
  assert.equal(kernel.links.get('tap9')!.up, false);
  assert.equal(kernel.links.get('tap9')!.master, undefined);
  assert.deepEqual(kernel.rules, [{ family: 6, selector: 'iif foreign', action: 'table 5', pref: 200 }]);
  assert.deepEqual([...kernel.routes.get(1003)!.keys()], ['10.8.0.0/24'], 'a route of another protocol stays');
  assert.deepEqual([...kernel.mpls.keys()], [78], 'an MPLS route of another protocol stays');
});

test('instance creation: VRF device bound to table 1000+n, up, table flushed, four rules per family', async () => {
  const { kernel, driver } = setup();
  assert.deepEqual(
    await linesOf(kernel, () => instance(driver, 1)),
    [
      'ip link del bvrf-1',
      'ip link add bvrf-1 type vrf table 1001',
      'ip link set bvrf-1 up',
      'ip route flush table 1001',
      'ip rule flush iif bvrf-1',
      'ip rule flush oif bvrf-1',
      'ip rule add iif bvrf-1 table 1001 pref 100',
      'ip rule add oif bvrf-1 table 1001 pref 100',
      'ip rule add iif bvrf-1 unreachable pref 101',
      'ip rule add oif bvrf-1 unreachable pref 101',
      'ip -6 rule flush iif bvrf-1',
      'ip -6 rule flush oif bvrf-1',
      'ip -6 rule add iif bvrf-1 table 1001 pref 100',
      'ip -6 rule add oif bvrf-1 table 1001 pref 100',
      'ip -6 rule add iif bvrf-1 unreachable pref 101',
      'ip -6 rule add oif bvrf-1 unreachable pref 101',
    ],
  );
  assert.equal(kernel.log[0]!.ok, false, 'no leftover device to delete: tolerated');
  assert.deepEqual(kernel.links.get('bvrf-1'), { kind: 'vrf', table: 1001, up: true, addrs: new Set() });
  assert.equal(kernel.rules.length, 8);
  // The device name keeps to 15 characters.
  const big = await instance(driver, 12345678901);
  assert.equal(big.vrfDevice, 'bvrf-1234567890');
  assert.equal(big.table, 12345679901);
});

test('instance creation failing half-way leaves nothing: device, rules and table removed', async () => {
  const { kernel, driver } = setup();
  kernel.refuse.set('ip -6 rule add iif bvrf-1 table 1001 pref 100', 'RTNETLINK answers: Address family not supported by protocol');
  await assert.rejects(instance(driver, 1), /VRF bvrf-1: 'ip -6 rule add iif bvrf-1 table 1001 pref 100': RTNETLINK answers: Address family not supported by protocol/);
  assert.deepEqual(kernel.lines().slice(-6), [
    'ip link del bvrf-1',
    'ip rule flush iif bvrf-1',
    'ip rule flush oif bvrf-1',
    'ip -6 rule flush iif bvrf-1',
    'ip -6 rule flush oif bvrf-1',
    'ip route flush table 1001',
  ]);
  assert.equal(kernel.links.has('bvrf-1'), false);
  assert.deepEqual(kernel.rules, []);
  assert.equal(driver.instances.size, 0);
});

test('instance creation: a bad gateway fails; no gateway: ports get no address', async () => {
  const { kernel, driver } = setup();
  await assert.rejects(instance(driver, 1, 'not-an-ip'), /gateway_ip "not-an-ip" is not an IPv4 address/);
  const vrf = await instance(driver, 2, null);
  const lines = await linesOf(kernel, () => vrf.vifPlugged(MAC1, '10.0.0.1', PORT1, 100, 'both'));
  assert.equal(lines.filter((l) => l.startsWith('ip addr')).length, 0);
});

test('plug, second endpoint on the port, unplug one of two, unplug the last', async () => {
  const { kernel, driver, records } = setup();
  const vrf = await instance(driver);
  assert.deepEqual(await linesOf(kernel, () => vrf.vifPlugged(MAC1, '10.0.0.1', PORT1, 100, 'both')), [
    'ip link set tap1 master bvrf-1',
    'ip link set tap1 up',
    'sysctl -w net.ipv4.conf.tap1.proxy_arp=1',
    'sysctl -w net.ipv4.conf.tap1.proxy_arp_pvlan=1',
    'ip addr replace 10.0.0.254/24 broadcast 10.0.0.255 dev tap1',
    'ip neigh replace 10.0.0.1 lladdr 52:54:00:00:00:01 dev tap1 nud permanent',
    'ip -f mpls route replace 100 via inet 10.0.0.1 dev tap1 proto 19',
  ]);
  assert.deepEqual(kernel.links.get('tap1'), { kind: 'veth', master: 'bvrf-1', up: true, addrs: new Set(['10.0.0.254/24']) });
  // A second MAC on the same port: its neighbour and pop route only.
  assert.deepEqual(await linesOf(kernel, () => vrf.vifPlugged(MAC2, '10.0.0.2', PORT1, 101, 'both')), [
    'ip neigh replace 10.0.0.2 lladdr 52:54:00:00:00:02 dev tap1 nud permanent',
    'ip -f mpls route replace 101 via inet 10.0.0.2 dev tap1 proto 19',
  ]);
  // The same endpoint again (the VPN layer's refresh does not call, but a retry might): nothing.
  assert.deepEqual(await linesOf(kernel, () => vrf.vifPlugged(MAC2, '10.0.0.2', PORT1, 101, 'both')), []);
  // Unplug one of two: the port stays in the VRF.
  assert.deepEqual(await linesOf(kernel, () => vrf.vifUnplugged(MAC1, '10.0.0.1', PORT1, 100, 'both', false)), [
    'ip -f mpls route del 100',
    'ip neigh del 10.0.0.1 dev tap1',
  ]);
  assert.equal(kernel.links.get('tap1')!.master, 'bvrf-1');
  // The last: everything of the port goes, the port down first.
  assert.deepEqual(await linesOf(kernel, () => vrf.vifUnplugged(MAC2, '10.0.0.2', PORT1, 101, 'both', true)), [
    'ip -f mpls route del 101',
    'ip neigh del 10.0.0.2 dev tap1',
    'ip link set tap1 down',
    'sysctl -w net.ipv4.conf.tap1.proxy_arp=0',
    'sysctl -w net.ipv4.conf.tap1.proxy_arp_pvlan=0',
    'ip link set tap1 nomaster',
    'ip addr del 10.0.0.254/24 dev tap1',
  ]);
  assert.deepEqual(kernel.links.get('tap1'), { kind: 'veth', up: false, master: undefined, addrs: new Set() });
  assert.equal(kernel.neighbours.size, 0);
  assert.equal(kernel.mpls.size, 0);
  assert.equal(kernel.log.filter((l) => !l.ok).length, 1, 'only the tolerated leftover-device delete failed');
  // Unplug of a port never plugged: a warning, nothing run.
  assert.deepEqual(await linesOf(kernel, () => vrf.vifUnplugged(MAC1, '10.0.0.1', PORT1, 100, 'both', true)), []);
  assert.ok(records.some((r) => r.level === 'warning' && r.msg === 'interface tap1 not plugged, ignoring unplug'));
});

test('plug of an interface that does not exist: a warning, nothing run (as the original)', async () => {
  const { kernel, driver, records } = setup();
  const vrf = await instance(driver);
  assert.deepEqual(await linesOf(kernel, () => vrf.vifPlugged(MAC1, '10.0.0.1', { linuxif: 'tap7' }, 100, 'both')), []);
  assert.ok(records.some((r) => r.level === 'warning' && r.msg === 'interface tap7 not in interfaces, ignoring plug'));
  await assert.rejects(vrf.vifPlugged(MAC1, '10.0.0.1', { linuxif: 'tap1\nlink del eth1' }, 100, 'both'), /not an interface name/);
});

test('an IP-less endpoint plugs the port only; an interface name with a dot gets a slash sysctl key', async () => {
  const { kernel, driver } = setup('eth1', ['eth1', 'eth0.100']);
  const vrf = await instance(driver);
  assert.deepEqual(await linesOf(kernel, () => vrf.vifPlugged(MAC1, null, { linuxif: 'eth0.100' }, 100, 'both')), [
    'ip link set eth0.100 master bvrf-1',
    'ip link set eth0.100 up',
    'sysctl -w net/ipv4/conf/eth0.100/proxy_arp=1',
    'sysctl -w net/ipv4/conf/eth0.100/proxy_arp_pvlan=1',
    'ip addr replace 10.0.0.254/24 broadcast 10.0.0.255 dev eth0.100',
  ]);
});

test('remote routes: first next hop, second (multipath), duplicate, local PE, default; removal of one of two, of the last, of an unknown one', async () => {
  const { kernel, driver, records } = setup();
  const vrf = await instance(driver);
  const add = (prefix: string, pe: string, label: number) => linesOf(kernel, () => vrf.setupRemoteEndpoint(prefix, pe, label, ['mpls'], 0));
  const del = (prefix: string, pe: string, label: number) => linesOf(kernel, () => vrf.removeRemoteEndpoint(prefix, pe, label, ['mpls'], 0));
  assert.deepEqual(await add('10.1.0.0/24', '192.0.2.2', 200), ['ip route replace 10.1.0.0/24 table 1001 proto 19 encap mpls 200 via 192.0.2.2 dev eth1']);
  assert.deepEqual(await add('10.1.0.0/24', '192.0.2.3', 300), [
    'ip route replace 10.1.0.0/24 table 1001 proto 19 nexthop encap mpls 200 via 192.0.2.2 dev eth1 nexthop encap mpls 300 via 192.0.2.3 dev eth1',
  ]);
  assert.deepEqual(await add('10.1.0.0/24', '192.0.2.3', 300), [], 'the same next hop again: nothing');
  // Same PE, another label: another next hop.
  assert.deepEqual(await add('10.1.0.0/24', '192.0.2.3', 301), [
    'ip route replace 10.1.0.0/24 table 1001 proto 19 nexthop encap mpls 200 via 192.0.2.2 dev eth1 nexthop encap mpls 300 via 192.0.2.3 dev eth1 nexthop encap mpls 301 via 192.0.2.3 dev eth1',
  ]);
  assert.deepEqual(await add('10.2.0.5/32', LOCAL, 100), ['ip route replace 10.2.0.5/32 table 1001 proto 19 encap mpls 100 dev lo']);
  assert.deepEqual(await add('0.0.0.0/0', '192.0.2.2', 210), ['ip route replace default table 1001 proto 19 encap mpls 210 via 192.0.2.2 dev eth1']);
  assert.deepEqual(kernel.routes.get(1001)!.get('10.1.0.0/24'), {
    proto: 19,
    nexthops: [
      { encap: 200, via: '192.0.2.2', dev: 'eth1' },
      { encap: 300, via: '192.0.2.3', dev: 'eth1' },
      { encap: 301, via: '192.0.2.3', dev: 'eth1' },
    ],
  });
  assert.deepEqual(await del('10.1.0.0/24', '192.0.2.2', 200), [
    'ip route replace 10.1.0.0/24 table 1001 proto 19 nexthop encap mpls 300 via 192.0.2.3 dev eth1 nexthop encap mpls 301 via 192.0.2.3 dev eth1',
  ]);
  assert.deepEqual(await del('10.1.0.0/24', '192.0.2.3', 300), ['ip route replace 10.1.0.0/24 table 1001 proto 19 encap mpls 301 via 192.0.2.3 dev eth1']);
  assert.deepEqual(await del('10.1.0.0/24', '192.0.2.3', 301), ['ip route del 10.1.0.0/24 table 1001 proto 19']);
  assert.deepEqual(await del('10.1.0.0/24', '192.0.2.3', 301), [], 'unknown: nothing run');
  assert.ok(records.some((r) => r.level === 'warning' && r.msg.startsWith('no route found on remove_dataplane_for_remote_endpoint for 10.1.0.0/24')));
  assert.deepEqual(await del('0.0.0.0/0', '192.0.2.2', 210), ['ip route del default table 1001 proto 19']);
  assert.deepEqual([...kernel.routes.get(1001)!.keys()], ['10.2.0.5/32']);
  await assert.rejects(vrf.setupRemoteEndpoint('2001:db8::/32', '192.0.2.2', 200, ['mpls'], 0), /IPv4 prefixes only/);
});

test('a failed route is reported with its command, shown in the looking glass, and its next change sends the whole set again', async () => {
  const { kernel, driver } = setup();
  const vrf = await instance(driver);
  kernel.links.delete('eth1'); // the MPLS interface vanished
  await assert.rejects(vrf.setupRemoteEndpoint('10.1.0.0/24', '192.0.2.2', 200, ['mpls'], 0), /'ip route replace 10\.1\.0\.0\/24 table 1001 proto 19 encap mpls 200 via 192\.0\.2\.2 dev eth1': Cannot find device "eth1"/);
  const lg = vrf.lookingGlass();
  assert.deepEqual(lg.routes, [{ '10.1.0.0/24': { nexthops: [{ via: '192.0.2.2', label: 200 }], installed: false, error: "'ip route replace 10.1.0.0/24 table 1001 proto 19 encap mpls 200 via 192.0.2.2 dev eth1': Cannot find device \"eth1\"" } }]);
  assert.equal((driver.lookingGlass().failures as unknown[]).length, 1);
  kernel.addDevice('eth1');
  assert.deepEqual(await linesOf(kernel, () => vrf.setupRemoteEndpoint('10.1.0.0/24', '192.0.2.3', 300, ['mpls'], 0)), [
    'ip route replace 10.1.0.0/24 table 1001 proto 19 nexthop encap mpls 200 via 192.0.2.2 dev eth1 nexthop encap mpls 300 via 192.0.2.3 dev eth1',
  ]);
  assert.equal((vrf.lookingGlass().routes as Record<string, { installed: boolean }>[])[0]!['10.1.0.0/24']!.installed, true);
});

test('cleanup: ports released, neighbours and MPLS routes removed, then device, rules and table', async () => {
  const { kernel, driver } = setup();
  const vrf = await instance(driver);
  await vrf.vifPlugged(MAC1, '10.0.0.1', PORT1, 100, 'both');
  await vrf.vifPlugged(MAC2, '10.0.0.2', { linuxif: 'tap2' }, 101, 'both');
  await vrf.setupRemoteEndpoint('10.1.0.0/24', '192.0.2.2', 200, ['mpls'], 0);
  await vrf.setupRemoteEndpoint('10.1.0.0/24', '192.0.2.3', 300, ['mpls'], 0);
  assert.deepEqual(await linesOf(kernel, () => vrf.cleanup()), [
    'ip -f mpls route del 100',
    'ip -f mpls route del 101',
    'ip neigh del 10.0.0.1 dev tap1',
    'ip neigh del 10.0.0.2 dev tap2',
    'ip link set tap1 down',
    'sysctl -w net.ipv4.conf.tap1.proxy_arp=0',
    'sysctl -w net.ipv4.conf.tap1.proxy_arp_pvlan=0',
    'ip link set tap1 nomaster',
    'ip addr del 10.0.0.254/24 dev tap1',
    'ip link set tap2 down',
    'sysctl -w net.ipv4.conf.tap2.proxy_arp=0',
    'sysctl -w net.ipv4.conf.tap2.proxy_arp_pvlan=0',
    'ip link set tap2 nomaster',
    'ip addr del 10.0.0.254/24 dev tap2',
    'ip link del bvrf-1',
    'ip rule flush iif bvrf-1',
    'ip rule flush oif bvrf-1',
    'ip -6 rule flush iif bvrf-1',
    'ip -6 rule flush oif bvrf-1',
    'ip route flush table 1001',
  ]);
  assert.equal(kernel.links.has('bvrf-1'), false);
  assert.deepEqual(kernel.rules, []);
  assert.equal(kernel.routes.get(1001)!.size, 0);
  assert.equal(kernel.mpls.size, 0);
  assert.equal(kernel.neighbours.size, 0);
  for (const p of ['tap1', 'tap2']) assert.deepEqual(kernel.links.get(p), { kind: 'veth', up: false, master: undefined, addrs: new Set() });
  assert.equal(kernel.sysctls.get('net.ipv4.conf.tap1.proxy_arp'), '0');
  assert.equal(driver.instances.size, 0);
  assert.deepEqual(await linesOf(kernel, () => vrf.cleanup()), [], 'a second cleanup does nothing');
});

test('looking glass: routes, route_table, vrf_if per instance; mpls (the pop routes) for the driver', async () => {
  const { driver } = setup();
  const vrf = await instance(driver, 4);
  await vrf.vifPlugged(MAC1, '10.0.0.1', PORT1, 100, 'both');
  await vrf.setupRemoteEndpoint('10.1.0.0/24', '192.0.2.2', 200, ['mpls'], 0);
  assert.deepEqual(vrf.lookingGlass(), {
    routes: [{ '10.1.0.0/24': { nexthops: [{ via: '192.0.2.2', label: 200 }], installed: true } }],
    route_table: 1004,
    vrf_if: 'bvrf-4',
    ports: [{ tap1: { installed: true } }],
    failed: [],
  });
  const lg = driver.lookingGlass();
  assert.equal(lg.name, 'MPLSLinuxDataplaneDriver');
  assert.equal(lg.mode, 'bare MPLS (eth1)');
  assert.deepEqual(lg.mpls, [{ '100': { via: '10.0.0.1', dev: 'tap1', vrf_if: 'bvrf-4', installed: true } }]);
});

test('MPLS over GRE (mpls_interface = *gre*): NBMA GRE device, next hops onlink through it, one neighbour per remote PE shared by the VRFs', async () => {
  const { kernel, driver } = setup('*gre*', ['tap1', 'tap2']);
  assert.deepEqual(driver.supportedEncaps, ['gre', 'default']);
  assert.deepEqual(await linesOf(kernel, () => driver.initialize()), [
    'sysctl -w net.mpls.platform_labels=1048575',
    'ip link add bmpls-gre type gre local 192.0.2.1 ttl 64',
    'ip link set bmpls-gre up',
    'sysctl -w net.mpls.conf.bmpls-gre.input=1',
    'sysctl -w net.mpls.conf.lo.input=1',
    'sysctl -w net.ipv4.ip_forward=1',
  ]);
  const v1 = await instance(driver, 1);
  const v2 = await instance(driver, 2);
  assert.deepEqual(await linesOf(kernel, () => v1.setupRemoteEndpoint('10.1.0.0/24', '192.0.2.2', 200, ['gre'], 0)), [
    'ip neigh replace 192.0.2.2 lladdr 192.0.2.2 dev bmpls-gre nud permanent',
    'ip route replace 10.1.0.0/24 table 1001 proto 19 encap mpls 200 via 192.0.2.2 dev bmpls-gre onlink',
  ]);
  assert.deepEqual(await linesOf(kernel, () => v2.setupRemoteEndpoint('10.1.0.0/24', '192.0.2.2', 200, ['gre'], 0)), [
    'ip route replace 10.1.0.0/24 table 1002 proto 19 encap mpls 200 via 192.0.2.2 dev bmpls-gre onlink',
  ]);
  assert.deepEqual(await linesOf(kernel, () => v1.setupRemoteEndpoint('10.5.0.0/24', LOCAL, 100, ['gre'], 0)), ['ip route replace 10.5.0.0/24 table 1001 proto 19 encap mpls 100 dev lo']);
  assert.deepEqual(await linesOf(kernel, () => v1.removeRemoteEndpoint('10.1.0.0/24', '192.0.2.2', 200, ['gre'], 0)), ['ip route del 10.1.0.0/24 table 1001 proto 19']);
  assert.deepEqual(driver.lookingGlass().gre_neighbours, { '192.0.2.2': ['bvrf-2 10.1.0.0/24'] });
  const last = await linesOf(kernel, () => v2.cleanup());
  assert.deepEqual(last.slice(0, 2), ['ip neigh del 192.0.2.2 dev bmpls-gre', 'ip link del bvrf-2']);
  assert.equal(kernel.neighbours.size, 0);
  // reset_state removes the GRE device with the VRF devices.
  const lines = await linesOf(kernel, () => driver.resetState());
  assert.deepEqual(lines.slice(0, 2), ['ip link del bvrf-1', 'ip link del bmpls-gre']);
});

test('MPLS over GRE: a failed PE neighbour fails the route without installing it, and is sent again at the next use', async () => {
  const { kernel, driver } = setup('*gre*', ['tap1']);
  const vrf = await instance(driver, 1);
  // No initialize: the GRE device does not exist.
  await assert.rejects(
    vrf.setupRemoteEndpoint('10.1.0.0/24', '192.0.2.2', 200, ['gre'], 0),
    /GRE neighbour of 192\.0\.2\.2: 'ip neigh replace 192\.0\.2\.2 lladdr 192\.0\.2\.2 dev bmpls-gre nud permanent': Cannot find device "bmpls-gre"/,
  );
  assert.deepEqual(vrf.lookingGlass().routes, []);
  assert.deepEqual(driver.lookingGlass().gre_neighbours, {});
  await driver.initialize();
  assert.deepEqual(await linesOf(kernel, () => vrf.setupRemoteEndpoint('10.1.0.0/24', '192.0.2.2', 200, ['gre'], 0)), [
    'ip neigh replace 192.0.2.2 lladdr 192.0.2.2 dev bmpls-gre nud permanent',
    'ip route replace 10.1.0.0/24 table 1001 proto 19 encap mpls 200 via 192.0.2.2 dev bmpls-gre onlink',
  ]);
});
