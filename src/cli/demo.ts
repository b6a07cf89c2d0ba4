#!/usr/bin/env node
/**
 * `npm start` until the full daemon lands: two BGP speakers of ours peer directly on loopback
 * (127.0.95.1 listens, 127.0.95.2 connects), each with one local VPN publishing a VPN-IPv4 route
 * under route target 64512:1 (RT Constraint on). It prints each side's session and the route it
 * learned from the other, with the UPDATE bytes decoded by the wire codec, then stops both.
 * No root and no extra package needed.
 */
import { BgpManager } from '../session/bgp-manager.js';
import { encapsulation, extCommunityText, routeTarget } from '../wire/ext-communities/index.js';
import { mplsLabel, fromMplsLabel } from '../wire/label.js';
import { rdText } from '../wire/route-distinguisher.js';
import { rtcText } from '../wire/nlri/rtc.js';
import { encodeMessage } from '../wire/message.js';
import { DEFAULT_CONTEXT } from '../wire/context.js';
import { toHex } from '../wire/hex.js';
import { makeEntry, extCommunitiesOf, type RouteEntry } from '../rib/route-entry.js';
import type { RouteEvent, Worker } from '../rib/worker.js';
import { consoleLogger } from '../util/logger.js';
import { freePort } from '../util/ports.js';

class DemoVpn implements Worker {
  readonly kind = 'local';
  readonly learned = new Map<string, RouteEntry>();
  constructor(readonly name: string) {}
  onRouteEvent(e: RouteEvent): void {
    if (e.type === 'advertise') this.learned.set(e.entry.key, e.entry);
    else this.learned.delete(e.entry.key);
  }
}

async function main(): Promise<void> {
  const log = consoleLogger('demo', process.argv.includes('--debug'));
  const port = await freePort('127.0.95.1');
  const speaker = (addr: string, peer: string, listen: boolean): BgpManager =>
    new BgpManager(
      {
        localAddress: addr,
        localAs: 64512,
        enableRtc: true,
        peerPort: port,
        ...(listen ? { listen: { address: addr, port } } : {}),
        peers: [{ address: peer, passive: listen }],
        connectRetrySeconds: 1,
      },
      log.child(addr),
    );
  const a = speaker('127.0.95.1', '127.0.95.2', true);
  const b = speaker('127.0.95.2', '127.0.95.1', false);
  const sides = [
    { m: a, vpn: new DemoVpn('vpn-A'), addr: '127.0.95.1', prefix: '10.0.1.0/24', label: 16 },
    { m: b, vpn: new DemoVpn('vpn-B'), addr: '127.0.95.2', prefix: '10.0.2.0/24', label: 17 },
  ];
  for (const s of sides) {
    s.m.rtm.subscribe(s.vpn, { afi: 1, safi: 128, rt: '64512:1' });
    s.m.rtm.advertise(
      makeEntry(
        1,
        128,
        { kind: 'vpn', labels: [fromMplsLabel(s.label)], rd: { type: 1, value: `${s.addr}:1` }, prefix: s.prefix },
        [{ type: 'ext-communities', communities: [routeTarget('64512:1'), encapsulation('mpls')] }],
        s.addr,
        s.vpn,
      ),
    );
  }
  await a.start();
  await b.start();
  const deadline = Date.now() + 15_000;
  while (!sides.every((s) => s.vpn.learned.size > 0)) {
    if (Date.now() > deadline) throw new Error('the two speakers did not exchange their routes within 15 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const s of sides) {
    const peer = [...s.m.peers.values()][0]!;
    console.log(`\n== speaker ${s.addr}: peer ${peer.cfg.address} ${peer.state} (RTC ${peer.isRtcActive ? 'active' : 'off'}; families ${peer.session?.families.join(', ')})`);
    for (const e of s.vpn.learned.values()) {
      if (e.nlri.kind !== 'vpn') continue;
      const comms = extCommunitiesOf(e.attributes).map(extCommunityText).join(' ');
      console.log(`   learned ${e.nlri.prefix} rd ${rdText(e.nlri.rd)} label ${mplsLabel(e.nlri.labels[0]!)} next hop ${e.nextHop} [${comms}]`);
    }
    const adv = peer.adjRibOut?.advertised() ?? [];
    console.log(`   advertised to the peer: ${adv.map((r) => (r.nlri.kind === 'vpn' ? r.nlri.prefix : r.nlri.kind === 'rtc' ? rtcText(r.nlri) : r.key)).join(', ')}`);
    const first = adv.find((r) => r.nlri.kind === 'vpn');
    if (first) {
      const bytes = encodeMessage(
        { type: 'update', withdrawn: [], nlri: [], attributes: [...first.attributes, { type: 'mp-reach', afi: 1, safi: 128, nextHop: [...first.nextHop], nlri: [first.nlri] }] },
        DEFAULT_CONTEXT,
      );
      console.log(`   its UPDATE on the wire: ${toHex(bytes)}`);
      console.log('   (decode it with: node dist/src/cli/bagpipe-wire.js decode --pretty <hex>)');
    }
  }
  await b.stop();
  await a.stop();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
