/**
 * ExaBGP as a peer sending a scripted set of VPN-IPv4 and FlowSpec-VPN routes (SAFI 134) to our
 * speaker, which listens on 127.0.123.1 (ExaBGP, 127.0.123.2, connects to it). ExaBGP has no RT
 * Constraint here, so our speaker's RTC stays inactive for the session.
 *
 * Checks: every route reaches local workers (subscribed to an RT, and to the wildcard) with the
 * right RD, label, next hop, LOCAL_PREF and RTs; the FlowSpec components and actions (redirect to
 * VRF, discard as traffic-rate 0); a route with two RTs reaches a worker of the second RT only once;
 * a re-announcement with a new label and LOCAL_PREF replaces the route; withdrawals of both families.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mplsLabel } from '../../src/wire/label.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { ExaBgp } from './harness/exabgp.js';
import { Teardown } from './harness/process.js';
import { Collector, speaker, type Speaker } from './harness/speaker.js';
import type { RouteEntry } from '../../src/rib/route-entry.js';
import type { ExtCommunity } from '../../src/wire/ext-communities/index.js';

const US = '127.0.123.1';
const EXA = '127.0.123.2';
const AS = 64512;

function ecs(e: RouteEntry): ExtCommunity[] {
  const a = e.attributes.find((x) => x.type === 'ext-communities');
  return a?.type === 'ext-communities' ? a.communities : [];
}
function localPref(e: RouteEntry): number | undefined {
  const a = e.attributes.find((x) => x.type === 'local-pref');
  return a?.type === 'local-pref' ? a.value : undefined;
}

const FLOW_REDIRECT = 'announce flow route { rd 64512:20; match { destination 10.123.20.0/24; source 10.123.21.0/24; protocol tcp; destination-port =80; source-port >1024; } then { redirect 64512:21; extended-community [target:64512:1]; } }';
const FLOW_DISCARD = 'flow route { rd 64512:22; match { destination 10.123.22.0/24; protocol udp; destination-port [ =53 =5353 ]; } then { discard; extended-community [target:64512:1]; } }';

test('ExaBGP sends scripted VPN-IPv4 and FlowSpec-VPN routes', { timeout: 60_000 }, async (t) => {
  const td = new Teardown();
  let s: Speaker | undefined;
  let x: ExaBgp | undefined;
  const context = (): string => [x?.tail(), s?.logTail()].join('\n');
  try {
    const port = await freePort(US);
    s = speaker(
      { localAddress: US, localAs: AS, enableRtc: true, peerPort: port, listen: { address: US, port }, peers: [{ address: EXA, passive: true }], connectRetrySeconds: 1 },
      td,
    );
    const sp = s;
    const vrf = new Collector('vrf-64512:1', sp.manager.rtm).subscribe(1, 128, '64512:1');
    const vrf2 = new Collector('vrf-64512:2', sp.manager.rtm).subscribe(1, 128, '64512:2');
    const flows = new Collector('flow-64512:1', sp.manager.rtm).subscribe(1, 134, '64512:1');
    const all = new Collector('wildcard', sp.manager.rtm).subscribe(undefined, undefined, undefined);
    await sp.manager.start();
    x = new ExaBgp({ address: EXA, peer: US, peerPort: port, as: AS, families: ['ipv4 mpls-vpn', 'ipv4 flow-vpn'] }, td);
    await x.start();
    const exa = x;
    await waitFor('session Established', () => sp.manager.established().length === 1, 20_000).catch((e: Error) => assert.fail(`${e.message}\n${context()}`));
    assert.deepEqual(sp.peer(EXA).session?.families, ['ipv4/mpls-vpn', 'ipv4/flow-vpn']);
    assert.ok(!sp.peer(EXA).isRtcActive);

    exa.command('announce route 10.123.1.0/24 rd 64512:11 label 1001 next-hop 127.0.123.2 local-preference 200 extended-community [target:64512:1]');
    exa.command('announce route 10.123.2.0/24 rd 127.0.123.2:12 label 1002 next-hop 127.0.123.20 extended-community [target:64512:2 target:64512:1 origin:64512:7]');
    exa.command('announce route 10.123.3.0/24 rd 64512:13 label 1003 next-hop 127.0.123.2 extended-community [target:64512:3]');
    exa.command(FLOW_REDIRECT);
    exa.command(`announce ${FLOW_DISCARD}`);
    const fromExa = (): RouteEntry[] => all.routes().filter((r) => r.source.kind === 'bgp-peer');
    await waitFor('all scripted routes received', () => fromExa().length === 5, 15_000).catch((e: Error) =>
      assert.fail(`${e.message}: ${JSON.stringify(fromExa().map((r) => r.key))}\n${context()}`),
    );

    await t.test('VPN-IPv4: RD, label, next hop, LOCAL_PREF, RTs', () => {
      const r1 = vrf.vpn('10.123.1.0/24');
      assert.ok(r1?.nlri.kind === 'vpn', JSON.stringify(vrf.routes().map((r) => r.key)));
      assert.deepEqual(r1.nlri.rd, { type: 0, value: '64512:11' });
      assert.equal(r1.nlri.labels.length, 1);
      assert.equal(mplsLabel(r1.nlri.labels[0]!), 1001);
      assert.equal(r1.nlri.labels[0]! & 1, 1, 'bottom of stack');
      assert.equal(r1.nextHop, EXA);
      assert.equal(localPref(r1), 200);
      assert.deepEqual(r1.routeTargets, ['64512:1']);
      const r2 = vrf.vpn('10.123.2.0/24');
      assert.ok(r2?.nlri.kind === 'vpn');
      assert.deepEqual([r2.nlri.rd, mplsLabel(r2.nlri.labels[0]!), r2.nextHop], [{ type: 1, value: '127.0.123.2:12' }, 1002, '127.0.123.20']);
      assert.deepEqual([...r2.routeTargets].sort(), ['64512:1', '64512:2']);
      assert.ok(ecs(r2).some((c) => c.type === 'route-origin'), `route origin kept: ${JSON.stringify(ecs(r2))}`);
      assert.equal(localPref(r2), 100);
      // Delivered by route target: 10.123.3.0/24 (RT 64512:3) only to the wildcard worker.
      assert.deepEqual(vrf.routes().map((r) => r.nlri.kind === 'vpn' && r.nlri.prefix).sort(), ['10.123.1.0/24', '10.123.2.0/24']);
      assert.deepEqual(vrf2.routes().map((r) => r.nlri.kind === 'vpn' && r.nlri.prefix), ['10.123.2.0/24']);
      assert.equal(vrf2.events.length, 1, 'a route with two RTs is delivered once');
      assert.ok(all.vpn('10.123.3.0/24'));
    });

    await t.test('FlowSpec-VPN: RD, components, actions, RTs', () => {
      assert.equal(flows.routes(1, 134).length, 2);
      const redirect = flows.routes(1, 134).find((r) => r.key.includes('10.123.20.0/24'));
      assert.ok(redirect?.nlri.kind === 'flowspec');
      assert.deepEqual(redirect.nlri.rd, { type: 0, value: '64512:20' });
      assert.deepEqual(redirect.nlri.components, [
        { type: 'destination-prefix', prefix: '10.123.20.0/24' },
        { type: 'source-prefix', prefix: '10.123.21.0/24' },
        { type: 'ip-protocol', items: [{ and: false, op: '==', value: 6, length: 1 }] },
        { type: 'destination-port', items: [{ and: false, op: '==', value: 80, length: 1 }] },
        { type: 'source-port', items: [{ and: false, op: '>', value: 1024, length: 2 }] },
      ]);
      assert.equal(redirect.key, 'rd 64512:20 destination 10.123.20.0/24 source 10.123.21.0/24 protocol ==tcp destination-port ==80 source-port >1024');
      assert.ok(ecs(redirect).some((c) => c.type === 'redirect-to-vrf' && c.form === 0 && c.value === '64512:21'), JSON.stringify(ecs(redirect)));
      assert.deepEqual(redirect.routeTargets, ['64512:1']);
      assert.equal(redirect.nextHop, undefined, 'FlowSpec has no next hop');
      const discard = flows.routes(1, 134).find((r) => r.key.includes('10.123.22.0/24'));
      assert.ok(discard?.nlri.kind === 'flowspec');
      assert.deepEqual(discard.nlri.components[2], {
        type: 'destination-port',
        items: [
          { and: false, op: '==', value: 53, length: 1 },
          { and: false, op: '==', value: 5353, length: 2 },
        ],
      });
      assert.ok(ecs(discard).some((c) => c.type === 'traffic-rate-bytes' && c.rate === 0), 'discard = traffic-rate 0');
    });

    await t.test('re-announcement with a new label replaces the route', async () => {
      const before = vrf.events.length;
      // ExaBGP sends nothing when only the label changes (its RIB compares the rest): change the
      // LOCAL_PREF too.
      exa.command('announce route 10.123.1.0/24 rd 64512:11 label 2001 next-hop 127.0.123.2 local-preference 300 extended-community [target:64512:1]');
      await waitFor('new label and LOCAL_PREF', () => {
        const r = vrf.vpn('10.123.1.0/24');
        return r?.nlri.kind === 'vpn' && mplsLabel(r.nlri.labels[0]!) === 2001 && localPref(r) === 300;
      });
      const ev = vrf.events.slice(before);
      assert.equal(ev.length, 1, 'one event: an implicit replacement');
      assert.ok(ev[0]!.type === 'advertise' && ev[0]!.replaces !== undefined);
    });

    await t.test('withdrawals of VPN-IPv4 and FlowSpec-VPN routes', async () => {
      exa.command('withdraw route 10.123.1.0/24 rd 64512:11 label 2001 next-hop 127.0.123.2');
      exa.command(`withdraw ${FLOW_DISCARD}`);
      await waitFor('withdrawals received', () => !vrf.vpn('10.123.1.0/24') && flows.routes(1, 134).length === 1);
      assert.equal(fromExa().length, 3);
      assert.equal(sp.peer(EXA).state, 'Established');
    });
  } finally {
    await td.run();
  }
});
