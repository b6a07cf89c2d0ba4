/**
 * Our speaker as a process of its own, so that a test can kill it (SIGKILL: a crash) and start it
 * again: a BgpManager with one active peer (VPN-IPv4 only, no RT Constraint) and a local VRF
 * advertising the given prefixes. Graceful restart as the daemon would start it: `preserved` are
 * the families whose forwarding state the "dataplane" kept (empty: a fresh start), and our routes
 * count as restored when the line `restored` arrives on stdin. SIGTERM: a clean stop (Cease).
 *
 *   node restarting-speaker.js '{"localAddress":…,"peer":…,"peerPort":…,"prefixes":[…],"preserved":[…]}'
 */
import { createInterface } from 'node:readline';
import { BgpManager } from '../../../src/session/bgp-manager.js';
import { consoleLogger } from '../../../src/util/logger.js';
import { TestVrf } from '../../helpers/vrf-worker.js';

interface Args {
  localAddress: string;
  peer: string;
  peerPort: number;
  prefixes: string[];
  preserved: string[];
  rt: string;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const log = consoleLogger('restarting-speaker', true, process.stderr);
const manager = new BgpManager(
  { localAddress: args.localAddress, localAs: 64512, enableRtc: false, peerPort: args.peerPort, peers: [{ address: args.peer, families: ['ipv4/mpls-vpn'] }] },
  log,
);
const vrf = new TestVrf('vrf', manager.rtm, `${args.localAddress}:1`, args.localAddress);
for (const p of args.prefixes) vrf.advertise(p, [args.rt]);
const restored = new Promise<void>((resolve) => {
  createInterface({ input: process.stdin }).on('line', (l) => {
    if (l.trim() === 'restored') resolve();
  });
});
await manager.start({ preserved: new Set(args.preserved), restored });
process.stdout.write('STARTED\n');
process.once('SIGTERM', () => {
  void manager.stop('restarting-speaker stopping').then(() => process.exit(0));
});
