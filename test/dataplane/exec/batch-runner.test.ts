/**
 * The batch runner and one-shot commands against the real `ip` and `bridge`, inside a namespace
 * this test creates (`ip netns exec <ns>` used as the root helper, which also exercises the root
 * helper prefix). Checked: the outcome of every line, one process across many chunks, chunks
 * submitted concurrently, lines that make iproute2 exit (that line fails, the next ones run), unsafe lines refused, and a rate far above one process per entry.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BatchLineError, BatchRunner } from '../../../src/dataplane/exec/batch-runner.js';
import { CommandError, failureText, runCommand } from '../../../src/dataplane/exec/command.js';
import { PrivilegedExec } from '../../../src/dataplane/exec/privileged-exec.js';
import { RootHelper } from '../../../src/dataplane/exec/root-helper.js';
import { run, runOk } from '../../scenario/harness/process.js';

const NS = `bglx${process.pid % 100_000}`;
let exec: PrivilegedExec;

before(async () => {
  await runOk('ip', ['netns', 'add', NS]);
  await runOk('ip', ['netns', 'exec', NS, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1']);
  exec = new PrivilegedExec(new RootHelper(`ip netns exec ${NS}`));
});

after(async () => {
  await exec?.close();
  await run('ip', ['netns', 'del', NS]);
});

test('every line has its outcome; failures carry the iproute2 error text; one process for all chunks', async () => {
  const r1 = await exec.ip.run(['link add bx0 type bridge', 'link add bx0 type bridge', 'link set nonexistent up', 'link set bx0 up']);
  assert.deepEqual(
    r1.map((r) => [r.line, r.ok, r.error]),
    [
      ['link add bx0 type bridge', true, undefined],
      ['link add bx0 type bridge', false, 'RTNETLINK answers: File exists'],
      ['link set nonexistent up', false, 'Cannot find device "nonexistent"'],
      ['link set bx0 up', true, undefined],
    ],
  );
  const r2 = await exec.bridge.run(['fdb add 52:54:00:00:00:01 dev bx0 self', 'fdb add 52:54:00:00:00:02 dev nonexistent']);
  assert.deepEqual(r2.map((r) => r.ok), [true, false]);
  assert.match(r2[1]!.error!, /Cannot find device|does not exist/);
  const r3 = await exec.ip.run(['link set bx0 down']);
  assert.equal(r3[0]!.ok, true);
  // A missing device is run once more in a fresh process (its name might have been cached).
  assert.equal(exec.ip.starts, 2, 'one ip process for every chunk, and one after the name error');
  assert.equal(exec.bridge.starts, 2);
  const fdb = await exec.json<{ mac: string }>(['bridge', '-json', 'fdb', 'show', 'dev', 'bx0']);
  assert.ok(fdb.some((e) => e.mac === '52:54:00:00:00:01'), JSON.stringify(fdb));
});

test('chunks submitted without waiting resolve in order, each with its own outcomes', async () => {
  const chunks = await Promise.all([
    exec.ip.run(['link add bx1 type bridge']),
    exec.ip.run(['link add bx1 type bridge', 'link add bx2 type bridge']),
    exec.ip.run(['link del bx1', 'link del bx1', 'link del bx2']),
  ]);
  assert.deepEqual(chunks.map((c) => c.map((r) => r.ok)), [[true], [false, true], [true, false, true]]);
});

test('a line that makes iproute2 exit: that line fails with its text and the exit status, the lines after it run in a new process', async () => {
  const starts = exec.ip.starts;
  const r = await exec.ip.run(['link add bx3 type bridge', 'link add vx9 type vxlan id notanumber', 'link add bx4 type bridge']);
  assert.deepEqual(r.map((x) => x.ok), [true, false, true], JSON.stringify(r));
  assert.match(r[1]!.error!, /^Error: argument "notanumber" is wrong: invalid id \(ip netns exec \S+ ip -batch exited \(status 255\)\)$/);
  assert.equal(exec.ip.starts, starts + 1);
  const links = await exec.json<{ ifname: string }>(['ip', '-json', 'link', 'show']);
  assert.ok(links.some((l) => l.ifname === 'bx3') && links.some((l) => l.ifname === 'bx4'));
  // `ip neigh` exits on any kernel refusal (IPv6 is off here): the next entries are not held back.
  await runOk('ip', ['netns', 'exec', NS, 'ip', 'link', 'add', 'vxn', 'type', 'vxlan', 'id', '11', 'dstport', '4789']);
  const n = await exec.ip.run([
    'neigh replace 10.9.0.1 lladdr 52:54:00:00:01:01 dev vxn nud permanent',
    'neigh replace fd00::1 lladdr 52:54:00:00:01:02 dev vxn nud permanent',
    'neigh replace 10.9.0.3 lladdr 52:54:00:00:01:03 dev vxn nud permanent',
  ]);
  assert.deepEqual(n.map((x) => x.ok), [true, false, true]);
  assert.match(n[1]!.error!, /IPv6 is disabled on this device/);
  const neigh = await exec.json<{ dst: string }>(['ip', '-json', 'neigh', 'show', 'dev', 'vxn']);
  assert.deepEqual(neigh.map((x) => x.dst).sort(), ['10.9.0.1', '10.9.0.3']);
});

test('a device deleted and re-created under the same name behind the process (stale name cache): the line runs again in a fresh process', async () => {
  const inNs = (...a: string[]): Promise<string> => runOk('ip', ['netns', 'exec', NS, ...a]);
  const plug = async (): Promise<void> => {
    await inNs('ip', 'link', 'add', 'rx0', 'type', 'veth', 'peer', 'name', 'rx0p');
    await inNs('ip', 'link', 'set', 'rx0', 'master', 'brx');
  };
  await inNs('ip', 'link', 'add', 'brx', 'type', 'bridge');
  await plug();
  assert.equal((await exec.bridge.run(['fdb replace 52:54:00:00:02:01 dev rx0 master static']))[0]!.ok, true);
  await inNs('ip', 'link', 'del', 'rx0');
  await plug();
  const starts = exec.bridge.starts;
  const r = await exec.bridge.run(['fdb replace 52:54:00:00:02:02 dev rx0 master static']);
  assert.deepEqual(r.map((x) => x.ok), [true], JSON.stringify(r));
  assert.equal(exec.bridge.starts, starts + 1, 'a fresh process');
  const fdb = await exec.json<{ mac: string }>(['bridge', '-json', 'fdb', 'show', 'dev', 'rx0']);
  assert.ok(fdb.some((e) => e.mac === '52:54:00:00:02:02'));
});

test('lines iproute2 would parse as syntax are refused before anything runs', () => {
  for (const bad of ['link set "x" up', 'link del a#b', 'link del a\\', 'link del a\nlink del b', '  ']) {
    assert.throws(() => exec.ip.run([bad]), BatchLineError, bad);
  }
});

test('a missing program fails every line with a clear reason', async () => {
  const r = new BatchRunner(['/nonexistent/ip']);
  const out = await r.run(['link show']);
  assert.equal(out[0]!.ok, false);
  assert.match(out[0]!.error!, /cannot run \/nonexistent\/ip/);
});

test('one-shot commands: acceptable exit codes, errors with the command line and stderr', async () => {
  const ok = await runCommand(['ip', 'netns', 'exec', NS, 'ip', 'link', 'show', 'dev', 'nonexistent'], { acceptable: [0, 1] });
  assert.equal(ok.status, 1);
  await assert.rejects(exec.run(['ip', 'link', 'show', 'dev', 'nonexistent']), (e: unknown) => {
    assert.ok(e instanceof CommandError);
    assert.equal(e.message, `Exit code 1 when running 'ip netns exec ${NS} ip link show dev nonexistent': Device "nonexistent" does not exist.`);
    return true;
  });
  await assert.rejects(runCommand(['/nonexistent/cmd']), /Exit code 127 when running '\/nonexistent\/cmd': spawn \/nonexistent\/cmd ENOENT$/);
  // A program that fails silently: the command line only (Node's own message would repeat it).
  await assert.rejects(runCommand(['false']), (e: unknown) => {
    assert.ok(e instanceof CommandError);
    assert.equal(e.message, "Exit code 1 when running 'false'");
    assert.equal(e.result.stderr, '');
    return true;
  });
});

test('failure text: the original words, the first non-blank stderr line only', () => {
  assert.equal(failureText(2, ['ip', 'link', 'add', 'x']), "Exit code 2 when running 'ip link add x'");
  assert.equal(failureText(1, ['ip'], '\n  Error: one\nsecond line\n'), "Exit code 1 when running 'ip': Error: one");
  assert.equal(failureText(1, ['ip'], ' \n'), "Exit code 1 when running 'ip'");
});

test('10,000 FDB entries through one bridge process, far faster than one process per entry', async () => {
  await runOk('ip', ['netns', 'exec', NS, 'ip', 'link', 'add', 'vxb', 'type', 'vxlan', 'id', '10', 'dstport', '4789', 'nolearning']);
  const lines: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    const mac = `52:54:01:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}:01`;
    lines.push(`fdb replace ${mac} dev vxb dst 10.170.0.${(i % 200) + 1} vni 10 self permanent`);
  }
  const t0 = process.hrtime.bigint();
  const r = await exec.bridge.run(lines);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.equal(r.filter((x) => !x.ok).length, 0, JSON.stringify(r.find((x) => !x.ok)));
  const rate = Math.round(10_000 / (ms / 1000));
  console.log(`# 10,000 FDB entries in ${ms.toFixed(0)} ms (${rate}/s)`);
  // One process per entry manages about 400/s here (LAB-NOTES).
  assert.ok(rate > 5000, `rate ${rate}/s`);
  const fdb = await exec.json<{ dst?: string }>(['bridge', '-json', 'fdb', 'show', 'dev', 'vxb']);
  assert.equal(fdb.filter((e) => e.dst !== undefined).length, 10_000);
});
