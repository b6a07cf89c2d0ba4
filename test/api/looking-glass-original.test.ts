/**
 * Our looking glass against the original's, on two live daemons peering with each other: the
 * original BaGPipe-BGP (127.0.150.1, dummy dataplanes, dialling out) and our bagpipe-bgp as a
 * process (127.0.150.2, listening), the same E-VPN and IP VPN attaches on both. Each node of the
 * tree that clients and bagpipe-impex2dot read is fetched from both and compared after
 * normalising the values that must differ (addresses, MACs, numbers, times): the same keys,
 * nesting and value formats, list contents compared as multisets. Our extra keys are dropped
 * from our side first, each by name (a new, unlisted key fails the test).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { cliPath } from '../cli/helpers/run-process.js';
import { Bagpipe } from '../scenario/harness/bagpipe.js';
import { Daemon, Teardown } from '../scenario/harness/process.js';

const ORIG = '127.0.150.1';
const US = '127.0.150.2';

/** Keys only our looking glass has (docs/looking-glass.md, "Beyond the original"). */
const OUR_EXTRA_KEYS = new Set([
  'reason', // best_routes: why each route was chosen
  'calls', // dummy dataplane: the calls it recorded
  'last_state_change_reason',
  'state_changes',
  'notifications',
  'route_targets_requested',
  'vpn_routes_held',
  'session',
  'statistics',
  'update_errors',
  'graceful_restart',
]);

const teardown = new Teardown();
let orig: Bagpipe;
let ours: { url: string; daemon: Daemon };

const evpn = (n: number): Record<string, unknown> => ({
  vpn_type: 'evpn',
  vpn_instance_id: 'net-e',
  mac_address: `52:54:00:15:00:0${n}`,
  ip_address: `10.150.0.${n}`,
  local_port: 'tap-e',
  import_rt: '64512:150',
  export_rt: '64512:150',
  vni: 1500,
  instance_description: 'an E-VPN',
  description: 'port e',
});
const ipvpn = (n: number): Record<string, unknown> => ({
  vpn_type: 'ipvpn',
  vpn_instance_id: 'net-i',
  mac_address: `52:54:00:15:01:0${n}`,
  ip_address: `10.151.0.${n}/24`,
  local_port: { linuxif: 'tap-i' },
  import_rt: ['64512:151', '64512:152'],
  export_rt: '64512:151',
  gateway_ip: '10.151.0.254',
  local_pref: 120,
});

async function getJson(base: string, path: string): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${base}/looking-glass/${path}`, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  const text = await r.text();
  return { status: r.status, body: JSON.parse(text) as unknown };
}

async function post(base: string, body: unknown): Promise<void> {
  const r = await fetch(`${base}/attach_localport`, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  assert.equal(r.status, 200, `${base} attach ${JSON.stringify(body)}: ${await r.text()}`);
}

before(async () => {
  const bgpPort = await freePort(US);
  const apiPort = await freePort(US);
  const dir = teardown.tempDir('lg-original');
  const conf = join(dir, 'bgp.conf');
  writeFileSync(
    conf,
    `[BGP]\nlocal_address = ${US}\npeers = ${ORIG}\nmy_as = 64512\nlisten_port = ${bgpPort}\nbgp_port = ${bgpPort}\n` +
      `[BGP_PEER:${ORIG}]\npassive = true\n[API]\nhost = ${US}\nport = ${apiPort}\n` +
      `[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = dummy\n[DATAPLANE_DRIVER_EVPN]\ndataplane_driver = dummy\n`,
  );
  const daemon = teardown.daemon(Daemon.start('bagpipe-bgp', process.execPath, [cliPath('bagpipe-bgp'), '--config-file', conf]));
  ours = { url: `http://${US}:${apiPort}`, daemon };
  orig = new Bagpipe({ address: ORIG, as: 64512, peers: [US], bgpPort, apiPort: await freePort(ORIG), enableRtc: true }, teardown);
  await orig.start();
  const established = async (base: string): Promise<boolean> => {
    try {
      const peers = (await getJson(base, 'bgp/peers')).body as { state: string }[];
      return peers.length === 1 && peers[0]!.state === 'Established';
    } catch {
      return false;
    }
  };
  await waitFor('both sessions Established', async () => (await established(ours.url)) && established(orig.url), 30_000, 200).catch((e: Error) =>
    assert.fail(`${e.message}\n${daemon.tail()}\n${orig.tail()}`),
  );
  for (const [base, n] of [[orig.url, 1], [ours.url, 2]] as const) {
    await post(base, evpn(n));
    await post(base, ipvpn(n));
  }
  // Each side holds the other's MAC/IP, multicast and VPN-IPv4 routes.
  const learned = async (base: string, other: number): Promise<boolean> => {
    const e = JSON.stringify((await getJson(base, 'vpns/instances/net-e/received_routes')).body);
    const i = JSON.stringify((await getJson(base, 'vpns/instances/net-i/received_routes')).body);
    return e.includes(`52:54:00:15:00:0${other}`) && e.includes('Multicast') && i.includes(`'10.151.0.${other}/32'`);
  };
  await waitFor('routes exchanged', async () => (await learned(orig.url, 2)) && learned(ours.url, 1), 30_000, 200);
});

