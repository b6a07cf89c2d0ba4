/**
 * Service chaining in the VPN layer (spec vpn.md §1.3, §3.4, §4), over a real route table manager
 * with the dummy drivers: re-advertisement with RT-records and loop prevention, attract-traffic
 * (default routes per endpoint, FlowSpec redirect routes, static prefixes), the receiving side
 * (redirect instances and traffic classifiers), and the Neutron SFC worked example (neutron.md
 * §5.3) with both sides in one node.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extCommunitiesOf, type RouteEntry } from '../../src/rib/route-entry.js';
import { Afi, Safi } from '../../src/wire/afi.js';
import { consistentHashSortOrder, encapsulation, redirectToVrf, routeTarget, rtRecord, type ExtCommunity } from '../../src/wire/ext-communities/index.js';
import { fromMplsLabel } from '../../src/wire/label.js';
import type { FlowspecComponent } from '../../src/wire/nlri/flowspec/types.js';
import { Collector } from '../scenario/harness/speaker.js';
import { attach, bench, calls, detach, ip, LOCAL } from './helpers.js';

const REMOTE = '127.0.141.7';
const FLOW_VPN: number = Safi.FlowSpecVpn;

function ecs(e: RouteEntry): ExtCommunity[] {
  return [...extCommunitiesOf(e.attributes)];
}

function vpnRoute(remote: Collector, prefix: string, communities: ExtCommunity[], rd = '64512:7', label = 300): RouteEntry {
  return remote.advertise(1, 128, { kind: 'vpn', labels: [fromMplsLabel(label)], rd: { type: 0, value: rd }, prefix }, [{ type: 'ext-communities', communities }], REMOTE);
}

function flowRoute(remote: Collector, components: FlowspecComponent[], communities: ExtCommunity[]): RouteEntry {
  return remote.advertise(1, 134, { kind: 'flowspec', rd: { type: 0, value: '64512:8' }, components }, [{ type: 'ext-communities', communities }], undefined);
}

/** Routes the VRF published besides its endpoint route, as [safi, rd, prefix or rules]. */
function published(b: ReturnType<typeof bench>, id: string): RouteEntry[] {
  const vrf = b.vpn.instances.get(id)!;
  return vrf.advertisedRoutes().sort((x, y) => x.key.localeCompare(y.key));
}

test('readvertise: a route with a from RT is re-advertised per endpoint (its RD and label) with the to RTs and RT-records; withdrawn with it', async () => {
  const b = bench();
  await b.vpn.attach(attach({ readvertise: { fromRts: ['64512:1'], toRts: ['64512:2'] }, importRts: ['64512:3'], exportRts: ['64512:3'], lbConsistentHashOrder: 4 }));
  const vrf = b.vpn.instances.get('v1')!;
  assert.deepEqual(b.bgp.rtm.subscriptionsOf(vrf).map((m) => `${m.afi}/${m.safi}/${m.rt}`).sort(), ['1/128/64512:1', '1/128/64512:3', '1/134/64512:3']);
  const remote = new Collector('remote', b.bgp.rtm);
  const r = vpnRoute(remote, '10.1.0.0/24', [routeTarget('64512:1'), rtRecord('64512:77'), encapsulation('mpls')]);
  await b.vpn.settled();
  const ep = vrf.endpoints.values().next().value!;
  const readv = published(b, 'v1').filter((x) => x.nlri.kind === 'vpn' && x.nlri.prefix === '10.1.0.0/24');
  assert.equal(readv.length, 1);
  const route = readv[0]!;
  assert.deepEqual(route.nlri, { kind: 'vpn', labels: [fromMplsLabel(17)], rd: { type: 1, value: ep.rd }, prefix: '10.1.0.0/24' });
  assert.equal(route.nextHop, LOCAL);
  assert.deepEqual(ecs(route), [encapsulation('mpls'), rtRecord('64512:77'), rtRecord('64512:1'), consistentHashSortOrder(4), routeTarget('64512:2')]);
  assert.equal(route.attributes.find((a) => a.type === 'local-pref'), undefined, 'no LOCAL_PREF on re-advertised routes');
  // Not imported (64512:1 is only a from RT): no dataplane call.
  assert.equal(calls(b, 'v1').filter((c) => c[0] === 'setupRemoteEndpoint').length, 0);
  // Loop prevention: a route already carrying the RT-record of our to RT is not re-advertised.
  vpnRoute(remote, '10.2.0.0/24', [routeTarget('64512:1'), rtRecord('64512:2')], '64512:9');
  await b.vpn.settled();
  assert.equal(published(b, 'v1').filter((x) => x.nlri.kind === 'vpn' && x.nlri.prefix === '10.2.0.0/24').length, 0);
  // A second endpoint gets its own copy; its detach withdraws only that copy.
  await b.vpn.attach(attach({ macAddress: '52:54:00:00:00:02', ip: ip('10.0.0.2'), localPort: { linuxif: 'tap2' }, importRts: ['64512:3'], exportRts: ['64512:3'] }));
  await b.vpn.settled();
  assert.equal(published(b, 'v1').filter((x) => x.nlri.kind === 'vpn' && x.nlri.prefix === '10.1.0.0/24').length, 2);
  await b.vpn.detach(detach({ macAddress: '52:54:00:00:00:02', ip: ip('10.0.0.2'), localPort: { linuxif: 'tap2' } }));
  await b.vpn.settled();
  assert.equal(published(b, 'v1').filter((x) => x.nlri.kind === 'vpn' && x.nlri.prefix === '10.1.0.0/24').length, 1);
  // What peers see: the all-family collector holds the same routes.
  assert.equal(b.all.routes(1, 128).filter((x) => x.source === vrf && x.nlri.kind === 'vpn' && x.nlri.prefix === '10.1.0.0/24').length, 1);
  remote.withdraw(r);
  await b.vpn.settled();
  assert.deepEqual(
    published(b, 'v1').map((x) => (x.nlri.kind === 'vpn' ? x.nlri.prefix : x.key)),
    ['10.0.0.1/32'],
  );
});

