/**
 * Driver-wide command plans of the kernel MPLS driver (spec dataplane.md §5): initialize, a VRF
 * device's set-up and removal, reset_state from what the kernel holds, and the GRE next-hop
 * neighbours shared by the VRFs. Pure: they return steps; the driver runs them.
 *
 * The original's `sysctl` helper joined the characters of the knob with dots (`n.e.t...`), so
 * its initialize() failed at the first IP VPN attach (spec §5 "Bug"); here a knob is a list of
 * /proc/sys path segments, written as such.
 */
import { GRE_DEVICE, PLATFORM_LABELS, RT_PROTO, VRF_PREFIX } from './names.js';
import type { NextHopMode } from './next-hop.js';
import { ip, ip6, ipMpls, sysctl, type IpStep, type Step } from './steps.js';

/**
 * initialize (spec §5): label table size, MPLS input on the MPLS interface and on lo (our own
 * traffic to a local PE loops through lo), IPv4 forwarding. GRE mode first creates the NBMA GRE
 * device (RFC 4023 MPLS-in-GRE: GRE protocol 0x8847, any remote) and takes MPLS input on it.
 */
export function initializeSteps(mode: NextHopMode, localAddress: string): Step[] {
  const steps: Step[] = [sysctl(['net', 'mpls', 'platform_labels'], PLATFORM_LABELS)];
  if (mode.kind === 'gre') {
    steps.push(ip(`link add ${mode.device} type gre local ${localAddress} ttl 64`), ip(`link set ${mode.device} up`));
    steps.push(sysctl(['net', 'mpls', 'conf', mode.device, 'input'], 1));
  } else {
    steps.push(sysctl(['net', 'mpls', 'conf', mode.mplsInterface, 'input'], 1));
  }
  steps.push(sysctl(['net', 'mpls', 'conf', 'lo', 'input'], 1), sysctl(['net', 'ipv4', 'ip_forward'], 1));
  return steps;
}

/** The four policy rules of a VRF device for one family (spec §5 instance creation). */
function ruleSteps(rule: (args: string) => IpStep, dev: string, table: number): IpStep[] {
  return [
    // Rules left by an earlier device of that name go first (the kernel refuses duplicates).
    rule(`rule flush iif ${dev}`),
    rule(`rule flush oif ${dev}`),
    rule(`rule add iif ${dev} table ${table} pref 100`),
    rule(`rule add oif ${dev} table ${table} pref 100`),
    // VRF traffic matching no route of the table must not fall back to main/default.
    rule(`rule add iif ${dev} unreachable pref 101`),
    rule(`rule add oif ${dev} unreachable pref 101`),
  ];
}

/**
 * Instance creation: the VRF device bound to its table, up, the table emptied, the rules.
 * A leftover device of that name (reset_state removes them, so only after a failed clean-up) is
 * deleted first rather than reused: its table binding and ports would be someone else's.
 */
export function vrfSetupSteps(dev: string, table: number): Step[] {
  return [
    ip(`link del ${dev}`, 'absent-ok'),
    ip(`link add ${dev} type vrf table ${table}`),
    ip(`link set ${dev} up`),
    // The VRF device creates its table; "FIB table does not exist" only means nothing to flush.
    ip(`route flush table ${table}`, 'absent-ok'),
    ...ruleSteps((a) => ip(a), dev, table),
    ...ruleSteps((a) => ip6(a), dev, table),
  ];
}

/** Instance clean-up, after its ports have been released: device, rules, table. */
export function vrfTeardownSteps(dev: string, table: number): Step[] {
  return [
    ip(`link del ${dev}`, 'absent-ok'),
    ip(`rule flush iif ${dev}`, 'absent-ok'),
    ip(`rule flush oif ${dev}`, 'absent-ok'),
    ip6(`rule flush iif ${dev}`, 'absent-ok'),
    ip6(`rule flush oif ${dev}`, 'absent-ok'),
    ip(`route flush table ${table}`, 'absent-ok'),
  ];
}

