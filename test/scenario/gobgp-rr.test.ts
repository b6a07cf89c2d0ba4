/**
 * GoBGP as an RT-Constraint route reflector between two of our speakers (the upstream BaGPipe
 * test topology): gobgpd listens on 127.0.121.1 with passive route-reflector-client neighbours
 * 127.0.121.2 (A) and 127.0.121.3 (B), families VPN-IPv4, E-VPN, RTC and FlowSpec-VPN.
 *
 * Checks: VPN-IPv4 routes both ways through GoBGP, and what GoBGP holds for them (RD, label, next
 * hop, RTs, LOCAL_PREF); RTC filtering (a route whose RT B does not import never reaches B, and
 * reaches it once B imports the RT); withdrawals; routes injected with the gobgp CLI (VPN-IPv4,
 * E-VPN MAC/IP, FlowSpec-VPN) reaching local workers; recovery after gobgpd is killed and restarted.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromMplsLabel, mplsLabel } from '../../src/wire/label.js';
import { isKnownEvpn } from '../../src/wire/nlri/evpn/types.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { GoBgp, type GoRoute } from './harness/gobgp.js';
import { Teardown } from './harness/process.js';
import { Collector, rrClient, type Speaker } from './harness/speaker.js';

const RR = '127.0.121.1';
const A = '127.0.121.2';
const B = '127.0.121.3';
const AS = 64512;
const FAMILIES = ['l3vpn-ipv4-unicast', 'l2vpn-evpn', 'rtc', 'l3vpn-ipv4-flowspec'];

function rts(r: GoRoute): string[] {
  return r.extCommunities.filter((c) => c.type === 0 && c.subtype === 2).map((c) => c.value).sort();
}

test('GoBGP route reflector with RTC between two speakers', { timeout: 60_000 }, async (t) => {
  const td = new Teardown();
  let a: Speaker | undefined;
  let b: Speaker | undefined;
  let rr: GoBgp | undefined;
  const context = (): string => [rr?.tail(), a?.logTail(), b?.logTail()].join('\n');
  try {
    const port = await freePort(RR);
    const apiPort = await freePort(RR);
    rr = new GoBgp({ address: RR, as: AS, port, apiPort, neighbors: [A, B].map((address) => ({ address, families: FAMILIES })) }, td);
    await rr.start();
    const g = rr;
    const { speaker: sa, vrf: vrfA } = rrClient('vrfA', A, RR, port, td);
    const { speaker: sb, vrf: vrfB } = rrClient('vrfB', B, RR, port, td);
    a = sa;
    b = sb;
    vrfA.advertise('10.121.1.0/24', ['64512:1'], 101);
    vrfA.advertise('10.121.9.0/24', ['64512:9'], 109); // B does not import 64512:9 (yet)
    vrfB.advertise('10.121.2.0/24', ['64512:1'], 102, 150);
    await sa.manager.start();
    await sb.manager.start();
    const bothUp = async (): Promise<boolean> =>
      sa.manager.established().length === 1 &&
      sb.manager.established().length === 1 &&
      (await g.neighborState(A)) === 'established' &&
      (await g.neighborState(B)) === 'established';
    await waitFor('sessions Established on both sides', bothUp, 20_000).catch((e: Error) => assert.fail(`${e.message}\n${context()}`));
    assert.ok(sa.peer(RR).isRtcActive && sb.peer(RR).isRtcActive, 'RTC negotiated with GoBGP');

    await t.test('VPN-IPv4 routes both ways through the reflector', async () => {
      await waitFor('B has A route', () => vrfB.prefixes().includes('10.121.1.0/24'));
      await waitFor('A has B route', () => vrfA.prefixes().includes('10.121.2.0/24'));
      const atB = [...vrfB.received.values()].find((e) => e.nlri.kind === 'vpn' && e.nlri.prefix === '10.121.1.0/24')!;
      assert.equal(atB.nextHop, A);
      assert.deepEqual(atB.routeTargets, ['64512:1']);
      assert.ok(atB.nlri.kind === 'vpn');
      assert.equal(atB.nlri.rd.value, `${A}:1`);
      assert.deepEqual(atB.nlri.labels, [fromMplsLabel(101)]);
      // Reflected: GoBGP adds ORIGINATOR_ID (A) and CLUSTER_LIST (its cluster id).
      assert.ok(atB.attributes.some((x) => x.type === 'originator-id' && x.value === A), JSON.stringify(atB.attributes));
      const atA = [...vrfA.received.values()].find((e) => e.nlri.kind === 'vpn' && e.nlri.prefix === '10.121.2.0/24')!;
      assert.equal(atA.nextHop, B);
      assert.ok(atA.nlri.kind === 'vpn' && mplsLabel(atA.nlri.labels[0]!) === 102);
      assert.ok(atA.attributes.some((x) => x.type === 'local-pref' && x.value === 150), 'LOCAL_PREF 150 kept through the reflector');
    });

    await t.test('what GoBGP holds: RD, label, next hop, RTs, LOCAL_PREF', async () => {
      const fromA = await g.adjIn(A, 'vpnv4');
      const r1 = fromA.find((r) => r.prefix === '10.121.1.0/24');
      assert.ok(r1, `A's route in GoBGP adj-in: ${JSON.stringify(fromA)}`);
      assert.equal(r1.rd, `${A}:1`);
      assert.deepEqual(r1.labels, [101]);
      assert.equal(r1.nextHop, A);
      assert.deepEqual(rts(r1), ['64512:1']);
      assert.equal(r1.localPref, 100);
      assert.ok(r1.extCommunities.some((c) => c.type === 3 && c.subtype === 12), 'encapsulation community');
      const rib = await g.rib('vpnv4');
      const r2 = rib.find((r) => r.prefix === '10.121.2.0/24');
      assert.ok(r2, `B's route in GoBGP RIB: ${JSON.stringify(rib)}`);
      assert.deepEqual([r2.rd, r2.labels, r2.nextHop, r2.localPref, rts(r2)], [`${B}:1`, [102], B, 150, ['64512:1']]);
      // RTC routes: each speaker sent one per imported RT (origin AS 64512).
      const rtc = await g.adjIn(B, 'rtc');
      assert.ok(JSON.stringify(rtc.map((r) => r.raw)).includes('64512:1'), `B's RTC route in GoBGP: ${JSON.stringify(rtc)}`);
    });

    await t.test('RTC filtering: routes of an RT B does not import never reach B', async () => {
      // GoBGP only gets 10.121.9.0/24 if some client asked for 64512:9 (RTC toward A), and B must not get it.
      const peerA = sa.peer(RR);
      assert.ok(!peerA.adjRibOut!.advertised().some((r) => r.nlri.kind === 'vpn' && r.nlri.prefix === '10.121.9.0/24'), 'A sent 10.121.9.0/24 to GoBGP');
      assert.ok(!vrfB.prefixes().includes('10.121.9.0/24'));
      const outB = await g.adjOut(B, 'vpnv4');
      assert.ok(!outB.some((r) => r.prefix === '10.121.9.0/24'), 'GoBGP sends B a route it does not import');
      vrfB.import('64512:9');
      await waitFor('B gets 10.121.9.0/24 after importing 64512:9', () => vrfB.prefixes().includes('10.121.9.0/24'));
      vrfB.unimport('64512:9');
      await waitFor('B loses it again after unimporting', () => !vrfB.prefixes().includes('10.121.9.0/24'));
    });

    await t.test('withdrawals through the reflector', async () => {
      vrfA.advertise('10.121.3.0/24', ['64512:1'], 103);
      await waitFor('B has 10.121.3.0/24', () => vrfB.prefixes().includes('10.121.3.0/24'));
      vrfA.withdraw('10.121.3.0/24');
      await waitFor('B lost 10.121.3.0/24', () => !vrfB.prefixes().includes('10.121.3.0/24'));
      await waitFor('GoBGP lost 10.121.3.0/24', async () => !(await g.rib('vpnv4')).some((r) => r.prefix === '10.121.3.0/24'));
    });

    await t.test('routes injected with the gobgp CLI reach local workers', async () => {
      await g.cli('global', 'rib', 'add', '-a', 'vpnv4', '10.121.77.0/24', 'label', '77', 'rd', '64512:77', 'rt', '64512:1', 'nexthop', '127.0.121.50');
      await waitFor('A and B have the injected route', () => vrfA.prefixes().includes('10.121.77.0/24') && vrfB.prefixes().includes('10.121.77.0/24'));
      const r = [...vrfB.received.values()].find((e) => e.nlri.kind === 'vpn' && e.nlri.prefix === '10.121.77.0/24')!;
      assert.ok(r.nlri.kind === 'vpn');
      assert.deepEqual([r.nlri.rd.value, mplsLabel(r.nlri.labels[0]!), r.nextHop, [...r.routeTargets]], ['64512:77', 77, '127.0.121.50', ['64512:1']]);
      // E-VPN MAC/IP and FlowSpec-VPN routes, to workers importing their RT.
      const evi = new Collector('eviB', sb.manager.rtm).subscribe(25, 70, '64512:2');
      const flow = new Collector('flowB', sb.manager.rtm).subscribe(1, 134, '64512:3');
      // FlowSpec subscriptions do not originate RTC routes: B's VPN-IPv4 import of 64512:3 does.
      vrfB.import('64512:3');
      await g.cli('global', 'rib', 'add', '-a', 'evpn', 'macadv', '52:54:00:12:10:01', '10.121.5.1', 'etag', '0', 'label', '5001', 'rd', '64512:5', 'rt', '64512:2', 'encap', 'vxlan', 'nexthop', '127.0.121.51');
      await g.cli('global', 'rib', 'add', '-a', 'ipv4-l3vpn-flowspec', 'rd', '64512:6', 'match', 'destination', '10.121.6.0/24', 'protocol', 'tcp', 'destination-port', '==80', 'then', 'redirect', '64512:61', 'rt', '64512:3');
      await waitFor('B gets the E-VPN route', () => evi.routes(25, 70).length === 1);
      const m = evi.routes(25, 70)[0]!;
      const mac = m.nlri.kind === 'evpn' && isKnownEvpn(m.nlri) && m.nlri.routeType === 2 ? m.nlri : undefined;
      assert.ok(mac, JSON.stringify(m.nlri));
      assert.equal(mac.mac, '52:54:00:12:10:01');
      assert.equal(mac.ip, '10.121.5.1');
      assert.deepEqual(mac.labels, [5001]); // VXLAN: the raw 24 bits are the VNI
      assert.equal(m.nextHop, '127.0.121.51');
      await waitFor('B gets the FlowSpec-VPN route', () => flow.routes(1, 134).length === 1);
      const f = flow.routes(1, 134)[0]!;
      assert.ok(f.nlri.kind === 'flowspec');
      assert.equal(f.key, 'rd 64512:6 destination 10.121.6.0/24 protocol ==tcp destination-port ==80', 'rule text');
      const ecs = f.attributes.find((x) => x.type === 'ext-communities');
      assert.ok(ecs?.type === 'ext-communities' && ecs.communities.some((c) => c.type === 'redirect-to-vrf' && c.value === '64512:61'), JSON.stringify(ecs));
      // A imports neither 64512:2 nor 64512:3: RTC kept those routes away from it.
      assert.ok(!sa.manager.rtm.routes(25, 70).length && !sa.manager.rtm.routes(1, 134).length, 'A received E-VPN/FlowSpec routes it does not import');
      await g.cli('global', 'rib', 'del', '-a', 'vpnv4', '10.121.77.0/24', 'label', '77', 'rd', '64512:77');
      await waitFor('CLI withdrawal reaches A and B', () => !vrfA.prefixes().includes('10.121.77.0/24') && !vrfB.prefixes().includes('10.121.77.0/24'));
    });

    await t.test('recovery after gobgpd is killed and restarted', async () => {
      const before = g.pid;
      await g.kill();
      await waitFor('sessions down', () => sa.manager.established().length === 0 && sb.manager.established().length === 0);
      await waitFor('routes learned through GoBGP removed', () => !vrfB.prefixes().includes('10.121.1.0/24') && !vrfA.prefixes().includes('10.121.2.0/24'));
      await g.start();
      assert.notEqual(g.pid, before);
      await waitFor('sessions back up', bothUp, 30_000).catch((e: Error) => assert.fail(`${e.message}\n${context()}`));
      await waitFor('routes relearned both ways', () => vrfB.prefixes().includes('10.121.1.0/24') && vrfA.prefixes().includes('10.121.2.0/24'), 20_000);
      await waitFor('GoBGP holds both routes again', async () => {
        const p = (await g.rib('vpnv4')).map((r) => r.prefix);
        return p.includes('10.121.1.0/24') && p.includes('10.121.2.0/24');
      });
      assert.ok(!vrfB.prefixes().includes('10.121.9.0/24'), 'RTC filtering holds after the restart');
    });
  } finally {
    await td.run();
  }
});
