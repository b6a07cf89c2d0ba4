/**
 * Issue 6 end to end, bare MPLS over Ethernet: two compute-node namespaces, each with a private
 * userspace Open vSwitch owning its underlay port (ovs-node.ts) and our daemon with the `ovs` IP
 * VPN driver (`mpls_interface = eth0`), a GoBGP route reflector in the underlay namespace,
 * endpoints made by the real `bagpipe-rest-attach --port netns … --network-type ipvpn`.
 *
 * Checked: ping and TCP between the nodes, MPLS on the wire; one prefix with two next hops (two
 * endpoints advertising the same subnet) spreads TCP connections over both buckets of its select
 * group; detach leaves no flow, group or port of the VRF; a restart: killed (a crash), the node's
 * flows stay and keep forwarding, the new daemon takes them over without rewriting them, and with
 * the route reflector as graceful restart helper node 2 keeps forwarding to it (no gap); stopped
 * cleanly (SIGTERM, flows removed as the original does), traffic comes back once the endpoint is
 * attached again. The gaps are measured with a continuous ping.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../helpers/wait.js';
import { endpointReady, MPLS_BRIDGE, ovsConfig, ovsUnderlay } from './harness/ovs-node.js';
import { inNsOk, NetnsTopology, type ComputeNode, type Endpoint } from './harness/netns-topology.js';
import type { PrivateOvs } from './harness/ovs.js';
import { Daemon, Teardown } from './harness/process.js';

const NET = { vpnInstanceId: 'vpn1', rt: '64512:175', vni: 0, networkType: 'ipvpn' as const };
const IPVPN = [
  'dataplane_driver = ovs',
  'mpls_interface = eth0',
  'arp_responder = True',
  'proxy_arp = True',
  'hash_method = hash',
  'hash_fields = ip_src,ip_dst,tcp_src,tcp_dst',
  'adoption_hold_time = 3',
];

/** The attach rest-attach sends for an endpoint, posted directly (the orchestrator after a restart). */
function attachBody(ep: Endpoint): Record<string, unknown> {
  return {
    import_rt: [ep.rt],
    export_rt: [ep.rt],
    local_port: { linuxif: ep.hostIf },
    vpn_instance_id: ep.vpnInstanceId,
    vpn_type: 'ipvpn',
    gateway_ip: `${ep.ip.split('.').slice(0, 3).join('.')}.254`,
    mac_address: ep.mac,
    ip_address: `${ep.ip}/${ep.plen}`,
    advertise_subnet: false,
    lb_consistent_hash_order: 0,
    vni: 0,
    direction: 'both',
  };
}

/** TCP servers counting the connections they accept (one line each). */
function tcpCounter(ep: Endpoint, port: number): Daemon {
  return Daemon.start(`tcp counter ${ep.ns}`, 'ip', [
    'netns',
    'exec',
    ep.ns,
    process.execPath,
    '-e',
    `require('node:net').createServer((c) => { process.stdout.write('CONN\\n'); c.on('data', () => undefined); c.on('end', () => c.end()); }).listen(${port}, '${ep.ip}', () => process.stdout.write('LISTENING\\n'));`,
  ]);
}

