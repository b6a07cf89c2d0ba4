import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandPath, packageRoot, packageVersion } from '../../src/cli/command-path.js';

test('every package bin is a bundled, executable file where commandPath says', () => {
  const root = packageRoot();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string>; version: string };
  for (const [name, file] of Object.entries(pkg.bin)) {
    assert.equal(commandPath(name), join(root, file));
    accessSync(commandPath(name), constants.X_OK);
    const text = readFileSync(commandPath(name), 'utf8');
    assert.ok(text.startsWith('#!/usr/bin/env node\n'), name);
    // One file: no import of our own modules left (only node: built-ins).
    assert.deepEqual([...text.matchAll(/^import .* from ['"](?!node:)([^'"]+)['"]/gm)].map((m) => m[1]), [], name);
  }
  assert.equal(packageVersion(), pkg.version);
});

test('packageRoot finds the package from a path below it, and refuses a path outside any', () => {
  const root = packageRoot();
  assert.equal(packageRoot(join(root, 'dist', 'bin', 'x.js')), root);
  assert.throws(() => packageRoot('/proc/self/x'), /no bagpipe-bgp package.json above \/proc\/self\/x/);
});
