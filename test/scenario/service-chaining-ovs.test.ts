/**
 * Service chaining in a real dataplane (issue 7; spec vpn.md §1.3, §4.4-4.6, §7, neutron.md §5.3,
 * dataplane.md §6.4 "classifier redirect"): two compute nodes, each with a private userspace Open
 * vSwitch and our daemon with the `ovs` IP VPN driver over MPLS/GRE, a GoBGP route reflector
 * carrying `l3vpn-ipv4-flowspec` in the underlay (the topology of ipvpn-ovs-mpls-gre.test.ts).
 *
 *   node 1:  S (10.185.1.1, network S); later SF2 (ports 10.185.2.2 and 10.185.3.2)
 *   node 2:  SF1, a namespace routing between its ingress port `sfin` (10.185.2.1, network SF-in)
 *            and its egress port `sfout` (10.185.3.1, network SF-out); D (10.185.4.1, network D)
 *
 * The attachments are those networking-bagpipe's `bagpipe_sfc` agent extension builds for a chain
 * with one port pair group and the flow classifier "TCP from S to D port 80", networks without
 * BGPVPN (neutron.md §5.3 worked example): the PPG route target 64512:5000 imported by the source
 * port and exported with attract-traffic by each SF ingress port (redirect_rts [5000], the
 * classifier, to_rt [5001], static prefix = the classifier's destination, hash order = the port's
 * position in the group), each SF egress port importing D's network route target, D's port
 * exporting it. For the traffic that is not chained to have a path at all (and TCP its way back),
 * the test joins S's and D's networks directly: S's instance also imports D's network route
 * target and D's imports S's, merged into the same attachments as networking-bagpipe's shared
 * agent client merges the route targets of every service attaching a port (neutron.md §1).
 * `local_port` is the port's own veth (the extension names the Linux bridge agent's `brq…`
 * bridge; the `ovs` driver adds the interface to br-mpls).
 *
 * Checked: node 1 creates the redirect instance and the classifier flow; TCP to D port 80 goes
 * through the SF (captured inside the SF namespace on its ingress port; TTL 61 at D: the redirect
 * VRF, the SF and SF-out's VRF each route it); ping and TCP to port 81 go direct (the SF sees none
 * of it); a second port pair (SF2, on node 1, hash order 1) gives the redirect VRF's default route
 * two buckets whose ids are the hash orders, and connections spread over both SFs; detaching SF1
 * leaves the chain through SF2; detaching SF2 too brings TCP to port 80 back to the direct path
 * and leaves no classifier flow, no flow or group of the redirect VRF, nothing of the SFs' VRFs;
 * attaching SF1 again restores the chain.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../helpers/wait.js';
import { endpointReady, MPLS_BRIDGE, ovsConfig, ovsUnderlay } from './harness/ovs-node.js';
import { inNsOk, NetnsTopology, type ComputeNode, type Endpoint } from './harness/netns-topology.js';
import type { FlowStats, PrivateOvs } from './harness/ovs.js';
import { Daemon, Teardown } from './harness/process.js';

// Select groups hash the 4-tuple: the default (dp_hash) puts every connection in one bucket (LAB-NOTES).
const IPVPN = [
  'dataplane_driver = ovs',
  'gre_tunnel_options = packet_type=legacy_l3',
  'arp_responder = True',
  'proxy_arp = True',
  'hash_method = hash',
  'hash_fields = ip_src,ip_dst,tcp_src,tcp_dst',
];
const FAMILIES = ['l3vpn-ipv4-unicast', 'rtc', 'l3vpn-ipv4-flowspec'];

/** Network route targets (`<as>:<segmentation id>`) and the port pair group's two (rtnn range 5000-5999). */
const RT = { s: '64512:1851', d: '64512:1854', ppg: '64512:5000', redirect: '64512:5001' };
const NET = { vni: 0, networkType: 'ipvpn' as const };
const REDIRECT_INSTANCE = 'redirect-to-ipvpn-64512_5001';

const S = { name: 's', mac: '52:54:00:85:00:01', ip: '10.185.1.1', vpnInstanceId: 'ipvpn_net-s', rt: RT.s, ...NET };
const D = { name: 'd', mac: '52:54:00:85:00:04', ip: '10.185.4.1', vpnInstanceId: 'ipvpn_net-d', rt: RT.d, ...NET };

