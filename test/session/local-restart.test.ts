/**
 * Graceful restart, our side (local-restart.ts, RFC 4724 §3 and §4.1): the R and F bits of the
 * capability in our OPEN before, during and after a restart, and the End-of-RIB held until our
 * routes are restored. The OPEN is checked in bytes through the codec.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalRestart } from '../../src/session/local-restart.js';
import { buildOpen, type LocalOpenConfig } from '../../src/session/negotiation.js';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import { encodeMessage } from '../../src/wire/message.js';

const cfg: LocalOpenConfig = {
  localAs: 64512,
  remoteAs: 64512,
  localId: '127.0.0.1',
  holdTime: 180,
  families: ['ipv4/mpls-vpn', 'ipv4/rtc', 'l2vpn/evpn'],
  addPathReceive: [],
  gracefulRestartTime: 120,
  extendedMessage: false,
};
const FAMILIES = cfg.families;

/** The graceful restart capability (code 64) of our encoded OPEN, in hex. */
function grCapabilityHex(restart: LocalRestart, hadSession: boolean): string {
  const bytes = encodeMessage(buildOpen(cfg, restart.flags(FAMILIES, hadSession)), DEFAULT_CONTEXT);
  const hex = bytes.toString('hex');
  const at = hex.indexOf('400e'); // code 64, length 14: 2 + 3 families × 4
  assert.ok(at > 0, hex);
  return hex.slice(at, at + 32);
}

const deferred = (): { promise: Promise<void>; resolve: () => void } => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

test('fresh start: no R bit, no F bit on the first session; F bits once a session was up', () => {
  const r = new LocalRestart(120);
  r.begin({ preserved: new Set(), restored: new Promise(() => {}) });
  assert.equal(r.isRestoring, false);
  // 0x0078: flags 0, time 120; then 0001 80 00, 0001 84 00, 0019 46 00 (AFI, SAFI, no F).
  assert.equal(grCapabilityHex(r, false), '400e' + '0078' + '00018000' + '00018400' + '00194600');
  assert.equal(grCapabilityHex(r, true), '400e' + '0078' + '00018080' + '00018480' + '00194680', 'forwarding kept while the process lives');
  assert.equal(r.holdsEndOfRib('l2vpn/evpn'), false);
});

test('after a restart: R bit and F for the preserved families; End-of-RIB held until restored', async () => {
  const r = new LocalRestart(120);
  const restored = deferred();
  r.begin({ preserved: new Set(['l2vpn/evpn', 'ipv4/rtc']), restored: restored.promise });
  assert.equal(r.isRestoring, true);
  // 0x8078: R bit, time 120; the IP VPN dataplane kept nothing: no F for ipv4/mpls-vpn.
  assert.equal(grCapabilityHex(r, false), '400e' + '8078' + '00018000' + '00018480' + '00194680');
  assert.equal(r.holdsEndOfRib('l2vpn/evpn'), true);
  assert.equal(r.holdsEndOfRib('ipv4/rtc'), true);
  assert.equal(r.holdsEndOfRib('ipv4/mpls-vpn'), false, 'its stale routes are of no use: End-of-RIB as usual');
  let calls = 0;
  r.onRestored(() => calls++);
  restored.resolve();
  await restored.promise;
  await Promise.resolve();
  assert.equal(calls, 1);
  assert.equal(r.isRestoring, false);
  assert.equal(r.holdsEndOfRib('l2vpn/evpn'), false);
  assert.equal(grCapabilityHex(r, true), '400e' + '0078' + '00018080' + '00018480' + '00194680', 'no R bit after the restoration');
});

test('restart time 0: helper only (no family listed, nothing held), and a capability without flags', () => {
  const r = new LocalRestart(0);
  r.begin({ preserved: new Set(['l2vpn/evpn']), restored: Promise.resolve() });
  assert.equal(r.flags(FAMILIES, false), undefined);
  assert.equal(r.holdsEndOfRib('l2vpn/evpn'), false);
  const open = buildOpen({ ...cfg, gracefulRestartTime: 0 }, r.flags(FAMILIES, false));
  assert.deepEqual(
    open.capabilities.find((c) => c.type === 'graceful-restart'),
    { type: 'graceful-restart', restarting: false, notification: false, time: 0, families: [] },
  );
});
