/**
 * Service chaining control plane (issue 7; spec vpn.md §4, neutron.md §5) against a GoBGP route
 * reflector carrying `l3vpn-ipv4-flowspec`, with our daemon (in-process, 127.0.147.2) and the
 * original BaGPipe-BGP (127.0.147.3) attached with the same request bodies — the ones
 * networking-bagpipe's SFC agent extension builds (neutron.md §5.3) — on each. Compared: what the
 * route reflector holds from each (FlowSpec NLRI rules, redirect-to-VRF, route targets,
 * RT-records, consistent-hash sort order, default routes; RDs and labels may differ), the
 * redirect instance each creates on the receiving side, and the withdrawal of everything at detach.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DataplaneCall } from '../../src/dataplane/dummy.js';
import { post, startNode, type Node } from '../api/helpers.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { Bagpipe } from './harness/bagpipe.js';
import { GoBgp, type GoRoute } from './harness/gobgp.js';
import { Teardown } from './harness/process.js';

const RR = '127.0.147.1';
const US = '127.0.147.2';
const ORIG = '127.0.147.3';
const AS = 64512;
const FAMILIES = ['l3vpn-ipv4-unicast', 'l2vpn-evpn', 'rtc', 'l3vpn-ipv4-flowspec'];

/**
 * The SFC agent extension's attachment for a service function's ingress port (neutron.md §5.3,
 * worked example: PPG RT 5000, redirect RT 5001, static prefix = the classifier's destination).
 */
const sfIngress = (n: number): Record<string, unknown> => ({
  vpn_type: 'ipvpn',
  vpn_instance_id: `ipvpn_sf${n}`,
  mac_address: `52:54:00:47:00:0${n}`,
  ip_address: `10.47.0.${n}`,
  gateway_ip: '10.47.0.254',
  local_port: { linuxif: `brq-sf${n}` },
  import_rt: [],
  export_rt: ['64512:5000'],
  attract_traffic: {
    redirect_rts: ['64512:5000'],
    classifier: { protocol: 'tcp', destinationPort: '80', sourcePrefix: '10.47.9.0/24', destinationPrefix: '10.47.1.0/24' },
    to_rt: ['64512:5001'],
    static_destination_prefixes: ['10.47.1.0/24'],
  },
  lb_consistent_hash_order: 0,
});

/** A hop with re-advertisement (no attract): routes of RT 64512:4700 re-advertised to 64512:4701. */
const readvPort = (n: number): Record<string, unknown> => ({
  vpn_type: 'ipvpn',
  vpn_instance_id: `ipvpn_readv${n}`,
  mac_address: `52:54:00:47:01:0${n}`,
  ip_address: `10.47.2.${n}`,
  gateway_ip: '10.47.2.254',
  local_port: { linuxif: `brq-rv${n}` },
  import_rt: ['64512:4702'],
  export_rt: ['64512:4702'],
  readvertise: { from_rt: ['64512:4700'], to_rt: ['64512:4701'] },
  lb_consistent_hash_order: 3,
});

/**
 * A source network port importing the PPG RT: receives the FlowSpec route, redirects to 5001. It
 * imports the re-advertisement's to RT too, so that RT Constraint lets those routes reach the
 * route reflector (nothing is sent for a route target nobody imports).
 */
const source = (n: number): Record<string, unknown> => ({
  vpn_type: 'ipvpn',
  vpn_instance_id: `ipvpn_src${n}`,
  mac_address: `52:54:00:47:02:0${n}`,
  ip_address: `10.47.9.${n}`,
  gateway_ip: '10.47.9.254',
  local_port: { linuxif: `brq-src${n}` },
  import_rt: ['64512:5000', '64512:4701'],
  export_rt: ['64512:4799'],
});

/** A route as compared between the two daemons: no RD, no label; communities sorted. */
function normal(r: GoRoute, family: string): string {
  const raw = r.raw as { nlri: Record<string, unknown>; attrs: { type: number; value?: unknown }[] };
  const nlri = family === 'vpnv4' ? { prefix: r.prefix } : { value: (raw.nlri as { value?: unknown }).value };
  const ecs = r.extCommunities.map((c) => `${c.type}/${c.subtype}/${c.value}`).sort();
  const lp = r.localPref;
  return JSON.stringify({ nlri, ecs, lp, nh: r.nextHop === '0.0.0.0' || r.nextHop === undefined ? 'none' : 'self' });
}