/** The flow classifier as the SFC driver writes it (key order of _build_bagpipe_classifier_from_fc). */
const CLASSIFIER = { protocol: 'tcp', sourcePrefix: `${S.ip}/32`, destinationPort: '80', destinationPrefix: `${D.ip}/32` };

type Body = Record<string, unknown>;

function gatewayOf(ep: Endpoint): string {
  return `${ep.ip.split('.').slice(0, 3).join('.')}.254`;
}

/** What `_build_attachment` sends for a port (plus vpn_type and vpn_instance_id from the shared client). */
function sfcAttachment(ep: Endpoint, importRts: string[], exportRts: string[], more: Body = {}): Body {
  return {
    ip_address: ep.ip,
    mac_address: ep.mac,
    gateway_ip: gatewayOf(ep),
    local_port: { linuxif: ep.hostIf },
    import_rt: importRts,
    export_rt: exportRts,
    ...more,
    vpn_type: 'ipvpn',
    vpn_instance_id: ep.vpnInstanceId,
  };
}

/** The detach the extension sends (_build_sfc_detach_info, plus the shared client's keys). */
function sfcDetach(ep: Endpoint): Body {
  return { ip_address: ep.ip, mac_address: ep.mac, local_port: { linuxif: ep.hostIf }, vpn_type: 'ipvpn', vpn_instance_id: ep.vpnInstanceId };
}

/** A service function (one port pair): a namespace routing what enters by `sfin` out by `sfout` toward D. */
interface ServiceFunction {
  readonly name: string;
  readonly ns: string;
  readonly node: ComputeNode;
  readonly in: Endpoint;
  readonly out: Endpoint;
  /** Its position in the port pair group: lb_consistent_hash_order of its ingress port. */
  readonly hashOrder: number;
}

async function serviceFunction(topo: NetnsTopology, node: ComputeNode, n: number): Promise<ServiceFunction> {
  const ns = `${topo.prefix}-esf${n}`;
  const mac = (x: number): string => `52:54:00:85:0${n}:0${x}`;
  const spec = (side: 'in' | 'out', subnet: number, vpnInstanceId: string, rt: string, x: number): Parameters<NetnsTopology['plainEndpoint']>[1] => ({
    name: `sf${n}${side}`,
    mac: mac(x),
    ip: `10.185.${subnet}.${n}`,
    vpnInstanceId,
    rt,
    ...NET,
  });
  const sfIn = await topo.plainEndpoint(node, spec('in', 2, 'ipvpn_net-sfin', RT.ppg, 2), undefined, { ns, nsIf: 'sfin' });
  const sfOut = await topo.plainEndpoint(node, spec('out', 3, 'ipvpn_net-sfout', RT.d, 3), undefined, { ns, nsIf: 'sfout' });
  await endpointReady(sfIn, 'sfin');
  await endpointReady(sfOut, 'sfout');
  // A plain router, without reverse-path filtering (it has no route back to S: the chain is one way).
  for (const k of ['net.ipv4.ip_forward=1', 'net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0', 'net.ipv4.conf.sfin.rp_filter=0']) {
    await inNsOk(ns, ['sysctl', '-qw', k]);
  }
  await inNsOk(ns, ['ip', 'route', 'add', `${D.ip}/32`, 'via', gatewayOf(sfOut), 'dev', 'sfout']);
  return { name: `SF${n}`, ns, node, in: sfIn, out: sfOut, hashOrder: n - 1 };
}

/**
 * An SF's attachments: its egress port on the ingress side of the last hop (imports D's network
 * route target), its ingress port on the egress side of the first hop (exports the PPG route
 * target, attracts the classified traffic toward the redirect route target).
 */
function sfAttachments(sf: ServiceFunction): Body[] {
  return [
    sfcAttachment(sf.out, [RT.d], []),
    sfcAttachment(sf.in, [], [RT.ppg], {
      attract_traffic: { redirect_rts: [RT.ppg], classifier: CLASSIFIER, to_rt: [RT.redirect], static_destination_prefixes: [`${D.ip}/32`] },
      lb_consistent_hash_order: sf.hashOrder,
    }),
  ];
}

