// Makes a fresh clone runnable: installs npm dependencies from the lockfile when they are
// missing or stale, then compiles the TypeScript and bundles the commands (dist/bin/). Used by `npm start`, `npm test`, `npm run bench`.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

const stamp = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(stamp) || mtime(join(root, 'package-lock.json')) > mtime(stamp)) {
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')]);
run(process.execPath, [join(root, 'scripts', 'bundle.mjs')]);
