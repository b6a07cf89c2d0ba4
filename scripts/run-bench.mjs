// Runs the compiled benchmarks (dist/bench/*.js, from bench/*.ts), one node process each, in turn.
// Usage: node scripts/run-bench.mjs [name...] [--option=value...]
//   name     a benchmark to run ("codec", "codec.js" or "bench/codec.ts"); all when none given
//   --x=y    passed to every benchmark run (e.g. --runs=10 --only=vpnv4; see bench/lib/harness.ts)
// `npm run bench -- codec --runs=10` compiles first (scripts/ensure-ready.mjs). Benchmarks print
// numbers, never pass/fail; the exit status is non-zero only when a benchmark crashed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'dist', 'bench');
const args = process.argv.slice(2);
const passed = args.filter((a) => a.startsWith('-'));
const names = args.filter((a) => !a.startsWith('-')).map((a) => basename(a).replace(/\.(ts|js)$/, ''));

const available = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.js'))
      .map((f) => f.slice(0, -3))
      .sort()
  : [];
if (available.length === 0) {
  console.error(`no compiled benchmark in ${dir}: run "npx tsc -p ." (or "npm run bench", which compiles first)`);
  process.exit(1);
}
const unknown = names.filter((n) => !available.includes(n));
if (unknown.length > 0) {
  console.error(`no benchmark named ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(1);
}

let status = 0;
for (const name of names.length > 0 ? names : available) {
  console.log(`== bench/${name}.ts`);
  const r = spawnSync(process.execPath, [join(dir, `${name}.js`), ...passed], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.error(`bench/${name}.ts exited with ${r.status ?? r.signal}`);
    status = 1;
  }
}
process.exit(status);
