/**
 * The kernel MPLS driver's lines against the real kernel, in a namespace this test creates, run
 * by the real executor (the shared `ip -batch` runner, one per family, behind the root helper
 * `ip netns exec <ns>`), for what this kernel supports: policy rules (IPv4 and IPv6), routes in
 * table 1001 (next hops without their `encap mpls`), addresses, permanent neighbours, link up and
 * down, sysctl proxy_arp, protocol-19 flushes, and the kernel state reset_state reads.
 *
 * It also checks the oracle: random sequences of next-hop additions and removals, their route
 * lines (encap removed) applied both to the kernel and to the kernel model, give the same table.
 *
 * Not checkable here (no mpls_router, mpls_iptunnel, vrf or GRE in this kernel): VRF devices and
 * enslaving to them, `encap mpls`, MPLS routes, net.mpls sysctls, the GRE device and its
 * neighbours. For those the test asserts that iproute2 parses every line (its batch process does
 * not exit on them) and that the kernel's refusal is the missing feature's.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { GreNeighbours, initializeSteps, resetSteps, vrfSetupSteps, vrfTeardownSteps } from '../../../src/dataplane/linux-mpls/driver-plan.js';
import { IprouteExecutor } from '../../../src/dataplane/linux-mpls/executor.js';
import { ip, stepText, type Step } from '../../../src/dataplane/linux-mpls/steps.js';
import { VrfPlan, type Change } from '../../../src/dataplane/linux-mpls/vrf-plan.js';
import { PrivilegedExec } from '../../../src/dataplane/exec/privileged-exec.js';
import { RootHelper } from '../../../src/dataplane/exec/root-helper.js';
import { run, runOk, Teardown } from '../../scenario/harness/process.js';
import { KernelModel } from './kernel-model.js';

const NS = `bgm${process.pid % 100_000}`;
const LOCAL = '192.0.2.1';
const teardown = new Teardown();
let executor: IprouteExecutor;

function inNs(...args: string[]): Promise<string> {
  return runOk('ip', ['netns', 'exec', NS, ...args]);
}

async function json<T>(...args: string[]): Promise<T[]> {
  const r = await run('ip', ['netns', 'exec', NS, 'ip', '-json', ...args]);
  // A table nothing ever used does not exist yet: empty.
  if (r.code !== 0 && /FIB table does not exist/.test(r.stderr)) return [];
  if (r.code !== 0) throw new Error(`ip -json ${args.join(' ')}: ${r.stderr}`);
  const out = r.stdout.trim();
  return out === '' ? [] : (JSON.parse(out) as T[]);
}

before(async () => {
  await runOk('ip', ['netns', 'add', NS]);
  teardown.add(() => runOk('ip', ['netns', 'del', NS]));
  await inNs('ip', 'link', 'set', 'lo', 'up');
  await inNs('sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1');
  for (const [a, b] of [
    ['eth1', 'eth1p'],
    ['tap1', 'tap1p'],
  ]) {
    await inNs('ip', 'link', 'add', a!, 'type', 'veth', 'peer', 'name', b!);
    await inNs('ip', 'link', 'set', b!, 'up');
  }
  await inNs('ip', 'link', 'set', 'eth1', 'up');
  await inNs('ip', 'addr', 'add', `${LOCAL}/24`, 'dev', 'eth1');
  executor = new IprouteExecutor(new PrivilegedExec(new RootHelper(`ip netns exec ${NS}`)));
  teardown.add(() => executor.close());
});

after(() => teardown.run());

interface RuleJson {
  priority: number;
  iif?: string;
  oif?: string;
  table?: string;
  action?: string;
}

function ruleText(r: RuleJson): string {
  return `${r.priority} ${r.iif !== undefined ? `iif ${r.iif}` : `oif ${r.oif}`} ${r.action ?? `table ${r.table}`}`;
}

const VRF_RULES = ['100 iif bvrf-1 table 1001', '100 oif bvrf-1 table 1001', '101 iif bvrf-1 unreachable', '101 oif bvrf-1 unreachable'];

test('VRF rules for real: set up twice (no duplicate, no error), read back by reset_state, removed by teardown', async () => {
  // Everything of the set-up but the VRF device itself (no vrf module here).
  const steps = vrfSetupSteps('bvrf-1', 1001).filter((s) => s.kind === 'ip' && s.args[0] === 'rule');
  for (let round = 0; round < 2; round++) {
    const results = await executor.run(steps);
    assert.deepEqual(results.filter((r) => !r.ok), [], `round ${round}`);
  }
  const own = async (family: string[]): Promise<string[]> => (await json<RuleJson>(...family, 'rule', 'show')).filter((r) => r.iif ?? r.oif).map(ruleText);
  assert.deepEqual(await own([]), VRF_RULES);
  assert.deepEqual(await own(['-6']), VRF_RULES);
  const seen = await executor.observe();
  assert.deepEqual(
    resetSteps({ ...seen, links: [] }).map(stepText).slice(0, 4),
    ['ip rule flush iif bvrf-1', 'ip rule flush oif bvrf-1', 'ip -6 rule flush iif bvrf-1', 'ip -6 rule flush oif bvrf-1'],
  );
  const results = await executor.run(vrfTeardownSteps('bvrf-1', 1001));
  // Only the device deletion fails (there is none); the flushes succeed (the rules made table 1001).
  assert.deepEqual(results.map((r) => r.ok), [false, true, true, true, true, true]);
  assert.match(results[0]!.error!, /Cannot find device "bvrf-1"/);
  assert.deepEqual(await own([]), []);
  assert.deepEqual(await own(['-6']), []);
});

/** A route line without its `encap mpls <label>` words (this kernel has no mpls_iptunnel). */
function withoutEncap(s: Step): Step {
  if (s.kind !== 'ip') return s;
  const args: string[] = [];
  for (let i = 0; i < s.args.length; i++) {
    if (s.args[i] === 'encap') i += 2;
    else args.push(s.args[i]!);
  }
  return { ...s, args };
}