/** What reset_state reads from the kernel (`ip -j link show`, `ip [-6] -j rule show`). */
export interface ObservedLink {
  readonly ifname: string;
  readonly master?: string;
}
export interface ObservedRule {
  readonly iif?: string;
  readonly oif?: string;
}
export interface ObservedState {
  readonly links: readonly ObservedLink[];
  readonly rules: readonly ObservedRule[];
  readonly rules6: readonly ObservedRule[];
}

/**
 * reset_state (spec §5 and §8): every `bvrf-*` device goes, its ports set down first (no traffic
 * of theirs leaks out of the VRF once released); the GRE device too; rules naming a `bvrf-*`
 * device (the original left them behind); routes of protocol 19 in every table; MPLS routes of
 * protocol 19. (The original flushed the whole MPLS table; only ours are removed here, so an
 * MPLS control plane sharing the host keeps its routes.) Best effort: a previous run's debris
 * must not stop this one.
 */
export function resetSteps(seen: ObservedState): Step[] {
  const steps: Step[] = [];
  const ours = (name: string | undefined): name is string => name !== undefined && name.startsWith(VRF_PREFIX);
  for (const vrf of seen.links.filter((l) => ours(l.ifname))) {
    for (const port of seen.links.filter((l) => l.master === vrf.ifname)) steps.push(ip(`link set ${port.ifname} down`, 'best-effort'));
    steps.push(ip(`link del ${vrf.ifname}`, 'best-effort'));
  }
  if (seen.links.some((l) => l.ifname === GRE_DEVICE)) steps.push(ip(`link del ${GRE_DEVICE}`, 'best-effort'));
  const flushRules = (rules: readonly ObservedRule[], rule: (a: string, t: 'best-effort') => IpStep): void => {
    const names = new Set<string>();
    for (const r of rules) for (const n of [r.iif, r.oif]) if (ours(n)) names.add(n);
    for (const n of [...names].sort()) steps.push(rule(`rule flush iif ${n}`, 'best-effort'), rule(`rule flush oif ${n}`, 'best-effort'));
  };
  flushRules(seen.rules, (a, t) => ip(a, t));
  flushRules(seen.rules6, (a, t) => ip6(a, t));
  steps.push(ip(`route flush table all proto ${RT_PROTO}`, 'best-effort'), ipMpls(`route flush proto ${RT_PROTO}`, 'best-effort'));
  return steps;
}

/**
 * GRE mode: one permanent neighbour `<PE> lladdr <PE>` on the NBMA GRE device per remote PE in
 * use by any route of any VRF (the outer destination of the GRE header), counted by user
 * (`<vrf> <prefix>`), added with its first user and removed with its last.
 */
export class GreNeighbours {
  private readonly users = new Map<string, Set<string>>();

  constructor(private readonly device: string) {}

  /** The PE is now used by `user`: the neighbour's steps if it is the first. */
  use(pe: string, user: string): Step[] {
    let u = this.users.get(pe);
    if (!u) this.users.set(pe, (u = new Set()));
    const first = u.size === 0;
    u.add(user);
    return first ? [ip(`neigh replace ${pe} lladdr ${pe} dev ${this.device} nud permanent`)] : [];
  }

  /** The neighbour's commands failed: its next use sends them again. */
  failed(pe: string, user: string): void {
    const u = this.users.get(pe);
    u?.delete(user);
    if (u?.size === 0) this.users.delete(pe);
  }

  /** `user` no longer uses the PE: the neighbour's removal if it was the last. */
  release(pe: string, user: string): Step[] {
    const u = this.users.get(pe);
    if (!u?.delete(user)) return [];
    if (u.size > 0) return [];
    this.users.delete(pe);
    return [ip(`neigh del ${pe} dev ${this.device}`, 'absent-ok')];
  }

  /** Every user whose name starts with `prefix` releases its PEs. */
  releaseAll(prefix: string): Step[] {
    const steps: Step[] = [];
    for (const [pe, u] of [...this.users]) for (const user of [...u]) if (user.startsWith(prefix)) steps.push(...this.release(pe, user));
    return steps;
  }

  peers(): Record<string, string[]> {
    return Object.fromEntries([...this.users].map(([pe, u]) => [pe, [...u].sort()]));
  }
}
