import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { dummyDaemonConf } from '../../src/cli/demo/daemon-conf.js';
import { iniFromObject } from '../../src/config/ini.js';
import { loadConfig } from '../../src/config/load.js';

test('INI text from objects: order kept, undefined left out, booleans and lists as bgp.conf writes them', () => {
  assert.equal(
    iniFromObject({ BGP: { local_address: '127.0.0.1', peers: ['127.0.0.2', '127.0.0.3'], my_as: 64512, enable_rtc: false, bgp_port: undefined }, 'BGP_PEER:127.0.0.2': { passive: true } }),
    '[BGP]\nlocal_address = 127.0.0.1\npeers = 127.0.0.2,127.0.0.3\nmy_as = 64512\nenable_rtc = False\n\n[BGP_PEER:127.0.0.2]\npassive = True\n',
  );
});

test('the dummy-driver daemon bgp.conf loads to what it says', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ini-from-object-'));
  try {
    const file = join(dir, 'bgp.conf');
    writeFileSync(
      file,
      dummyDaemonConf({ bgp: { local_address: '127.0.0.9', my_as: 65001, listen_port: 1179 }, api: { host: '127.0.0.9', port: 18082 }, sections: { 'BGP_PEER:127.0.0.8': { passive: true } } }),
    );
    const c = loadConfig({ configFiles: [file], defaultConfigDirs: [], env: {} });
    assert.equal(c.BGP.local_address, '127.0.0.9');
    assert.equal(c.BGP.my_as, 65001);
    assert.equal(c.API.port, 18082);
    assert.equal(c.DATAPLANE_DRIVER_IPVPN.dataplane_driver, 'dummy');
    assert.equal(c.DATAPLANE_DRIVER_EVPN.dataplane_driver, 'dummy');
    assert.deepEqual(c.peers.map((p) => [p.address, p.passive]), [['127.0.0.8', true]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