interface RouteJson {
  dst: string;
  protocol: string;
  gateway?: string;
  dev?: string;
  nexthops?: { gateway?: string; dev: string }[];
}

function kernelTable(routes: RouteJson[]): Record<string, string[]> {
  const hop = (h: { gateway?: string; dev?: string }): string => `${h.gateway ?? '-'} ${h.dev}`;
  // `ip route` prints a host route without its /32.
  const dst = (d: string): string => (d === 'default' || d.includes('/') ? d : `${d}/32`);
  return Object.fromEntries(routes.map((r) => [`${dst(r.dst)} proto ${r.protocol}`, (r.nexthops ?? [r]).map(hop).sort()]));
}

function modelTable(model: KernelModel): Record<string, string[]> {
  return Object.fromEntries(
    [...(model.routes.get(1001) ?? [])].map(([dst, r]) => [`${dst} proto ${r.proto}`, r.nexthops.map((h) => `${h.via ?? '-'} ${h.dev}`).sort()]),
  );
}

test('the oracle against the kernel: random next-hop additions and removals, their route lines on both, the same table', async () => {
  const prefixes = ['10.1.0.0/24', '10.2.0.0/16', '0.0.0.0/0', '10.3.0.7/32'];
  const pes = [LOCAL, '192.0.2.2', '192.0.2.3', '192.0.2.4'];
  const op = fc.record({ add: fc.boolean(), prefix: fc.nat(prefixes.length - 1), pe: fc.nat(pes.length - 1), label: fc.constantFrom(200, 201) });
  const starts = executor.runners.inet.starts;
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
      await executor.run([ip('route flush table 1001', 'absent-ok')]);
      const model = new KernelModel(['eth1']);
      const plan = new VrfPlan({ vrfDevice: 'bvrf-1', table: 1001, gateway: null, mode: { kind: 'bare', mplsInterface: 'eth1' }, localAddress: LOCAL });
      for (const o of ops) {
        const nh = { pe: pes[o.pe]!, label: o.label };
        const changes: Change[] = o.add ? plan.addNextHop(prefixes[o.prefix]!, nh) : plan.removeNextHop(prefixes[o.prefix]!, nh);
        const steps = changes.flatMap((c) => c.steps).map(withoutEncap);
        const real = await executor.run(steps);
        const modelled = await model.run(steps);
        assert.deepEqual(real.map((r) => r.ok), modelled.map((r) => r.ok), `outcomes of ${steps.map(stepText).join(' | ')}: ${JSON.stringify(real)}`);
        for (const c of changes) plan.applied(c);
        assert.deepEqual(kernelTable(await json<RouteJson>('route', 'show', 'table', '1001')), modelTable(model), `after ${JSON.stringify(o)}`);
      }
    }),
    { numRuns: 15 },
  );
  assert.equal(executor.runners.inet.starts, Math.max(starts, 1), 'one ip batch process for all of it');
});

