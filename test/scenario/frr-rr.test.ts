/**
 * FRR bgpd (standalone, no zebra) as a route reflector between two of our speakers: bgpd on
 * 127.0.122.1 with passive route-reflector clients 127.0.122.2 (A) and 127.0.122.3 (B), address
 * families "ipv4 vpn" and "l2vpn evpn", `bgp allow-martian-nexthop`. FRR has no RT Constraint, so
 * our speakers fall back to sending every VPN route (their RTC stays inactive).
 *
 * Checks: VPN-IPv4 routes both ways, and what `show bgp ipv4 vpn json` holds for them (RD, next
 * hop, LOCAL_PREF, label, RTs); a route reflected back to its originator is ignored (RFC 4456 §8);
 * route-target filtering on the receiving side; an E-VPN MAC/IP route through FRR; withdrawals;
 * recovery after bgpd is killed and restarted.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encapsulation, routeTarget } from '../../src/wire/ext-communities/index.js';
import { fromVni, mplsLabel } from '../../src/wire/label.js';
import { isKnownEvpn } from '../../src/wire/nlri/evpn/types.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { FrrBgpd } from './harness/frr.js';
import { Teardown } from './harness/process.js';
import { Collector, rrClient, type Speaker } from './harness/speaker.js';

const RR = '127.0.122.1';
const A = '127.0.122.2';
const B = '127.0.122.3';
const AS = 64512;

interface FrrVpnPath {
  valid: boolean;
  bestpath: boolean;
  locPrf: number;
  peerId: string;
  nexthops: { ip: string }[];
}
interface FrrVpnTable {
  routerId: string;
  routes: { routeDistinguishers?: Record<string, Record<string, FrrVpnPath[]>> };
}
interface FrrPrefixDetail {
  paths: { remoteLabel?: number; extendedCommunity?: { string: string }; locPrf: number; rxedFromRrClient?: boolean; nexthops: { ip: string }[] }[];
}

test('FRR route reflector between two speakers (no RTC)', { timeout: 60_000 }, async (t) => {
  const td = new Teardown();
  let a: Speaker | undefined;
  let b: Speaker | undefined;
  let rr: FrrBgpd | undefined;
  const context = (): string => [rr?.tail(), a?.logTail(), b?.logTail()].join('\n');
  try {
    const port = await freePort(RR);
    rr = new FrrBgpd({ address: RR, as: AS, port, clients: [A, B], families: ['ipv4 vpn', 'l2vpn evpn'] }, td);
    await rr.start();
    const frr = rr;
    const { speaker: sa, vrf: vrfA } = rrClient('vrfA', A, RR, port, td);
    const { speaker: sb, vrf: vrfB } = rrClient('vrfB', B, RR, port, td);
    a = sa;
    b = sb;
    vrfA.advertise('10.122.1.0/24', ['64512:1'], 101);
    vrfA.advertise('10.122.9.0/24', ['64512:9'], 109); // B does not import 64512:9
    vrfB.advertise('10.122.2.0/24', ['64512:1'], 102, 150);
    await sa.manager.start();
    await sb.manager.start();
    const bothUp = async (): Promise<boolean> =>
      sa.manager.established().length === 1 &&
      sb.manager.established().length === 1 &&
      (await frr.neighborState(A)) === 'Established' &&
      (await frr.neighborState(B)) === 'Established';
    await waitFor('sessions Established on both sides', bothUp, 20_000).catch((e: Error) => assert.fail(`${e.message}\n${context()}`));
    assert.ok(!sa.peer(RR).isRtcActive, 'FRR has no RT Constraint');

    await t.test('VPN-IPv4 routes both ways through FRR', async () => {
      await waitFor('B has A route', () => vrfB.prefixes().includes('10.122.1.0/24'));
      await waitFor('A has B route', () => vrfA.prefixes().includes('10.122.2.0/24'));
      const atB = [...vrfB.received.values()].find((e) => e.nlri.kind === 'vpn' && e.nlri.prefix === '10.122.1.0/24')!;
      assert.ok(atB.nlri.kind === 'vpn');
      assert.deepEqual([atB.nlri.rd.value, mplsLabel(atB.nlri.labels[0]!), atB.nextHop, [...atB.routeTargets]], [`${A}:1`, 101, A, ['64512:1']]);
      assert.ok(atB.attributes.some((x) => x.type === 'originator-id' && x.value === A), 'ORIGINATOR_ID set by the reflector');
      const atA = [...vrfA.received.values()].find((e) => e.nlri.kind === 'vpn' && e.nlri.prefix === '10.122.2.0/24')!;
      assert.ok(atA.attributes.some((x) => x.type === 'local-pref' && x.value === 150));
    });

    await t.test('a route reflected back to its originator is ignored (RFC 4456 §8)', async () => {
      // FRR reflects A's routes to every client, A included; A must not import its own routes.
      await waitFor('FRR has advertised B route to A', () => vrfA.prefixes().includes('10.122.2.0/24'));
      const own = sa.manager.rtm.routesFrom(sa.peer(RR)).filter((e) => e.nlri.kind === 'vpn' && e.nlri.rd.value === `${A}:1`);
      assert.deepEqual(
        own.map((e) => e.key),
        [],
        'A imported its own routes reflected by FRR (ORIGINATOR_ID = its router id)',
      );
      assert.ok(!vrfA.prefixes().includes('10.122.1.0/24'), "A's VRF received its own route from the reflector");
    });

    await t.test('show bgp ipv4 vpn json: RD, next hop, LOCAL_PREF, label, RTs', async () => {
      const table = await frr.json<FrrVpnTable>('show bgp ipv4 vpn');
      assert.equal(table.routerId, RR);
      const rds = table.routes.routeDistinguishers ?? {};
      const p1 = rds[`${A}:1`]?.['10.122.1.0/24']?.[0];
      assert.ok(p1, JSON.stringify(table));
      assert.deepEqual([p1.valid, p1.bestpath, p1.locPrf, p1.peerId, p1.nexthops[0]?.ip], [true, true, 100, A, A]);
      const p2 = rds[`${B}:1`]?.['10.122.2.0/24']?.[0];
      assert.ok(p2, JSON.stringify(table));
      assert.deepEqual([p2.valid, p2.locPrf, p2.peerId, p2.nexthops[0]?.ip], [true, 150, B, B]);
      // No RTC toward FRR: A sent the route nobody imports too.
      assert.ok(rds[`${A}:1`]?.['10.122.9.0/24'], 'route of RT 64512:9 sent to FRR');
      const detail = await frr.json<Record<string, FrrPrefixDetail>>('show bgp ipv4 vpn 10.122.1.0/24');
      const d = detail[`${A}:1`]?.paths[0];
      assert.ok(d, JSON.stringify(detail));
      assert.equal(d.remoteLabel, 101);
      assert.equal(d.extendedCommunity?.string, 'RT:64512:1 ET:10'); // ET:10 = encapsulation MPLS
      assert.equal(d.rxedFromRrClient, true);
    });

    await t.test('route-target filtering on the receiving side', async () => {
      await waitFor("B's speaker got the 64512:9 route from FRR", () => sb.manager.rtm.routes(1, 128).some((e) => e.nlri.kind === 'vpn' && e.nlri.prefix === '10.122.9.0/24'));
      assert.ok(!vrfB.prefixes().includes('10.122.9.0/24'), 'vrfB does not import 64512:9');
      vrfB.import('64512:9');
      assert.ok(vrfB.prefixes().includes('10.122.9.0/24'), 'replayed on subscription');
      vrfB.unimport('64512:9');
      assert.ok(!vrfB.prefixes().includes('10.122.9.0/24'));
    });

    await t.test('E-VPN MAC/IP route through FRR', async () => {
      const eviA = new Collector('eviA', sa.manager.rtm);
      const eviB = new Collector('eviB', sb.manager.rtm).subscribe(25, 70, '64512:2');
      const route = eviA.advertise(
        25,
        70,
        { kind: 'evpn', routeType: 2, rd: { type: 1, value: `${A}:2` }, esi: '00:00:00:00:00:00:00:00:00:00', ethernetTag: 0, mac: '52:54:00:12:20:01', ip: '10.122.5.1', labels: [fromVni(5002)] },
        [{ type: 'ext-communities', communities: [routeTarget('64512:2'), encapsulation('vxlan')] }],
        A,
      );
      await waitFor('B gets the E-VPN route', () => eviB.routes(25, 70).length === 1);
      const got = eviB.routes(25, 70)[0]!;
      assert.ok(got.nlri.kind === 'evpn' && isKnownEvpn(got.nlri) && got.nlri.routeType === 2);
      assert.deepEqual([got.nlri.mac, got.nlri.ip, got.nlri.labels, got.nextHop], ['52:54:00:12:20:01', '10.122.5.1', [5002], A]);
      const evpn = await frr.vtysh('show bgp l2vpn evpn route json');
      assert.ok(evpn.includes('52:54:00:12:20:01'), evpn);
      eviA.withdraw(route);
      await waitFor('B loses the E-VPN route', () => eviB.routes(25, 70).length === 0);
    });

    await t.test('withdrawals through FRR', async () => {
      vrfA.advertise('10.122.3.0/24', ['64512:1'], 103);
      await waitFor('B has 10.122.3.0/24', () => vrfB.prefixes().includes('10.122.3.0/24'));
      vrfA.withdraw('10.122.3.0/24');
      await waitFor('B lost 10.122.3.0/24', () => !vrfB.prefixes().includes('10.122.3.0/24'));
      await waitFor('FRR lost 10.122.3.0/24', async () => !(await frr.vtysh('show bgp ipv4 vpn json')).includes('10.122.3.0/24'));
    });

    await t.test('recovery after bgpd is killed and restarted', async () => {
      await frr.kill();
      await waitFor('sessions down', () => sa.manager.established().length === 0 && sb.manager.established().length === 0);
      await waitFor('routes learned through FRR removed', () => !vrfB.prefixes().includes('10.122.1.0/24') && !vrfA.prefixes().includes('10.122.2.0/24'));
      await frr.start();
      await waitFor('sessions back up', bothUp, 30_000).catch((e: Error) => assert.fail(`${e.message}\n${context()}`));
      await waitFor('routes relearned both ways', () => vrfB.prefixes().includes('10.122.1.0/24') && vrfA.prefixes().includes('10.122.2.0/24'), 20_000);
      const table = await frr.json<FrrVpnTable>('show bgp ipv4 vpn');
      assert.ok(table.routes.routeDistinguishers?.[`${A}:1`]?.['10.122.1.0/24'], 'FRR holds A route again');
    });
  } finally {
    await td.run();
  }
});