test('attract-traffic: a default route per endpoint and a FlowSpec redirect route per re-advertised prefix and static prefix', async () => {
  const b = bench();
  const classifier = { sourcePrefix: '10.9.0.0/16', destinationPort: '80', protocol: 'tcp' };
  await b.vpn.attach(
    attach({
      importRts: ['64512:3'],
      exportRts: ['64512:3'],
      readvertise: { fromRts: ['64512:1'], toRts: ['64512:2'] },
      attractTraffic: { redirectRts: ['64512:5'], classifier, toRts: ['64512:2'], staticDestinationPrefixes: ['10.99.0.0/16'] },
      lbConsistentHashOrder: 1,
    }),
  );
  const vrf = b.vpn.instances.get('v1')!;
  await b.vpn.settled();
  const ep = vrf.endpoints.values().next().value!;
  // Static prefix alone: the default route and the FlowSpec route for it.
  let routes = published(b, 'v1');
  const def = routes.find((x) => x.nlri.kind === 'vpn' && x.nlri.prefix === '0.0.0.0/0')!;
  assert.deepEqual(def.nlri, { kind: 'vpn', labels: [fromMplsLabel(17)], rd: { type: 1, value: ep.rd }, prefix: '0.0.0.0/0' });
  assert.deepEqual(ecs(def), [encapsulation('mpls'), consistentHashSortOrder(1), routeTarget('64512:2')]);
  const flows = (): RouteEntry[] => published(b, 'v1').filter((x) => x.safi === FLOW_VPN);
  assert.equal(flows().length, 1);
  const f = flows()[0]!;
  assert.equal(f.afi, Afi.IPv4);
  assert.equal(f.nextHop, undefined);
  assert.deepEqual(f.nlri, {
    kind: 'flowspec',
    rd: { type: 1, value: vrf.instanceRd },
    components: [
      { type: 'destination-prefix', prefix: '10.99.0.0/16' },
      { type: 'source-prefix', prefix: '10.9.0.0/16' },
      { type: 'ip-protocol', items: [{ and: false, op: '==', value: 6 }] },
      { type: 'destination-port', items: [{ and: false, op: '==', value: 80 }] },
    ],
  });
  assert.deepEqual(ecs(f), [redirectToVrf('64512:2'), routeTarget('64512:5')]);
  // A re-advertised prefix adds its FlowSpec route; it is not re-advertised as VPN-IPv4 itself.
  const remote = new Collector('remote', b.bgp.rtm);
  const r = vpnRoute(remote, '10.1.0.0/24', [routeTarget('64512:1')]);
  await b.vpn.settled();
  assert.equal(flows().length, 2);
  assert.ok(flows().some((x) => x.nlri.kind === 'flowspec' && JSON.stringify(x.nlri.components[0]) === JSON.stringify({ type: 'destination-prefix', prefix: '10.1.0.0/24' })));
  routes = published(b, 'v1');
  assert.equal(routes.filter((x) => x.nlri.kind === 'vpn' && x.nlri.prefix === '10.1.0.0/24').length, 0);
  remote.withdraw(r);
  await b.vpn.settled();
  assert.equal(flows().length, 1);
  // The last endpoint leaves: everything withdrawn, the instance gone.
  await b.vpn.detach(detach());
  assert.equal(b.all.routes().filter((x) => x.source === vrf).length, 0);
});

