/**
 * `npm start`'s main job, as a process (dist/bin/demo.js): two bagpipe-bgp daemon processes
 * on 127.0.95.1 and 127.0.95.2 peer directly, ports are attached on each through the REST API,
 * the looking glass of each (printed by the real bagpipe-looking-glass command) shows the other
 * node's routes; the demo then waits for Ctrl-C, and SIGINT stops both daemons and removes its
 * files.
 */
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { waitFor } from '../helpers/wait.js';
import { Daemon } from '../scenario/harness/process.js';
import { cliPath } from './helpers/run-process.js';

test('npm start: two daemons learn each other’s routes, shown by the looking glass, until Ctrl-C', { timeout: 60_000 }, async () => {
  const demo = Daemon.start('demo', process.execPath, [cliPath('demo')]);
  try {
    await waitFor('the demo to show everything', () => demo.output.includes('Press Ctrl-C') || !demo.alive, 45_000, 100).catch((e: Error) =>
      assert.fail(`${e.message}\n${demo.tail(80)}`),
    );
    const out = demo.output;
    assert.ok(demo.alive, `the demo must keep running:\n${out}`);
    // Each looking glass shows the other node's routes, as best routes with their reason.
    const section = (label: string): string => out.slice(out.indexOf(`== node ${label}'s looking glass`), out.indexOf(label === 'A' ? "== node B's looking glass" : '== what each node learned'));
    const a = section('A');
    const b = section('B');
    assert.match(a, /\$ node \S*bagpipe-looking-glass\.js --server 127\.0\.95\.1 --port \d+ vpns instances demo-ipvpn best_routes\n'10\.95\.1\.2\/32': \n {2}\* 10\.95\.1\.2\/32 label \d+ next-hop 127\.0\.95\.2 rd 127\.0\.95\.2:\d+: \n/);
    assert.match(a, /\* evpn:macadv::127\.0\.95\.2:\d+:-:0:52:54:00:95:00:02\/48:10\.95\.0\.2: label 5 \(95\): /);
    assert.match(a, /\* evpn:multicast::127\.0\.95\.2:\d+:0:127\.0\.95\.2: /);
    assert.match(b, /'10\.95\.1\.1\/32': \n {2}\* 10\.95\.1\.1\/32 label \d+ next-hop 127\.0\.95\.1 rd 127\.0\.95\.1:\d+: \n/);
    assert.match(b, /\* evpn:macadv::127\.0\.95\.1:\d+:-:0:52:54:00:95:00:01\/48:10\.95\.0\.1: label 5 \(95\): /);
    for (const s of [a, b]) assert.match(s, /bgp peers\n\* 127\.0\.95\.\d \(\.\.\.\)\n {2}state: Established\n/);
    const learned = out.split('\n').filter((l) => /^ {3}node [AB] learned from /.test(l));
    assert.equal(learned.length, 6, learned.join('\n'));
    assert.ok(learned.some((l) => l.startsWith('   node A learned from B: 10.95.1.2/32 label')));
    assert.ok(learned.some((l) => l.startsWith('   node B learned from A: 10.95.1.1/32 label')));
    // Both daemons are processes of their own, answering on their REST API.
    const api = out.match(/looking glass on (http:\/\/127\.0\.95\.1:\d+)/)![1]!;
    assert.ok((await fetch(`${api}/ping`)).ok);
    const dir = dirname(out.match(/config (\S+)\/a\.conf/)![1]! + '/a.conf');
    assert.ok(existsSync(dir));

    await demo.stop('SIGINT', 15_000);
    assert.equal(await demo.exited, 0, demo.tail(20));
    assert.match(demo.output, /== Ctrl-C: stopping both daemons[^\n]*\n {3}node A: exited with status 0\n {3}node B: exited with status 0\n {3}stopped\.\n$/);
    await assert.rejects(fetch(`${api}/ping`), 'node A is gone');
    assert.equal(existsSync(dir), false, 'the demo removed its files');
  } finally {
    await demo.stop('SIGKILL');
  }
});

test('a demo killed without warning takes its daemons with it (they watch its IPC channel)', { timeout: 30_000 }, async () => {
  const demo = Daemon.start('demo', process.execPath, [cliPath('demo')]);
  try {
    await waitFor('both daemons running', () => /pids \d+ \(A\) and \d+ \(B\)/.test(demo.output) || !demo.alive, 20_000, 50);
    const [, a, b] = demo.output.match(/pids (\d+) \(A\) and (\d+) \(B\)/)!;
    const alive = (pid: number): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    assert.ok(alive(Number(a)) && alive(Number(b)));
    await demo.stop('SIGKILL');
    await waitFor('both daemons gone', () => !alive(Number(a)) && !alive(Number(b)), 10_000);
  } finally {
    await demo.stop('SIGKILL');
    // Killed, the demo could not remove its files.
    const dir = demo.output.match(/config (\S+)\/a\.conf/)?.[1];
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});
