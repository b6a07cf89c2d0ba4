/**
 * Service chaining in a real dataplane (issue 7; spec vpn.md §1.3, §4.4-4.6, §7, neutron.md §5.3,
 * dataplane.md §6.4 "classifier redirect"): two compute nodes, each with a private userspace Open
 * vSwitch and our daemon with the `ovs` IP VPN driver over MPLS/GRE, a GoBGP route reflector
 * carrying `l3vpn-ipv4-flowspec` in the underlay (the topology of ipvpn-ovs-mpls-gre.test.ts).
 *
 *   node 1:  S (10.185.1.1, network S)
 *   node 2:  SF, one namespace forwarding between its ingress port `sfin` (10.185.2.1, network
 *            SF-in) and its egress port `sfout` (10.185.3.1, network SF-out);
 *            D (10.185.4.1, network D)
 *
 * The attachments are those networking-bagpipe's `bagpipe_sfc` agent extension builds for a chain
 * with one port pair group and a flow classifier "TCP from S to D port 80", networks without
 * BGPVPN (neutron.md §5.3 worked example): the PPG route target 64512:5000 imported by the source
 * port and exported with attract-traffic by the SF ingress port (redirect_rts [5000], the
 * classifier, to_rt [5001], static prefix = the classifier's destination), the SF egress port
 * importing D's network route target, D's port exporting it. For the traffic that is not chained
 * to have a path at all (and TCP its way back), the test joins S's and D's networks directly: S's
 * instance also imports D's network route target and D's imports S's, merged into the same
 * attachments as networking-bagpipe's shared agent client merges the route targets of every
 * service attaching a port (neutron.md §1). `local_port` is the port's own veth (the extension
 * names the Linux bridge agent's `brq…` bridge; the `ovs` driver adds the interface to br-mpls).
 *
 * Checked: node 1 creates the redirect instance and the classifier flow; TCP to D port 80 goes
 * through the SF (captured inside the SF namespace on its ingress port; TTL 61 at D: the redirect
 * VRF, the SF and SF-out's VRF each route it); ping and TCP to port 81 go direct (the SF sees none of it); detaching the SF's
 * ports brings TCP to port 80 back to the direct path and leaves no classifier flow, no flow or
 * group of the redirect VRF, and nothing of the SF's VRFs on node 2; attaching them again
 * restores the chain.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../helpers/wait.js';
import { endpointReady, MPLS_BRIDGE, ovsConfig, ovsUnderlay } from './harness/ovs-node.js';
import { inNsOk, NetnsTopology, type ComputeNode, type Endpoint } from './harness/netns-topology.js';
import type { FlowStats, PrivateOvs } from './harness/ovs.js';
import { Daemon, Teardown } from './harness/process.js';

const IPVPN = ['dataplane_driver = ovs', 'gre_tunnel_options = packet_type=legacy_l3', 'arp_responder = True', 'proxy_arp = True'];
const FAMILIES = ['l3vpn-ipv4-unicast', 'rtc', 'l3vpn-ipv4-flowspec'];

/** Network route targets (`<as>:<segmentation id>`) and the port pair group's two (rtnn range 5000-5999). */
const RT = { s: '64512:1851', d: '64512:1854', ppg: '64512:5000', redirect: '64512:5001' };
const NET = { vni: 0, networkType: 'ipvpn' as const };
const REDIRECT_INSTANCE = 'redirect-to-ipvpn-64512_5001';

const S = { name: 's', mac: '52:54:00:85:00:01', ip: '10.185.1.1', vpnInstanceId: 'ipvpn_net-s', rt: RT.s, ...NET };
const SF_IN = { name: 'sfin', mac: '52:54:00:85:00:02', ip: '10.185.2.1', vpnInstanceId: 'ipvpn_net-sfin', rt: RT.ppg, ...NET };
const SF_OUT = { name: 'sfout', mac: '52:54:00:85:00:03', ip: '10.185.3.1', vpnInstanceId: 'ipvpn_net-sfout', rt: RT.d, ...NET };
const D = { name: 'd', mac: '52:54:00:85:00:04', ip: '10.185.4.1', vpnInstanceId: 'ipvpn_net-d', rt: RT.d, ...NET };

