/**
 * Value formats of the looking glass (spec looking-glass.md §3) against their oracle, the
 * original's ExaBGP library (Debian python3-exabgp, set up as BaGPipe-BGP does): extended
 * communities and NLRI (VPN-IPv4 with RD types 0/1/2 and label stacks, E-VPN MAC/IP with and
 * without ESI, IP or IPv6, and Inclusive Multicast, RTC with RTs and wildcard, FlowSpec VPN with
 * numeric and bitmask operators) are encoded by our codec, decoded by both, and printed by both.
 * Attribute texts are checked against values printed by ExaBGP once (comments).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attributesText } from '../../src/api/looking-glass/format/attributes-text.js';
import { lgExtCommunitiesText, lgExtCommunityText } from '../../src/api/looking-glass/format/ext-community-text.js';
import { matchTexts } from '../../src/api/looking-glass/format/match-text.js';
import { nlriText } from '../../src/api/looking-glass/format/nlri-text.js';
import { makeEntry } from '../../src/rib/route-entry.js';
import type { Worker } from '../../src/rib/worker.js';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import { decodeExtCommunity, encapsulation, routeTarget } from '../../src/wire/ext-communities/index.js';
import { fromVni, label24 } from '../../src/wire/label.js';
import { encodeNlriField, type Nlri } from '../../src/wire/nlri/registry.js';
import { BufferWriter } from '../../src/wire/writer.js';
import { runProcess } from '../cli/helpers/run-process.js';

const ORACLE = `
import json, sys
from networking_bagpipe.bagpipe_bgp.engine import exa, flowspec
from networking_bagpipe.bagpipe_bgp.engine.exabgp_peer_worker import setup_exabgp_env
setup_exabgp_env()
from exabgp.bgp.message.update.attribute.community.extended.community import ExtendedCommunity
from exabgp.bgp.message.update.nlri import NLRI
from exabgp.bgp.message.direction import IN
from exabgp.protocol.family import AFI, SAFI
out = []
for item in json.load(sys.stdin):
    b = bytes.fromhex(item['hex'])
    if item['kind'] == 'ec':
        out.append(str(ExtendedCommunity.unpack(b, None)))
    else:
        nlri, _ = NLRI.unpack_nlri(AFI(item['afi']), SAFI(item['safi']), b, IN.ANNOUNCED, None)
        out.append(repr(nlri))
json.dump(out, sys.stdout)
`;

async function exabgp(items: { kind: 'ec' | 'nlri'; hex: string; afi?: number; safi?: number }[]): Promise<string[]> {
  const r = await runProcess('/usr/bin/python3', ['-c', ORACLE], { input: JSON.stringify(items), timeoutMs: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as string[];
}

const source: Worker = { name: 'BGP-127.0.0.2', kind: 'bgp-peer', onRouteEvent: () => undefined };

test('extended communities: the text of ExaBGP', async () => {
  const hex = [
    '0002fc0000000001', // target, 2-octet AS
    '0102010203040005', // target, IPv4
    '0202fa56ea000001', // target, 4-octet AS
    '0202000000640001', // target, 4-octet AS below 65536
    '4002fc0000000001', // target, non-transitive bit (ignored)
    '0013fc0000000001', // RT record
    '0213000000010001',
    '030c000000000008', // encapsulations
    '030c00000000000a',
    '030c000000000000',
    '030c000000000002',
    '030c00000000000d',
    '030c000000000001',
    '8008fc0000000007', // redirect to VRF
    '0600000000000005', // MAC mobility
    '0600010000000005',
    '0314000000070000', // consistent hash sort order
    '80060000447a0000', // rate limit
    '8007000000000003', // traffic action
    '800900000000002e', // traffic marking
    '0800000000000001', // redirect to next hop (copy)
    '0601000000000010', // types ExaBGP has no text for: hex
    '030d000000000000',
    '0100010203040005',
  ];
  const theirs = await exabgp(hex.map((h) => ({ kind: 'ec', hex: h })));
  assert.deepEqual(
    hex.map((h) => lgExtCommunityText(decodeExtCommunity(Buffer.from(h, 'hex')))),
    theirs,
  );
  // The attribute: one alone, several sorted by their bytes (ExaBGP's ExtendedCommunities).
  assert.equal(lgExtCommunitiesText([routeTarget('64512:1')]), 'target:64512:1');
  assert.equal(lgExtCommunitiesText([encapsulation('vxlan'), routeTarget('64512:2'), routeTarget('64512:1')]), '[ target:64512:1 target:64512:2 encap:VXLAN ]');
});

test('NLRI: the text of ExaBGP, family by family', async () => {
  const cases: [number, number, Nlri][] = [
    [1, 128, { kind: 'vpn', labels: [label24(1025)], rd: { type: 1, value: '127.0.0.1:3' }, prefix: '10.0.0.1/32' }],
    [1, 128, { kind: 'vpn', labels: [label24(256), label24(1025)], rd: { type: 0, value: '64512:3' }, prefix: '10.0.0.0/24' }],
    [1, 128, { kind: 'vpn', labels: [label24(1025)], rd: { type: 2, value: '4200000000:3' }, prefix: '10.0.0.0/24' }],
    [25, 70, { kind: 'evpn', routeType: 2, rd: { type: 1, value: '127.0.0.1:3' }, esi: '00:00:00:00:00:00:00:00:00:00', ethernetTag: 0, mac: '52:54:00:00:00:01', ip: '10.0.0.1', labels: [fromVni(1500)] }],
    [25, 70, { kind: 'evpn', routeType: 2, rd: { type: 1, value: '127.0.0.1:3' }, esi: '01:02:03:04:05:06:07:08:09:0a', ethernetTag: 5, mac: '52:54:00:00:00:01', labels: [fromVni(257)] }],
    [25, 70, { kind: 'evpn', routeType: 2, rd: { type: 0, value: '64512:3' }, esi: '00:00:00:00:00:00:00:00:00:00', ethernetTag: 0, mac: '52:54:00:00:00:01', ip: '2001:db8::1', labels: [fromVni(1500), fromVni(33)] }],
    [25, 70, { kind: 'evpn', routeType: 3, rd: { type: 1, value: '127.0.0.1:3' }, ethernetTag: 0, originatorIp: '127.0.0.1' }],
    [1, 132, { kind: 'rtc', originAs: 64512, routeTarget: routeTarget('64512:1') }],
    [1, 132, { kind: 'rtc' }],
    [1, 132, { kind: 'rtc', originAs: 64512, routeTarget: routeTarget('1.2.3.4:1') }],
    [
      1,
      134,
      {
        kind: 'flowspec',
        rd: { type: 1, value: '127.0.0.1:4' },
        components: [
          { type: 'destination-prefix', prefix: '40.0.0.0/24' },
          { type: 'source-prefix', prefix: '1.1.1.0/24' },
          { type: 'ip-protocol', items: [{ and: false, op: '==', value: 6 }] },
          { type: 'destination-port', items: [{ and: false, op: '>=', value: 80 }, { and: true, op: '<=', value: 90 }, { and: false, op: '==', value: 443 }] },
          { type: 'tcp-flags', items: [{ and: false, not: false, match: true, value: 0x12 }] },
          { type: 'fragment', items: [{ and: false, not: true, match: false, value: 2 }] },
        ],
      },
    ],
  ];
  const items = cases.map(([afi, safi, n]) => {
    const w = new BufferWriter(64);
    encodeNlriField(afi, safi, w, [n], DEFAULT_CONTEXT);
    return { kind: 'nlri' as const, afi, safi, hex: w.finish().toString('hex') };
  });
  const theirs = await exabgp(items);
  // Decoded alone, ExaBGP's NLRI has no next hop: ours neither (undefined).
  const mine = cases.map(([afi, safi, n]) => nlriText(makeEntry(afi, safi, n, [], undefined, source)));
  assert.deepEqual(mine, theirs);
  // With a next hop (how the looking glass shows VPN routes).
  assert.equal(nlriText(makeEntry(1, 128, cases[0]![2], [], '127.0.0.1', source)), '10.0.0.1/32 label 64 next-hop 127.0.0.1 rd 127.0.0.1:3');
});

test('attributes: ExaBGP names and texts, ORIGIN and AS_PATH left out, the PMSI label of local routes', () => {
  const attrs = attributesText(
    [
      { type: 'origin', value: 'igp' },
      { type: 'as-path', segments: [] },
      { type: 'next-hop', value: '1.2.3.4' },
      { type: 'med', value: 50 },
      { type: 'local-pref', value: 100 },
      { type: 'atomic-aggregate' },
      { type: 'aggregator', asn: 64512, address: '1.2.3.4' },
      { type: 'communities', communities: ['65000:1', '65000:2'] },
      { type: 'originator-id', value: '1.2.3.4' },
      { type: 'cluster-list', clusterIds: ['1.1.1.1'] },
      { type: 'ext-communities', communities: [encapsulation('mpls'), routeTarget('64512:1')] },
      { type: 'pmsi-tunnel', tunnelFlags: 0, tunnelType: 'ingress-replication', label: fromVni(1500), tunnelId: { kind: 'address', address: '127.0.0.2' } },
      { type: 'unknown', code: 26, flags: 0x80, hex: '0100' },
    ],
    false,
  );
  // ExaBGP: str(MED(50)) '50', str(ClusterList([1.1.1.1])) '[ 1.1.1.1 ]', Communities of two
  // '[ 65000:1 65000:2 ]', Aggregator '64512:1.2.3.4', AtomicAggregate ''.
  assert.deepEqual(attrs, {
    'next-hop': '1.2.3.4',
    med: '50',
    'local-preference': '100',
    'atomic-aggregate': '',
    aggregator: '64512:1.2.3.4',
    community: '[ 65000:1 65000:2 ]',
    'originator-id': '1.2.3.4',
    'cluster-list': '[ 1.1.1.1 ]',
    'extended-community': '[ target:64512:1 encap:MPLS ]',
    'pmsi-tunnel': 'pmsi:ingressreplication:0:93(1500):127.0.0.2',
    aigp: '0x0100',
  });
  // The original builds its own PMSI with the raw VNI only: label 0 (observed, spec §3.2).
  const local = attributesText([{ type: 'pmsi-tunnel', tunnelFlags: 0, tunnelType: 'ingress-replication', label: fromVni(1234), tunnelId: { kind: 'address', address: '127.0.0.1' } }], true);
  assert.equal(local['pmsi-tunnel'], 'pmsi:ingressreplication:0:0(1234):127.0.0.1');
});

test('subscriptions: match texts sorted by AFI, SAFI, route target', () => {
  assert.deepEqual(
    matchTexts([
      { afi: 25, safi: 70, rt: '64512:1' },
      { afi: 1, safi: 134, rt: '64512:1' },
      { afi: 1, safi: 132, rt: undefined },
      { afi: 1, safi: 128, rt: '64512:2' },
      { afi: 1, safi: 128, rt: '64512:1' },
      { afi: undefined, safi: undefined, rt: undefined },
    ]),
    [
      'match:*/*,*',
      'match:ipv4/mpls-vpn,target:64512:1',
      'match:ipv4/mpls-vpn,target:64512:2',
      'match:ipv4/rtc,*',
      'match:ipv4/flow-vpn,target:64512:1',
      'match:l2vpn/evpn,target:64512:1',
    ],
  );
});
