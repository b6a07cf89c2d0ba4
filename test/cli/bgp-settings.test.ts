import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { bgpManagerConfig, restartStart } from '../../src/cli/bgp-settings.js';
import { loadConfig } from '../../src/config/index.js';
import { BgpManager } from '../../src/session/bgp-manager.js';
import { memoryLogger } from '../../src/util/logger.js';

function load(text: string): ReturnType<typeof loadConfig> {
  const dir = mkdtempSync(join(tmpdir(), 'bgpconf-'));
  try {
    const f = join(dir, 'bgp.conf');
    writeFileSync(f, text);
    return loadConfig({ configFiles: [f] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the original's bgp.conf: flat peers become active iBGP peers with the original's families", () => {
  const cfg = bgpManagerConfig(load('[BGP]\nlocal_address = 127.0.0.1\npeers = 127.0.0.2, 127.0.0.3\nmy_as = 64512\n'));
  assert.equal(cfg.localAs, 64512);
  assert.equal(cfg.listen, undefined, 'the original never listens');
  assert.deepEqual(
    cfg.peers.map((p) => [p.address, p.remoteAs, p.passive, p.port, p.families]),
    [
      ['127.0.0.2', 64512, false, 179, ['ipv4/mpls-vpn', 'ipv4/rtc', 'ipv4/flow-vpn', 'l2vpn/evpn']],
      ['127.0.0.3', 64512, false, 179, ['ipv4/mpls-vpn', 'ipv4/rtc', 'ipv4/flow-vpn', 'l2vpn/evpn']],
    ],
  );
  const m = new BgpManager(cfg, memoryLogger());
  assert.deepEqual([...m.peers.keys()], ['127.0.0.2', '127.0.0.3']);
  assert.equal(m.peers.get('127.0.0.2')!.cfg.remoteAs, 64512);
});

test('per-peer sections: eBGP, passive, port, families, max-prefix; listening', () => {
  const cfg = bgpManagerConfig(
    load(
      [
        '[BGP]',
        'local_address = 127.0.0.1',
        'my_as = 64512',
        'enable_rtc = false',
        'listen_port = 1179',
        '[BGP_PEER:127.0.0.9]',
        'remote_as = 65001',
        'passive = true',
        'port = 2179',
        'families = ipv4/mpls-vpn, l2vpn/evpn',
        'max_prefix = 1000',
        'add_path_receive = ipv4/mpls-vpn',
        '',
      ].join('\n'),
    ),
  );
  assert.deepEqual(cfg.listen, { address: '127.0.0.1', port: 1179 });
  assert.equal(cfg.enableRtc, false);
  const p = cfg.peers[0]!;
  assert.deepEqual([p.address, p.remoteAs, p.passive, p.port, p.families, p.maxPrefix], ['127.0.0.9', 65001, true, 2179, ['ipv4/mpls-vpn', 'l2vpn/evpn'], 1000]);
  assert.deepEqual(p.addPathReceive, ['ipv4/mpls-vpn']);
  const peer = new BgpManager(cfg, memoryLogger()).peers.get('127.0.0.9')!;
  assert.deepEqual(peer.cfg.addPathReceive, ['ipv4/mpls-vpn']);
  assert.deepEqual([peer.cfg.localAs, peer.cfg.remoteAs, peer.cfg.passive, peer.cfg.maxPrefix], [64512, 65001, true, 1000]);
});

test('graceful restart: [BGP] graceful_restart_time; families kept per driver that found state; restored after its adoption hold-down', async () => {
  const config = load('[BGP]\nlocal_address = 127.0.0.1\npeers = 127.0.0.2\nmy_as = 64512\ngraceful_restart_time = 90\n[DATAPLANE_DRIVER_EVPN]\ndataplane_driver = linux\nadoption_hold_time = 1\n');
  assert.equal(bgpManagerConfig(config).gracefulRestartTime, 90);
  assert.equal(bgpManagerConfig(load('[BGP]\nlocal_address = 127.0.0.1\nmy_as = 64512\n')).gracefulRestartTime, 120, 'default');
  assert.deepEqual([...restartStart([], Promise.resolve(), config).preserved], [], 'no driver kept anything: a fresh start');
  assert.deepEqual([...restartStart([{ vpnType: 'ipvpn' }], Promise.resolve(), config).preserved].sort(), ['ipv4/flow-vpn', 'ipv4/mpls-vpn', 'ipv4/rtc', 'ipv6/mpls-vpn']);
  let up!: () => void;
  const routingUp = new Promise<void>((r) => (up = r));
  const r = restartStart([{ vpnType: 'evpn' }], routingUp, config);
  assert.deepEqual([...r.preserved].sort(), ['ipv4/rtc', 'l2vpn/evpn']);
  let restored = false;
  void r.restored.then(() => (restored = true));
  await new Promise((res) => setTimeout(res, 1200));
  assert.equal(restored, false, 'the hold-down counts from routing up');
  const t0 = Date.now();
  up();
  await r.restored;
  const waited = Date.now() - t0;
  assert.ok(waited >= 950 && waited < 2000, `restored ${waited} ms after routing up (adoption_hold_time = 1)`);
});