/** The flow classifier as the SFC driver writes it (key order of _build_bagpipe_classifier_from_fc). */
const CLASSIFIER = { protocol: 'tcp', sourcePrefix: `${S.ip}/32`, destinationPort: '80', destinationPrefix: `${D.ip}/32` };

type Body = Record<string, unknown>;

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

function gatewayOf(ep: Endpoint): string {
  return `${ep.ip.split('.').slice(0, 3).join('.')}.254`;
}

/** The detach the extension sends (_build_sfc_detach_info, plus the shared client's keys). */
function sfcDetach(ep: Endpoint): Body {
  return { ip_address: ep.ip, mac_address: ep.mac, local_port: { linuxif: ep.hostIf }, vpn_type: 'ipvpn', vpn_instance_id: ep.vpnInstanceId };
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

/** The internal instance id of a VPN instance (`VRF-<n>`), from the looking glass. */
async function instanceId(node: ComputeNode, vpnInstanceId: string): Promise<number | undefined> {
  const list = (await node.lookingGlass<{ id: string; name: string }[]>('vpns/instances')) ?? [];
  const name = list.find((i) => i.id === vpnInstanceId)?.name;
  return name === undefined ? undefined : Number(name.replace(/^VRF-/, ''));
}

const line = (f: FlowStats): string => `table=${f.table},priority=${f.priority},${f.match} actions=${f.actions}`;

test('service chaining in OVS: classified traffic through the service function, the rest direct, detach restores', { timeout: 180_000 }, async (t) => {
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
    const sfNs = `${topo.prefix}-esf`;
    const s = await topo.plainEndpoint(n1, S);
    const sfIn = await topo.plainEndpoint(n2, SF_IN, undefined, { ns: sfNs, nsIf: 'sfin' });
    const sfOut = await topo.plainEndpoint(n2, SF_OUT, undefined, { ns: sfNs, nsIf: 'sfout' });
    const d = await topo.plainEndpoint(n2, D);
    await endpointReady(s);
    await endpointReady(d);
    await endpointReady(sfIn, 'sfin');
    await endpointReady(sfOut, 'sfout');
    await inNsOk(s.ns, ['ip', 'route', 'add', `${D.ip}/32`, 'via', gatewayOf(s)]);
    await inNsOk(d.ns, ['ip', 'route', 'add', `${S.ip}/32`, 'via', gatewayOf(d)]);
    // The service function: what comes in by sfin goes out by sfout toward D (a plain router;
    // no reverse-path filtering, it has no route back to S: the chain is one way).
    for (const k of ['net.ipv4.ip_forward=1', 'net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0', 'net.ipv4.conf.sfin.rp_filter=0']) {
      await inNsOk(sfNs, ['sysctl', '-qw', k]);
    }
    await inNsOk(sfNs, ['ip', 'route', 'add', `${D.ip}/32`, 'via', gatewayOf(sfOut), 'dev', 'sfout']);

    const attach = async (node: ComputeNode, body: Body): Promise<void> => {
      const r = await node.api('POST', '/attach_localport', body);
      assert.equal(r.status, 200, `attach ${String(body['vpn_instance_id'])}: ${r.status} ${r.body}\n${why()}`);
    };
    const attachSf = async (): Promise<void> => {
      await attach(n2, sfcAttachment(sfOut, [RT.d], []));
      await attach(
        n2,
        sfcAttachment(sfIn, [], [RT.ppg], {
          attract_traffic: { redirect_rts: [RT.ppg], classifier: CLASSIFIER, to_rt: [RT.redirect], static_destination_prefixes: [`${D.ip}/32`] },
          lb_consistent_hash_order: 0,
        }),
      );
    };
    // Destination first, then the service function, then the source (any order converges).
    await attach(n2, sfcAttachment(d, [RT.s], [RT.d], { lb_consistent_hash_order: 0 }));
    await attachSf();
    await attach(n1, sfcAttachment(s, [RT.ppg, RT.d], [RT.s]));

    let sId = 0;
    let dId = 0;
    const hex = (n: number): string => `0x${n.toString(16)}`;
    const classifierFlows = async (): Promise<FlowStats[]> => (await ovs[0]!.flows(MPLS_BRIDGE, 'table=2')).filter((f) => f.actions.includes('->reg0'));

    /** Waits for the chain on node 1: the redirect instance, its default route toward the SF, the classifier flow to it. */
    const chainInPlace = async (): Promise<number> => {
      await waitFor('the redirect instance on node 1', async () => (await instanceId(n1, REDIRECT_INSTANCE)) !== undefined, 30_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      const redirectId = (await instanceId(n1, REDIRECT_INSTANCE))!;
      await waitFor('the classifier flow', async () => (await classifierFlows()).length === 1, 30_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      assert.deepEqual((await classifierFlows()).map(line), [
        `table=2,priority=36864,tcp,reg0=${hex(sId)},nw_src=${S.ip},nw_dst=${D.ip},tp_dst=80 actions=set_field:${hex(redirectId)}->reg0,resubmit(,2)`,
      ]);
      // The redirect VRF imports 64512:5001: the SF ingress port's default route, over GRE to node 2.
      await waitFor(
        'the redirect VRF’s default route',
        async () => (await ovs[0]!.flows(MPLS_BRIDGE, 'table=2')).some((f) => f.match === `ip,reg0=${hex(redirectId)}` && /^dec_ttl,group:\d+$/.test(f.actions)),
        30_000,
      ).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      return redirectId;
    };

    /** TCP from S to D port 80, checked to pass through the SF; the number of packets it saw. */
    const throughSf = async (): Promise<number> => {
      const atSf = await capture(td, sfNs, 'sfin', `ip and dst host ${D.ip}`);
      const atD = await capture(td, d.ns, 'tovpn', `tcp and dst host ${D.ip} and tcp[tcpflags] & tcp-syn != 0`, true);
      const before = (await classifierFlows())[0]!.packets;
      assert.equal((await topo.tcpTransfer(s, d, 200_000, 80)).received, 200_000);
      const sf = await atSf.stop();
      const dst = await atD.stop();
      assert.ok(sf.some((l) => l.includes(`${S.ip}.`) && l.includes(`> ${D.ip}.80: Flags [S]`)), `the SYN seen by the SF:\n${sf.join('\n')}`);
      assert.ok(sf.filter((l) => l.includes(`> ${D.ip}.80:`)).length > 10, `the transfer seen by the SF:\n${sf.length} lines`);
      // Three routing hops: the redirect VRF's default route (dec_ttl), the SF, SF-out's VRF's
      // route to D (dec_ttl): TTL 61 at D, where the direct path (S's VRF's route) gives 63.
      assert.match(dst.join('\n'), /ttl 61,.*\n.*> 10\.185\.4\.1\.80: Flags \[S\]/, dst.join('\n'));
      await waitFor('the classifier flow counted the packets', async () => (await classifierFlows())[0]!.packets > before, 5000, 200);
      return sf.length;
    };

    let redirectId = 0;
    await t.test('node 1: the redirect instance, the classifier flow, the redirect VRF’s default route toward the SF', async () => {
      await waitFor('S’s VRF', async () => (await instanceId(n1, S.vpnInstanceId)) !== undefined);
      sId = (await instanceId(n1, S.vpnInstanceId))!;
      dId = (await instanceId(n2, D.vpnInstanceId))!;
      redirectId = await chainInPlace();
      // And the direct route to D in S's VRF.
      await waitFor('S’s VRF routes to D', async () => (await ovs[0]!.flows(MPLS_BRIDGE, 'table=2')).some((f) => f.match === `ip,reg0=${hex(sId)},nw_dst=${D.ip}`), 30_000);
      // The first packets over the tunnel may go while OVS resolves its next hop: one ping first.
      await topo.waitPing(s, D.ip, 20_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
    });

    await t.test('TCP to D port 80 goes through the service function', async () => {
      const seen = await throughSf();
      console.log(`# chained: ${seen} packets to D:80 captured on the SF's ingress port; classifier flow ${(await classifierFlows())[0]!.packets} packets`);
    });

    await t.test('ping and TCP to port 81 go direct: the service function sees none of it', async () => {
      const atSf = await capture(td, sfNs, 'any', `ip and (host ${S.ip} or host ${D.ip})`);
      const atD = await capture(td, d.ns, 'tovpn', `tcp and dst host ${D.ip} and tcp[tcpflags] & tcp-syn != 0`, true);
      const before = (await classifierFlows())[0]!.packets;
      assert.equal(await topo.ping(s, D.ip, 3), true, why());
      assert.equal((await topo.tcpTransfer(s, d, 200_000, 81)).received, 200_000);
      const sf = await atSf.stop();
      const dst = await atD.stop();
      assert.deepEqual(sf, [], 'the SF saw no IP packet');
      // Direct: S's VRF's route to D, one hop.
      assert.match(dst.join('\n'), /ttl 63,.*\n.*> 10\.185\.4\.1\.81: Flags \[S\]/, dst.join('\n'));
      await new Promise((r) => setTimeout(r, 1200));
      assert.equal((await classifierFlows())[0]!.packets, before, 'the classifier flow matched nothing');
    });

    await t.test('detaching the service function: TCP to port 80 goes direct, no classifier or redirect VRF flow left', async () => {
      const r1 = await n2.api('POST', '/detach_localport', sfcDetach(sfIn));
      const r2 = await n2.api('POST', '/detach_localport', sfcDetach(sfOut));
      assert.deepEqual([r1.status, r2.status], [200, 200], `${r1.body} ${r2.body}`);
      await waitFor('no classifier flow on node 1', async () => (await classifierFlows()).length === 0, 30_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      await waitFor('the redirect instance gone from node 1', async () => (await instanceId(n1, REDIRECT_INSTANCE)) === undefined, 30_000);
      // Node 1: S's VRF alone (cookie = its id), the driver's GRE input flow and the bridge's NORMAL.
      const flows1 = await ovs[0]!.flows(MPLS_BRIDGE);
      assert.deepEqual(
        flows1.filter((f) => f.cookie !== 0n && f.cookie !== BigInt(sId)).map(line),
        [],
        'no flow of another VRF (the redirect VRF) on node 1',
      );
      assert.deepEqual(flows1.filter((f) => f.match.includes(`reg0=${hex(redirectId)}`) || f.actions.includes(`${hex(redirectId)}->reg0`)).map(line), []);
      // S's VRF: its ARP responder and its route to D (the SF ingress port's route is gone too).
      assert.deepEqual(flows1.filter((f) => f.table === 2).map((f) => `${f.priority},${f.match}`).sort(), [`36768,ip,reg0=${hex(sId)},nw_dst=${D.ip}`, `36864,arp,reg0=${hex(sId)},arp_op=1`]);
      assert.equal((await ovs[0]!.groups(MPLS_BRIDGE)).length, 1, 'one group: S’s VRF’s route to D');
      // Node 2: D's VRF alone, the SF's ports out of the bridge.
      assert.deepEqual((await ovs[1]!.flows(MPLS_BRIDGE)).filter((f) => f.cookie !== 0n && f.cookie !== BigInt(dId)).map(line), []);
      assert.deepEqual(await ovs[1]!.ports(MPLS_BRIDGE), ['eth0', 'mpls_gre', 'tap-d']);
      const atD = await capture(td, d.ns, 'tovpn', `tcp and dst host ${D.ip} and tcp[tcpflags] & tcp-syn != 0`, true);
      assert.equal((await topo.tcpTransfer(s, d, 200_000, 80)).received, 200_000);
      const dst = await atD.stop();
      assert.match(dst.join('\n'), /ttl 63,.*\n.*> 10\.185\.4\.1\.80: Flags \[S\]/, dst.join('\n'));
    });

    await t.test('attaching the service function again restores the chain', async () => {
      await attachSf();
      await chainInPlace();
      await throughSf();
    });
  } finally {
    await td.run();
  }
});
