/**
 * A model of the kernel state the MPLS driver touches, as a pure reducer of the command lines it
 * produces (this machine's kernel has no MPLS routing and no VRF devices, so the driver's lines
 * cannot all run for real). It is an oracle of our own: the lines it can check for real are
 * checked against the kernel in linux-mpls-kernel.test.ts, including the model's route semantics.
 *
 * Modelled (with the kernel's refusals as errors): links (VRF devices with their table, other
 * devices given at creation), master / up / down (a device cycled by enslaving, releasing or
 * setting down loses its neighbour entries, permanent ones included: arp_ifdown), addresses,
 * neighbours, policy rules per family (duplicates refused), IPv4 routes per table with their
 * next hops (a next hop's device must exist), MPLS routes, sysctls under net.ipv4.conf.<dev> and
 * net.mpls.conf.<dev> (the device must exist). Not modelled: connected routes, forwarding.
 */
import type { ObservedState } from '../../../src/dataplane/linux-mpls/driver-plan.js';
import type { MplsExecutor, StepResult } from '../../../src/dataplane/linux-mpls/executor.js';
import { sysctlKey, stepText, type Step } from '../../../src/dataplane/linux-mpls/steps.js';

export interface ModelLink {
  kind: string;
  table?: number;
  master?: string;
  up: boolean;
  addrs: Set<string>;
}

export interface ModelNextHop {
  readonly encap?: number;
  readonly via?: string;
  readonly dev: string;
  readonly onlink?: boolean;
}

export interface ModelRoute {
  readonly proto: number;
  readonly nexthops: readonly ModelNextHop[];
}

export interface ModelRule {
  readonly family: 4 | 6;
  readonly selector: string;
  readonly action: string;
  readonly pref: number;
}

export class KernelError extends Error {}

export class KernelModel implements MplsExecutor {
  readonly links = new Map<string, ModelLink>();
  readonly rules: ModelRule[] = [];
  /** table → destination → route. */
  readonly routes = new Map<number, Map<string, ModelRoute>>();
  readonly mpls = new Map<number, { via: string; dev: string; proto: number }>();
  /** "<dev> <ip>" → MAC. */
  readonly neighbours = new Map<string, string>();
  readonly sysctls = new Map<string, string>();
  /** Lines the kernel refuses (text → error), to play the kernel's failures. */
  readonly refuse = new Map<string, string>();
  /** Every step's text, in order, with its outcome. */
  readonly log: { line: string; ok: boolean; error?: string }[] = [];

  constructor(devices: readonly string[] = []) {
    this.links.set('lo', { kind: 'loopback', up: true, addrs: new Set(['127.0.0.1/8']) });
    for (const d of devices) this.addDevice(d);
  }

  addDevice(name: string, kind = 'veth'): void {
    this.links.set(name, { kind, up: false, addrs: new Set() });
  }

  /** Lines of the log (text only), optionally from a mark on. */
  lines(from = 0): string[] {
    return this.log.slice(from).map((l) => l.line);
  }

  mark(): number {
    return this.log.length;
  }

  // ---- MplsExecutor ----

  run(steps: readonly Step[]): Promise<StepResult[]> {
    return Promise.resolve(
      steps.map((s) => {
        const line = stepText(s);
        try {
          const refused = this.refuse.get(line);
          if (refused !== undefined) throw new KernelError(refused);
          if (s.kind === 'sysctl') this.sysctl(s.path, s.value);
          else this.ip(s.family, [...s.args]);
          this.log.push({ line, ok: true });
          return { ok: true };
        } catch (e) {
          const error = e instanceof KernelError ? e.message : `model: ${String(e)}`;
          this.log.push({ line, ok: false, error });
          return { ok: false, error };
        }
      }),
    );
  }

  linkExists(ifname: string): Promise<boolean> {
    return Promise.resolve(this.links.has(ifname));
  }

