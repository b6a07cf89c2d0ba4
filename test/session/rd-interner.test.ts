import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RdInterner } from '../../src/session/rd-interner.js';
import type { Nlri } from '../../src/wire/nlri/registry.js';
import { fromMplsLabel } from '../../src/wire/label.js';

test('RD interner: equal RDs of received NLRI share one object; types kept apart; bounded', () => {
  const rds = new RdInterner(3);
  const a: Nlri = { kind: 'vpn', labels: [fromMplsLabel(16)], rd: { type: 1, value: '127.0.0.1:5' }, prefix: '10.0.0.1/32' };
  const b: Nlri = { kind: 'vpn', labels: [fromMplsLabel(16)], rd: { type: 1, value: '127.0.0.1:5' }, prefix: '10.0.0.2/32' };
  rds.share(a);
  rds.share(b);
  assert.equal(a.kind === 'vpn' && b.kind === 'vpn' && a.rd === b.rd, true, 'the second NLRI got the first one\'s RD object');
  // Same text, another type (2-octet AS 64512:1 versus 4-octet AS 64512:1): not merged.
  const t0 = { type: 0, value: '64512:1' };
  const t2 = { type: 2, value: '64512:1' };
  assert.equal(rds.intern(t0), t0);
  assert.equal(rds.intern(t2), t2);
  assert.equal(rds.intern({ type: 0, value: '64512:1' }), t0);
  // NLRI without an RD are left alone.
  const p: Nlri = { kind: 'prefix', prefix: '10.0.0.0/8' };
  rds.share(p);
  assert.deepEqual(p, { kind: 'prefix', prefix: '10.0.0.0/8' });
  // Past the bound the table starts again: at most 3 entries kept.
  for (let i = 0; i < 10; i++) rds.intern({ type: 1, value: `127.0.0.1:${100 + i}` });
  assert.ok(rds.size <= 3);
});
