/**
 * Start-up of the `linux` IP VPN driver: the kernel check (mpls_router, mpls_iptunnel, vrf) on
 * prepared /proc, /sys and /lib/modules trees, and the daemon as a process on this machine, whose
 * kernel lacks them: it stops at once with the message naming what is missing. An unset
 * mpls_interface stops it too.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { checkKernelSupport, KernelSupportError, missingModules } from '../../../src/dataplane/linux-mpls/kernel-support.js';
import { createDrivers } from '../../../src/dataplane/drivers.js';
import { MplsLinuxDataplaneDriver } from '../../../src/dataplane/linux-mpls/mpls-linux-driver.js';
import { loadConfig } from '../../../src/config/index.js';
import { memoryLogger } from '../../../src/util/logger.js';
import { runCli } from '../../cli/helpers/run-process.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tree(parts: { procMpls?: boolean; sysModules?: string[]; builtin?: string[] }): string {
  const root = mkdtempSync(join(tmpdir(), 'bgm-kernel-'));
  dirs.push(root);
  if (parts.procMpls) mkdirSync(join(root, 'proc/sys/net/mpls'), { recursive: true });
  for (const m of parts.sysModules ?? []) mkdirSync(join(root, 'sys/module', m), { recursive: true });
  if (parts.builtin) {
    mkdirSync(join(root, 'lib/modules/6.1.0-test'), { recursive: true });
    writeFileSync(join(root, 'lib/modules/6.1.0-test/modules.builtin'), parts.builtin.map((m) => `kernel/net/${m}.ko`).join('\n') + '\n');
  }
  return root;
}

test('kernel check: loaded modules, built-ins, and what is missing named', () => {
  const release = '6.1.0-test';
  assert.deepEqual(missingModules({ root: tree({ procMpls: true, sysModules: ['mpls_iptunnel', 'vrf'] }), release }), []);
  assert.deepEqual(missingModules({ root: tree({ procMpls: true, builtin: ['mpls/mpls_iptunnel', 'vrf'] }), release }), []);
  assert.deepEqual(missingModules({ root: tree({ sysModules: ['vrf'] }), release }), ['mpls_router', 'mpls_iptunnel']);
  const root = tree({ procMpls: true, sysModules: ['mpls_iptunnel'] });
  assert.throws(
    () => checkKernelSupport({ root, release, modprobe: () => 'modprobe: FATAL: Module vrf not found' }),
    (e: unknown) =>
      e instanceof KernelSupportError &&
      e.message ===
        'the linux IP VPN dataplane driver (kernel MPLS) needs the kernel modules mpls_router, mpls_iptunnel, vrf; missing: vrf (loading them failed: modprobe: FATAL: Module vrf not found)',
  );
});

test('kernel check: missing modules are loaded with modprobe, then looked for again', () => {
  const release = '6.1.0-test';
  const root = tree({ sysModules: ['vrf'] });
  const asked: string[][] = [];
  checkKernelSupport({
    root,
    release,
    modprobe: (mods) => {
      asked.push([...mods]);
      mkdirSync(join(root, 'proc/sys/net/mpls'), { recursive: true });
      mkdirSync(join(root, 'sys/module/mpls_iptunnel'), { recursive: true });
      return undefined;
    },
  });
  assert.deepEqual(asked, [['mpls_router', 'mpls_iptunnel']]);
});

test('createDrivers: the linux IP VPN driver when the kernel has what it needs', () => {
  const root = tree({ procMpls: true, sysModules: ['mpls_iptunnel', 'vrf'] });
  const config = loadConfig({
    defaultConfigFiles: [],
    defaultConfigDirs: [],
    env: {},
    overrides: {
      BGP: { local_address: '127.0.180.1', my_as: '64512' },
      COMMON: { root_helper: '' },
      DATAPLANE_DRIVER_IPVPN: { dataplane_driver: 'mpls_linux_dataplane.MPLSLinuxDataplaneDriver', mpls_interface: 'eth1' },
    },
  });
  const drivers = createDrivers(config, memoryLogger(), { kernel: { root, release: 'x' } });
  assert.ok(drivers.ipvpn instanceof MplsLinuxDataplaneDriver);
  assert.equal(drivers.ipvpn.localAddress, '127.0.180.1');
  assert.deepEqual(drivers.ipvpn.lookingGlass().config, {
    dataplane_local_address: null,
    dataplane_driver: 'mpls_linux_dataplane.MPLSLinuxDataplaneDriver',
    mpls_interface: 'eth1',
  });
  assert.equal(drivers.evpn.name, 'DummyDataplaneDriver');
});

function conf(extra: string): string {
  const d = mkdtempSync(join(tmpdir(), 'bgm-conf-'));
  dirs.push(d);
  const f = join(d, 'bgp.conf');
  writeFileSync(f, `[BGP]\nlocal_address = 127.0.180.1\nmy_as = 64512\n[API]\nhost = 127.0.180.1\nport = 0\n[COMMON]\nroot_helper =\n${extra}`);
  return f;
}

test('bagpipe-bgp with the linux IP VPN driver on this kernel: exits 1 naming the missing modules', async () => {
  const missing = missingModules();
  const r = await runCli('bagpipe-bgp', ['--config-file', conf('[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = linux\nmpls_interface = eth1\n')], { timeoutMs: 20_000 });
  // This machine's kernel has neither MPLS routing nor VRF devices (and no modules to load).
  assert.deepEqual(missing, ['mpls_router', 'mpls_iptunnel', 'vrf']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(
    r.stderr.split('\n').at(-2)! + '\n',
    /^bagpipe-bgp: the linux IP VPN dataplane driver \(kernel MPLS\) needs the kernel modules mpls_router, mpls_iptunnel, vrf; missing: mpls_router \(no \/proc\/sys\/net\/mpls\), mpls_iptunnel, vrf \(loading them failed: modprobe -a mpls_router mpls_iptunnel vrf: .+\)\n$/,
  );
});

test('bagpipe-bgp with the linux IP VPN driver and no mpls_interface: exits 1 saying so', async () => {
  const r = await runCli('bagpipe-bgp', ['--config-file', conf('[DATAPLANE_DRIVER_IPVPN]\ndataplane_driver = linux\n')], { timeoutMs: 20_000 });
  assert.equal(r.status, 1);
  assert.equal(
    r.stderr.split('\n').at(-2),
    'bagpipe-bgp: [DATAPLANE_DRIVER_IPVPN] mpls_interface must be set for the linux driver: the interface sending and receiving MPLS, or *gre* for MPLS over GRE',
  );
});
