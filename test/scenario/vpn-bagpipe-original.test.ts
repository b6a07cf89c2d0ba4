/**
 * Our daemon (in-process: BGP, VPN manager, REST API; 127.0.144.1, listening) and the original
 * BaGPipe-BGP (127.0.144.2, dummy dataplanes; it only dials out) in the same E-VPN and IP VPN,
 * ports attached on both through each one's REST API. Each imports the other's routes: ours shows
 * them as best routes and asked its (dummy) dataplane to install them with the right label / VNI;
 * the original's looking glass lists ours among its received routes. A detach on our side
 * withdraws our routes from the original.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DataplaneCall } from '../../src/dataplane/dummy.js';
import { call, post, startNode, type Node } from '../api/helpers.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { Bagpipe } from './harness/bagpipe.js';
import { Teardown } from './harness/process.js';

const US = '127.0.144.1';
const ORIG = '127.0.144.2';
const AS = 64512;

const ipvpn = (last: number): Record<string, unknown> => ({
  vpn_type: 'ipvpn',
  vpn_instance_id: 'ipvpn-shared',
  mac_address: `52:54:00:44:01:0${last}`,
  ip_address: `10.44.2.${last}`,
  local_port: { linuxif: `tap-i${last}` },
  import_rt: ['64512:442'],
  export_rt: ['64512:442'],
  gateway_ip: '10.44.2.254',
});
const evpn = (last: number): Record<string, unknown> => ({
  vpn_type: 'evpn',
  vpn_instance_id: 'evpn-shared',
  mac_address: `52:54:00:44:00:0${last}`,
  ip_address: `10.44.1.${last}`,
  local_port: { linuxif: `tap-e${last}` },
  import_rt: ['64512:441'],
  export_rt: ['64512:441'],
  vni: 4401,
});

test('our daemon and the original BaGPipe-BGP import each other’s E-VPN and IP VPN routes', { timeout: 90_000 }, async (t) => {
  const td = new Teardown();
  let us: Node | undefined;
  let orig: Bagpipe | undefined;
  const context = (): string => [orig?.tail(), us?.records.slice(-30).map((r) => `${r.level} ${r.name}: ${r.msg}`).join('\n')].join('\n');
  try {
    const port = await freePort(US);
    us = await startNode({ localAddress: US, localAs: AS, enableRtc: true, peerPort: port, listen: { address: US, port }, peers: [{ address: ORIG, passive: true }], connectRetrySeconds: 1 }, td);
    const n = us;
    orig = new Bagpipe({ address: ORIG, as: AS, peers: [US], bgpPort: port, apiPort: await freePort(ORIG), enableRtc: true }, td);
    await orig.start();
    const o = orig;
    await waitFor('session with the original', () => n.bgp.established().length === 1, 30_000).catch((e: Error) => assert.fail(`${e.message}\n${context()}`));
    for (const body of [evpn(1), ipvpn(1)]) assert.equal((await post([US, n.apiPort], '/attach_localport', body)).status, 200);
    for (const body of [evpn(2), ipvpn(2)]) await o.post('attach_localport', body);
    const dp = (id: string): DataplaneCall[] => (n.vpn.instances.get(id)?.dataplaneInfo().calls as DataplaneCall[] | undefined) ?? [];

    await t.test('our instances take the original’s routes as best and install them', async () => {
      const best = async (id: string): Promise<Record<string, Record<string, { next_hop: string }>[]>> =>
        (await call([US, n.apiPort], 'GET', `/looking-glass/vpns/instances/${id}/best_routes`)).json() as Record<string, Record<string, { next_hop: string }>[]>;
      await waitFor('the original’s IP VPN route is best here', async () => (await best('ipvpn-shared'))["'10.44.2.2/32'"] !== undefined, 30_000).catch((e: Error) =>
        assert.fail(`${e.message}\n${context()}`),
      );
      const v = Object.values((await best('ipvpn-shared'))["'10.44.2.2/32'"]![0]!)[0]!;
      assert.equal(v.next_hop, ORIG);
      // The label the original shows for its endpoint is the one our dataplane was given.
      const ports = await o.lookingGlass<Record<string, { endpoints: { label: number }[] }>>('vpns/instances/ipvpn-shared/ports');
      const label = ports!['tap-i2']!.endpoints[0]!.label;
      await waitFor('VRF dataplane setup', () => dp('ipvpn-shared').some((c) => c.call === 'setupRemoteEndpoint'));
      const setup = dp('ipvpn-shared').find((c) => c.call === 'setupRemoteEndpoint')!;
      assert.deepEqual([setup.args.prefix, setup.args.remotePe, setup.args.label], ['10.44.2.2/32', ORIG, label]);
      await waitFor('EVI: the original’s MAC and flooding entry', () => dp('evpn-shared').some((c) => c.call === 'setupRemoteEndpoint') && dp('evpn-shared').some((c) => c.call === 'addBumEndpoint'), 30_000);
      const mac = dp('evpn-shared').find((c) => c.call === 'setupRemoteEndpoint')!;
      assert.deepEqual([mac.args.mac, mac.args.remotePe, mac.args.vni], ['52:54:00:44:00:02', ORIG, 4401]);
      const bum = dp('evpn-shared').find((c) => c.call === 'addBumEndpoint')!;
      assert.deepEqual([bum.args.remotePe, bum.args.vni], [ORIG, 4401]);
    });

    await t.test('the original imports our routes (its looking glass)', async () => {
      const received = async (id: string): Promise<string> => JSON.stringify((await o.lookingGlass(`vpns/instances/${id}/received_routes`)) ?? {});
      await waitFor('our IP VPN route at the original', async () => (await received('ipvpn-shared')).includes("'10.44.2.1/32'"), 30_000).catch((e: Error) =>
        assert.fail(`${e.message}\n${context()}`),
      );
      await waitFor('our MAC/IP and multicast routes at the original', async () => {
        const r = await received('evpn-shared');
        return r.includes('52:54:00:44:00:01') && r.includes(`Multicast', (${US}`);
      }, 30_000);
      const vrf = n.vpn.instances.get('ipvpn-shared')!;
      const label = [...vrf.macs.values()][0]!.label;
      assert.ok((await received('ipvpn-shared')).includes(`10.44.2.1/32 label ${label} next-hop ${US} rd ${vrf.instanceRd}`), await received('ipvpn-shared'));
      // The original read our VNI from the label field (RFC 8365): " label 275 (4401)" style text.
      assert.ok((await received('evpn-shared')).includes('(4401)'), await received('evpn-shared'));
    });

    await t.test('our detach withdraws our routes from the original', async () => {
      const d = { vpn_type: 'ipvpn', vpn_instance_id: 'ipvpn-shared', mac_address: '52:54:00:44:01:01', ip_address: '10.44.2.1', local_port: 'tap-i1' };
      assert.equal((await post([US, n.apiPort], '/detach_localport', d)).status, 200);
      await waitFor('the original lost our IP VPN route', async () => {
        const r = (await o.lookingGlass<Record<string, unknown>>('vpns/instances/ipvpn-shared/received_routes')) ?? {};
        return r["'10.44.2.1/32'"] === undefined;
      }, 30_000);
    });
  } finally {
    await td.run();
  }
});
