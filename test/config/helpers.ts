/** Shared helpers of the config tests: temporary files and a loader isolated from this machine. */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import type { LoadOptions } from '../../src/config/load.js';
import type { LoadedConfig } from '../../src/config/options.js';
import type { TypeContext } from '../../src/config/types.js';

const roots: string[] = [];
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** A fresh directory holding the given files (names may contain `/`); removed after the tests. */
export function tmpFiles(files: Readonly<Record<string, string | Buffer>> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'bagpipe-config-'));
  roots.push(root);
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return root;
}

/** Interfaces for tests: eth7 has 192.0.2.7 (after an IPv6 one), v6only has only IPv6, down0 exists without address. */
export const fakeInterfaces: TypeContext = {
  interfaces: () => ({
    lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
    eth7: [
      { address: 'fd00::7', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:00:00:00:00:07', internal: false, cidr: 'fd00::7/64', scopeid: 0 },
      { address: '192.0.2.7', netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:07', internal: false, cidr: '192.0.2.7/24' },
      { address: '192.0.2.77', netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:07', internal: false, cidr: '192.0.2.77/24' },
    ],
    v6only: [{ address: 'fd00::8', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:00:00:00:00:08', internal: false, cidr: 'fd00::8/64', scopeid: 0 }],
  }),
  interfaceExists: (name) => ['lo', 'eth7', 'v6only', 'down0'].includes(name),
};

export const BASE = '[BGP]\nlocal_address = 192.0.2.1\nmy_as = 64512\n';

/**
 * Loads INI texts given in order as --config-file, with no default file or directory, an empty
 * environment and fake interfaces (unless the options say otherwise).
 */
export function loadTexts(texts: readonly string[], options: LoadOptions = {}): LoadedConfig {
  const files: Record<string, string> = {};
  texts.forEach((t, i) => (files[`f${i}.conf`] = t));
  const dir = tmpFiles(files);
  return loadConfig({
    configFiles: texts.map((_, i) => join(dir, `f${i}.conf`)),
    defaultConfigFiles: [],
    defaultConfigDirs: [],
    env: {},
    typeContext: fakeInterfaces,
    ...options,
  });
}

/** Loads one text after BASE (so that the required options are set). */
export function loadWithBase(text: string, options: LoadOptions = {}): LoadedConfig {
  return loadTexts([BASE + text], options);
}
