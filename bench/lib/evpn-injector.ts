/**
 * A BGP speaker (ours, src/session) that advertises N E-VPN MAC/IP routes to one passive peer:
 * the route source of the `evpn-linux` benchmark. Run inside the benchmark's underlay namespace:
 *   node dist/bench/lib/evpn-injector.js <listen address> <peer address> <rt> <vni> <count> <next hop>
 * Prints `ESTABLISHED` once the session is up, then `ADVERTISED <n>` after queuing the routes.
 */
import { makeEntry } from '../../src/rib/route-entry.js';
import type { RouteEvent, Worker } from '../../src/rib/worker.js';
import { BgpManager } from '../../src/session/bgp-manager.js';
import { consoleLogger } from '../../src/util/logger.js';
import { encapsulation, routeTarget } from '../../src/wire/ext-communities/index.js';
import { fromVni } from '../../src/wire/label.js';

const [listen, peer, rt, vniText, countText, nextHop] = process.argv.slice(2);
const vni = Number(vniText);
const count = Number(countText);
const log = consoleLogger('injector', false);
const bgp = new BgpManager({ localAddress: listen!, localAs: 64512, enableRtc: true, peerPort: 179, listen: { address: listen!, port: 179 }, peers: [{ address: peer!, passive: true }] }, log);
const source: Worker = { name: 'injector', kind: 'local', onRouteEvent: (_e: RouteEvent) => undefined };

function mac(i: number): string {
  return `52:54:03:${((i >> 16) & 0xff).toString(16).padStart(2, '0')}:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
}

await bgp.start();
const timer = setInterval(() => {
  if (bgp.established().length === 0) return;
  clearInterval(timer);
  process.stdout.write('ESTABLISHED\n');
  bgp.rtm.inOrder(() => {
    for (let i = 0; i < count; i++) {
      const nlri = { kind: 'evpn' as const, routeType: 2 as const, rd: { type: 1, value: `${nextHop}:1` }, esi: '00:00:00:00:00:00:00:00:00:00', ethernetTag: 0, mac: mac(i), ip: `10.${200 + (i >> 16)}.${(i >> 8) & 0xff}.${i & 0xff}`, labels: [fromVni(vni)] };
      bgp.rtm.advertise(makeEntry(25, 70, nlri, [{ type: 'ext-communities', communities: [encapsulation('vxlan'), routeTarget(rt!)] }], nextHop, source));
    }
  });
  process.stdout.write(`ADVERTISED ${count}\n`);
}, 50);
process.once('SIGTERM', () => void bgp.stop().then(() => process.exit(0)));
