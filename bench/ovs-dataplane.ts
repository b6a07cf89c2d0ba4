/**
 * The `ovs` IP VPN driver's speed (issue 6), against real userspace Open vSwitch instances in
 * namespaces this benchmark creates (root needed; removed at the end):
 *
 * - `install`: 10,000 remote prefixes for one VRF, from the route table manager to OVS: a VPN
 *   manager with the ovs driver (in this process, its commands run in a namespace through the
 *   root helper `ip netns exec`), one port attached, then 10,000 VPN-IPv4 routes published at once
 *   by another local worker; timed until the 10,000 groups and flows are on the bridge (dumped).
 *   Then their withdrawal. For scale, the same flows one `ovs-ofctl add-flow` process each
 *   (a sample, extrapolated): what the issue measured at about 70 flows/s.
 * - `propagation`: two nodes (our daemon as a process in each, GoBGP route reflector, bare MPLS),
 *   the time from an attach on node A (the API call) to the prefix's flow on node B, several
 *   times (poll every 10 ms).
 *
 * Options: --only=install|propagation, --prefixes=N (10000), --rounds=N (10).
 */
import { RootHelper } from '../src/dataplane/exec/root-helper.js';
import { OvsIpvpnDriver } from '../src/dataplane/ovs-ipvpn/ovs-ipvpn-driver.js';
import { DummyDataplaneDriver } from '../src/dataplane/dummy.js';
import { makeEntry } from '../src/rib/route-entry.js';
import type { RouteEvent, Worker } from '../src/rib/worker.js';
import { BgpManager } from '../src/session/bgp-manager.js';
import { memoryLogger } from '../src/util/logger.js';
import { VpnManager } from '../src/vpn/vpn-manager.js';
import { encapsulation, routeTarget } from '../src/wire/ext-communities/index.js';
import { fromMplsLabel } from '../src/wire/label.js';
import { USERSPACE_OVS_IPVPN_OPTIONS } from '../test/dataplane/ovs-ipvpn/options.js';
import { waitFor } from '../test/helpers/wait.js';
import { NetnsTopology, type ComputeNode } from '../test/scenario/harness/netns-topology.js';
import { endpointReady, MPLS_BRIDGE, ovsConfig, ovsUnderlay } from '../test/scenario/harness/ovs-node.js';
import { PrivateOvs } from '../test/scenario/harness/ovs.js';
import { runOk, Teardown } from '../test/scenario/harness/process.js';
import { attach } from '../test/vpn/helpers.js';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const only = args.get('only');
const PREFIXES = Number(args.get('prefixes') ?? 10_000);
const ROUNDS = Number(args.get('rounds') ?? 10);
const TAG = `bgo${process.pid % 100_000}`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

class Publisher implements Worker {
  readonly kind = 'local';
  readonly name = 'remote PE';
  onRouteEvent(_e: RouteEvent): void {}
}

