/**
 * The commands the kernel MPLS driver produces (spec dataplane.md §5), as data: iproute2 command
 * lines (one `ip` batch line each, with the address family that line needs) and sysctl writes.
 * The planner returns these; the executor runs them; the tests compare their text.
 *
 * Why a family per line: an `ip -batch` line cannot carry `-6` or `-f mpls` (iproute2 reads
 * options only before `-batch`; "Object "-6" is unknown"), and without `-f mpls` a label such
 * as `100` parses as an IPv4 prefix. The executor sends each line to a batch of its family.
 */

/** `ip` global family option: none (IPv4 / links), `-6`, `-f mpls`. */
export type IpFamily = 'inet' | 'inet6' | 'mpls';

/**
 * What a failure of the step means:
 * - `required`: the change did not happen (the call fails, the resource stays uninstalled);
 * - `absent-ok`: a removal whose target may already be gone (the kernel removes neighbours of
 *   a port set down, routes of a deleted device…): logged as a warning, counted as done;
 * - `best-effort`: clean-up of a previous run (reset_state): logged as a warning.
 */
export type Tolerance = 'required' | 'absent-ok' | 'best-effort';

export interface IpStep {
  readonly kind: 'ip';
  readonly family: IpFamily;
  /** The batch line: `route replace …` (no leading `ip`, no options). */
  readonly args: readonly string[];
  readonly tolerance: Tolerance;
}

/** A write under /proc/sys; the path is kept in segments (interface names may contain dots). */
export interface SysctlStep {
  readonly kind: 'sysctl';
  readonly path: readonly string[];
  readonly value: string;
  readonly tolerance: Tolerance;
}

export type Step = IpStep | SysctlStep;

export function ip(args: string, tolerance: Tolerance = 'required', family: IpFamily = 'inet'): IpStep {
  return { kind: 'ip', family, args: args.split(' '), tolerance };
}

export function ip6(args: string, tolerance: Tolerance = 'required'): IpStep {
  return ip(args, tolerance, 'inet6');
}

export function ipMpls(args: string, tolerance: Tolerance = 'required'): IpStep {
  return ip(args, tolerance, 'mpls');
}

export function sysctl(path: readonly string[], value: string | number, tolerance: Tolerance = 'required'): SysctlStep {
  return { kind: 'sysctl', path, value: String(value), tolerance };
}

const FAMILY_OPTION: Record<IpFamily, string> = { inet: '', inet6: '-6 ', mpls: '-f mpls ' };

/**
 * The command line a step stands for, as an operator would type it: `ip -f mpls route replace …`,
 * `sysctl -w net.ipv4.conf.tap1.proxy_arp=1`. A sysctl key whose segments contain a dot is written
 * with slashes, sysctl(8)'s own notation for that case (`net/ipv4/conf/eth0.100/proxy_arp`).
 */
export function stepText(s: Step): string {
  if (s.kind === 'ip') return `ip ${FAMILY_OPTION[s.family]}${s.args.join(' ')}`;
  return `sysctl -w ${sysctlKey(s.path)}=${s.value}`;
}

export function sysctlKey(path: readonly string[]): string {
  return path.join(path.some((p) => p.includes('.')) ? '/' : '.');
}

/** The text of every step (tests and looking glass). */
export function stepsText(steps: readonly Step[]): string[] {
  return steps.map(stepText);
}