/** A capture inside a namespace; `stop()` gives the packet lines. */
async function capture(td: Teardown, ns: string, ifName: string, filter: string, verbose = false): Promise<{ stop: () => Promise<string[]> }> {
  const d = td.daemon(Daemon.start(`tcpdump ${ns} ${ifName}`, 'ip', ['netns', 'exec', ns, 'tcpdump', '-n', '-l', ...(verbose ? ['-v'] : []), '-i', ifName, filter]));
  await waitFor(`tcpdump listening on ${ifName}`, () => {
    if (!d.alive) throw new Error(d.tail());
    return d.output.includes('listening on');
  });
  return {
    stop: async () => {
      // Let the last packets reach the capture before stopping it.
      await new Promise((r) => setTimeout(r, 300));
      await d.stop('SIGINT');
      return d.output.split('\n').filter((l) => /^\d\d:\d\d:\d\d\.\d+ /.test(l) || /^\s+10\.185\./.test(l));
    },
  };
}

/** The connections (source ports of SYNs, retransmissions counted once) toward D:80 in a capture of the SF's ingress port. */
function synsTo80(lines: readonly string[]): number {
  const ports = new Set<string>();
  for (const l of lines) {
    const m = / 10\.185\.1\.1\.(\d+) > 10\.185\.4\.1\.80: Flags \[S\],/.exec(l); // S → D:80
    if (m) ports.add(m[1]!);
  }
  return ports.size;
}

/** The internal instance id of a VPN instance (`VRF-<n>`), from the looking glass. */
async function instanceId(node: ComputeNode, vpnInstanceId: string): Promise<number | undefined> {
  const list = (await node.lookingGlass<{ id: string; name: string }[]>('vpns/instances')) ?? [];
  const name = list.find((i) => i.id === vpnInstanceId)?.name;
  return name === undefined ? undefined : Number(name.replace(/^VRF-/, ''));
}

const line = (f: FlowStats): string => `table=${f.table},priority=${f.priority},${f.match} actions=${f.actions}`;
const hex = (n: number): string => `0x${n.toString(16)}`;