test('a port plugged and unplugged for real, but for what needs a VRF device or MPLS', async () => {
  const plan = new VrfPlan({ vrfDevice: 'bvrf-1', table: 1001, gateway: { address: '10.0.0.254', length: 24 }, mode: { kind: 'bare', mplsInterface: 'eth1' }, localAddress: LOCAL });
  const plugChanges = plan.plug('tap1', { mac: '52:54:00:00:00:01', ip: '10.0.0.1', label: 100 });
  // `link set tap1 master bvrf-1` cannot run here: no VRF device (and iproute2 exits on a master
  // it cannot find, which would end the batch process: the runner would restart it).
  const all = plugChanges.flatMap((c) => c.steps);
  assert.equal(stepText(all[0]!), 'ip link set tap1 master bvrf-1');
  const plug = all.slice(1);
  const r = await executor.run(plug);
  const failed = plug.map((s, i) => [stepText(s), r[i]!.error] as const).filter((_, i) => !r[i]!.ok);
  assert.deepEqual(
    failed.map(([l]) => l),
    ['ip -f mpls route replace 100 via inet 10.0.0.1 dev tap1 proto 19'],
  );
  assert.match(failed[0]![1]!, /Operation not supported|Address family not supported/);
  const link = (await json<{ flags: string[] }>('link', 'show', 'dev', 'tap1'))[0]!;
  assert.ok(link.flags.includes('UP'));
  const addr = (await json<{ addr_info: { local: string; prefixlen: number; broadcast?: string }[] }>('addr', 'show', 'dev', 'tap1'))[0]!.addr_info;
  assert.deepEqual(addr.map((a) => [a.local, a.prefixlen, a.broadcast]), [['10.0.0.254', 24, '10.0.0.255']]);
  assert.deepEqual(await json('neigh', 'show', 'dev', 'tap1'), [{ dst: '10.0.0.1', lladdr: '52:54:00:00:00:01', state: ['PERMANENT'] }]);
  for (const k of ['proxy_arp', 'proxy_arp_pvlan']) assert.equal((await inNs('cat', `/proc/sys/net/ipv4/conf/tap1/${k}`)).trim(), '1');
  // Replaying the plug's lines (a retry) changes nothing and fails nothing more: `replace` everywhere.
  const again = await executor.run(plug);
  assert.deepEqual(again.map((x) => x.ok), r.map((x) => x.ok));
  assert.equal((await json<{ addr_info: unknown[] }>('addr', 'show', 'dev', 'tap1'))[0]!.addr_info.length, 1);

  // As if every plug command had worked, the unplug's commands.
  for (const c of plugChanges) plan.applied(c);
  const unplug = plan.unplug('tap1', '52:54:00:00:00:01', '10.0.0.1', 100).flatMap((c) => c.steps);
  const u = await executor.run(unplug);
  assert.deepEqual(
    unplug.map(stepText).filter((_, i) => !u[i]!.ok),
    ['ip -f mpls route del 100'],
    'every removal but the MPLS route works here (nomaster of a port without master is accepted)',
  );
  assert.ok(unplug.map(stepText).includes('ip link set tap1 nomaster'));
  assert.ok(!(await json<{ flags: string[] }>('link', 'show', 'dev', 'tap1'))[0]!.flags.includes('UP'));
  assert.deepEqual((await json<{ addr_info: unknown[] }>('addr', 'show', 'dev', 'tap1'))[0]!.addr_info, []);
  assert.deepEqual(await json('neigh', 'show', 'dev', 'tap1'), []);
  for (const k of ['proxy_arp', 'proxy_arp_pvlan']) assert.equal((await inNs('cat', `/proc/sys/net/ipv4/conf/tap1/${k}`)).trim(), '0');
});

