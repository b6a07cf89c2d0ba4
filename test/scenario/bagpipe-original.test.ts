/**
 * Interop with the original BaGPipe-BGP (python3-networking-bagpipe, dummy dataplane drivers,
 * RT Constraint on): it only connects out, so our speaker listens on 127.0.124.1 and the original
 * (127.0.124.2) dials it. Ports are attached through its REST API.
 *
 * Checks: its VPN-IPv4 and E-VPN (MAC/IP and inclusive multicast with PMSI) routes reach our local
 * workers with the RD, label/VNI, next hop and RTs its looking glass shows; its RTC routes drive
 * what we send it (a route of an RT it does not import is never sent); our VPN-IPv4 and E-VPN routes
 * with its RTs are imported by its instances (looking glass received_routes); withdrawals both
 * ways; detaching its last port withdraws its RTC route, and we withdraw what it no longer wants.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encapsulation, routeTarget } from '../../src/wire/ext-communities/index.js';
import { fromVni, mplsLabel } from '../../src/wire/label.js';
import { isKnownEvpn } from '../../src/wire/nlri/evpn/types.js';
import { routeTargetText } from '../../src/rib/route-entry.js';
import { freePort } from '../helpers/ports.js';
import { TestVrf } from '../helpers/vrf-worker.js';
import { waitFor } from '../helpers/wait.js';
import { Bagpipe } from './harness/bagpipe.js';
import { Teardown } from './harness/process.js';
import { Collector, speaker, type Speaker } from './harness/speaker.js';

const US = '127.0.124.1';
const ORIG = '127.0.124.2';
const AS = 64512;

type RouteObjects = Record<string, { 'afi-safi': string; next_hop: string | null; route_targets?: string[]; attributes: Record<string, string> }>[];

const IPVPN_PORT = {
  vpn_type: 'ipvpn',
  vpn_instance_id: 'vpn1',
  mac_address: '52:54:00:12:40:01',
  ip_address: '10.124.1.1/32',
  local_port: { linuxif: 'tap1' },
  import_rt: ['64512:1'],
  export_rt: ['64512:1'],
  gateway_ip: '10.124.1.254',
};
const EVPN_PORT = {
  vpn_type: 'evpn',
  vpn_instance_id: 'evpn1',
  mac_address: '52:54:00:12:40:02',
  ip_address: '10.124.2.2',
  local_port: { linuxif: 'tap2' },
  import_rt: ['64512:2'],
  export_rt: ['64512:2'],
  vni: 5124,
};

test('the original BaGPipe-BGP peers with our speaker (RTC, VPN-IPv4, E-VPN)', { timeout: 60_000 }, async (t) => {
  const td = new Teardown();
  let s: Speaker | undefined;
  let orig: Bagpipe | undefined;
  const context = (): string => [orig?.tail(), s?.logTail()].join('\n');
  try {
    const port = await freePort(US);
    const apiPort = await freePort(ORIG);
    s = speaker(
      { localAddress: US, localAs: AS, enableRtc: true, peerPort: port, listen: { address: US, port }, peers: [{ address: ORIG, passive: true }], connectRetrySeconds: 1 },
      td,
    );
    const sp = s;
    const vpn = new Collector('vpn-64512:1', sp.manager.rtm).subscribe(1, 128, '64512:1');
    const evi = new Collector('evi-64512:2', sp.manager.rtm).subscribe(25, 70, '64512:2');
    const vrf = new TestVrf('vrf', sp.manager.rtm, `${US}:1`, US);
    vrf.advertise('10.124.9.0/24', ['64512:1'], 900);
    vrf.advertise('10.124.77.0/24', ['64512:77'], 977); // the original never imports 64512:77
    await sp.manager.start();
    orig = new Bagpipe({ address: ORIG, as: AS, peers: [US], bgpPort: port, apiPort, enableRtc: true }, td);
    await orig.start();
    const o = orig;
    const peer = sp.peer(ORIG);
    await waitFor('session with the original Established', () => peer.state === 'Established', 30_000).catch((e: Error) => assert.fail(`${e.message}\n${context()}`));
    assert.ok(peer.isRtcActive, 'RTC negotiated');
    assert.deepEqual(peer.session?.families, ['ipv4/mpls-vpn', 'ipv4/rtc', 'ipv4/flow-vpn', 'l2vpn/evpn']);
    // The original samples its library's state: it shows Established a little later.
    await waitFor('the original shows the session Established', async () => {
      const peers = await o.lookingGlass<{ id: string; state: string }[]>('bgp/peers');
      return JSON.stringify(peers?.map((p) => [p.id, p.state])) === JSON.stringify([[US, 'Established']]);
    });

    await o.post('attach_localport', IPVPN_PORT);
    await o.post('attach_localport', EVPN_PORT);

    await t.test("the original's VPN-IPv4 route, as its looking glass shows it", async () => {
      await waitFor('VPN-IPv4 route of the original', () => vpn.vpn('10.124.1.1/32') !== undefined).catch((e: Error) => assert.fail(`${e.message}\n${context()}`));
      const r = vpn.vpn('10.124.1.1/32')!;
      assert.ok(r.nlri.kind === 'vpn');
      const adv = await o.lookingGlass<RouteObjects>('vpns/instances/vpn1/adv_routes');
      const text = adv?.flatMap((x) => Object.keys(x)).find((k) => k.startsWith('10.124.1.1/32 '));
      // "10.124.1.1/32 label 17 next-hop 127.0.124.2 rd 127.0.124.2:0"
      assert.ok(text, JSON.stringify(adv));
      const [, label, nh, rd] = /label (\d+) next-hop (\S+) rd (\S+)/.exec(text)!;
      assert.equal(mplsLabel(r.nlri.labels[0]!), Number(label));
      assert.equal(r.nlri.labels[0]! & 1, 1, 'bottom of stack');
      assert.equal(r.nextHop, nh);
      assert.equal(r.nextHop, ORIG);
      assert.deepEqual(r.nlri.rd, { type: 1, value: rd });
      assert.deepEqual(r.routeTargets, ['64512:1']);
      const ec = r.attributes.find((a) => a.type === 'ext-communities');
      assert.ok(ec?.type === 'ext-communities' && ec.communities.some((c) => c.type === 'encapsulation' && c.tunnelType === 'mpls'));
      assert.ok(r.attributes.some((a) => a.type === 'local-pref' && a.value === 100));
    });

    await t.test("the original's E-VPN routes: MAC/IP with the VNI, inclusive multicast with PMSI", async () => {
      await waitFor('E-VPN routes of the original', () => evi.routes(25, 70).length === 2).catch((e: Error) => assert.fail(`${e.message}\n${context()}`));
      const mac = evi.routes(25, 70).find((e) => e.nlri.kind === 'evpn' && e.nlri.routeType === 2);
      assert.ok(mac?.nlri.kind === 'evpn' && isKnownEvpn(mac.nlri) && mac.nlri.routeType === 2);
      assert.deepEqual([mac.nlri.mac, mac.nlri.ip, mac.nlri.labels, mac.nextHop, [...mac.routeTargets]], ['52:54:00:12:40:02', '10.124.2.2', [5124], ORIG, ['64512:2']]);
      assert.equal(mac.nlri.rd.type, 1);
      assert.match(mac.nlri.rd.value, /^127\.0\.124\.2:\d+$/);
      const mcast = evi.routes(25, 70).find((e) => e.nlri.kind === 'evpn' && e.nlri.routeType === 3);
      assert.ok(mcast?.nlri.kind === 'evpn' && isKnownEvpn(mcast.nlri) && mcast.nlri.routeType === 3);
      assert.equal(mcast.nlri.originatorIp, ORIG);
      const pmsi = mcast.attributes.find((a) => a.type === 'pmsi-tunnel');
      assert.ok(pmsi?.type === 'pmsi-tunnel', JSON.stringify(mcast.attributes));
      assert.deepEqual([pmsi.tunnelType, pmsi.label, pmsi.tunnelId], ['ingress-replication', 5124, { kind: 'address', address: ORIG }]);
    });

    await t.test('its RTC routes decide what we send it', async () => {
      const rtcFromOrig = (): string[] =>
        sp.manager.rtm
          .routesFrom(peer)
          .filter((e) => e.safi === 132)
          .map((e) => (e.nlri.kind === 'rtc' && e.nlri.routeTarget ? `${e.nlri.originAs}:${routeTargetText(e.nlri.routeTarget)}` : e.key))
          .sort();
      await waitFor('RTC routes for 64512:1 and 64512:2', () => rtcFromOrig().length === 2);
      assert.deepEqual(rtcFromOrig(), ['64512:64512:1', '64512:64512:2']);
      await waitFor('our 64512:1 route sent', () => peer.adjRibOut!.advertised().some((r) => r.key === `${US}:1|10.124.9.0/24`));
      assert.ok(!peer.adjRibOut!.advertised().some((r) => r.key === `${US}:1|10.124.77.0/24`), 'route of RT 64512:77 sent although the original does not import it');
      const all = await o.lookingGlass<Record<string, RouteObjects>>('bgp/routes');
      assert.ok(!JSON.stringify(all).includes('10.124.77.0/24'));
    });

    await t.test('the original imports our VPN-IPv4 and E-VPN routes', async () => {
      const received = (instance: string): Promise<Record<string, RouteObjects> | undefined> => o.lookingGlass(`vpns/instances/${instance}/received_routes`);
      await waitFor('vpn1 received 10.124.9.0/24', async () => (await received('vpn1'))?.["'10.124.9.0/24'"] !== undefined);
      const route = (await received('vpn1'))!["'10.124.9.0/24'"]![0]!;
      const [key, obj] = Object.entries(route)[0]!;
      assert.equal(key, `10.124.9.0/24 label 900 next-hop ${US} rd ${US}:1`);
      assert.deepEqual([obj['afi-safi'], obj.next_hop, obj.route_targets], ['ipv4/mpls-vpn', US, ['target:64512:1']]);
      assert.equal(obj.attributes['extended-community'], '[ target:64512:1 encap:MPLS ]');
      const eviA = new Collector('our-evi', sp.manager.rtm);
      eviA.advertise(
        25,
        70,
        { kind: 'evpn', routeType: 2, rd: { type: 1, value: `${US}:2` }, esi: '00:00:00:00:00:00:00:00:00:00', ethernetTag: 0, mac: '52:54:00:12:41:01', ip: '10.124.2.50', labels: [fromVni(5124)] },
        [{ type: 'ext-communities', communities: [routeTarget('64512:2'), encapsulation('vxlan')] }],
        US,
      );
      await waitFor('evpn1 received our MAC route', async () => (await received('evpn1'))?.["('MAC', 52:54:00:12:41:01)"] !== undefined).catch(async (e: Error) =>
        assert.fail(`${e.message}: ${JSON.stringify(await received('evpn1'))}\n${context()}`),
      );
      const macRoute = Object.keys((await received('evpn1'))!["('MAC', 52:54:00:12:41:01)"]![0]!)[0]!;
      assert.match(macRoute, /^evpn:macadv::127\.0\.124\.1:2:-:0:52:54:00:12:41:01\/48:10\.124\.2\.50: label \d+ \(5124\)$/);
    });

    await t.test('withdrawals both ways', async () => {
      vrf.withdraw('10.124.9.0/24');
      await waitFor('the original lost 10.124.9.0/24', async () => (await o.lookingGlass<Record<string, unknown>>('vpns/instances/vpn1/received_routes'))?.["'10.124.9.0/24'"] === undefined);
      await o.post('detach_localport', { vpn_type: 'evpn', vpn_instance_id: 'evpn1', mac_address: EVPN_PORT.mac_address, ip_address: EVPN_PORT.ip_address, local_port: EVPN_PORT.local_port });
      await waitFor('its E-VPN routes withdrawn', () => !evi.routes(25, 70).some((e) => e.source === peer));
    });

    await t.test('detaching its last VRF port withdraws its RTC route: we stop sending that RT', async () => {
      vrf.advertise('10.124.10.0/24', ['64512:1'], 910);
      await waitFor('our 64512:1 route sent', () => peer.adjRibOut!.advertised().some((r) => r.key === `${US}:1|10.124.10.0/24`));
      await o.post('detach_localport', { vpn_type: 'ipvpn', vpn_instance_id: 'vpn1', mac_address: IPVPN_PORT.mac_address, ip_address: IPVPN_PORT.ip_address, local_port: IPVPN_PORT.local_port });
      await waitFor('its VPN-IPv4 route withdrawn', () => vpn.vpn('10.124.1.1/32') === undefined);
      await waitFor('its RTC route for 64512:1 withdrawn, our route withdrawn from it', () =>
        !sp.manager.rtm.routesFrom(peer).some((e) => e.nlri.kind === 'rtc' && e.nlri.routeTarget !== undefined && routeTargetText(e.nlri.routeTarget) === '64512:1') &&
        !peer.adjRibOut!.advertised().some((r) => r.key === `${US}:1|10.124.10.0/24`),
      );
      assert.equal(peer.state, 'Established');
      assert.equal(peer.stats.establishedTransitions, 1);
    });
  } finally {
    await td.run();
  }
});
