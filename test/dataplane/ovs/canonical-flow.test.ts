/**
 * Reading flows back as OVS prints them (dump-flows, diff-flows, dump-groups), and the identifier
 * pools of the OVS drivers: the lines below were printed by ovs-ofctl 3.1.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalDeleteLine, canonicalText, parseDiffFlow, parseDumpFlow, parseGroups } from '../../../src/dataplane/ovs/canonical-flow.js';
import { IdPool } from '../../../src/dataplane/ovs/id-pool.js';

test('dump-flows lines: table, cookie, priority, match, actions, packets; statistics left out', () => {
  const f = parseDumpFlow(
    ' cookie=0x4, duration=59.771s, table=2, n_packets=57, n_bytes=37854, idle_age=0, priority=36864,ip,reg0=0x4,nw_dst=10.99.0.2 actions=group:1',
  );
  assert.deepEqual(f, { table: 2, cookie: 4n, actions: 'group:1', packets: 57, priority: 36864, match: ['ip', 'reg0=0x4', 'nw_dst=10.99.0.2'] });
  assert.deepEqual(parseDumpFlow(' cookie=0x0, duration=81.452s, table=0, n_packets=56, n_bytes=19620, idle_age=0, priority=0 actions=NORMAL'), {
    table: 0,
    cookie: 0n,
    actions: 'NORMAL',
    packets: 56,
    priority: 0,
    match: [],
  });
  assert.equal(parseDumpFlow('OFPST_FLOW reply (OF1.5) (xid=0x6):'), undefined);
  assert.equal(canonicalDeleteLine(f), 'delete_strict table=2,cookie=0x4/-1,priority=36864,ip,reg0=0x4,nw_dst=10.99.0.2');
  assert.equal(canonicalText(f), 'table=2,priority=36864,ip,reg0=0x4,nw_dst=10.99.0.2 cookie=0x4 actions=group:1');
});

test('diff-flows lines: table 0 and cookie 0 left out by OVS', () => {
  assert.deepEqual(parseDiffFlow('table=2 priority=36760,ip,reg0=0x8,nw_dst=10.8.2.0/24 cookie=0x8 actions=group:2'), {
    table: 2,
    cookie: 8n,
    actions: 'group:2',
    priority: 36760,
    match: ['ip', 'reg0=0x8', 'nw_dst=10.8.2.0/24'],
  });
  assert.deepEqual(parseDiffFlow('priority=36864,mpls,in_port=1 actions=resubmit(,1)'), { table: 0, cookie: 0n, actions: 'resubmit(,1)', priority: 36864, match: ['mpls', 'in_port=1'] });
  assert.deepEqual(parseDiffFlow('priority=0 actions=NORMAL'), { table: 0, cookie: 0n, actions: 'NORMAL', priority: 0, match: [] });
});

test('dump-groups: group id → its line', () => {
  const g = parseGroups(
    'OFPST_GROUP_DESC reply (OF1.5) (xid=0x2):\n group_id=51,type=select,bucket=bucket_id:1,actions=output:1\n group_id=7,type=all,bucket=bucket_id:0,actions=pop_vlan,output:2\n',
  );
  assert.deepEqual([...g.keys()], [51, 7]);
  assert.equal(g.get(7), 'group_id=7,type=all,bucket=bucket_id:0,actions=pop_vlan,output:2');
});

test('id pools: never-used ids first, then the oldest released; hints; reserved ids skipped until adopted or unreserved', () => {
  const p = new IdPool(1, 5);
  p.reserve(2);
  assert.deepEqual([p.take(), p.take()], [1, 3]);
  assert.equal(p.take(5), 5, 'a free hint');
  assert.equal(p.take(3), 4, 'a used hint: the next free');
  p.release(3);
  p.release(1);
  assert.equal(p.take(), 3, 'oldest released first once the cursor is past the end');
  assert.equal(p.adopt(2), true);
  assert.equal(p.adopt(2), false);
  assert.equal(p.take(), 1);
  assert.throws(() => p.take(), /no free identifier/);
  p.release(2);
  p.reserve(2);
  p.unreserve(2);
  assert.equal(p.take(), 2);
});
