/**
 * Two of our speakers in different ASes, both connecting AND listening, so that their connections
 * collide (RFC 4271 §6.8): exactly one session survives, the one initiated by the higher BGP
 * identifier. Over it: eBGP AS_PATH handling (our AS prepended, no LOCAL_PREF), and the max-prefix
 * limit closing the session with Cease/Maximum Number of Prefixes Reached (RFC 4486).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BgpManager } from '../../src/session/bgp-manager.js';
import { memoryLogger } from '../../src/util/logger.js';
import { freePort } from '../helpers/ports.js';
import { TestVrf } from '../helpers/vrf-worker.js';
import { waitFor } from '../helpers/wait.js';

test('connection collision resolved to one session; eBGP AS_PATH; max-prefix closes the session', async () => {
  const [pa, pb] = [await freePort('127.0.92.1'), await freePort('127.0.92.2')];
  const logA = memoryLogger();
  const a = new BgpManager(
    {
      localAddress: '127.0.92.1',
      localAs: 64601,
      enableRtc: false,
      peerPort: pb,
      listen: { address: '127.0.92.1', port: pa },
      peers: [{ address: '127.0.92.2', remoteAs: 64602, maxPrefix: 3 }],
      connectRetrySeconds: 1,
    },
    logA,
  );
  const b = new BgpManager(
    {
      localAddress: '127.0.92.2',
      localAs: 64602,
      enableRtc: false,
      peerPort: pa,
      listen: { address: '127.0.92.2', port: pb },
      peers: [{ address: '127.0.92.1', remoteAs: 64601 }],
      connectRetrySeconds: 1,
    },
    memoryLogger(),
  );
  try {
    const vrfA = new TestVrf('vrfA', a.rtm, '127.0.92.1:1', '127.0.92.1');
    const vrfB = new TestVrf('vrfB', b.rtm, '127.0.92.2:1', '127.0.92.2');
    vrfA.import('64512:1');
    vrfB.import('64512:1');
    vrfB.advertise('10.20.1.0/24', ['64512:1'], 100, 200);
    await Promise.all([a.start(), b.start()]);
    await waitFor('one session up on each side', () => a.established().length === 1 && b.established().length === 1);
    await waitFor('A learned B route', () => vrfA.prefixes().includes('10.20.1.0/24'));
    // Both sides dialled: whichever collided, one session remains and it is stable.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(a.peers.get('127.0.92.2')!.state, 'Established');
    assert.equal(b.peers.get('127.0.92.1')!.state, 'Established');
    assert.ok(a.peers.get('127.0.92.2')!.stats.establishedTransitions <= 2, 'no flapping');
    const got = [...vrfA.received.values()][0]!;
    const asPath = got.attributes.find((x) => x.type === 'as-path');
    assert.deepEqual(asPath?.type === 'as-path' ? asPath.segments : undefined, [{ type: 'as-sequence', asns: [64602] }]);
    assert.ok(!got.attributes.some((x) => x.type === 'local-pref'), 'LOCAL_PREF is not sent over eBGP');
    // Max prefix: A accepts 3 routes from B; the 4th closes the session with Cease/1.
    for (const p of ['10.20.2.0/24', '10.20.3.0/24']) vrfB.advertise(p, ['64512:1']);
    await waitFor('3 routes at A', () => vrfA.prefixes().length === 3);
    assert.equal(a.peers.get('127.0.92.2')!.state, 'Established');
    vrfB.advertise('10.20.4.0/24', ['64512:1']);
    await waitFor('A closes the session over max-prefix', () => logA.records.some((r) => r.msg.includes('max-prefix')));
    await waitFor('A dropped B routes', () => vrfA.prefixes().length === 0);
    const fsm = a.peers.get('127.0.92.2')!.fsm;
    assert.deepEqual(
      fsm.lastNotification?.direction === 'sent' ? [fsm.lastNotification.notification.code, fsm.lastNotification.notification.subcode] : fsm.lastNotification,
      [6, 1],
    );
  } finally {
    await a.stop();
    await b.stop();
  }
});