test('receiving side: a FlowSpec route with redirect-to-VRF creates the redirect instance and installs the classifier; its withdrawal undoes both', async () => {
  const b = bench();
  await b.vpn.attach(attach({ importRts: ['64512:5000'], exportRts: ['64512:5000'] }));
  const remote = new Collector('remote', b.bgp.rtm);
  const components: FlowspecComponent[] = [
    { type: 'destination-prefix', prefix: '10.1.0.0/24' },
    { type: 'ip-protocol', items: [{ and: false, op: '==', value: 17 }] },
    {
      type: 'destination-port',
      items: [
        { and: false, op: '>=', value: 1000 },
        { and: true, op: '<=', value: 2000 },
      ],
    },
  ];
  const f = flowRoute(remote, components, [routeTarget('64512:5000'), redirectToVrf('64512:5001')]);
  await b.vpn.settled();
  const redirect = b.vpn.instances.get('redirect-to-ipvpn-64512_5001');
  assert.ok(redirect, 'redirect instance created');
  assert.deepEqual(redirect.importRts, ['64512:5001']);
  assert.deepEqual(redirect.exportRts, []);
  assert.equal(redirect.settings.gatewayIp, '127.0.0.1');
  assert.deepEqual(
    b.bgp.rtm.subscriptionsOf(redirect).map((m) => `${m.safi}/${m.rt}`).sort(),
    ['128/64512:5001', '134/64512:5001'],
  );
  assert.ok(b.bgp.rtc.advertisedTargets().includes('64512:5001'), 'RTC route for the redirect RT');
  const add = calls(b, 'v1').filter((c) => c[0] === 'addTrafficClassifier');
  assert.deepEqual(add, [
    ['addTrafficClassifier', { classifier: { destinationPrefix: '10.1.0.0/24', protocol: 'udp', destinationPort: { min: 1000, max: 2000 } }, redirectInstanceId: redirect.settings.instanceId }],
  ]);
  // Two actions, or another action: ignored with a warning.
  flowRoute(remote, [{ type: 'destination-prefix', prefix: '10.2.0.0/24' }], [routeTarget('64512:5000'), redirectToVrf('64512:5001'), redirectToVrf('64512:5002')]);
  await b.vpn.settled();
  assert.equal(calls(b, 'v1').filter((c) => c[0] === 'addTrafficClassifier').length, 1);
  assert.ok(b.records.some((r) => r.level === 'warning' && r.msg.includes('only a single redirect-to-VRF action')));
  remote.withdraw(f);
  await b.vpn.settled();
  assert.deepEqual(
    calls(b, 'v1').filter((c) => c[0] === 'removeTrafficClassifier').map((c) => c[1]),
    [{ classifier: { destinationPrefix: '10.1.0.0/24', protocol: 'udp', destinationPort: { min: 1000, max: 2000 } } }],
  );
  assert.equal(b.vpn.instances.has('redirect-to-ipvpn-64512_5001'), false, 'redirect instance gone with its last user');
  assert.equal(b.bgp.rtc.advertisedTargets().includes('64512:5001'), false);
});

/** P1's ingress port (neutron.md §5.3): exports the PPG RT 5000 with attract-traffic to the redirect RT 5001. */
function sfIngress(classifier: Record<string, unknown>): ReturnType<typeof attach> {
  return attach({
    vpnInstanceId: 'sf',
    macAddress: '52:54:00:00:00:0f',
    ip: ip('10.0.0.15'),
    localPort: { linuxif: 'tap-sf' },
    importRts: [],
    exportRts: ['64512:5000'],
    attractTraffic: { redirectRts: ['64512:5000'], classifier, toRts: ['64512:5001'], staticDestinationPrefixes: ['10.0.1.0/24'] },
  });
}