test('executor reads: links (with their master), a missing link; sysctl written by the daemon itself when it needs no root helper', async () => {
  assert.equal(await executor.linkExists('tap1'), true);
  assert.equal(await executor.linkExists('nonexistent0'), false);
  await inNs('ip', 'link', 'add', 'bgmbr', 'type', 'bridge');
  await inNs('ip', 'link', 'set', 'eth1p', 'master', 'bgmbr');
  const seen = await executor.observe();
  assert.deepEqual(seen.links.find((l) => l.ifname === 'eth1p'), { ifname: 'eth1p', master: 'bgmbr' });
  assert.deepEqual(seen.links.find((l) => l.ifname === 'tap1'), { ifname: 'tap1' });
  await inNs('ip', 'link', 'del', 'bgmbr');
  // The daemon as root inside the namespace, root_helper empty: /proc/sys written directly.
  const script = `
    import { IprouteExecutor } from ${JSON.stringify(new URL('../../../src/dataplane/linux-mpls/executor.js', import.meta.url).href)};
    import { PrivilegedExec } from ${JSON.stringify(new URL('../../../src/dataplane/exec/privileged-exec.js', import.meta.url).href)};
    import { RootHelper } from ${JSON.stringify(new URL('../../../src/dataplane/exec/root-helper.js', import.meta.url).href)};
    import { sysctl } from ${JSON.stringify(new URL('../../../src/dataplane/linux-mpls/steps.js', import.meta.url).href)};
    const ex = new IprouteExecutor(new PrivilegedExec(new RootHelper('')));
    const r = await ex.run([sysctl(['net', 'ipv4', 'conf', 'tap1', 'proxy_arp_pvlan'], 1), sysctl(['net', 'ipv4', 'conf', 'nonexistent0', 'proxy_arp'], 1)]);
    await ex.close();
    console.log(JSON.stringify(r));`;
  const out = await inNs(process.execPath, '--input-type=module', '-e', script);
  const r = JSON.parse(out) as { ok: boolean; error?: string }[];
  assert.equal(r[0]!.ok, true);
  assert.equal(r[1]!.ok, false);
  assert.match(r[1]!.error!, /ENOENT/);
  assert.equal((await inNs('cat', '/proc/sys/net/ipv4/conf/tap1/proxy_arp_pvlan')).trim(), '1');
  await inNs('sysctl', '-qw', 'net.ipv4.conf.tap1.proxy_arp_pvlan=0');
});

test('reset_state flushes protocol-19 routes of every table for real, and leaves the others', async () => {
  await executor.run([
    ip('route replace 10.9.0.0/24 table 1003 proto 19 via 192.0.2.9 dev eth1'),
    ip('route replace 10.9.1.0/24 table 1004 proto 19 via 192.0.2.9 dev eth1'),
    ip('route replace 10.8.0.0/24 table 1003 proto 4 via 192.0.2.9 dev eth1'),
  ]);
  const steps = resetSteps(await executor.observe());
  assert.deepEqual(steps.map(stepText), ['ip route flush table all proto 19', 'ip -f mpls route flush proto 19']);
  const r = await executor.run(steps);
  assert.deepEqual(r.map((x) => x.ok), [true, true]);
  assert.deepEqual(await json('route', 'show', 'table', '1004'), []);
  assert.deepEqual((await json<{ dst: string }>('route', 'show', 'table', '1003')).map((x) => x.dst), ['10.8.0.0/24']);
});