async function install(td: Teardown): Promise<void> {
  const ns = `${TAG}b`;
  await runOk('ip', ['netns', 'add', ns]);
  td.add(() => runOk('ip', ['netns', 'del', ns]));
  const inNs = (...cmd: string[]): Promise<string> => runOk('ip', ['netns', 'exec', ns, ...cmd]);
  await inNs('ip', 'link', 'add', 'vm1', 'type', 'veth', 'peer', 'name', 'vm1p');
  const ovs = await PrivateOvs.start(td, ns);
  process.env['OVS_RUNDIR'] = ovs.dir;
  await ovs.addBridge(MPLS_BRIDGE);
  const log = memoryLogger();
  const local = '10.175.9.1';
  const driver = new OvsIpvpnDriver(
    { ...USERSPACE_OVS_IPVPN_OPTIONS, ovs_bridge: MPLS_BRIDGE },
    local,
    { rootHelper: new RootHelper(`ip netns exec ${ns}`), ovsdb: { connection: ovs.dbSock, timeout: 10 }, adoptionHoldTime: 3600 },
    {},
    log,
  );
  td.add(() => driver.close());
  await driver.start();
  const bgp = new BgpManager({ localAddress: local, localAs: 64512, enableRtc: true, peerPort: 179, peers: [] }, log);
  const vpn = new VpnManager({ rtm: bgp.rtm, localAddress: local, drivers: { ipvpn: driver, evpn: new DummyDataplaneDriver('evpn', local, {}, log) }, log, salt: 'bench' });
  await vpn.attach(
    attach({
      vpnInstanceId: 'bench',
      ip: { text: '10.0.0.1', address: '10.0.0.1', length: 24, version: 4 },
      localPort: { linuxif: 'vm1' },
      importRts: ['64512:9'],
      exportRts: ['64512:9'],
    }),
  );
  const pe = new Publisher();
  const routes = Array.from({ length: PREFIXES }, (_, i) =>
    makeEntry(
      1,
      128,
      { kind: 'vpn', labels: [fromMplsLabel(16 + i)], rd: { type: 1, value: '10.175.9.2:1' }, prefix: `10.${128 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32` },
      [{ type: 'ext-communities', communities: [routeTarget('64512:9'), encapsulation('gre')] }],
      '10.175.9.2',
      pe,
    ),
  );
  const count = async (): Promise<number> => (await ovs.flows(MPLS_BRIDGE, 'table=2')).filter((f) => /^(dec_ttl,)?group:\d+$/.test(f.actions)).length;
  const linesBefore = driver.sync.stats.lines;
  const procsBefore = driver.ofctl.processes;
  let t0 = process.hrtime.bigint();
  for (const r of routes) bgp.rtm.advertise(r);
  await waitFor('routes processed', async () => (await vpn.settled(), driver.sync.pending === 0), 600_000, 5);
  await driver.sync.flush();
  const installMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const installed = await count();
  const groups = (await ovs.groups(MPLS_BRIDGE)).length;
  console.log(
    `install: ${PREFIXES} prefixes → ${installed} flows + ${groups} groups in ${installMs.toFixed(0)} ms = ${((PREFIXES * 1000) / installMs).toFixed(0)} prefixes/s ` +
      `(${((installed + groups) * 1000 / installMs).toFixed(0)} OpenFlow objects/s; ${driver.sync.stats.lines - linesBefore} lines in ${driver.ofctl.processes - procsBefore} ovs-ofctl processes)`,
  );
  t0 = process.hrtime.bigint();
  for (const r of routes) bgp.rtm.withdraw(r);
  await waitFor('withdrawals processed', async () => (await vpn.settled(), driver.sync.pending === 0), 600_000, 5);
  await driver.sync.flush();
  const removeMs = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`withdraw: ${PREFIXES} prefixes removed in ${removeMs.toFixed(0)} ms = ${((PREFIXES * 1000) / removeMs).toFixed(0)} prefixes/s (left: ${await count()} flows)`);

  // The same kind of flow, one ovs-ofctl process each (a sample).
  const sample = 300;
  t0 = process.hrtime.bigint();
  for (let i = 0; i < sample; i++) {
    await ovs.ofctl('add-flow', MPLS_BRIDGE, `table=9,priority=36768,ip,reg0=1,nw_dst=10.200.${i >> 8}.${i & 255}/32,actions=drop`);
  }
  const oneMs = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`one ovs-ofctl process per flow: ${sample} flows in ${oneMs.toFixed(0)} ms = ${((sample * 1000) / oneMs).toFixed(0)} flows/s`);
  await vpn.stop();
}

async function propagation(td: Teardown): Promise<void> {
  const topo = await NetnsTopology.create(td, 2, String(process.pid % 100_000), 'bgo');
  const [a, b] = topo.nodes as [ComputeNode, ComputeNode];
  const ovs = [await ovsUnderlay(td, topo, a), await ovsUnderlay(td, topo, b)];
  await topo.startRouteReflector(['l3vpn-ipv4-unicast', 'rtc']);
  const ipvpn = ['dataplane_driver = ovs', 'mpls_interface = eth0'];
  for (const [i, n] of [a, b].entries()) await topo.startOurDaemon(n, { evpnDriver: 'dummy', env: ovs[i]!.env, extra: ovsConfig(ovs[i]!, ipvpn) });
  await topo.waitEstablished();
  // One endpoint on B (its VRF imports the VPN), then attaches on A, each a new /32.
  const eb = await topo.attach(b, { name: 'b', mac: '52:54:00:79:00:0b', ip: '10.179.0.200', vpnInstanceId: 'v', rt: '64512:179', vni: 0, networkType: 'ipvpn' });
  await endpointReady(eb);
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const ip = `10.179.0.${r + 1}`;
    await a.execOk(['ip', 'link', 'add', `bench${r}`, 'type', 'veth', 'peer', 'name', `bench${r}p`]);
    const t0 = Date.now();
    const res = await a.api('POST', '/attach_localport', {
      import_rt: ['64512:179'],
      export_rt: ['64512:179'],
      local_port: { linuxif: `bench${r}` },
      vpn_instance_id: 'v',
      vpn_type: 'ipvpn',
      gateway_ip: '10.179.0.254',
      mac_address: `52:54:00:79:01:${(r + 16).toString(16)}`,
      ip_address: `${ip}/24`,
      direction: 'both',
    });
    if (res.status !== 200) throw new Error(`attach: ${res.status} ${res.body}`);
    await waitFor(`flow for ${ip} on node B`, async () => (await ovs[1]!.flows(MPLS_BRIDGE, 'table=2')).some((f) => f.match.includes(`nw_dst=${ip}`)), 30_000, 10);
    times.push(Date.now() - t0);
  }
  console.log(`propagation: attach on A → flow on B: median ${median(times)} ms, min ${Math.min(...times)} ms, max ${Math.max(...times)} ms over ${ROUNDS} attaches (${times.join(', ')})`);
}

const td = new Teardown();
try {
  if (!only || only === 'install') await install(td);
  if (!only || only === 'propagation') await propagation(td);
} finally {
  await td.run();
}