after(async () => {
  await teardown.run();
});

/** Values that must differ (addresses, MACs, numbers, times), replaced by their kind. */
function normText(s: string): string {
  return s
    .replace(/\b[0-9a-f]{2}(:[0-9a-f]{2}){5}\b/gi, '<mac>')
    .replace(/\b\d+\.\d+\.\d+\.\d+\b/g, '<ip>')
    .replace(/\d+/g, '<n>');
}

/** A canonical form: keys normalised and sorted, lists as sorted multisets, our extras dropped. */
function canonical(v: unknown, ourSide: boolean): unknown {
  if (typeof v === 'string') return normText(v);
  if (typeof v === 'number') return '<number>';
  if (Array.isArray(v)) return v.map((x) => JSON.stringify(canonical(x, ourSide))).sort();
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (!(ourSide && OUR_EXTRA_KEYS.has(k))) out[normText(k)] = canonical(x, ourSide);
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  return v;
}

const PATHS = [
  '',
  'summary',
  'config',
  'logs/nope',
  'bgp',
  'bgp/peers',
  'bgp/route_counts',
  'bgp/routes',
  'bgp/workers',
  'bgp/adv_routes',
  'bgp/workers/BGPManager',
  'vpns',
  'vpns/instances',
  'vpns/instances/nope',
  'vpns/instances_per_vni',
  'vpns/dataplane',
  'vpns/dataplane/drivers',
  'vpns/dataplane/drivers/evpn',
  'vpns/dataplane/drivers/ipvpn',
  'vpns/dataplane/drivers/ipvpn/logs',
  'vpns/dataplane/ids',
  'summary/nope',
];

const INSTANCE_PATHS = [
  '',
  'ports',
  'route_targets',
  'route_targets/import',
  'readvertise',
  'attract_traffic',
  'gateway_port',
  'gateway_port/nope',
  'gateway_ip/anything/after/a/value',
  'received_routes',
  'best_routes',
  'adv_routes',
  'readvertised',
  'dataplane',
  'dataplane/logs',
  'logs',
];

test('our looking glass has the original’s keys and value formats, node by node', async () => {
  const paths = [...PATHS];
  for (const id of ['net-e', 'net-i']) for (const p of INSTANCE_PATHS) paths.push(`vpns/instances/${id}${p ? `/${p}` : ''}`);
  for (const name of ['EVI-1', 'VRF-2']) paths.push(`bgp/workers/${name}`, `bgp/workers/${name}/ports`);
  paths.push(`bgp/peers/${US}`, `bgp/peers/${US}/adv_routes`, `bgp/workers/BGP-${US}`, `bgp/peers/${US}/logs`);
  const differences: string[] = [];
  for (const path of paths) {
    // The peer of the original is us, and ours is the original: the same path with the other address.
    const ourPath = path.replaceAll(US, ORIG);
    const [theirs, mine] = await Promise.all([getJson(orig.url, path), getJson(ours.url, ourPath)]);
    const a = JSON.stringify(canonical(theirs.body, false), null, 1);
    const b = JSON.stringify(canonical(mine.body, true), null, 1);
    if (theirs.status !== mine.status || a !== b) differences.push(`${path} (status ${theirs.status} / ${mine.status})\n--- original\n${a}\n--- ours\n${b}`);
  }
  assert.deepEqual(differences, [], differences.join('\n\n'));
});

test('the extra keys really are ours: present on our side', async () => {
  const peer = (await getJson(ours.url, `bgp/peers/${ORIG}`)).body as Record<string, Record<string, unknown>>;
  for (const k of ['state_changes', 'notifications', 'session', 'statistics', 'update_errors']) assert.ok(k in peer, k);
  assert.equal(peer.protocol!.last_state_change_reason, 'keepalive-received');
  assert.deepEqual(peer.rtc!.route_targets_requested, ['target:64512:150', 'target:64512:151', 'target:64512:152']);
  const best = (await getJson(ours.url, 'vpns/instances/net-i/best_routes')).body as Record<string, Record<string, { reason: string }>[]>;
  assert.equal(Object.values(best["'10.151.0.1/32'"]![0]!)[0]!.reason, 'only route');
});
