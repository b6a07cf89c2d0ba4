/**
 * Against a raw peer (127.0.127.2) speaking VPN-IPv4 and RTC: our speaker (127.0.127.1) sends no
 * VPN route until the peer asks (RFC 4684), sends everything once the peer advertises the default
 * RTC route (length 0: "all route targets"), and sends it all again when the peer asks with a
 * ROUTE-REFRESH (RFC 2918).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import { decodeMessage } from '../../src/wire/message.js';
import { mpReach, type UpdateMessage } from '../../src/wire/update.js';
import { freePort } from '../helpers/ports.js';
import { TestVrf } from '../helpers/vrf-worker.js';
import { waitFor } from '../helpers/wait.js';
import { Teardown } from './harness/process.js';
import { MsgType, RawPeer, updateBody, bgpMessage } from './harness/raw-peer.js';
import { speaker } from './harness/speaker.js';

const US = '127.0.127.1';
const RAW = '127.0.127.2';
const AS = 64512;

/** VPN-IPv4 prefixes our speaker sent the raw peer, in order, one entry per announcement. */
function vpnAnnounced(raw: RawPeer): string[] {
  const out: string[] = [];
  for (const m of raw.received) {
    if (m.type !== MsgType.Update) continue;
    const u = decodeMessage(bgpMessage(MsgType.Update, m.body), DEFAULT_CONTEXT).message as UpdateMessage;
    const r = mpReach(u);
    if (r?.safi === 128) for (const n of r.nlri) if (n.kind === 'vpn') out.push(n.prefix);
  }
  return out;
}

test('RTC default route opens everything; ROUTE-REFRESH resends it', { timeout: 60_000 }, async () => {
  const td = new Teardown();
  try {
    const port = await freePort(US);
    const s = speaker({ localAddress: US, localAs: AS, enableRtc: true, peerPort: port, listen: { address: US, port }, peers: [{ address: RAW, passive: true }], connectRetrySeconds: 1 }, td);
    const vrf = new TestVrf('vrf', s.manager.rtm, `${US}:1`, US);
    vrf.advertise('10.8.1.0/24', ['64512:8']);
    vrf.advertise('10.8.2.0/24', ['64512:9']);
    await s.manager.start();
    // Multiprotocol VPN-IPv4 and RTC, plus route refresh (code 2, RFC 2918).
    const raw = new RawPeer({ localAddress: RAW, as: AS, families: [[1, 128], [1, 132]], extraCapabilities: Buffer.from([2, 0]) });
    td.add(() => raw.close());
    await raw.connect(US, port);
    await waitFor('Established', () => s.peer(RAW).state === 'Established');
    assert.ok(s.peer(RAW).isRtcActive);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(vpnAnnounced(raw), [], 'no VPN route before the peer asks for route targets');

    // The default RTC route: MP_REACH ipv4/rtc, next hop RAW, one NLRI of length 0.
    const mp = Buffer.concat([Buffer.from([0, 1, 132, 4]), Buffer.from([127, 0, 127, 2]), Buffer.from([0]), Buffer.from([0])]);
    raw.sendUpdate(
      updateBody([
        { flags: 0x40, type: 1, value: Buffer.from([0]) },
        { flags: 0x40, type: 2, value: Buffer.alloc(0) },
        { flags: 0x40, type: 5, value: Buffer.from([0, 0, 0, 100]) },
        { flags: 0x80, type: 14, value: mp },
      ]),
    );
    await waitFor('both VPN routes sent after the default RTC route', () => vpnAnnounced(raw).length === 2, 10_000);
    assert.deepEqual(vpnAnnounced(raw).sort(), ['10.8.1.0/24', '10.8.2.0/24']);

    // ROUTE-REFRESH for VPN-IPv4: AFI 1, reserved 0, SAFI 128.
    raw.send(MsgType.RouteRefresh, Buffer.from([0, 1, 0, 128]));
    await waitFor('routes sent again after ROUTE-REFRESH', () => vpnAnnounced(raw).length === 4, 10_000);
    assert.equal(s.peer(RAW).state, 'Established');
    assert.deepEqual(raw.notifications(), []);
  } finally {
    await td.run();
  }
});