test('service chaining in OVS: classified traffic through the service functions, the rest direct, detach restores', { timeout: 180_000 }, async (t) => {
  const td = new Teardown();
  try {
    const topo = await NetnsTopology.create(td, 2, String(process.pid % 100_000), 'bgs');
    const [n1, n2] = topo.nodes as [ComputeNode, ComputeNode];
    const ovs: PrivateOvs[] = [await ovsUnderlay(td, topo, n1), await ovsUnderlay(td, topo, n2)];
    await topo.startRouteReflector(FAMILIES);
    for (const [i, n] of [n1, n2].entries()) await topo.startOurDaemon(n, { evpnDriver: 'dummy', env: ovs[i]!.env, extra: ovsConfig(ovs[i]!, IPVPN) });
    await topo.waitEstablished();
    const why = (): string => `${n1.tail(40)}\n${n2.tail(40)}`;

    // The "VMs": veths whose host side the driver plugs into br-mpls, no default route anywhere.
    const s = await topo.plainEndpoint(n1, S);
    const d = await topo.plainEndpoint(n2, D);
    await endpointReady(s);
    await endpointReady(d);
    await inNsOk(s.ns, ['ip', 'route', 'add', `${D.ip}/32`, 'via', gatewayOf(s)]);
    await inNsOk(d.ns, ['ip', 'route', 'add', `${S.ip}/32`, 'via', gatewayOf(d)]);
    const sf1 = await serviceFunction(topo, n2, 1);

    const post = async (node: ComputeNode, path: string, body: Body): Promise<void> => {
      const r = await node.api('POST', path, body);
      assert.equal(r.status, 200, `${path} ${String(body['vpn_instance_id'])}: ${r.status} ${r.body}\n${why()}`);
    };
    const attachSf = async (sf: ServiceFunction): Promise<void> => {
      for (const body of sfAttachments(sf)) await post(sf.node, '/attach_localport', body);
    };
    const detachSf = async (sf: ServiceFunction): Promise<void> => {
      for (const ep of [sf.in, sf.out]) await post(sf.node, '/detach_localport', sfcDetach(ep));
    };
    // Destination first, then the service function, then the source (any order converges).
    await post(n2, '/attach_localport', sfcAttachment(d, [RT.s], [RT.d], { lb_consistent_hash_order: 0 }));
    await attachSf(sf1);
    await post(n1, '/attach_localport', sfcAttachment(s, [RT.ppg, RT.d], [RT.s]));

    let sId = 0;
    let dId = 0;
    let redirectId = 0;
    const vrfFlows = async (): Promise<FlowStats[]> => ovs[0]!.flows(MPLS_BRIDGE, 'table=2');
    const classifierFlows = async (): Promise<FlowStats[]> => (await vrfFlows()).filter((f) => f.actions.includes('->reg0'));
    /** The buckets of the redirect VRF's default route on node 1 (`bucket_id:N,actions=…`). */
    const redirectBuckets = async (): Promise<string[]> => {
      const flow = (await vrfFlows()).find((f) => f.match === `ip,reg0=${hex(redirectId)}`);
      const group = /^dec_ttl,group:(\d+)$/.exec(flow?.actions ?? '')?.[1];
      if (group === undefined) return [];
      const text = (await ovs[0]!.groups(MPLS_BRIDGE)).find((g) => g.startsWith(`group_id=${group},`)) ?? '';
      return text.split(',bucket=').slice(1);
    };

    /** Waits for the chain on node 1: the redirect instance, the classifier flow to it, its default route. */
    const chainInPlace = async (buckets: number): Promise<void> => {
      await waitFor('the redirect instance on node 1', async () => (await instanceId(n1, REDIRECT_INSTANCE)) !== undefined, 30_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      redirectId = (await instanceId(n1, REDIRECT_INSTANCE))!;
      await waitFor('the classifier flow', async () => (await classifierFlows()).length === 1, 30_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      assert.deepEqual((await classifierFlows()).map(line), [
        `table=2,priority=36864,tcp,reg0=${hex(sId)},nw_src=${S.ip},nw_dst=${D.ip},tp_dst=80 actions=set_field:${hex(redirectId)}->reg0,resubmit(,2)`,
      ]);
      // The redirect VRF imports 64512:5001: the SF ingress ports' default routes.
      await waitFor(`the redirect VRF’s default route with ${buckets} bucket(s)`, async () => (await redirectBuckets()).length === buckets, 30_000).catch((e: Error) =>
        assert.fail(`${e.message}\n${why()}`),
      );
    };

    /** TCP from S to D port 80, checked to pass through one of `sfs`; the SYNs each saw. */
    const throughSfs = async (sfs: readonly ServiceFunction[], connections = 1): Promise<number[]> => {
      const atSfs = await Promise.all(sfs.map((sf) => capture(td, sf.ns, 'sfin', `ip and dst host ${D.ip}`)));
      const atD = await capture(td, d.ns, 'tovpn', `tcp and dst host ${D.ip} and tcp[tcpflags] & tcp-syn != 0`, true);
      const before = (await classifierFlows())[0]!.packets;
      if (connections === 1) {
        assert.equal((await topo.tcpTransfer(s, d, 200_000, 80)).received, 200_000);
      } else {
        const counter = td.daemon(connectionCounter(d, 80));
        await waitFor('counter listening', () => counter.output.includes('LISTENING'));
        // As many source ports: the hash over the 4-tuple spreads them over the buckets.
        const out = await inNsOk(
          s.ns,
          [
            process.execPath,
            '-e',
            `const net = require('node:net'); let ok = 0;
             (async () => { for (let i = 0; i < ${connections}; i++) await new Promise((r) => { const c = net.connect(80, '${D.ip}', () => c.end('x')); c.on('close', () => { ok++; r(); }); c.on('error', r); c.setTimeout(3000, () => c.destroy()); }); console.log(ok); })();`,
          ],
          60_000,
        );
        assert.equal(Number(out.trim()), connections);
        await counter.stop();
        assert.equal(counter.output.split('\n').filter((l) => l === 'CONN').length, connections);
      }
      const seen = await Promise.all(atSfs.map((c) => c.stop()));
      const dst = (await atD.stop()).join('\n');
      const syns = seen.map(synsTo80);
      assert.equal(
        syns.reduce((a, b) => a + b, 0),
        connections,
        `SYNs seen by ${sfs.map((sf) => sf.name).join(', ')}: ${syns.join(', ')}\n${seen.map((l) => l.join('\n')).join('\n--\n')}`,
      );
      if (connections === 1) assert.ok(seen.flat().filter((l) => l.includes(`> ${D.ip}.80:`)).length > 10, `the transfer seen by the SF: ${seen.flat().length} lines`);
      // Three routing hops: the redirect VRF's default route (dec_ttl), the SF, SF-out's VRF's
      // route to D (dec_ttl): TTL 61 at D, where the direct path (S's VRF's route) gives 63.
      assert.match(dst, /ttl 61,.*\n.*> 10\.185\.4\.1\.80: Flags \[S\]/, dst);
      assert.doesNotMatch(dst, /ttl 6[234],/, dst);
      await waitFor('the classifier flow counted the packets', async () => (await classifierFlows())[0]!.packets > before, 5000, 200);
      return syns;
    };

    await t.test('node 1: the redirect instance, the classifier flow, the redirect VRF’s default route toward the SF', async () => {
      await waitFor('S’s VRF', async () => (await instanceId(n1, S.vpnInstanceId)) !== undefined);
      sId = (await instanceId(n1, S.vpnInstanceId))!;
      dId = (await instanceId(n2, D.vpnInstanceId))!;
      await chainInPlace(1);
      // SF1's hash order is the bucket id; its ingress port is on node 2, behind the GRE tunnel.
      assert.match((await redirectBuckets())[0]!, /^bucket_id:0,actions=push_mpls:0x8847,set_field:\d+->mpls_label,set_field:10\.170\.0\.2->tun_dst,output:\d+$/);
      // And the direct route to D in S's VRF.
      await waitFor('S’s VRF routes to D', async () => (await vrfFlows()).some((f) => f.match === `ip,reg0=${hex(sId)},nw_dst=${D.ip}`), 30_000);
      // The first packets over the tunnel may go while OVS resolves its next hop: one ping first.
      await topo.waitPing(s, D.ip, 20_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
    });

    await t.test('TCP to D port 80 goes through the service function', async () => {
      await throughSfs([sf1]);
      console.log(`# chained: classifier flow ${(await classifierFlows())[0]!.packets} packets`);
    });

    await t.test('ping and TCP to port 81 go direct: the service function sees none of it', async () => {
      const atSf = await capture(td, sf1.ns, 'any', `ip and (host ${S.ip} or host ${D.ip})`);
      const atD = await capture(td, d.ns, 'tovpn', `tcp and dst host ${D.ip} and tcp[tcpflags] & tcp-syn != 0`, true);
      const before = (await classifierFlows())[0]!.packets;
      assert.equal(await topo.ping(s, D.ip, 3), true, why());
      assert.equal((await topo.tcpTransfer(s, d, 200_000, 81)).received, 200_000);
      const seen = await atSf.stop();
      const dst = await atD.stop();
      assert.deepEqual(seen, [], 'the SF saw no IP packet');
      // Direct: S's VRF's route to D, one hop.
      assert.match(dst.join('\n'), /ttl 63,.*\n.*> 10\.185\.4\.1\.81: Flags \[S\]/, dst.join('\n'));
      await new Promise((r) => setTimeout(r, 1200));
      assert.equal((await classifierFlows())[0]!.packets, before, 'the classifier flow matched nothing');
    });

    const sf2 = await serviceFunction(topo, n1, 2);
    await t.test('a second port pair (SF2 on node 1, hash order 1): two buckets, connections spread over both SFs', async () => {
      await attachSf(sf2);
      await chainInPlace(2);
      const buckets = await redirectBuckets();
      // Bucket ids are the hash orders: SF1 (0) over GRE to node 2, SF2 (1) on this node (straight to encap-in).
      assert.match(buckets[0]!, /^bucket_id:0,actions=push_mpls:0x8847,set_field:\d+->mpls_label,set_field:10\.170\.0\.2->tun_dst,output:\d+$/);
      assert.match(buckets[1]!, /^bucket_id:1,actions=push_mpls:0x8847,set_field:\d+->mpls_label,resubmit\(\d+,1\)$/);
      const syns = await throughSfs([sf1, sf2], 32);
      assert.ok(syns.every((n) => n > 0), `connections per SF: ${syns.join(' / ')}`);
      console.log(`# two port pairs: connections per SF ${syns.join(' / ')}`);
    });

    await t.test('detaching SF1: the chain goes on through SF2', async () => {
      await detachSf(sf1);
      await waitFor('one bucket left (SF2’s)', async () => (await redirectBuckets()).length === 1, 30_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      assert.match((await redirectBuckets())[0]!, /^bucket_id:1,/);
      // SF1's FlowSpec route is gone, SF2's (the same rules) still redirects.
      assert.equal((await classifierFlows()).length, 1);
      assert.deepEqual(await throughSfs([sf2], 8), [8]);
    });

    await t.test('detaching SF2 too: TCP to port 80 goes direct, no classifier or redirect VRF flow left', async () => {
      await detachSf(sf2);
      await waitFor('no classifier flow on node 1', async () => (await classifierFlows()).length === 0, 30_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      await waitFor('the redirect instance gone from node 1', async () => (await instanceId(n1, REDIRECT_INSTANCE)) === undefined, 30_000);
      // Node 1: S's VRF alone (cookie = its id), besides the driver's GRE input flow and the bridge's NORMAL.
      const flows1 = await ovs[0]!.flows(MPLS_BRIDGE);
      assert.deepEqual(flows1.filter((f) => f.cookie !== 0n && f.cookie !== BigInt(sId)).map(line), [], 'no flow of another VRF (the redirect VRF, SF2’s) on node 1');
      assert.deepEqual(flows1.filter((f) => f.match.includes(`reg0=${hex(redirectId)}`) || f.actions.includes(`${hex(redirectId)}->reg0`)).map(line), []);
      // S's VRF: its ARP responder and its route to D (the SF ingress ports' routes are gone too).
      assert.deepEqual(flows1.filter((f) => f.table === 2).map((f) => `${f.priority},${f.match}`).sort(), [`36768,ip,reg0=${hex(sId)},nw_dst=${D.ip}`, `36864,arp,reg0=${hex(sId)},arp_op=1`]);
      assert.equal((await ovs[0]!.groups(MPLS_BRIDGE)).length, 1, 'one group: S’s VRF’s route to D');
      assert.deepEqual(await ovs[0]!.ports(MPLS_BRIDGE), ['eth0', 'mpls_gre', 'tap-s']);
      // Node 2: D's VRF alone, SF1's ports out of the bridge.
      assert.deepEqual((await ovs[1]!.flows(MPLS_BRIDGE)).filter((f) => f.cookie !== 0n && f.cookie !== BigInt(dId)).map(line), []);
      assert.deepEqual(await ovs[1]!.ports(MPLS_BRIDGE), ['eth0', 'mpls_gre', 'tap-d']);
      const atD = await capture(td, d.ns, 'tovpn', `tcp and dst host ${D.ip} and tcp[tcpflags] & tcp-syn != 0`, true);
      assert.equal((await topo.tcpTransfer(s, d, 200_000, 80)).received, 200_000);
      const dst = await atD.stop();
      assert.match(dst.join('\n'), /ttl 63,.*\n.*> 10\.185\.4\.1\.80: Flags \[S\]/, dst.join('\n'));
    });

    await t.test('attaching SF1 again restores the chain', async () => {
      await attachSf(sf1);
      await chainInPlace(1);
      await throughSfs([sf1]);
    });
  } finally {
    await td.run();
  }
});

/** A TCP server on D counting the connections it accepts (one line each). */
function connectionCounter(d: Endpoint, port: number): Daemon {
  return Daemon.start(`tcp counter ${d.ns}`, 'ip', [
    'netns',
    'exec',
    d.ns,
    process.execPath,
    '-e',
    `require('node:net').createServer((c) => { process.stdout.write('CONN\\n'); c.on('data', () => undefined); c.on('end', () => c.end()); }).listen(${port}, '${d.ip}', () => process.stdout.write('LISTENING\\n'));`,
  ]);
}
