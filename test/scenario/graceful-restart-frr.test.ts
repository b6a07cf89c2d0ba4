/**
 * Graceful restart, our speaker restarting (RFC 4724 §4.1) with FRR's bgpd as the helper (its
 * default: helper mode, no configuration), on loopback (FRR 127.0.191.1, us 127.0.191.2, our
 * speaker a process of its own, killed and started again):
 *
 * 1. killed: FRR keeps our routes, marked stale;
 * 2. restarted with forwarding state kept (R and F bits): the route re-announced is refreshed, the
 *    other stays stale while our End-of-RIB is held, and goes once our routes are restored;
 * 3. killed, then started fresh (a reboot: no F bit, End-of-RIB at once): FRR drops the stale
 *    routes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { FrrBgpd } from './harness/frr.js';
import { Daemon, Teardown } from './harness/process.js';

const RR = '127.0.191.1';
const US = '127.0.191.2';
const RT = '64512:191';
const SPEAKER = fileURLToPath(new URL('./harness/restarting-speaker.js', import.meta.url));

interface FrrVpnRib {
  routes?: { routeDistinguishers?: Record<string, Record<string, { stale?: boolean }[]>> };
}

test('graceful restart with FRR as helper: stale routes kept across a kill, swept at our End-of-RIB', { timeout: 90_000 }, async (t) => {
  const td = new Teardown();
  try {
    const port = await freePort(RR);
    const frr = new FrrBgpd({ address: RR, as: 64512, port, clients: [US], families: ['ipv4 vpn'] }, td);
    await frr.start();
    const start = (prefixes: string[], preserved: string[]): Daemon =>
      td.daemon(Daemon.start('restarting speaker', process.execPath, [SPEAKER, JSON.stringify({ localAddress: US, peer: RR, peerPort: port, prefixes, preserved, rt: RT })], { stdin: true }));
    /** FRR's VPN-IPv4 table: prefix → stale or not. */
    const rib = async (): Promise<Record<string, boolean>> => {
      const text = (await frr.vtysh('show bgp ipv4 vpn json')).trim();
      const r = (text === '' ? {} : JSON.parse(text)) as FrrVpnRib; // nothing printed while the table is empty
      const out: Record<string, boolean> = {};
      for (const prefixes of Object.values(r.routes?.routeDistinguishers ?? {})) for (const [p, paths] of Object.entries(prefixes)) out[p] = paths.some((x) => x.stale === true);
      return out;
    };
    const established = (): Promise<boolean> => frr.neighborState(US).then((s) => s === 'Established');
    let speaker = start(['10.191.1.0/24', '10.191.2.0/24'], []);
    const why = (): string => `${speaker.tail(30)}\n${frr.tail(20)}`;
    await waitFor('both routes in FRR', async () => Object.keys(await rib()).length === 2, 30_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));

    let killedAt = 0;
    await t.test('killed: FRR keeps our routes as stale', async () => {
      await speaker.stop('SIGKILL');
      killedAt = Date.now();
      await waitFor('session down', async () => !(await established()), 10_000);
      await waitFor('routes marked stale', async () => JSON.stringify(await rib()) === JSON.stringify({ '10.191.1.0/24': true, '10.191.2.0/24': true }), 5000).catch((e: Error) =>
        assert.fail(`${e.message}\n${why()}`),
      );
    });

    await t.test('restarted with forwarding state kept: End-of-RIB held until restored, then the stale route goes', async () => {
      speaker = start(['10.191.1.0/24'], ['ipv4/mpls-vpn']);
      await waitFor('Established again', established, 15_000, 50).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      console.log(`# restarted speaker Established with FRR ${Date.now() - killedAt} ms after the kill`);
      await waitFor('the re-announced route refreshed', async () => (await rib())['10.191.1.0/24'] === false, 5000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      await new Promise((r) => setTimeout(r, 1000));
      assert.deepEqual(await rib(), { '10.191.1.0/24': false, '10.191.2.0/24': true }, `End-of-RIB held: the other route stays, stale\n${why()}`);
      speaker.write('restored\n');
      await waitFor('stale route removed at our End-of-RIB', async () => JSON.stringify(await rib()) === JSON.stringify({ '10.191.1.0/24': false }), 5000).catch((e: Error) =>
        assert.fail(`${e.message}\n${why()}`),
      );
    });

    await t.test('killed, then started fresh (no F bit, End-of-RIB at once): FRR drops the stale routes', async () => {
      await speaker.stop('SIGKILL');
      await waitFor('session down', async () => !(await established()), 10_000);
      assert.deepEqual(await rib(), { '10.191.1.0/24': true });
      speaker = start([], []);
      await waitFor('Established again', established, 15_000, 50);
      await waitFor('stale route dropped', async () => Object.keys(await rib()).length === 0, 5000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
    });
  } finally {
    await td.run();
  }
});