test('two nodes, the ovs IP VPN driver over bare MPLS, GoBGP RR: ping, TCP, ECMP, detach, restart', { timeout: 240_000 }, async (t) => {
  const td = new Teardown();
  try {
    const topo = await NetnsTopology.create(td, 2, String(process.pid % 100_000), 'bgo');
    const [n1, n2] = topo.nodes as [ComputeNode, ComputeNode];
    const ovs: PrivateOvs[] = [await ovsUnderlay(td, topo, n1), await ovsUnderlay(td, topo, n2)];
    // Graceful restart helper: a killed daemon's routes stay (stale) at the route reflector.
    await topo.startRouteReflector(['l3vpn-ipv4-unicast', 'rtc'], { gracefulRestart: { restartTime: 120 } });
    const daemonOptions = (i: number): Parameters<NetnsTopology['startOurDaemon']>[1] => ({ evpnDriver: 'dummy', env: ovs[i]!.env, extra: ovsConfig(ovs[i]!, IPVPN) });
    await topo.startOurDaemon(n1, daemonOptions(0));
    await topo.startOurDaemon(n2, daemonOptions(1));
    await topo.waitEstablished();
    const a = await topo.attach(n1, { name: 'a', mac: '52:54:00:75:00:0a', ip: '10.175.10.1', ...NET });
    let b = await topo.attach(n2, { name: 'b', mac: '52:54:00:75:00:0b', ip: '10.175.10.2', ...NET });
    await endpointReady(a);
    await endpointReady(b);
    const why = (): string => `${n1.tail(30)}\n${n2.tail(30)}\n${ovs[0]!.tail()}`;

    await t.test('ping and TCP between the nodes, MPLS on the wire', async () => {
      await topo.waitPing(a, b.ip, 20_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      assert.equal(await topo.ping(b, a.ip), true);
      const dump = td.daemon(Daemon.start('tcpdump underlay', 'ip', ['netns', 'exec', topo.underlay, 'tcpdump', '-n', '-l', '-c', '2', '-i', 'n1', 'mpls']));
      await waitFor('tcpdump listening', () => dump.output.includes('listening on'));
      const tcp = await topo.tcpTransfer(a, b, 4_000_000);
      assert.equal(tcp.received, 4_000_000);
      await dump.exited;
      assert.match(dump.output, /MPLS \(label \d+, tc 0, \[S\], ttl \d+\) IP 10\.175\.10\.[12]\.\d+ > 10\.175\.10\.[12]\.\d+: Flags/);
      console.log(`# bare MPLS: 4 MB over TCP in ${tcp.ms} ms`);
    });

    await t.test('looking glass: installed flows with counters per table, desired and installed the same', async () => {
      interface VrfLg {
        flows: Record<string, string[] | string | boolean>;
        ports: Record<string, { ovs_port: number; added_by_us: boolean }>;
      }
      interface DriverLg {
        mpls_interface: string;
        gre: { enabled: boolean };
        flow_state: { installed: { missing_flows: number; extra_flows: string[]; flows_of_ours: number }; errors: unknown[] };
      }
      let vrf: VrfLg | undefined;
      await waitFor('the flows read back', async () => {
        vrf = await n1.lookingGlass<VrfLg>('vpns/instances/vpn1/dataplane');
        return Array.isArray(vrf?.flows['encap_in (1)']);
      });
      const encapIn = vrf!.flows['encap_in (1)'] as string[];
      assert.equal(encapIn.length, 1);
      assert.match(encapIn[0]!, /^packets=[1-9]\d* priority=36864,mpls,mpls_label=\d+,mpls_bos=1 actions=pop_mpls:0x0800,/);
      assert.ok((vrf!.flows['vrf (2)'] as string[]).some((l) => /ip,reg0=0x1,nw_dst=10\.175\.10\.2 actions=group:\d+$/.test(l)));
      assert.deepEqual(vrf!.ports['tap-a'], { ovs_port: await ovs[0]!.ofport('tap-a'), ovs_port_name: 'tap-a', added_by_us: true });
      let drv: DriverLg | undefined;
      await waitFor('the driver comparison', async () => {
        drv = await n1.lookingGlass<DriverLg>('vpns/dataplane/drivers/ipvpn');
        return drv?.flow_state.installed.flows_of_ours !== undefined;
      });
      assert.equal(drv!.mpls_interface, 'eth0');
      assert.equal(drv!.gre.enabled, false);
      assert.deepEqual([drv!.flow_state.installed.missing_flows, drv!.flow_state.installed.extra_flows, drv!.flow_state.errors], [0, [], []]);
    });

    await t.test('one prefix, two next hops: a select group whose two buckets both carry connections', async () => {
      const spread = { vpnInstanceId: NET.vpnInstanceId, rt: NET.rt, vni: 0, networkType: 'ipvpn' as const, extraArgs: ['--advertise-subnet'] };
      const c = await topo.attach(n2, { name: 'c', mac: '52:54:00:75:00:0c', ip: '10.175.11.5', ...spread });
      const d = await topo.attach(n2, { name: 'd', mac: '52:54:00:75:00:0d', ip: '10.175.11.5', ...spread });
      for (const ep of [c, d]) {
        await endpointReady(ep);
        await inNsOk(ep.ns, ['ip', 'route', 'add', '10.175.10.0/24', 'via', '10.175.11.254']);
      }
      await inNsOk(a.ns, ['ip', 'route', 'add', '10.175.11.0/24', 'via', '10.175.10.254']);
      let group = '';
      await waitFor(
        'a group with two buckets for 10.175.11.0/24 on node 1',
        async () => {
          const flow = (await ovs[0]!.flows(MPLS_BRIDGE, 'table=2')).find((f) => f.match.includes('nw_dst=10.175.11.0/24'));
          group = /group:(\d+)/.exec(flow?.actions ?? '')?.[1] ?? '';
          return group !== '' && (await ovs[0]!.bucketStats(MPLS_BRIDGE, Number(group))).length === 2;
        },
        20_000,
      ).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      const counters = [tcpCounter(c, 5002), tcpCounter(d, 5002)].map((x) => td.daemon(x));
      for (const x of counters) await waitFor('counter listening', () => x.output.includes('LISTENING'));
      // 32 connections from as many source ports: the hash over the 4-tuple spreads them.
      const out = await inNsOk(
        a.ns,
        [
          process.execPath,
          '-e',
          `const net = require('node:net'); let ok = 0;
           (async () => { for (let i = 0; i < 32; i++) await new Promise((r) => { const s = net.connect(5002, '10.175.11.5', () => s.end('x')); s.on('close', () => { ok++; r(); }); s.on('error', r); s.setTimeout(3000, () => s.destroy()); }); console.log(ok); })();`,
        ],
        60_000,
      );
      assert.equal(Number(out.trim()), 32);
      const perServer = counters.map((x) => x.output.split('\n').filter((l) => l === 'CONN').length);
      assert.equal(perServer[0]! + perServer[1]!, 32);
      assert.ok(perServer[0]! > 0 && perServer[1]! > 0, `connections per endpoint: ${perServer.join(', ')}`);
      // The group's buckets counted them (counters lag about a second).
      await waitFor('both buckets counted packets', async () => (await ovs[0]!.bucketStats(MPLS_BRIDGE, Number(group))).every((s) => s.packets > 0), 5000, 200);
      const stats = await ovs[0]!.bucketStats(MPLS_BRIDGE, Number(group));
      console.log(`# ECMP: connections per endpoint ${perServer.join(' / ')}, packets per bucket ${stats.map((s) => s.packets).join(' / ')}`);
      for (const x of counters) await x.stop();
      await topo.detach(c);
      await topo.detach(d);
      await waitFor(
        'the prefix flow and its group gone from node 1',
        async () =>
          !(await ovs[0]!.flows(MPLS_BRIDGE, 'table=2')).some((f) => f.match.includes('nw_dst=10.175.11.0/24')) &&
          !(await ovs[0]!.groups(MPLS_BRIDGE)).some((g) => g.startsWith(`group_id=${group},`)),
        10_000,
      ).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
    });

    await t.test('detach removes every flow, group and port of the VRF', async () => {
      await topo.detach(b);
      const flows = (await ovs[1]!.flows(MPLS_BRIDGE)).map((f) => `table=${f.table},priority=${f.priority},${f.match} actions=${f.actions}`).sort();
      // Left: the bridge's own NORMAL flow and the driver's MPLS input flow (not a VRF's).
      assert.deepEqual(flows, ['table=0,priority=0, actions=NORMAL', `table=0,priority=36864,mpls,in_port=${await ovs[1]!.ofport('eth0')} actions=resubmit(,1)`]);
      assert.deepEqual(await ovs[1]!.groups(MPLS_BRIDGE), []);
      assert.deepEqual(await ovs[1]!.ports(MPLS_BRIDGE), ['eth0']);
      await waitFor('b withdrawn from node 1', async () => !(await ovs[0]!.flows(MPLS_BRIDGE, 'table=2')).some((f) => f.match.includes('nw_dst=10.175.10.2')), 10_000);
      assert.equal(await topo.ping(a, b.ip), false);
      b = await topo.attach(n2, { name: 'b', mac: b.mac, ip: b.ip, ...NET });
      await endpointReady(b);
      await topo.waitPing(a, b.ip, 20_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
    });

    await t.test('restart of node 1: killed, its flows keep forwarding and are taken over; stopped cleanly, traffic back after the re-attach', async () => {
      const inputFlow = async (): Promise<{ packets: number } | undefined> =>
        (await ovs[0]!.flows(MPLS_BRIDGE, 'table=0')).find((f) => f.match.startsWith('ip,') && f.cookie !== 0n);
      // Crash: the process is killed, nothing is cleaned up.
      const probe = topo.pingProbe(a, b.ip, 100);
      await new Promise((r) => setTimeout(r, 1000));
      const before = (await inputFlow())!.packets;
      await n1.daemon!.stop('SIGKILL');
      const killedAt = Date.now();
      await new Promise((r) => setTimeout(r, 1000));
      // Node 1's flows are all there and count a's packets while no daemon runs.
      const during = await inputFlow();
      assert.ok(during !== undefined && during.packets > before, 'a → b still forwarded by node 1 without its daemon');
      await topo.startOurDaemon(n1, daemonOptions(0));
      const apiUp = Date.now() - killedAt;
      await topo.waitEstablished([n1]);
      const established = Date.now() - killedAt;
      assert.equal((await n1.api('POST', '/attach_localport', attachBody(a))).status, 200);
      await topo.waitPing(a, b.ip, 20_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      const back = Date.now() - killedAt;
      await new Promise((r) => setTimeout(r, 500));
      const crash = await probe.stop();
      const after = await inputFlow();
      assert.ok(after !== undefined && after.packets > during.packets, 'the same flow, its counters kept: taken over, not rewritten from scratch');
      console.log(
        `# restart after a kill: daemon API up ${apiUp} ms, RR session ${established} ms, ping back ${back} ms after the kill; longest gap ${crash.longestGapMs} ms (${crash.received}/${crash.sent} answered)`,
      );
      // Node 1's flows forward a → b, node 2's (its routes kept by the route reflector while node
      // 1 restarts: graceful restart) forward b → a: nothing, or well under a second, lost.
      assert.ok(crash.longestGapMs < 1000, `longest gap ${crash.longestGapMs} ms after a kill`);

      // After the hold time, what the new run did not want again is swept; what it wanted stays.
      await new Promise((r) => setTimeout(r, 4000));
      assert.equal(await topo.ping(a, b.ip), true);

      // Clean stop: the original's shutdown removes the VRF's flows; the re-attach restores them.
      const probe2 = topo.pingProbe(a, b.ip, 100);
      await new Promise((r) => setTimeout(r, 500));
      await n1.daemon!.stop('SIGTERM');
      const stoppedAt = Date.now();
      assert.equal(await inputFlow(), undefined, 'flows removed by the clean stop');
      await topo.startOurDaemon(n1, daemonOptions(0));
      await topo.waitEstablished([n1]);
      assert.equal((await n1.api('POST', '/attach_localport', attachBody(a))).status, 200);
      await topo.waitPing(a, b.ip, 20_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      const back2 = Date.now() - stoppedAt;
      const clean = await probe2.stop();
      console.log(`# restart after SIGTERM: ping back ${back2} ms after the stop; longest gap ${clean.longestGapMs} ms`);
      assert.ok(back < 20_000 && back2 < 20_000);
    });
  } finally {
    await td.run();
  }
});