test('lines this kernel cannot run: iproute2 parses each (its batch process does not exit) and the kernel refuses for the missing feature', async () => {
  const plan = new VrfPlan({ vrfDevice: 'bvrf-2', table: 1002, gateway: null, mode: { kind: 'bare', mplsInterface: 'eth1' }, localAddress: LOCAL });
  const gre = new VrfPlan({ vrfDevice: 'bvrf-3', table: 1003, gateway: null, mode: { kind: 'gre', device: 'bmpls-gre' }, localAddress: LOCAL });
  const steps: Step[] = [
    ...initializeSteps({ kind: 'bare', mplsInterface: 'eth1' }, LOCAL).filter((s) => s.kind === 'sysctl' && s.path[1] === 'mpls'),
    ...initializeSteps({ kind: 'gre', device: 'bmpls-gre' }, LOCAL).filter((s) => s.kind === 'ip' && s.args[1] === 'add'),
    ...vrfSetupSteps('bvrf-2', 1002).filter((s) => s.kind === 'ip' && s.args[1] === 'add' && s.args[0] === 'link'),
    ...plan.addNextHop('10.1.0.0/24', { pe: '192.0.2.2', label: 200 }).flatMap((c) => c.steps),
    ...plan.addNextHop('10.1.0.0/24', { pe: '192.0.2.3', label: 300 }).flatMap((c) => c.steps),
    ...plan.addNextHop('10.2.0.0/24', { pe: LOCAL, label: 100 }).flatMap((c) => c.steps),
    ...new GreNeighbours('bmpls-gre').use('192.0.2.2', 'bvrf-3 10.1.0.0/24'),
    ...gre.addNextHop('10.1.0.0/24', { pe: '192.0.2.2', label: 200 }).flatMap((c) => c.steps),
    ...plan.plug('tap1', { mac: '52:54:00:00:00:01', ip: '10.0.0.1', label: 100 }).filter((c) => c.resource.kind === 'pop').flatMap((c) => c.steps),
    ...new VrfPlan(plan.config).removeSteps({ kind: 'pop', label: 100, ip: '10.0.0.1', ifname: 'tap1' }),
  ];
  const results = await executor.run(steps);
  const refusals = /Operation not supported|lwt encapsulation type not supported|Unknown device type|Address family not supported|cannot stat/;
  const seen = steps.map((s, i) => [stepText(s), results[i]!] as const);
  for (const [line, r] of seen) {
    assert.equal(r.ok, false, `${line} should not work on this kernel`);
    // Lines naming the GRE device fail earlier: this kernel could not create it.
    assert.match(r.error!, line.includes('bmpls-gre') && !line.includes('link add') ? /Cannot find device "bmpls-gre"/ : refusals, `${line}: ${r.error}`);
    // A line iproute2 could not parse would end its process (the runner reports "-batch exited").
    assert.doesNotMatch(r.error!, /exited|unexpected end|Error: argument|is unknown|Garbage/, line);
  }
  assert.deepEqual(
    seen.map(([l]) => l),
    [
      'sysctl -w net.mpls.platform_labels=1048575',
      'sysctl -w net.mpls.conf.eth1.input=1',
      'sysctl -w net.mpls.conf.lo.input=1',
      'ip link add bmpls-gre type gre local 192.0.2.1 ttl 64',
      'ip link add bvrf-2 type vrf table 1002',
      'ip route replace 10.1.0.0/24 table 1002 proto 19 encap mpls 200 via 192.0.2.2 dev eth1',
      'ip route replace 10.1.0.0/24 table 1002 proto 19 nexthop encap mpls 200 via 192.0.2.2 dev eth1 nexthop encap mpls 300 via 192.0.2.3 dev eth1',
      'ip route replace 10.2.0.0/24 table 1002 proto 19 encap mpls 100 dev lo',
      'ip neigh replace 192.0.2.2 lladdr 192.0.2.2 dev bmpls-gre nud permanent',
      'ip route replace 10.1.0.0/24 table 1003 proto 19 encap mpls 200 via 192.0.2.2 dev bmpls-gre onlink',
      'ip -f mpls route replace 100 via inet 10.0.0.1 dev tap1 proto 19',
      'ip -f mpls route del 100',
    ],
  );
});