test('service chaining through a GoBGP route reflector: our daemon and the original advertise the same chain routes', { timeout: 120_000 }, async (t) => {
  const td = new Teardown();
  let us: Node | undefined;
  let orig: Bagpipe | undefined;
  let rr: GoBgp | undefined;
  const context = (): string => [rr?.tail(), orig?.tail(), us?.records.slice(-30).map((r) => `${r.level} ${r.name}: ${r.msg}`).join('\n')].join('\n');
  try {
    const port = await freePort(RR);
    rr = new GoBgp({ address: RR, as: AS, port, apiPort: await freePort(RR), neighbors: [US, ORIG].map((address) => ({ address, families: FAMILIES })) }, td);
    await rr.start();
    const g = rr;
    us = await startNode({ localAddress: US, localAs: AS, enableRtc: true, peerPort: port, peers: [{ address: RR }], connectRetrySeconds: 1 }, td);
    const n = us;
    orig = new Bagpipe({ address: ORIG, as: AS, peers: [RR], bgpPort: port, apiPort: await freePort(ORIG), enableRtc: true }, td);
    await orig.start();
    const o = orig;
    await waitFor('both sessions Established', async () => (await g.neighborState(US)) === 'established' && (await g.neighborState(ORIG)) === 'established', 30_000).catch((e: Error) =>
      assert.fail(`${e.message}\n${context()}`),
    );
    const ours = async (family: string): Promise<string[]> => (await g.adjIn(US, family)).map((r) => normal(r, family)).sort();
    const theirs = async (family: string): Promise<string[]> => (await g.adjIn(ORIG, family)).map((r) => normal(r, family)).sort();

    // The receiving side first: RT Constraint only lets routes of imported route targets out.
    assert.equal((await post([US, n.apiPort], '/attach_localport', source(1))).status, 200);
    await o.post('attach_localport', source(2));

    await t.test('attract-traffic: the same FlowSpec redirect routes and default routes', async () => {
      assert.equal((await post([US, n.apiPort], '/attach_localport', sfIngress(1))).status, 200);
      await o.post('attach_localport', sfIngress(2));
      await waitFor('FlowSpec routes from both', async () => (await g.adjIn(US, 'ipv4-l3vpn-flowspec')).length === 1 && (await g.adjIn(ORIG, 'ipv4-l3vpn-flowspec')).length === 1, 30_000).catch(
        (e: Error) => assert.fail(`${e.message}\n${context()}`),
      );
      assert.deepEqual(await ours('ipv4-l3vpn-flowspec'), await theirs('ipv4-l3vpn-flowspec'));
      const flow = (await g.adjIn(US, 'ipv4-l3vpn-flowspec'))[0]!;
      // Redirect to the VRF importing 64512:5001, route target 64512:5000.
      assert.ok(flow.extCommunities.some((c) => c.type === 128 && c.subtype === 8), JSON.stringify(flow.raw));
      await waitFor('default routes from both', async () => (await g.adjIn(US, 'vpnv4')).some((r) => r.prefix === '0.0.0.0/0') && (await g.adjIn(ORIG, 'vpnv4')).some((r) => r.prefix === '0.0.0.0/0'), 30_000);
      const def = (rs: string[]): string[] => rs.filter((r) => r.includes('0.0.0.0/0'));
      assert.deepEqual(def(await ours('vpnv4')), def(await theirs('vpnv4')));
      assert.equal(def(await ours('vpnv4')).length, 1);
    });

    await t.test('readvertise: a route of the from RT re-advertised with the to RT and RT-records, like the original', async () => {
      assert.equal((await post([US, n.apiPort], '/attach_localport', readvPort(1))).status, 200);
      await o.post('attach_localport', readvPort(2));
      // Someone else's route with the from RT, injected at the route reflector.
      await g.cli('global', 'rib', '-a', 'vpnv4', 'add', '10.47.3.0/24', 'label', '1000', 'rd', '64512:4703', 'rt', '64512:4700', 'nexthop', '127.0.147.9');
      const readv = (rs: GoRoute[]): GoRoute[] => rs.filter((r) => r.prefix === '10.47.3.0/24');
      await waitFor('re-advertised by both', async () => readv(await g.adjIn(US, 'vpnv4')).length === 1 && readv(await g.adjIn(ORIG, 'vpnv4')).length === 1, 30_000).catch((e: Error) =>
        assert.fail(`${e.message}\n${context()}`),
      );
      const only = (rs: string[]): string[] => rs.filter((r) => r.includes('10.47.3.0/24'));
      assert.deepEqual(only(await ours('vpnv4')), only(await theirs('vpnv4')));
      const r = readv(await g.adjIn(US, 'vpnv4'))[0]!;
      assert.equal(r.nextHop, US);
      assert.ok(r.extCommunities.some((c) => c.subtype === 0x13), `an RT-record: ${JSON.stringify(r.extCommunities)}`);
      await g.cli('global', 'rib', '-a', 'vpnv4', 'del', '10.47.3.0/24', 'label', '1000', 'rd', '64512:4703', 'rt', '64512:4700', 'nexthop', '127.0.147.9');
      await waitFor('re-advertisements withdrawn by both', async () => readv(await g.adjIn(US, 'vpnv4')).length === 0 && readv(await g.adjIn(ORIG, 'vpnv4')).length === 0, 30_000);
    });

    await t.test('receiving side: each creates the redirect instance importing 64512:5001 and redirects the classified traffic', async () => {
      const redirect = 'redirect-to-ipvpn-64512_5001';
      await waitFor('our redirect instance', () => n.vpn.instances.has(redirect), 30_000).catch((e: Error) => assert.fail(`${e.message}\n${context()}`));
      await waitFor('the original’s redirect instance', async () => ((await o.lookingGlass<{ id: string }[]>('vpns/instances')) ?? []).some((i) => i.id === redirect), 30_000);
      const calls = (): DataplaneCall[] => (n.vpn.instances.get('ipvpn_src1')?.dataplaneInfo().calls as DataplaneCall[] | undefined) ?? [];
      await waitFor('classifier installed', () => calls().some((c) => c.call === 'addTrafficClassifier'), 30_000).catch((e: Error) => assert.fail(`${e.message} ${JSON.stringify(calls())}\n${context()}`));
      // Our FlowSpec route and the original's have the same rules: one entry, one best route, one classifier.
      const cl = calls().filter((c) => c.call === 'addTrafficClassifier');
      assert.equal(cl.length, 1);
      assert.deepEqual(cl[0]!.args, {
        classifier: { destinationPrefix: '10.47.1.0/24', sourcePrefix: '10.47.9.0/24', protocol: 'tcp', destinationPort: { min: 80, max: 80 } },
        redirectInstanceId: n.vpn.instances.get(redirect)!.settings.instanceId,
      });
      // The redirect instance imports both service functions' default routes (distinct RDs).
      const defaults = (): (string | undefined)[] =>
        (n.vpn.instances.get(redirect)?.receivedRoutes().find((e) => e.entry === '0.0.0.0/0')?.routes ?? []).map((r) => r.nextHop).sort();
      await waitFor('default routes toward both service functions', () => defaults().length === 2, 30_000).catch((e: Error) => assert.fail(`${e.message} ${JSON.stringify(defaults())}`));
      assert.deepEqual(defaults(), [US, ORIG]);
      // The original's redirect instance (it imports 64512:5001 too) holds them as well.
      const origRoutes = await o.lookingGlass<Record<string, unknown>>(`vpns/instances/${redirect}/received_routes`);
      assert.ok(JSON.stringify(origRoutes).includes('0.0.0.0/0'), JSON.stringify(origRoutes));
    });

    await t.test('detach: every chain route withdrawn from the route reflector; the redirect instance goes', async () => {
      for (const body of [sfIngress(1), readvPort(1)]) {
        const d = { ...body } as Record<string, unknown>;
        const r = await post([US, n.apiPort], '/detach_localport', { vpn_type: d.vpn_type, vpn_instance_id: d.vpn_instance_id, mac_address: d.mac_address, ip_address: d.ip_address, local_port: d.local_port });
        assert.equal(r.status, 200);
      }
      await waitFor('our chain routes withdrawn', async () => (await g.adjIn(US, 'ipv4-l3vpn-flowspec')).length === 0 && !(await g.adjIn(US, 'vpnv4')).some((r) => r.prefix === '0.0.0.0/0'), 30_000);
      // The original's service function remains: our source still redirects, to its default route only.
      const redirect = 'redirect-to-ipvpn-64512_5001';
      await o.post('detach_localport', { vpn_type: 'ipvpn', vpn_instance_id: 'ipvpn_sf2', mac_address: '52:54:00:47:00:02', ip_address: '10.47.0.2', local_port: { linuxif: 'brq-sf2' } });
      await waitFor('no FlowSpec route left: our redirect instance stops', () => !n.vpn.instances.has(redirect), 30_000).catch((e: Error) => assert.fail(`${e.message}\n${context()}`));
    });
  } finally {
    await td.run();
  }
});
