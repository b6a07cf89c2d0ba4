/**
 * Graceful restart, helper side (RFC 4724 §4.2), against a raw peer (127.0.126.2) that announces
 * the capability for VPN-IPv4 with the forwarding bit: when its TCP connection drops without a
 * NOTIFICATION, our speaker (127.0.126.1) keeps its routes as stale; when it comes back, the
 * routes it re-announces stay and its End-of-RIB removes the others; when it does not come back
 * within its restart time, every stale route goes; when it comes back without the F bit for the
 * family (its forwarding state was lost), the stale routes go at once (RFC 4724 §4.2).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { Teardown } from './harness/process.js';
import { RawPeer, updateBody, vpnUpdate, type VpnRoute } from './harness/raw-peer.js';
import { Collector, speaker } from './harness/speaker.js';

const US = '127.0.126.1';
const RAW = '127.0.126.2';
const AS = 64512;
const RESTART_SECONDS = 3;

/** Graceful restart capability: restart flag and time, then VPN-IPv4 with the forwarding bit (or not). */
function grCapability(restarting: boolean, forwarding = true): Buffer {
  const v = Buffer.alloc(6);
  v.writeUInt16BE((restarting ? 0x8000 : 0) | RESTART_SECONDS, 0);
  v.writeUInt16BE(1, 2);
  v[4] = 128;
  v[5] = forwarding ? 0x80 : 0;
  return Buffer.concat([Buffer.from([64, v.length]), v]);
}

const route = (prefix: string): VpnRoute => ({ prefix, rd: '64512:7', label: 300, nextHop: RAW, rt: '64512:7' });
/** End-of-RIB for VPN-IPv4: MP_UNREACH_NLRI with the family and no NLRI (RFC 4724 §2). */
const EOR_VPNV4 = updateBody([{ flags: 0x80, type: 15, value: Buffer.from([0x00, 0x01, 128]) }]);

test('graceful restart helper: stale routes kept, refreshed ones stay, End-of-RIB and restart time sweep', { timeout: 60_000 }, async () => {
  const td = new Teardown();
  try {
    const port = await freePort(US);
    const s = speaker({ localAddress: US, localAs: AS, enableRtc: false, peerPort: port, listen: { address: US, port }, peers: [{ address: RAW, passive: true }], connectRetrySeconds: 1 }, td);
    const vrf = new Collector('vrf', s.manager.rtm).subscribe(1, 128, '64512:7');
    await s.manager.start();
    const peer = s.peer(RAW);
    const connect = async (restarting: boolean): Promise<RawPeer> => {
      const raw = new RawPeer({ localAddress: RAW, as: AS, families: [[1, 128]], extraCapabilities: grCapability(restarting) });
      td.add(() => raw.close());
      await raw.connect(US, port);
      await waitFor('session Established', () => peer.state === 'Established');
      return raw;
    };
    let raw = await connect(false);
    raw.sendUpdate(vpnUpdate(route('10.7.1.0/24')));
    raw.sendUpdate(vpnUpdate(route('10.7.2.0/24')));
    await waitFor('both routes in the VRF', () => vrf.routes(1, 128).length === 2, 10_000);

    // The peer's TCP connection drops (no NOTIFICATION): its routes stay, as stale.
    raw.close();
    await waitFor('session down', () => peer.state !== 'Established');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(vrf.routes(1, 128).length, 2, `stale routes kept\n${s.logTail()}`);

    // It restarts: re-announces one route, then End-of-RIB: the other stale route goes.
    raw = await connect(true);
    raw.sendUpdate(vpnUpdate(route('10.7.1.0/24')));
    raw.sendUpdate(EOR_VPNV4);
    await waitFor('the route not re-announced is swept at End-of-RIB', () => vrf.routes(1, 128).length === 1, 10_000);
    assert.ok(vrf.vpn('10.7.1.0/24'), 'the re-announced route stays');

    // It drops again and does not come back: after the restart time, nothing is left.
    raw.close();
    await waitFor('session down again', () => peer.state !== 'Established');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(vrf.routes(1, 128).length, 1, 'kept during the restart time');
    await waitFor('stale routes removed after the restart time', () => vrf.routes(1, 128).length === 0, (RESTART_SECONDS + 5) * 1000);
  } finally {
    await td.run();
  }
});

test('graceful restart helper: a peer back without the F bit (forwarding state lost) has its stale routes removed at once', { timeout: 60_000 }, async () => {
  const td = new Teardown();
  try {
    const port = await freePort(US);
    const s = speaker({ localAddress: US, localAs: AS, enableRtc: false, peerPort: port, listen: { address: US, port }, peers: [{ address: RAW, passive: true }], connectRetrySeconds: 1 }, td);
    const vrf = new Collector('vrf', s.manager.rtm).subscribe(1, 128, '64512:7');
    await s.manager.start();
    const peer = s.peer(RAW);
    const connect = async (restarting: boolean, forwarding: boolean): Promise<RawPeer> => {
      const raw = new RawPeer({ localAddress: RAW, as: AS, families: [[1, 128]], extraCapabilities: grCapability(restarting, forwarding) });
      td.add(() => raw.close());
      await raw.connect(US, port);
      await waitFor('session Established', () => peer.state === 'Established');
      return raw;
    };
    const raw = await connect(false, true);
    raw.sendUpdate(vpnUpdate(route('10.7.1.0/24')));
    await waitFor('route in the VRF', () => vrf.routes(1, 128).length === 1, 10_000);
    raw.close();
    await waitFor('session down', () => peer.state !== 'Established');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(vrf.routes(1, 128).length, 1, 'kept as stale');
    assert.equal(peer.staleRouteCount, 1);
    // Back after a reboot: restarting, but its forwarding state is gone. No End-of-RIB sent.
    await connect(true, false);
    await waitFor('stale route removed at the OPEN (not by the 3 s restart timer)', () => vrf.routes(1, 128).length === 0, 1000).catch((e: Error) => assert.fail(`${e.message}\n${s.logTail()}`));
    assert.equal(peer.staleRouteCount, 0);
  } finally {
    await td.run();
  }
});
