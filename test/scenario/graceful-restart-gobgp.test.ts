/**
 * Graceful restart, our speaker restarting (RFC 4724 §4.1) with GoBGP as the helper (its
 * neighbour `graceful-restart` section, harness option `gracefulRestart`), on loopback
 * (GoBGP 127.0.190.1, us 127.0.190.2, each speaker a process of its own):
 *
 * 1. killed (SIGKILL, no NOTIFICATION): GoBGP keeps our routes, marked stale;
 * 2. restarted with forwarding state kept: Established again within about 2 s (quick retry), the
 *    route re-announced refreshed, the other kept stale while our End-of-RIB is held; once our
 *    routes are restored the End-of-RIB goes and GoBGP removes the stale one;
 * 3. killed, then started fresh (nothing kept: a reboot): its End-of-RIB goes at once and GoBGP
 *    removes everything of the previous run;
 * 4. a clean stop (SIGTERM: Cease): GoBGP withdraws our routes at once, nothing kept.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { GoBgp } from './harness/gobgp.js';
import { Daemon, Teardown } from './harness/process.js';

const RR = '127.0.190.1';
const US = '127.0.190.2';
const RT = '64512:190';
const SPEAKER = fileURLToPath(new URL('./harness/restarting-speaker.js', import.meta.url));

interface RibPath {
  nlri: { prefix?: string };
  stale?: boolean;
}

test('graceful restart with GoBGP as helper: stale routes kept across a kill, refreshed, swept at our End-of-RIB', { timeout: 90_000 }, async (t) => {
  const td = new Teardown();
  try {
    const port = await freePort(RR);
    const rr = new GoBgp({ address: RR, as: 64512, port, apiPort: await freePort(RR), neighbors: [{ address: US, families: ['l3vpn-ipv4-unicast'] }], gracefulRestart: { restartTime: 60 } }, td);
    await rr.start();

    const start = (prefixes: string[], preserved: string[]): Daemon => {
      const d = Daemon.start('restarting speaker', process.execPath, [SPEAKER, JSON.stringify({ localAddress: US, peer: RR, peerPort: port, prefixes, preserved, rt: RT })], { stdin: true });
      return td.daemon(d);
    };
    /** GoBGP's VPN-IPv4 RIB: prefix → stale or not. */
    const rib = async (): Promise<Record<string, boolean>> => {
      const r = await rr.json<Record<string, RibPath[]> | null>('global', 'rib', '-a', 'vpnv4');
      const out: Record<string, boolean> = {};
      for (const paths of Object.values(r ?? {})) for (const p of paths) out[p.nlri.prefix ?? '?'] = p.stale === true;
      return out;
    };
    const established = (): Promise<boolean> => rr.neighborState(US).then((s) => s === 'established');
    let speaker = start(['10.190.1.0/24', '10.190.2.0/24'], []);
    const why = (): string => `${speaker.tail(30)}\n${rr.tail(20)}`;
    await waitFor('both routes in GoBGP', async () => Object.keys(await rib()).length === 2, 20_000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));

    let killedAt = 0;
    await t.test('killed: GoBGP keeps our routes as stale', async () => {
      await speaker.stop('SIGKILL');
      killedAt = Date.now();
      await waitFor('session down', async () => !(await established()), 10_000);
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(await rib(), { '10.190.1.0/24': true, '10.190.2.0/24': true }, why());
    });

    await t.test('restarted with forwarding state kept: back quickly, End-of-RIB held until restored, then the stale route goes', async () => {
      speaker = start(['10.190.1.0/24'], ['ipv4/mpls-vpn']);
      await waitFor('Established again', established, 15_000, 50).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      // GoBGP refuses connections for 5 s after a session drops (its fixed idle hold time); our
      // retries every second get in within about a second of that.
      const upMs = Date.now() - killedAt;
      console.log(`# restarted speaker Established ${upMs} ms after the kill`);
      assert.ok(upMs < 7500, `Established ${upMs} ms after the kill\n${why()}`);
      await waitFor('the re-announced route refreshed', async () => (await rib())['10.190.1.0/24'] === false, 5000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      await new Promise((r) => setTimeout(r, 1000));
      assert.deepEqual(await rib(), { '10.190.1.0/24': false, '10.190.2.0/24': true }, `End-of-RIB held: the other route stays, stale\n${why()}`);
      assert.match(speaker.output, /End-of-RIB for ipv4\/mpls-vpn held until our routes are restored/);
      // What GoBGP received, in its API's protobuf (apipb.GracefulRestartCapability): flags 8 (R),
      // time 120, one tuple {family 1/128, flags 128 (F)}.
      const n = await rr.json<{ state: { remote_cap: { type_url: string; value?: string }[] } }>('neighbor', US);
      const gr = n.state.remote_cap.find((c) => c.type_url.endsWith('GracefulRestartCapability'));
      assert.equal(Buffer.from(gr?.value ?? '', 'base64').toString('hex'), '0808' + '1078' + '1a0a' + '0a0508011080011080' + '01', JSON.stringify(gr));
      speaker.write('restored\n');
      await waitFor('stale route removed at our End-of-RIB', async () => JSON.stringify(await rib()) === JSON.stringify({ '10.190.1.0/24': false }), 5000).catch((e: Error) =>
        assert.fail(`${e.message}\n${why()}`),
      );
    });

    await t.test('killed, then started fresh (nothing kept): End-of-RIB at once, the previous run’s routes go', async () => {
      await speaker.stop('SIGKILL');
      await waitFor('session down', async () => !(await established()), 10_000);
      assert.deepEqual(await rib(), { '10.190.1.0/24': true });
      speaker = start(['10.190.3.0/24'], []);
      await waitFor('Established again', established, 10_000, 50);
      await waitFor('only the new route', async () => JSON.stringify(await rib()) === JSON.stringify({ '10.190.3.0/24': false }), 5000).catch((e: Error) => assert.fail(`${e.message}\n${why()}`));
      assert.doesNotMatch(speaker.output, /held until our routes are restored/);
    });

    await t.test('clean stop (SIGTERM, Cease): GoBGP removes our routes at once', async () => {
      await speaker.stop('SIGTERM');
      assert.deepEqual(await rib(), {}, why());
    });
  } finally {
    await td.run();
  }
});
