/**
 * Where the package's commands live. Each command is shipped as one bundled file,
 * `dist/bin/<name>.js` (scripts/bundle.mjs: the compiled modules of `dist/src/` joined by esbuild):
 * a daemon that loads one module instead of several hundred starts in less time and about 20 MB
 * less memory (Node's module loader, its resolution caches and the compiled loader code stay
 * small). Commands that start other commands (the demo starts daemons) find them here, from
 * either layout: this module runs inside a bundle (`dist/bin/`) or compiled (`dist/src/cli/`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'bagpipe-bgp';

/** The directory of this package's package.json, found upwards from `from` (a file URL or path). */
export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(from.startsWith('file:') ? fileURLToPath(from) : from);
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no ${PACKAGE_NAME} package.json above ${from}`);
    dir = up;
  }
}

let ownRoot: string | undefined;

/** This package's root (found once). */
function root(): string {
  return (ownRoot ??= packageRoot());
}

/** The package's version, "unknown" when its package.json cannot be read. */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(root(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The bundled command `name` ("bagpipe-bgp", "bagpipe-looking-glass"…). */
export function commandPath(name: string): string {
  return join(root(), 'dist', 'bin', `${name}.js`);
}
