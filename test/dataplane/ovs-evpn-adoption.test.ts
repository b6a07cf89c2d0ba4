/**
 * The `ovs` E-VPN driver at daemon start, against a private userspace Open vSwitch in a namespace
 * this test creates: whether it found flows of ours a previous run left in br-tun (what the
 * daemon announces as forwarding state kept, RFC 4724 F bit); the agent's own flows do not count;
 * with `adoption_hold_time = 0` ours are removed at once and nothing is announced.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RootHelper } from '../../src/dataplane/exec/root-helper.js';
import { OvsEvpnDriver } from '../../src/dataplane/ovs-evpn/ovs-evpn-driver.js';
import { memoryLogger } from '../../src/util/logger.js';
import { PrivateOvs } from '../scenario/harness/ovs.js';
import { runOk, Teardown } from '../scenario/harness/process.js';

const NS = `bgr${process.pid % 100_000}o`;
/** Our cookie: 0x626770 ("bgp") in the top bits, the instance id below (evi-flows.ts). */
const OUR_COOKIE = `0x${((0x626770n << 40n) | 3n).toString(16)}`;

test('ovs E-VPN driver: adoptState tells whether flows of ours were found (and kept)', { timeout: 60_000 }, async () => {
  const td = new Teardown();
  try {
    await runOk('ip', ['netns', 'add', NS]);
    td.add(() => runOk('ip', ['netns', 'del', NS]));
    const ovs = await PrivateOvs.start(td, NS);
    await ovs.addBridge('br-tun');
    await ovs.ofctl('add-flow', 'br-tun', 'table=0,priority=0,actions=drop'); // the agent's
    const driver = (hold: number): OvsEvpnDriver => {
      const d = new OvsEvpnDriver('br-tun', '10.190.9.1', { rootHelper: new RootHelper(`env OVS_RUNDIR=${ovs.dir} ip netns exec ${NS}`), ovsdb: { connection: ovs.dbSock, timeout: 10 }, adoptionHoldTime: hold }, {}, memoryLogger());
      td.add(() => d.close());
      return d;
    };
    const fresh = driver(30);
    await fresh.start();
    assert.equal(await fresh.adoptState(), false, 'only the agent’s flows: nothing of ours to keep');

    await ovs.ofctl('add-flow', 'br-tun', `table=22,priority=1,cookie=${OUR_COOKIE},dl_vlan=5,actions=drop`);
    const restarted = driver(30);
    await restarted.start();
    assert.equal(await restarted.adoptState(), true, 'a flow of ours left by a previous run');
    assert.equal(await restarted.adoptState(), true, 'idempotent: the first call counts');
    assert.equal((await ovs.flows('br-tun')).length, 2, 'kept, not flushed');

    const reset = driver(0);
    await reset.start();
    assert.equal(await reset.adoptState(), false, 'adoption_hold_time 0: reset, nothing kept');
    assert.deepEqual((await ovs.flows('br-tun')).map((f) => f.match), [''], 'only the agent’s flow is left');
  } finally {
    await td.run();
  }
});
