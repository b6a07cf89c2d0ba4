/**
 * Issue 5, a daemon restart that keeps traffic flowing: two compute-node namespaces with our
 * daemon and the `linux` E-VPN driver, a GoBGP route reflector in the underlay configured as
 * graceful restart helper, a continuous ping (10 per second) from an endpoint on node 1 to one on
 * node 2 while node 1's daemon restarts:
 *
 * - killed (SIGKILL, a crash or an upgrade gone wrong): node 1's devices and entries are adopted
 *   (its side keeps forwarding), GoBGP keeps node 1's routes as stale (node 2's side keeps
 *   forwarding), the restarted daemon reconnects with the R and F bits, the orchestrator
 *   re-attaches one of the two endpoints; our End-of-RIB, held until the adoption hold-down ends,
 *   makes GoBGP withdraw the route of the endpoint not re-attached, and node 2 forgets it. Pings
 *   lost: none expected (at most a few, well under a second's worth, are tolerated);
 * - stopped cleanly (SIGTERM): by design every route is withdrawn and the devices are removed,
 *   so traffic stops until the daemon is back and the orchestrator has re-attached: measured.
 *
 * Namespaces `bgr<pid>-…`; everything is removed at the end.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../helpers/wait.js';
import { NetnsTopology, type ComputeNode, type Endpoint } from './harness/netns-topology.js';
import { Teardown } from './harness/process.js';

const NET = { vpnInstanceId: 'net1', rt: '64512:190', vni: 190 };
const HOLD_S = 4;
const OPTS = { extra: { DATAPLANE_DRIVER_EVPN: [`adoption_hold_time = ${HOLD_S}`] } };

async function remoteMacs(n: ComputeNode): Promise<string[]> {
  const r = await n.exec(['bridge', '-json', 'fdb', 'show', 'dev', 'vxlan--net1']);
  if (r.code !== 0) return [];
  return (JSON.parse(r.stdout || '[]') as { mac: string; dst?: string }[]).filter((e) => e.dst !== undefined && e.mac !== '00:00:00:00:00:00').map((e) => e.mac).sort();
}

test('linux E-VPN, GoBGP RR with graceful restart: a killed daemon restarts without losing traffic; a clean stop withdraws', { timeout: 120_000 }, async (t) => {
  const td = new Teardown();
  try {
    const topo = await NetnsTopology.create(td, 2, String(process.pid % 100_000), 'bgr');
    const [n1, n2] = topo.nodes as [ComputeNode, ComputeNode];
    const rr = await topo.startRouteReflector(undefined, { gracefulRestart: { restartTime: 120 } });
    await topo.startOurDaemon(n1, OPTS);
    await topo.startOurDaemon(n2, OPTS);
    await topo.waitEstablished();
    const a: Endpoint = await topo.attach(n1, { name: 'a', mac: '52:54:00:90:00:0a', ip: '10.190.0.10', ...NET });
    const gone: Endpoint = await topo.attach(n1, { name: 'g', mac: '52:54:00:90:00:0c', ip: '10.190.0.12', ...NET });
    const b: Endpoint = await topo.attach(n2, { name: 'b', mac: '52:54:00:90:00:0b', ip: '10.190.0.11', ...NET });
    const why = (): string => `${n1.tail(40)}\n${n2.tail(20)}\n${rr.tail(20)}`;
    await topo.waitPing(a, b.ip, 20_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
    await waitFor('node 2 knows both endpoints of node 1', async () => (await remoteMacs(n2)).length === 2, 10_000);

    /** GoBGP's E-VPN routes mentioning a MAC: how many, and how many are stale. */
    const routesOf = async (mac: string): Promise<{ all: number; stale: number }> => {
      const r = await rr.json<Record<string, { stale?: boolean }[]> | null>('global', 'rib', '-a', 'evpn');
      const paths = Object.values(r ?? {})
        .flat()
        .filter((p) => JSON.stringify(p).includes(mac));
      return { all: paths.length, stale: paths.filter((p) => p.stale === true).length };
    };

    await t.test('killed and restarted: no traffic lost; the endpoint not re-attached is withdrawn at our End-of-RIB', async () => {
      const probe = topo.pingProbe(a, b.ip, 100);
      await new Promise((r) => setTimeout(r, 1000));
      await n1.daemon!.stop('SIGKILL');
      const t0 = Date.now();
      await waitFor('GoBGP saw the session drop', async () => (await rr.neighborState(n1.address)) !== 'established', 5000, 50);
      assert.deepEqual(await routesOf(a.mac), { all: 1, stale: 1 }, `a's MAC/IP route kept as stale\n${why()}`);
      await topo.startOurDaemon(n1, OPTS);
      const again = await topo.attachOverApi(a); // the orchestrator re-attaches a, not g
      assert.equal(again.status, 200, again.body);
      await topo.waitEstablished([n1]);
      const established = Date.now() - t0;
      await waitFor("a's route refreshed", async () => (await routesOf(a.mac)).stale === 0, 10_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      assert.deepEqual(await routesOf(gone.mac), { all: 1, stale: 1 }, `g's route stays stale while our End-of-RIB is held\n${why()}`);
      const lg = await n1.lookingGlass<{ graceful_restart: { restarting: boolean; end_of_rib_held: string[] } }>('bgp/peers/10.170.0.254');
      assert.equal(lg?.graceful_restart.restarting, true, JSON.stringify(lg?.graceful_restart));
      assert.ok(lg?.graceful_restart.end_of_rib_held.includes('l2vpn/evpn'), JSON.stringify(lg?.graceful_restart));
      await waitFor("g's route withdrawn after our End-of-RIB", async () => (await routesOf(gone.mac)).all === 0, (HOLD_S + 10) * 1000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      const eor = Date.now() - t0;
      await waitFor('node 2 forgot g', async () => JSON.stringify(await remoteMacs(n2)) === JSON.stringify([a.mac]), 5000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      await new Promise((r) => setTimeout(r, 500));
      const p = await probe.stop();
      console.log(
        `# kill + restart with graceful restart: ${p.sent - p.received}/${p.sent} pings lost, longest gap ${p.longestGapMs} ms; session back ${established} ms, End-of-RIB (stale route swept) ${eor} ms after the kill`,
      );
      assert.ok(p.sent - p.received <= 5 && p.longestGapMs < 1000, `lost ${p.sent - p.received} of ${p.sent}, longest gap ${p.longestGapMs} ms\n${why()}`);
      const after = await n1.lookingGlass<{ graceful_restart: { restarting: boolean; end_of_rib_held: string[] } }>('bgp/peers/10.170.0.254');
      assert.deepEqual(after?.graceful_restart.restarting, false);
    });

    await t.test('stopped cleanly (SIGTERM): everything withdrawn, traffic back once the daemon is up and re-attached', async () => {
      const probe = topo.pingProbe(a, b.ip, 100);
      await new Promise((r) => setTimeout(r, 1000));
      const t0 = Date.now();
      await n1.daemon!.stop('SIGTERM');
      assert.deepEqual(await routesOf(a.mac), { all: 0, stale: 0 }, 'a clean stop withdraws; nothing kept as stale');
      await topo.startOurDaemon(n1, OPTS);
      const again = await topo.attachOverApi(a);
      assert.equal(again.status, 200, again.body);
      await topo.waitPing(a, b.ip, 20_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      const back = Date.now() - t0;
      await new Promise((r) => setTimeout(r, 500));
      const p = await probe.stop();
      console.log(`# clean stop + restart: ${p.sent - p.received}/${p.sent} pings lost, longest gap ${p.longestGapMs} ms, ping back ${back} ms after the stop`);
      assert.ok(p.longestGapMs > 0, 'a clean stop cuts traffic (by design)');
    });
  } finally {
    await td.run();
  }
});
