/**
 * ADD-PATH receive (RFC 7911) against a raw peer (127.0.128.2) that announces ADD-PATH send for
 * VPN-IPv4: our speaker (127.0.128.1, configured to receive path ids on that family) keeps two
 * paths for one prefix apart by their path identifiers, and a withdrawal removes only its path.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { familyKey } from '../../src/wire/afi.js';
import { contextWith } from '../../src/wire/context.js';
import { routeTarget } from '../../src/wire/ext-communities/index.js';
import { fromMplsLabel, WITHDRAW_LABEL } from '../../src/wire/label.js';
import { encodeMessage } from '../../src/wire/message.js';
import type { VpnPrefixNlri } from '../../src/wire/nlri/vpn-prefix.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { Teardown } from './harness/process.js';
import { MsgType, RawPeer } from './harness/raw-peer.js';
import { Collector, speaker } from './harness/speaker.js';

const US = '127.0.128.1';
const RAW = '127.0.128.2';
const AS = 64512;
const CTX = contextWith({ as4: false, addPath: new Set([familyKey(1, 128)]) });

const nlri = (pathId: number, label: number): VpnPrefixNlri => ({ kind: 'vpn', pathId, labels: [fromMplsLabel(label)], rd: { type: 0, value: '64512:5' }, prefix: '10.5.0.0/24' });

function body(bytes: Buffer): Buffer {
  return bytes.subarray(19);
}

test('ADD-PATH receive: two paths of one prefix kept apart; a withdrawal removes one', { timeout: 60_000 }, async () => {
  const td = new Teardown();
  try {
    const port = await freePort(US);
    const s = speaker(
      { localAddress: US, localAs: AS, enableRtc: false, peerPort: port, listen: { address: US, port }, peers: [{ address: RAW, passive: true, addPathReceive: ['ipv4/mpls-vpn'] }], connectRetrySeconds: 1 },
      td,
    );
    const vrf = new Collector('vrf', s.manager.rtm).subscribe(1, 128, '64512:5');
    await s.manager.start();
    // ADD-PATH capability (69): VPN-IPv4, mode 2 = send.
    const raw = new RawPeer({ localAddress: RAW, as: AS, families: [[1, 128]], extraCapabilities: Buffer.from([69, 4, 0, 1, 128, 2]) });
    td.add(() => raw.close());
    await raw.connect(US, port);
    await waitFor('Established', () => s.peer(RAW).state === 'Established');
    assert.deepEqual(s.peer(RAW).session?.addPathReceive, ['ipv4/mpls-vpn']);
    for (const [pathId, label, nh] of [[1, 101, '127.0.128.11'], [2, 102, '127.0.128.12']] as const) {
      raw.sendUpdate(
        body(
          encodeMessage(
            {
              type: 'update',
              withdrawn: [],
              nlri: [],
              attributes: [
                { type: 'origin', value: 'igp' },
                { type: 'as-path', segments: [] },
                { type: 'local-pref', value: 100 },
                { type: 'ext-communities', communities: [routeTarget('64512:5')] },
                { type: 'mp-reach', afi: 1, safi: 128, nextHop: [nh], nlri: [nlri(pathId, label)] },
              ],
            },
            CTX,
          ),
        ),
      );
    }
    await waitFor('two paths for 10.5.0.0/24', () => vrf.routes(1, 128).length === 2, 10_000);
    assert.deepEqual(vrf.routes(1, 128).map((e) => e.nextHop).sort(), ['127.0.128.11', '127.0.128.12']);
    raw.sendUpdate(
      body(
        encodeMessage(
          { type: 'update', withdrawn: [], nlri: [], attributes: [{ type: 'mp-unreach', afi: 1, safi: 128, nlri: [{ ...nlri(1, 0), labels: [WITHDRAW_LABEL] }] }] },
          CTX,
        ),
      ),
    );
    await waitFor('path 1 withdrawn, path 2 kept', () => vrf.routes(1, 128).length === 1, 10_000);
    assert.equal(vrf.routes(1, 128)[0]!.nextHop, '127.0.128.12');
    assert.equal(raw.count(MsgType.Notification), 0);
  } finally {
    await td.run();
  }
});
