/**
 * Two of our daemons (in-process: BGP manager, VPN manager, REST API each) on loopback, with GoBGP
 * as RT-Constraint route reflector (127.0.143.1; nodes A 127.0.143.2 and B 127.0.143.3). On each
 * node an E-VPN and an IP VPN port are attached through the REST API. Checked: what GoBGP holds
 * (route types, RDs, labels / VNIs, next hops, RTs, encapsulations, PMSI), that each node's
 * instances have the other node's routes as best (and the dummy dataplane was asked to install
 * them), and that a detach withdraws everywhere.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DataplaneCall } from '../../src/dataplane/dummy.js';
import { call, post, startNode, type Node } from '../api/helpers.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { GoBgp } from './harness/gobgp.js';
import { Teardown } from './harness/process.js';

const RR = '127.0.143.1';
const AS = 64512;
const FAMILIES = ['l3vpn-ipv4-unicast', 'l2vpn-evpn', 'rtc', 'l3vpn-ipv4-flowspec'];

function rts(ecs: { type: number; subtype: number; value: string }[]): string[] {
  return ecs.filter((c) => c.type === 0 && c.subtype === 2).map((c) => c.value).sort();
}

test('two bagpipe-bgp nodes through a GoBGP route reflector: E-VPN and IP VPN ports attached over the REST API', { timeout: 90_000 }, async (t) => {
  const td = new Teardown();
  let a: Node | undefined;
  let b: Node | undefined;
  let rr: GoBgp | undefined;
  const context = (): string =>
    [rr?.tail(), ...[a, b].map((n) => (n ? `--- ${n.address} ---\n${n.records.slice(-30).map((r) => `${r.level} ${r.name}: ${r.msg}`).join('\n')}` : ''))].join('\n');
  try {
    const port = await freePort(RR);
    const apiPort = await freePort(RR);
    const A = '127.0.143.2';
    const B = '127.0.143.3';
    rr = new GoBgp({ address: RR, as: AS, port, apiPort, neighbors: [A, B].map((address) => ({ address, families: FAMILIES })) }, td);
    await rr.start();
    const g = rr;
    a = await startNode({ localAddress: A, localAs: AS, enableRtc: true, peerPort: port, peers: [{ address: RR }], connectRetrySeconds: 1 }, td);
    b = await startNode({ localAddress: B, localAs: AS, enableRtc: true, peerPort: port, peers: [{ address: RR }], connectRetrySeconds: 1 }, td);
    const na = a;
    const nb = b;
    await waitFor('both sessions Established', async () => na.bgp.established().length === 1 && nb.bgp.established().length === 1 && (await g.neighborState(A)) === 'established' && (await g.neighborState(B)) === 'established', 20_000).catch(
      (e: Error) => assert.fail(`${e.message}\n${context()}`),
    );

    const evpn = (n: Node, last: number) => ({
      vpn_type: 'evpn',
      vpn_instance_id: 'evpn-net',
      mac_address: `52:54:00:43:00:0${last}`,
      ip_address: `10.43.1.${last}`,
      local_port: { linuxif: `tap-e${last}` },
      import_rt: ['64512:431'],
      export_rt: ['64512:431'],
      vni: 4301,
      description: { port: `port-${n.address}` },
    });
    const ipvpn = (_n: Node, last: number) => ({
      vpn_type: 'ipvpn',
      vpn_instance_id: 'ipvpn-net',
      mac_address: `52:54:00:43:01:0${last}`,
      ip_address: `10.43.2.${last}`,
      local_port: { linuxif: `tap-i${last}` },
      import_rt: ['64512:432'],
      export_rt: ['64512:432'],
      gateway_ip: '10.43.2.254',
      local_pref: last === 2 ? 150 : null,
    });
    for (const [n, last] of [
      [na, 2],
      [nb, 3],
    ] as const) {
      for (const body of [evpn(n, last), ipvpn(n, last)]) {
        const r = await post([n.address, n.apiPort], '/attach_localport', body);
        assert.equal(r.status, 200, `${n.address} ${body.vpn_type}: ${r.body}`);
      }
    }

    await t.test('GoBGP holds the VPN-IPv4 routes: RD, label, next hop, RT, encapsulation, LOCAL_PREF', async () => {
      await waitFor('both VPN-IPv4 routes in GoBGP', async () => (await g.rib('vpnv4')).length === 2).catch((e: Error) => assert.fail(`${e.message}\n${context()}`));
      for (const [n, last, lp] of [
        [na, 2, 150],
        [nb, 3, 100],
      ] as const) {
        const vrf = n.vpn.instances.get('ipvpn-net')!;
        const label = [...vrf.macs.values()][0]!.label;
        const r = (await g.adjIn(n.address, 'vpnv4')).find((x) => x.prefix === `10.43.2.${last}/32`);
        assert.ok(r, `route of ${n.address} in GoBGP`);
        assert.deepEqual([r.rd, r.labels, r.nextHop, r.localPref, rts(r.extCommunities)], [vrf.instanceRd, [label], n.address, lp, ['64512:432']]);
        assert.ok(r.extCommunities.some((c) => c.type === 3 && c.subtype === 12 && (c as { tunnel_type?: number }).tunnel_type === 10), 'MPLS encapsulation community');
      }
    });

    await t.test('GoBGP holds the E-VPN routes: MAC/IP with the VNI, inclusive multicast with PMSI ingress replication', async () => {
      await waitFor('four E-VPN routes in GoBGP', async () => (await g.rib('evpn')).length === 4).catch((e: Error) => assert.fail(`${e.message}\n${context()}`));
      const out = await g.cli('global', 'rib', '-a', 'evpn');
      for (const [n, last] of [
        [na, 2],
        [nb, 3],
      ] as const) {
        const evi = n.vpn.instances.get('evpn-net')!;
        const routes = await g.adjIn(n.address, 'evpn');
        const raw = JSON.stringify(routes.map((r) => r.raw));
        assert.equal(routes.length, 2, raw);
        const mac = routes.find((r) => JSON.stringify(r.raw).includes(`52:54:00:43:00:0${last}`));
        assert.ok(mac, raw);
        type GoEvpn = { nlri: { type: number; value: { rd: { admin: string; assigned: number }; etag: number; mac?: string; ip?: string; labels?: number[] } } };
        const macNlri = (mac.raw as GoEvpn).nlri;
        const why = JSON.stringify(mac.raw);
        assert.equal(macNlri.type, 2, why);
        assert.equal(`${macNlri.value.rd.admin}:${macNlri.value.rd.assigned}`, evi.instanceRd, why);
        assert.deepEqual([macNlri.value.etag, macNlri.value.ip, macNlri.value.labels], [0, `10.43.1.${last}`, [4301]], `the VNI in the label field: ${why}`);
        assert.equal(mac.nextHop, n.address);
        assert.equal(mac.localPref, 100);
        assert.deepEqual(rts(mac.extCommunities), ['64512:431']);
        assert.ok(mac.extCommunities.some((c) => c.type === 3 && c.subtype === 12 && (c as { tunnel_type?: number }).tunnel_type === 8), `VXLAN encapsulation: ${why}`);
        const mcast = routes.find((r) => r !== mac)!;
        const mNlri = (mcast.raw as GoEvpn).nlri;
        const mwhy = JSON.stringify(mcast.raw);
        assert.equal(mNlri.type, 3, mwhy);
        assert.equal(`${mNlri.value.rd.admin}:${mNlri.value.rd.assigned}`, evi.instanceRd, mwhy);
        assert.equal(mcast.nextHop, n.address);
        assert.deepEqual(rts(mcast.extCommunities), ['64512:431']);
        const pmsi = (mcast.raw as { attrs: { type: number }[] }).attrs.find((x) => x.type === 22) as Record<string, unknown> | undefined;
        assert.ok(pmsi, `PMSI tunnel attribute: ${mwhy}`);
        assert.deepEqual([pmsi['tunnel-type'], pmsi.label, pmsi['tunnel-id'], pmsi['is-leaf-info-required']], [6, 4301, n.address, false], `ingress replication, VNI: ${mwhy}`);
        // GoBGP's own text, as an operator reads it.
        assert.ok(out.includes(`[type:multicast][rd:${evi.instanceRd}][etag:0][ip:${n.address}]`), out);
        assert.ok(out.includes(`{Pmsi: type: ingress-repl, label: 4301, tunnel-id: ${n.address}}`), out);
      }
    });

    const bestOf = async (n: Node, id: string): Promise<Record<string, Record<string, { next_hop: string; reason: string }>[]>> =>
      (await call([n.address, n.apiPort], 'GET', `/looking-glass/vpns/instances/${id}/best_routes`)).json() as Record<string, Record<string, { next_hop: string; reason: string }>[]>;
    const dpCalls = (n: Node, id: string): DataplaneCall[] => (n.vpn.instances.get(id)?.dataplaneInfo().calls as DataplaneCall[] | undefined) ?? [];

    await t.test("each node's instances have the other's routes as best, and asked the dataplane to install them", async () => {
      for (const [n, other, last] of [
        [na, nb, 3],
        [nb, na, 2],
      ] as const) {
        await waitFor(`${n.address}: the other's IP VPN route best`, async () => (await bestOf(n, 'ipvpn-net'))[`'10.43.2.${last}/32'`] !== undefined).catch((e: Error) =>
          assert.fail(`${e.message}\n${context()}`),
        );
        const vb = (await bestOf(n, 'ipvpn-net'))[`'10.43.2.${last}/32'`]!;
        assert.equal(vb.length, 1);
        const only = Object.values(vb[0]!)[0]!;
        assert.equal(only.next_hop, other.address);
        assert.equal(only.reason, 'only route');
        const otherVrf = other.vpn.instances.get('ipvpn-net')!;
        const otherLabel = [...otherVrf.macs.values()][0]!.label;
        await waitFor(`${n.address}: VRF dataplane setup`, () => dpCalls(n, 'ipvpn-net').some((c) => c.call === 'setupRemoteEndpoint' && c.args.prefix === `10.43.2.${last}/32`));
        const setup = dpCalls(n, 'ipvpn-net').find((c) => c.call === 'setupRemoteEndpoint')!;
        assert.deepEqual([setup.args.remotePe, setup.args.label, setup.args.encaps], [other.address, otherLabel, ['mpls']]);
        await waitFor(`${n.address}: EVI unicast and flooding entries`, () => {
          const c = dpCalls(n, 'evpn-net');
          return c.some((x) => x.call === 'setupRemoteEndpoint') && c.some((x) => x.call === 'addBumEndpoint');
        });
        const mac = dpCalls(n, 'evpn-net').find((c) => c.call === 'setupRemoteEndpoint')!;
        assert.deepEqual([mac.args.mac, mac.args.remotePe, mac.args.vni, mac.args.encaps], [`52:54:00:43:00:0${last}`, other.address, 4301, ['vxlan']]);
        const bum = dpCalls(n, 'evpn-net').find((c) => c.call === 'addBumEndpoint')!;
        assert.deepEqual([bum.args.remotePe, bum.args.vni], [other.address, 4301]);
        const eb = await bestOf(n, 'evpn-net');
        assert.ok(eb[`('MAC', 52:54:00:43:00:0${last})`], JSON.stringify(eb));
      }
    });

    await t.test('detach withdraws: GoBGP and the other node lose the routes, the dataplane entries are removed', async () => {
      const d = { vpn_type: 'evpn', vpn_instance_id: 'evpn-net', mac_address: '52:54:00:43:00:03', local_port: 'tap-e3' };
      assert.equal((await post([nb.address, nb.apiPort], '/detach_localport', d)).status, 200);
      const di = { vpn_type: 'ipvpn', vpn_instance_id: 'ipvpn-net', mac_address: '52:54:00:43:01:03', ip_address: '10.43.2.3', local_port: 'tap-i3' };
      assert.equal((await post([nb.address, nb.apiPort], '/detach_localport', di)).status, 200);
      assert.equal(nb.vpn.instances.size, 0, 'B has no instance left');
      await waitFor('GoBGP holds only A routes', async () => (await g.rib('vpnv4')).length === 1 && (await g.rib('evpn')).length === 2).catch((e: Error) =>
        assert.fail(`${e.message}\n${context()}`),
      );
      assert.ok((await g.rib('vpnv4')).every((r) => r.nextHop === na.address));
      await waitFor('A removed the dataplane entries of B', () => {
        const i = dpCalls(na, 'ipvpn-net');
        const e = dpCalls(na, 'evpn-net');
        return i.some((c) => c.call === 'removeRemoteEndpoint') && e.some((c) => c.call === 'removeRemoteEndpoint') && e.some((c) => c.call === 'removeBumEndpoint');
      });
      assert.deepEqual(await bestOf(na, 'ipvpn-net'), {});
      // B no longer imports the RTs: its RTC routes are gone from GoBGP.
      await waitFor("B's RTC routes withdrawn", async () => (await g.adjIn(nb.address, 'rtc')).length === 0);
    });
  } finally {
    await td.run();
  }
});
