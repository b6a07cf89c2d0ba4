import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdjRibOut, type OutRoute } from '../../src/session/adj-rib-out.js';
import type { PathAttribute } from '../../src/wire/attributes/registry.js';
import { DEFAULT_CONTEXT, contextWith } from '../../src/wire/context.js';
import { routeTarget } from '../../src/wire/ext-communities/index.js';
import { fromMplsLabel } from '../../src/wire/label.js';
import { decodeMessage } from '../../src/wire/message.js';
import type { VpnPrefixNlri } from '../../src/wire/nlri/vpn-prefix.js';
import { isEndOfRib, mpReach, mpUnreach, type UpdateMessage } from '../../src/wire/update.js';

const A: PathAttribute[] = [
  { type: 'origin', value: 'igp' },
  { type: 'as-path', segments: [] },
  { type: 'local-pref', value: 100 },
  { type: 'ext-communities', communities: [routeTarget('64512:1')] },
];
const B: PathAttribute[] = [...A.slice(0, 3), { type: 'ext-communities', communities: [routeTarget('64512:2')] }];

function route(i: number, attrs = A, label = 16): OutRoute {
  const nlri: VpnPrefixNlri = { kind: 'vpn', labels: [fromMplsLabel(label)], rd: { type: 1, value: '192.0.2.1:1' }, prefix: `10.${i >> 8}.${i & 255}.0/24` };
  return { afi: 1, safi: 128, key: nlri.prefix, nlri, attributes: attrs, nextHop: ['192.0.2.1'] };
}

function decode(bufs: Buffer[], ctx = DEFAULT_CONTEXT): UpdateMessage[] {
  return bufs.map((b) => {
    const m = decodeMessage(b, ctx).message;
    assert.equal(m.type, 'update');
    return m;
  });
}

test('packs routes with equal attributes into as few UPDATEs as the 4096-byte limit allows', () => {
  const adj = new AdjRibOut(DEFAULT_CONTEXT);
  for (let i = 0; i < 1000; i++) adj.advertise(route(i, i % 2 ? A : B));
  const bufs = adj.nextBatch(100);
  assert.ok(bufs.every((b) => b.length <= 4096));
  const msgs = decode(bufs);
  const total = msgs.reduce((n, m) => n + (mpReach(m)?.nlri.length ?? 0), 0);
  assert.equal(total, 1000);
  assert.ok(msgs.length <= 6, `${msgs.length} messages for 1000 routes in 2 attribute groups`);
  assert.equal(adj.pendingCount, 0);
  assert.equal(adj.sentCount, 1000);
  assert.deepEqual(adj.nextBatch(10), []);
});

test('extended messages pack more per UPDATE', () => {
  const ctx = contextWith({ extendedMessage: true });
  const adj = new AdjRibOut(ctx);
  for (let i = 0; i < 5000; i++) adj.advertise(route(i));
  const bufs = adj.nextBatch(100);
  assert.ok(bufs.length <= 2 && bufs.every((b) => b.length <= 65535), `${bufs.length} messages`);
  assert.equal(decode(bufs, ctx).reduce((n, m) => n + (mpReach(m)?.nlri.length ?? 0), 0), 5000);
});

test('coalesces changes, suppresses duplicates, withdraws exactly what was advertised', () => {
  const adj = new AdjRibOut(DEFAULT_CONTEXT);
  adj.advertise(route(1));
  adj.advertise(route(1, A, 17)); // replaces the pending one
  adj.withdraw(1, 128, route(2).key); // never advertised: nothing to send
  let msgs = decode(adj.nextBatch(10));
  assert.equal(msgs.length, 1);
  assert.deepEqual(mpReach(msgs[0]!)?.nlri, [route(1, A, 17).nlri]);
  adj.advertise(route(1, A, 17));
  assert.deepEqual(adj.nextBatch(10), [], 'the peer already has it');
  adj.advertise(route(3));
  adj.withdraw(1, 128, route(3).key);
  assert.deepEqual(adj.nextBatch(10), [], 'advertised then withdrawn before sending: nothing');
  adj.withdraw(1, 128, route(1).key);
  msgs = decode(adj.nextBatch(10));
  assert.deepEqual(mpUnreach(msgs[0]!)?.nlri, [route(1, A, 17).nlri], 'the withdrawal names the NLRI as advertised');
  assert.equal(msgs[0]!.attributes.length, 1, 'MP_UNREACH alone');
});

test('End-of-RIB after the family content; held families wait until released', () => {
  const adj = new AdjRibOut(DEFAULT_CONTEXT);
  adj.expectEndOfRib(1, 132);
  adj.expectEndOfRib(1, 128);
  adj.hold(1, 128);
  adj.advertise(route(1));
  let msgs = decode(adj.nextBatch(10));
  assert.deepEqual(msgs.map((m) => isEndOfRib(m)), [{ afi: 1, safi: 132 }], 'RTC End-of-RIB first; VPN held');
  adj.release(1, 128);
  msgs = decode(adj.nextBatch(10));
  assert.equal(mpReach(msgs[0]!)?.nlri.length, 1);
  assert.deepEqual(isEndOfRib(msgs[1]!), { afi: 1, safi: 128 });
  assert.deepEqual(adj.nextBatch(10), []);
});

test('route refresh resends the family; a withdrawal meanwhile still goes out', () => {
  const adj = new AdjRibOut(DEFAULT_CONTEXT);
  adj.advertise(route(1));
  adj.advertise(route(2));
  adj.nextBatch(10);
  adj.resend(1, 128);
  adj.withdraw(1, 128, route(2).key);
  const msgs = decode(adj.nextBatch(10));
  assert.deepEqual(msgs.map((m) => [mpReach(m)?.nlri.length ?? 0, mpUnreach(m)?.nlri.length ?? 0]), [[1, 0], [0, 1]]);
});
