/**
 * Start-up check of the kernel MPLS driver: the kernel must route MPLS (`mpls_router`), push
 * labels on IP routes (`mpls_iptunnel`, lwtunnel `encap mpls`) and have VRF devices (`vrf`).
 * The original ran `modprobe` for each and went on whatever happened, to fail later, at the first
 * attach or the first route; here a missing piece stops the daemon at start with one message
 * naming what is missing.
 *
 * Read-only signs of each piece, valid for a module as for a built-in:
 * - mpls_router: /proc/sys/net/mpls exists (the module registers it, per network namespace);
 * - mpls_iptunnel, vrf: /sys/module/<name> (a loaded module; vrf also when built in, it has a
 *   version) or a line `…/<name>.ko` in /lib/modules/<release>/modules.builtin.
 * Missing pieces are loaded with `modprobe` (through the root helper) and looked for again.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';

export const REQUIRED_MODULES = ['mpls_router', 'mpls_iptunnel', 'vrf'] as const;
export type RequiredModule = (typeof REQUIRED_MODULES)[number];

export interface KernelSupportOptions {
  /** Root of /proc/sys, /sys/module, /lib/modules (tests point it at a prepared tree). */
  readonly root?: string;
  readonly release?: string;
  /** Loads modules; returns an error text or undefined. Default: `<root helper> modprobe -a …`. */
  readonly modprobe?: (modules: readonly string[]) => string | undefined;
}

function builtin(root: string, rel: string, module: string): boolean {
  try {
    const text = readFileSync(join(root, 'lib/modules', rel, 'modules.builtin'), 'utf8');
    return text.split('\n').some((l) => l.endsWith(`/${module}.ko`));
  } catch {
    return false;
  }
}

function present(root: string, rel: string, module: RequiredModule): boolean {
  if (module === 'mpls_router') return existsSync(join(root, 'proc/sys/net/mpls'));
  return existsSync(join(root, 'sys/module', module)) || builtin(root, rel, module);
}

/** The required modules this kernel lacks (none: the driver can run). */
export function missingModules(options: KernelSupportOptions = {}): RequiredModule[] {
  const root = options.root ?? '/';
  const rel = options.release ?? release();
  return REQUIRED_MODULES.filter((m) => !present(root, rel, m));
}

/** `<root helper> modprobe -a <modules>`: the error text when it fails. */
export function modprobeWith(rootHelper: readonly string[]): (modules: readonly string[]) => string | undefined {
  return (modules) => {
    const argv = [...rootHelper, 'modprobe', '-a', ...modules];
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.error) return `${argv.join(' ')}: ${r.error.message}`;
    if (r.status !== 0) return `${argv.join(' ')}: ${(r.stderr || `exit status ${r.status}`).trim().split('\n').join('; ')}`;
    return undefined;
  };
}

export class KernelSupportError extends Error {
  override readonly name = 'KernelSupportError';
}

/**
 * Throws KernelSupportError unless the kernel has every required module, after trying to load
 * the missing ones.
 */
export function checkKernelSupport(options: KernelSupportOptions = {}): void {
  let missing = missingModules(options);
  if (missing.length === 0) return;
  const loadError = options.modprobe?.(missing);
  missing = missingModules(options);
  if (missing.length === 0) return;
  const signs = missing.map((m) => (m === 'mpls_router' ? 'mpls_router (no /proc/sys/net/mpls)' : m));
  throw new KernelSupportError(
    `the linux IP VPN dataplane driver (kernel MPLS) needs the kernel modules ${REQUIRED_MODULES.join(', ')}; ` +
      `missing: ${signs.join(', ')}${loadError ? ` (loading them failed: ${loadError})` : ''}`,
  );
}