  observe(): Promise<ObservedState> {
    const rule = (r: ModelRule): { iif?: string; oif?: string } => {
      const [k, v] = r.selector.split(' ');
      return k === 'iif' ? { iif: v! } : { oif: v! };
    };
    return Promise.resolve({
      links: [...this.links].map(([ifname, l]) => (l.master ? { ifname, master: l.master } : { ifname })),
      rules: this.rules.filter((r) => r.family === 4).map(rule),
      rules6: this.rules.filter((r) => r.family === 6).map(rule),
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  // ---- the reducer ----

  private link(name: string): ModelLink {
    const l = this.links.get(name);
    if (!l) throw new KernelError(`Cannot find device "${name}"`);
    return l;
  }

  /** Enslaving, releasing or setting a device down flushes its neighbours. */
  private flushNeighbours(dev: string): void {
    for (const k of [...this.neighbours.keys()]) if (k.startsWith(`${dev} `)) this.neighbours.delete(k);
  }

  private sysctl(path: readonly string[], value: string): void {
    const key = sysctlKey(path);
    if ((path[1] === 'ipv4' || path[1] === 'mpls') && path[2] === 'conf' && !['all', 'default'].includes(path[3]!)) this.link(path[3]!);
    this.sysctls.set(key, value);
  }

  private ip(family: 'inet' | 'inet6' | 'mpls', a: string[]): void {
    const [obj, verb, ...rest] = a;
    if (family === 'mpls') return this.mplsRoute(verb!, rest);
    if (obj === 'link') return this.linkCmd(verb!, rest);
    if (obj === 'rule') return this.ruleCmd(family === 'inet6' ? 6 : 4, verb!, rest);
    if (obj === 'route' && family === 'inet') return this.routeCmd(verb!, rest);
    if (obj === 'neigh') return this.neighCmd(verb!, rest);
    if (obj === 'addr') return this.addrCmd(verb!, rest);
    throw new Error(`unmodelled: ${a.join(' ')}`);
  }

  private linkCmd(verb: string, r: string[]): void {
    if (verb === 'add') {
      const [name, type, kind, ...opts] = r;
      if (type !== 'type') throw new Error(`unmodelled link add ${r.join(' ')}`);
      if (this.links.has(name!)) throw new KernelError('RTNETLINK answers: File exists');
      const l: ModelLink = { kind: kind!, up: false, addrs: new Set() };
      if (kind === 'vrf') l.table = Number(opts[opts.indexOf('table') + 1]);
      this.links.set(name!, l);
      return;
    }
    if (verb === 'del') {
      const name = r[0]!;
      this.link(name);
      this.links.delete(name);
      for (const other of this.links.values()) if (other.master === name) other.master = undefined;
      this.flushNeighbours(name);
      for (const [label, m] of [...this.mpls]) if (m.dev === name) this.mpls.delete(label);
      return;
    }
    if (verb === 'set') {
      const [name, what, arg] = r;
      const l = this.link(name!);
      if (what === 'up') l.up = true;
      else if (what === 'down') {
        l.up = false;
        this.flushNeighbours(name!);
      } else if (what === 'master') {
        const m = this.link(arg!);
        if (m.kind !== 'vrf') throw new KernelError('Error: Device can not be enslaved while up.');
        l.master = arg;
        this.flushNeighbours(name!);
      } else if (what === 'nomaster') {
        if (l.master !== undefined) this.flushNeighbours(name!);
        l.master = undefined;
      } else throw new Error(`unmodelled link set ${r.join(' ')}`);
      return;
    }
    throw new Error(`unmodelled link ${verb}`);
  }

  private ruleCmd(family: 4 | 6, verb: string, r: string[]): void {
    if (verb === 'flush') {
      const selector = r.join(' ');
      for (let i = this.rules.length - 1; i >= 0; i--) if (this.rules[i]!.family === family && this.rules[i]!.selector === selector) this.rules.splice(i, 1);
      return;
    }
    if (verb === 'add') {
      // `iif X table T pref P` / `iif X unreachable pref P`
      const selector = `${r[0]} ${r[1]}`;
      const action = r[2] === 'table' ? `table ${r[3]}` : r[2]!;
      const pref = Number(r[r.indexOf('pref') + 1]);
      const rule: ModelRule = { family, selector, action, pref };
      if (this.rules.some((x) => JSON.stringify(x) === JSON.stringify(rule))) throw new KernelError('RTNETLINK answers: File exists');
      this.rules.push(rule);
      return;
    }
    throw new Error(`unmodelled rule ${verb}`);
  }

  private table(n: number): Map<string, ModelRoute> {
    let t = this.routes.get(n);
    if (!t) this.routes.set(n, (t = new Map<string, ModelRoute>()));
    return t;
  }

  /** One next hop's words: [encap mpls L] [via A] dev D [onlink]. */
  private nextHop(words: string[]): ModelNextHop {
    let encap: number | undefined;
    let via: string | undefined;
    let dev: string | undefined;
    let onlink = false;
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (w === 'encap') {
        if (words[i + 1] !== 'mpls') throw new Error('unmodelled encap');
        encap = Number(words[i + 2]);
        i += 2;
      } else if (w === 'via') via = words[++i];
      else if (w === 'dev') dev = words[++i];
      else if (w === 'onlink') onlink = true;
      else throw new Error(`unmodelled next hop word ${w}`);
    }
    if (dev === undefined) throw new KernelError('Error: Nexthop device required.');
    this.link(dev);
    return { ...(encap !== undefined ? { encap } : {}), ...(via !== undefined ? { via } : {}), dev, ...(onlink ? { onlink } : {}) };
  }

  private routeCmd(verb: string, r: string[]): void {
    if (verb === 'flush') {
      // `flush table T` or `flush table all proto P`
      const t = r[1]!;
      const proto = r.includes('proto') ? Number(r[r.indexOf('proto') + 1]) : undefined;
      for (const [n, routes] of this.routes) {
        if (t !== 'all' && Number(t) !== n) continue;
        for (const [dst, route] of [...routes]) if (proto === undefined || route.proto === proto) routes.delete(dst);
      }
      return;
    }
    const dst = r[0]!;
    const table = Number(r[r.indexOf('table') + 1]);
    const proto = Number(r[r.indexOf('proto') + 1]);
    const rest = r.slice(r.indexOf('proto') + 2);
    if (verb === 'del') {
      const route = this.routes.get(table)?.get(dst);
      if (!route || route.proto !== proto) throw new KernelError('RTNETLINK answers: No such process');
      this.routes.get(table)!.delete(dst);
      return;
    }
    if (verb !== 'replace') throw new Error(`unmodelled route ${verb}`);
    const nexthops: ModelNextHop[] = [];
    if (rest[0] === 'nexthop') {
      let cur: string[] = [];
      for (const w of rest.slice(1)) {
        if (w === 'nexthop') {
          nexthops.push(this.nextHop(cur));
          cur = [];
        } else cur.push(w);
      }
      nexthops.push(this.nextHop(cur));
    } else nexthops.push(this.nextHop(rest));
    this.table(table).set(dst, { proto, nexthops });
  }

  private mplsRoute(verb: string, r: string[]): void {
    if (verb === 'flush') {
      const proto = Number(r[r.indexOf('proto') + 1]);
      for (const [label, m] of [...this.mpls]) if (m.proto === proto) this.mpls.delete(label);
      return;
    }
    const label = Number(r[0]);
    if (verb === 'del') {
      if (!this.mpls.delete(label)) throw new KernelError('RTNETLINK answers: No such process');
      return;
    }
    // replace L via inet IP dev P proto N
    if (verb !== 'replace' || r[1] !== 'via' || r[2] !== 'inet') throw new Error(`unmodelled mpls route ${r.join(' ')}`);
    const dev = r[r.indexOf('dev') + 1]!;
    this.link(dev);
    this.mpls.set(label, { via: r[3]!, dev, proto: Number(r[r.indexOf('proto') + 1]) });
  }

  private neighCmd(verb: string, r: string[]): void {
    const ipAddr = r[0]!;
    const dev = r[r.indexOf('dev') + 1]!;
    this.link(dev);
    const key = `${dev} ${ipAddr}`;
    if (verb === 'replace') this.neighbours.set(key, r[r.indexOf('lladdr') + 1]!);
    else if (verb === 'del') {
      if (!this.neighbours.delete(key)) throw new KernelError('RTNETLINK answers: No such file or directory');
    } else throw new Error(`unmodelled neigh ${verb}`);
  }

  private addrCmd(verb: string, r: string[]): void {
    const addr = r[0]!;
    const l = this.link(r[r.indexOf('dev') + 1]!);
    if (verb === 'replace') l.addrs.add(addr);
    else if (verb === 'del') {
      if (!l.addrs.delete(addr)) throw new KernelError('RTNETLINK answers: Cannot assign requested address');
    } else throw new Error(`unmodelled addr ${verb}`);
  }
}
