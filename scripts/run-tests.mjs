// Runs the whole test suite with node's built-in runner over the compiled tests.
// Usage: node scripts/run-tests.mjs [substring filter...]
// Scenario tests (test/scenario/) and oracle comparisons need Debian packages (real BGP peers, OVS,
// tshark, oslo.config): scripts/install-deps.sh installs them first when missing (as root).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2);

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const files = walk(join(root, 'dist', 'test'))
  .filter((f) => filters.length === 0 || filters.some((s) => relative(root, f).includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test file matched');
  process.exit(1);
}
// Real peers, tshark, OVS, the original daemon and oslo.config are Debian packages: installed
// here when missing, so that no test has to skip.
const deps = spawnSync('bash', [join(root, 'scripts', 'install-deps.sh'), '--check-or-install'], { stdio: 'inherit' });
if (deps.status !== 0) process.exit(deps.status ?? 1);
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
