/**
 * RFC 7606 (revised error handling for UPDATE messages) against a raw peer: a hand-written BGP
 * speaker (harness/raw-peer.ts, 127.0.125.2) connects to our speaker (127.0.125.1) and sends
 * malformed UPDATEs built byte by byte. For each malformation the route the UPDATE carried must be
 * handled per the RFC WITHOUT a session reset: treat-as-withdraw for a bad ORIGIN value (§7.1) and
 * for a LOCAL_PREF of the wrong length from an internal peer (§7.5), attribute-discard for a bad
 * AGGREGATOR length (§7.7). After each, the session is still Established on both sides (no
 * NOTIFICATION, no close) and a well-formed UPDATE is accepted.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mplsLabel } from '../../src/wire/label.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { Teardown } from './harness/process.js';
import { RawPeer, updateBody, vpnAttributes, vpnUpdate, vpnWithdraw, type VpnRoute } from './harness/raw-peer.js';
import { Collector, speaker, type Speaker } from './harness/speaker.js';

const US = '127.0.125.1';
const RAW = '127.0.125.2';
const AS = 64512;

test('RFC 7606: malformed UPDATEs are handled without resetting the session', { timeout: 60_000 }, async (t) => {
  const td = new Teardown();
  let s: Speaker | undefined;
  const raw = new RawPeer({ localAddress: RAW, as: AS, families: [[1, 128]] });
  td.add(() => raw.close());
  try {
    const port = await freePort(US);
    s = speaker({ localAddress: US, localAs: AS, enableRtc: true, peerPort: port, listen: { address: US, port }, peers: [{ address: RAW, passive: true }], connectRetrySeconds: 1 }, td);
    const sp = s;
    const vrf = new Collector('vrf', sp.manager.rtm).subscribe(1, 128, '64512:1');
    await sp.manager.start();
    await raw.connect(US, port);
    const peer = sp.peer(RAW);
    await waitFor('session Established', () => peer.state === 'Established');
    const route = (prefix: string, label: number, localPref?: number): VpnRoute => ({ prefix, rd: '64512:125', label, nextHop: RAW, rt: '64512:1', ...(localPref ? { localPref } : {}) });
    /** The session survived: Established here, nothing closed, no NOTIFICATION either way. */
    const stillUp = (): void => {
      assert.equal(peer.state, 'Established', sp.logTail());
      assert.equal(raw.closed, false, 'our speaker closed the connection');
      assert.deepEqual(raw.notifications(), [], 'NOTIFICATION sent by our speaker');
      assert.equal(peer.stats.establishedTransitions, 1, 'the session was reset and re-established');
      assert.equal(peer.stats.notificationsOut, 0);
    };
    /** Sends a well-formed route and waits for it (proves the session still processes UPDATEs). */
    const sendGood = async (r: VpnRoute): Promise<void> => {
      raw.sendUpdate(vpnUpdate(r));
      await waitFor(`well-formed ${r.prefix} label ${r.label} accepted`, () => {
        const got = vrf.vpn(r.prefix);
        return got?.nlri.kind === 'vpn' && mplsLabel(got.nlri.labels[0]!) === r.label;
      });
    };
    const lastError = (): string | undefined => {
      const e = peer.recentErrors.at(-1);
      return e && `${e.code}/${e.outcome}`;
    };

    await t.test('bad ORIGIN value (§7.1): treat-as-withdraw', async () => {
      await sendGood(route('10.125.1.0/24', 101));
      const attrs = vpnAttributes(route('10.125.1.0/24', 102));
      attrs[0]!.value = Buffer.from([5]); // ORIGIN 5 is undefined (0..2)
      raw.sendUpdate(updateBody(attrs));
      await waitFor('route withdrawn', () => vrf.vpn('10.125.1.0/24') === undefined);
      assert.match(lastError() ?? '', /treat-as-withdraw$/);
      stillUp();
      await sendGood(route('10.125.1.0/24', 103));
      stillUp();
    });

    await t.test('LOCAL_PREF of length 3 from an internal peer (§7.5): treat-as-withdraw', async () => {
      await sendGood(route('10.125.2.0/24', 201, 200));
      const errorsBefore = peer.recentErrors.length;
      const attrs = vpnAttributes(route('10.125.2.0/24', 202, 300));
      attrs[2]!.value = Buffer.from([0, 1, 44]); // 3 bytes instead of 4
      raw.sendUpdate(updateBody(attrs));
      await waitFor('route withdrawn', () => vrf.vpn('10.125.2.0/24') === undefined);
      assert.equal(peer.recentErrors.length, errorsBefore + 1);
      assert.match(lastError() ?? '', /treat-as-withdraw$/);
      assert.ok(vrf.vpn('10.125.1.0/24'), 'other routes of the peer are untouched');
      stillUp();
      await sendGood(route('10.125.2.0/24', 203, 300));
      stillUp();
    });

    await t.test('AGGREGATOR of the wrong length (§7.7): attribute discarded, route kept', async () => {
      const attrs = vpnAttributes(route('10.125.3.0/24', 301));
      // 2-octet AS session: AGGREGATOR is 6 bytes; 5 is malformed. Inserted in type-code order.
      attrs.splice(2, 0, { flags: 0xc0, type: 7, value: Buffer.from([0xfc, 0x00, 127, 0, 125, 2].slice(0, 5)) });
      raw.sendUpdate(updateBody(attrs));
      await waitFor('route accepted without the attribute', () => vrf.vpn('10.125.3.0/24') !== undefined);
      const got = vrf.vpn('10.125.3.0/24')!;
      assert.ok(!got.attributes.some((a) => a.type === 'aggregator'), JSON.stringify(got.attributes));
      assert.match(lastError() ?? '', /attribute-discard$/);
      stillUp();
    });

    await t.test('after the errors, withdrawals and updates still flow', async () => {
      await sendGood(route('10.125.1.0/24', 104));
      raw.sendUpdate(vpnWithdraw(route('10.125.3.0/24', 0)));
      await waitFor('withdrawal of 10.125.3.0/24', () => vrf.vpn('10.125.3.0/24') === undefined);
      await sendGood(route('10.125.3.0/24', 302));
      assert.deepEqual(vrf.routes(1, 128).map((r) => (r.nlri.kind === 'vpn' ? r.nlri.prefix : '')).sort(), ['10.125.1.0/24', '10.125.2.0/24', '10.125.3.0/24']);
      stillUp();
    });
  } finally {
    await td.run();
  }
});