test('Neutron SFC worked example in one node: the source VRF redirects classified traffic to the service function default route', async () => {
  const b = bench();
  await b.vpn.attach(sfIngress({ destinationPort: '80', protocol: 'tcp' }));
  // A source-network port imports the PPG RT.
  await b.vpn.attach(attach({ vpnInstanceId: 'src', importRts: ['64512:5000'], exportRts: ['64512:1'] }));
  await b.vpn.settled();
  const redirect = b.vpn.instances.get('redirect-to-ipvpn-64512_5001');
  assert.ok(redirect, 'the source VRF created the redirect instance');
  await b.vpn.settled();
  // The redirect instance imports 5001: it receives the service function's default route.
  const setup = calls(b, 'redirect-to-ipvpn-64512_5001').filter((c) => c[0] === 'setupRemoteEndpoint');
  assert.equal(setup.length, 1);
  assert.equal(setup[0]![1].prefix, '0.0.0.0/0');
  assert.equal(setup[0]![1].remotePe, LOCAL);
  const sfLabel = b.vpn.instances.get('sf')!.macs.get('52:54:00:00:00:0f')!.label;
  assert.equal(setup[0]![1].label, sfLabel);
  assert.deepEqual(
    calls(b, 'src').filter((c) => c[0] === 'addTrafficClassifier').map((c) => c[1]),
    [{ classifier: { destinationPrefix: '10.0.1.0/24', protocol: 'tcp', destinationPort: { min: 80, max: 80 } }, redirectInstanceId: redirect.settings.instanceId }],
  );
  // The service function leaves: its FlowSpec route goes, the source VRF stops redirecting.
  await b.vpn.detach(detach({ vpnInstanceId: 'sf', macAddress: '52:54:00:00:00:0f', ip: ip('10.0.0.15'), localPort: { linuxif: 'tap-sf' } }));
  await b.vpn.settled();
  assert.equal(calls(b, 'src').filter((c) => c[0] === 'removeTrafficClassifier').length, 1);
  assert.equal(b.vpn.instances.has('redirect-to-ipvpn-64512_5001'), false);
  // Stopping the source VRF while it redirects releases the redirect instance too.
  await b.vpn.attach(sfIngress({}));
  await b.vpn.settled();
  assert.ok(b.vpn.instances.has('redirect-to-ipvpn-64512_5001'));
  await b.vpn.detach(detach({ vpnInstanceId: 'src' }));
  await b.vpn.settled();
  assert.equal(b.vpn.instances.has('redirect-to-ipvpn-64512_5001'), false);
});

test('multi-hop chains: a received FlowSpec route qualifying for re-advertisement is re-advertised with RT-records and a redirect to the attract RT', async () => {
  const b = bench();
  await b.vpn.attach(
    attach({
      importRts: ['64512:5010'],
      exportRts: ['64512:3'],
      readvertise: { fromRts: ['64512:5010'], toRts: ['64512:5011'] },
      attractTraffic: { redirectRts: ['64512:5012'], classifier: {}, toRts: undefined, staticDestinationPrefixes: undefined },
    }),
  );
  const vrf = b.vpn.instances.get('v1')!;
  const remote = new Collector('remote', b.bgp.rtm);
  const components: FlowspecComponent[] = [{ type: 'destination-prefix', prefix: '10.5.0.0/16' }];
  const f = flowRoute(remote, components, [routeTarget('64512:5010'), redirectToVrf('64512:5099')]);
  await b.vpn.settled();
  const flows = (): RouteEntry[] => published(b, 'v1').filter((x) => x.safi === FLOW_VPN);
  assert.equal(flows().length, 1);
  assert.deepEqual(flows()[0]!.nlri, { kind: 'flowspec', rd: { type: 1, value: vrf.instanceRd }, components });
  assert.deepEqual(ecs(flows()[0]!), [rtRecord('64512:5010'), redirectToVrf('64512:5012'), routeTarget('64512:5011')]);
  assert.equal(b.vpn.instances.has('redirect-to-ipvpn-64512_5099'), true, 'it is also imported: redirected');
  // A route that already went through our to RT (its RT-record) is not re-advertised again (loop prevention).
  const looped = flowRoute(remote, [{ type: 'destination-prefix', prefix: '10.6.0.0/16' }], [routeTarget('64512:5010'), rtRecord('64512:5011'), redirectToVrf('64512:5099')]);
  await b.vpn.settled();
  assert.equal(flows().length, 1);
  remote.withdraw(looped);
  remote.withdraw(f);
  await b.vpn.settled();
  assert.equal(flows().length, 0);
  assert.equal(b.vpn.instances.has('redirect-to-ipvpn-64512_5099'), false);
});
