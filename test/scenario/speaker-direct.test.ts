/**
 * Two instances of our speaker peering directly on loopback (no route reflector): one listens,
 * the other connects. RT Constraint on both. Routes flow both ways, withdrawals too, only for the
 * route targets each side imports; the session recovers when one side restarts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BgpManager } from '../../src/session/bgp-manager.js';
import { memoryLogger } from '../../src/util/logger.js';
import { freePort } from '../helpers/ports.js';
import { TestVrf } from '../helpers/vrf-worker.js';
import { waitFor } from '../helpers/wait.js';

test('two speakers peer directly: RTC-filtered routes both ways, withdrawals, recovery after restart', async () => {
  const port = await freePort('127.0.91.1');
  const mk = (addr: string, peer: string, listen: boolean): BgpManager =>
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
      memoryLogger(),
    );
  const a = mk('127.0.91.1', '127.0.91.2', true);
  let b = mk('127.0.91.2', '127.0.91.1', false);
  try {
    const vrfA = new TestVrf('vrfA', a.rtm, '127.0.91.1:1', '127.0.91.1');
    vrfA.import('64512:1');
    vrfA.advertise('10.1.0.0/24', ['64512:1']);
    vrfA.advertise('10.1.9.0/24', ['64512:9']); // nobody imports 64512:9
    await a.start();
    await b.start();
    let vrfB = new TestVrf('vrfB', b.rtm, '127.0.91.2:1', '127.0.91.2');
    vrfB.import('64512:1');
    vrfB.advertise('10.2.0.0/24', ['64512:1']);
    await waitFor('both sessions Established', () => a.established().length === 1 && b.established().length === 1);
    await waitFor('B has A route', () => vrfB.prefixes().includes('10.1.0.0/24'));
    await waitFor('A has B route', () => vrfA.prefixes().includes('10.2.0.0/24'));
    const got = vrfB.received.values().next().value!;
    assert.equal(got.nextHop, '127.0.91.1');
    assert.deepEqual(got.routeTargets, ['64512:1']);
    assert.ok(got.attributes.some((x) => x.type === 'local-pref' && x.value === 100));
    // RTC: B never imported 64512:9, so A never sent 10.1.9.0/24.
    const peerA = a.peers.get('127.0.91.2')!;
    assert.ok(peerA.isRtcActive);
    assert.ok(!peerA.adjRibOut!.advertised().some((r) => r.nlri.kind === 'vpn' && r.nlri.prefix === '10.1.9.0/24'));
    // B starts importing 64512:9: its RTC route makes A send the route.
    vrfB.import('64512:9');
    await waitFor('B gets 10.1.9.0/24 after importing 64512:9', () => vrfB.prefixes().includes('10.1.9.0/24'));
    vrfB.unimport('64512:9');
    await waitFor('A stops sending it (RTC withdraw → MP_UNREACH)', () => !vrfB.prefixes().includes('10.1.9.0/24') && !peerA.adjRibOut!.advertised().some((r) => r.nlri.kind === 'vpn' && r.nlri.prefix === '10.1.9.0/24'));
    // Withdrawal.
    vrfA.withdraw('10.1.0.0/24');
    await waitFor('withdrawal reaches B', () => !vrfB.prefixes().includes('10.1.0.0/24'));
    // Restart B: A drops B's routes (stop sends a NOTIFICATION, so no graceful restart), then relearns them.
    await b.stop();
    await waitFor('A removed B routes', () => !vrfA.prefixes().includes('10.2.0.0/24'));
    b = mk('127.0.91.2', '127.0.91.1', false);
    vrfB = new TestVrf('vrfB', b.rtm, '127.0.91.2:1', '127.0.91.2');
    vrfB.import('64512:1');
    vrfB.advertise('10.2.0.0/24', ['64512:1']);
    vrfA.advertise('10.1.0.0/24', ['64512:1']);
    await b.start();
    await waitFor('session back up', () => a.established().length === 1 && b.established().length === 1, 20_000);
    await waitFor('routes relearned both ways', () => vrfA.prefixes().includes('10.2.0.0/24') && vrfB.prefixes().includes('10.1.0.0/24'));
  } finally {
    await b.stop();
    await a.stop();
  }
});
