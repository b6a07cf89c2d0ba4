/**
 * bagpipe-impex2dot (config.md §9): two looking glasses served here (two addresses, one port, as
 * the command takes one --port for all servers) with VRFs, an EVI plugged into a VRF,
 * readvertise, ports named to_<x>, long ids, 404s for the absent sub-objects.
 *
 * - golden output: test/fixtures/cli/impex2dot-two-servers.dot, byte for byte (our order is
 *   stable: servers as given, instances as listed);
 * - the original command on the same looking glasses prints the same lines (its sets print in
 *   hash order, so lines are compared sorted);
 * - errors: a 500 or a dead server exits 1 with one line and no half graph.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/ports.js';
import { lookingGlassHandler, startHttpFixture, type HttpFixture } from './helpers/http-fixture.js';
import { runOriginal } from './helpers/original-tools.js';
import { runCli } from './helpers/run-process.js';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'fixtures', 'cli', 'impex2dot-two-servers.dot');
const S1 = '127.0.142.1';
const S2 = '127.0.142.2';

const SERVER1: Record<string, string> = {
  'vpns/instances':
    '[{"id": "ipvpn-1", "name": "VRF-1", "href": "{LG}/vpns/instances/ipvpn-1"}, {"id": "evpn_5d3c6e8a-4a3f", "name": "EVI-2", "href": "{LG}/vpns/instances/evpn_5d3c6e8a-4a3f"}, {"id": "blue", "name": "VRF-3", "href": "{LG}/vpns/instances/blue"}]',
  'vpns/instances/ipvpn-1/route_targets/import': '["target:64512:1", "target:64512:2"]',
  'vpns/instances/ipvpn-1/route_targets/export': '["target:64512:1"]',
  'vpns/instances/ipvpn-1/readvertise': '{"from": ["target:64512:30", "target:64512:32"], "to": ["target:64512:31"]}',
  'vpns/instances/ipvpn-1/ports': '{"tap1": {"endpoints": []}, "to_vm1.1": {"endpoints": []}, "17": {"endpoints": []}}',
  'vpns/instances/evpn_5d3c6e8a-4a3f/route_targets/import': '["target:64512:513"]',
  'vpns/instances/evpn_5d3c6e8a-4a3f/route_targets/export': '["target:64512:513"]',
  'vpns/instances/evpn_5d3c6e8a-4a3f/readvertise': '{}',
  'vpns/instances/evpn_5d3c6e8a-4a3f/ports': '{"tap-2": {"endpoints": []}}',
  'vpns/instances/evpn_5d3c6e8a-4a3f/gateway_port/ipvpn': '{"href": "{LG}/vpns/instances/ipvpn-1", "id": "VRF-1", "external_instance_id": "ipvpn-1"}',
  'vpns/instances/blue/route_targets/import': '[]',
  'vpns/instances/blue/route_targets/export': '["target:64512:2"]',
  'vpns/instances/blue/ports': '{}',
};

const SERVER2: Record<string, string> = {
  'vpns/instances': '[{"id": "ipvpn-1", "name": "VRF-4", "href": "{LG}/vpns/instances/ipvpn-1"}]',
  'vpns/instances/ipvpn-1/route_targets/import': '["target:64512:1"]',
  'vpns/instances/ipvpn-1/route_targets/export': '["target:64512:1", "target:64512:9"]',
  'vpns/instances/ipvpn-1/ports': '{"to_vm2": {"endpoints": []}}',
};

let port: number;
let servers: HttpFixture[] = [];
before(async () => {
  port = await freePort(S1);
  servers = [await startHttpFixture(S1, lookingGlassHandler(SERVER1), port), await startHttpFixture(S2, lookingGlassHandler(SERVER2), port)];
});
after(async () => {
  for (const s of servers) await s.close();
});

const ARGS = (): string[] => ['--server', S1, '--server', S2, '--port', String(port)];

test('golden output for two daemons', async () => {
  const r = await runCli('bagpipe-impex2dot', ARGS());
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  assert.equal(r.stdout, readFileSync(GOLDEN, 'utf8'));
});

test('the original prints the same lines on the same looking glasses', async () => {
  const [mine, theirs] = await Promise.all([runCli('bagpipe-impex2dot', ARGS()), runOriginal('bagpipe-impex2dot', ARGS())]);
  assert.equal(theirs.status, 0, theirs.stderr);
  const sorted = (s: string): string[] => s.split('\n').sort();
  assert.deepEqual(sorted(mine.stdout), sorted(theirs.stdout));
  // The structure (header, subgraphs, closing brace) is in the same places.
  const skeleton = (s: string): string[] => s.split('\n').filter((l) => !l.startsWith('        ') && !/^ {4}(\S+ -> |port_|dest_|\/\*)/.test(l));
  assert.deepEqual(skeleton(mine.stdout), skeleton(theirs.stdout));
});

test('each server is asked for its instances and, per instance, the five sub-objects', () => {
  const paths = servers[1]!.requests.map((r) => r.path);
  const once = [...new Set(paths)];
  assert.deepEqual(once.sort(), [
    '/looking-glass/vpns/instances',
    '/looking-glass/vpns/instances/ipvpn-1/gateway_port/ipvpn',
    '/looking-glass/vpns/instances/ipvpn-1/ports',
    '/looking-glass/vpns/instances/ipvpn-1/readvertise',
    '/looking-glass/vpns/instances/ipvpn-1/route_targets/export',
    '/looking-glass/vpns/instances/ipvpn-1/route_targets/import',
  ]);
});

test('a daemon that fails: one line on stderr, exit 1, no half graph', async () => {
  const broken = await startHttpFixture(S1, () => ({ status: 500, reason: 'Internal Server Error', body: 'Server error' }));
  try {
    const r = await runCli('bagpipe-impex2dot', ['--server', S1, '--port', String(broken.port)]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `bagpipe-impex2dot: Error requesting http://${S1}:${broken.port}/looking-glass/vpns/instances: HTTP 500 Internal Server Error\n`);
  } finally {
    await broken.close();
  }
  const dead = await freePort(S1);
  const r = await runCli('bagpipe-impex2dot', ['--server', S1, '--port', String(dead)]);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `bagpipe-impex2dot: Error requesting http://${S1}:${dead}/looking-glass/vpns/instances: Connection refused\n`);
});

test('a daemon without instances gives the empty graph', async () => {
  const empty = await startHttpFixture(S1, lookingGlassHandler({ 'vpns/instances': '[]' }));
  try {
    const r = await runCli('bagpipe-impex2dot', ['--server', S1, '--port', String(empty.port)]);
    assert.equal(
      r.stdout,
      [
        'digraph import_export {',
        '   node [fontname="Helvetica"];',
        '   edge [fontname="Helvetica"];',
        '   nodesep=0.55;',
        '   subgraph rts {',
        '       rank=same;',
        '    }',
        '    subgraph ipvpns {',
        '        rank=same;',
        '    }',
        '    subgraph evpns {',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
  } finally {
    await empty.close();
  }
});
