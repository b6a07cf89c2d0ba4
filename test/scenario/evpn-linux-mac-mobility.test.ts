/**
 * MAC mobility (RFC 7432 §15) end to end, three nodes with our daemon and the linux E-VPN driver
 * behind a GoBGP route reflector: a VM (MAC M, one IP) on node 1 moves to node 2 – plugged there
 * while node 1 still advertises it, as during a live migration. Node 2's instance is new there: it
 * learns node 1's route only after the plug, and advertises M again with sequence 1; node 3 (the
 * observer) forwards to node 2 and pings reach the VM's new copy. The VM moves back (node 1
 * unplugs and plugs it again: sequence 2) and forwarding follows again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MOBILITY_SETTLE_MS } from '../../src/vpn/evi.js';
import { waitFor } from '../helpers/wait.js';
import { NetnsTopology, type ComputeNode, type Endpoint } from './harness/netns-topology.js';
import { Teardown } from './harness/process.js';

const NET = { vpnInstanceId: 'mob', rt: '64512:172', vni: 172 };
const M = '52:54:00:72:00:01';
const VM_IP = '10.172.0.20';

async function fdbDst(n: ComputeNode, mac: string): Promise<string | undefined> {
  const r = await n.exec(['bridge', '-json', 'fdb', 'show', 'dev', 'vxlan--mob']);
  if (r.code !== 0) return undefined;
  return (JSON.parse(r.stdout || '[]') as { mac: string; dst?: string }[]).find((e) => e.mac === mac && e.dst !== undefined)?.dst;
}

async function setLink(ep: Endpoint, up: boolean): Promise<void> {
  await ep.node.execOk(['ip', 'netns', 'exec', ep.ns, 'ip', 'link', 'set', 'tovpn', up ? 'up' : 'down']);
}

interface GoEvpnPath {
  nlri: { type: number; value: { mac?: string } };
  attrs: { type: number; nexthop?: string; value?: { type: number; subtype: number; sequence?: number; is_sticky?: boolean }[] }[];
}

test('MAC mobility: a VM moving between nodes is followed by the other nodes (sequence numbers on the wire)', { timeout: 120_000 }, async () => {
  const td = new Teardown();
  try {
    const topo = await NetnsTopology.create(td, 3);
    const [n1, n2, n3] = topo.nodes as [ComputeNode, ComputeNode, ComputeNode];
    const rr = await topo.startRouteReflector();
    for (const n of topo.nodes) await topo.startOurDaemon(n);
    await topo.waitEstablished();
    const why = (): string => topo.nodes.map((n) => n.tail(20)).join('\n');
    const z = await topo.attach(n3, { name: 'z', mac: '52:54:00:72:00:03', ip: '10.172.0.3', ...NET });
    const x1 = await topo.attach(n1, { name: 'x1', mac: M, ip: VM_IP, ...NET });
    const x1At = Date.now();
    await topo.waitPing(z, VM_IP, 20_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
    assert.equal(await fdbDst(n3, M), n1.address);

    // The VM has run on node 1 for a while (past node 1's settle window, MOBILITY_SETTLE_MS);
    // its copy starts on node 2 while node 1 still advertises it.
    await new Promise((r) => setTimeout(r, Math.max(0, x1At + MOBILITY_SETTLE_MS + 500 - Date.now())));
    const x2 = await topo.attach(n2, { name: 'x2', mac: M, ip: VM_IP, ...NET });
    await waitFor('node 3 forwards M to node 2', async () => (await fdbDst(n3, M)) === n2.address, 15_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
    const paths = await rr.json<Record<string, GoEvpnPath[]>>('global', 'rib', '-a', 'evpn');
    const seqOf = (nh: string): number | undefined => {
      for (const ps of Object.values(paths ?? {})) {
        for (const p of ps) {
          if (p.nlri.type !== 2 || p.nlri.value.mac !== M) continue;
          if (p.attrs.find((a) => a.type === 14)?.nexthop !== nh) continue;
          return p.attrs.find((a) => a.type === 16)?.value?.find((c) => c.type === 6 && c.subtype === 0)?.sequence ?? 0;
        }
      }
      return undefined;
    };
    assert.deepEqual([seqOf(n1.address), seqOf(n2.address)], [0, 1], JSON.stringify(paths));
    const best = await n3.lookingGlass<Record<string, { next_hop: string; reason: string }[]>>('vpns/instances/mob/best_routes');
    assert.match(JSON.stringify(best), /MAC mobility: sequence 1 > 0/);
    // Only the new copy answers: the old one is stopped.
    await setLink(x1, false);
    await topo.waitPing(z, VM_IP, 10_000);

    // The VM moves back: node 1 unplugs and plugs it again, after node 2's advertisement.
    await setLink(x2, false);
    await topo.detach(x1);
    const back = await topo.attachOverApi(x1);
    assert.equal(back.status, 200, back.body);
    await setLink(x1, true);
    await waitFor('node 3 forwards M to node 1 again', async () => (await fdbDst(n3, M)) === n1.address, 15_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
    await topo.waitPing(z, VM_IP, 10_000);
    assert.equal(await fdbDst(n2, M), n1.address, 'node 2 also follows (its own copy is still plugged, with a lower sequence)');
  } finally {
    await td.run();
  }
});
