/**
 * The pure planner of one VRF of the kernel MPLS driver (spec dataplane.md §5): it keeps what the
 * kernel should hold for the VRF (desired) and what the commands it produced have been confirmed
 * to have installed, and turns each change of the desired state into the commands that bring the
 * kernel there. No I/O: the driver runs the commands and reports each change's outcome back
 * (applied()).
 *
 * The desired state is a set of keyed resources, each with the commands that create (or update)
 * and remove it:
 *
 * | resource          | create / update                                                  | remove |
 * |-------------------|------------------------------------------------------------------|--------|
 * | port P            | `link set P master bvrf-N`, `link set P up`, proxy_arp=1, proxy_arp_pvlan=1, `addr replace <gw>/<len> broadcast <b> dev P` | `link set P down`, proxy_arp(_pvlan)=0, `link set P nomaster`, `addr del <gw>/<len> dev P` |
 * | neighbour P, ip   | `neigh replace <ip> lladdr <mac> dev P nud permanent`            | `neigh del <ip> dev P` |
 * | MPLS pop, label   | `-f mpls route replace <label> via inet <ip> dev P proto 19`     | `-f mpls route del <label>` |
 * | route, prefix     | `route replace <prefix> table T proto 19 <next hop>` (one) or `… nexthop <nh> nexthop <nh>…` (ECMP) | `route del <prefix> table T proto 19` |
 *
 * Every create command is idempotent (`replace`), so a change of a resource, or a retry after a
 * failure, is its create commands again: adding or removing one ECMP next hop is one
 * `route replace` with the new set (IPv4 has no "add one next hop" operation: `ip route
 * append` makes a second, failover-only route), removing the last is `route del`.
 *
 * Departures from the original, which never ran (its sysctl call crashed at initialize):
 * a port's own settings are removed with its last endpoint, not at every endpoint's unplug; an
 * MPLS pop route lives while an endpoint of its label (one per MAC) remains, via the first one's
 * address; neighbour entries are removed with their endpoint; IP-less endpoints plug the port only
 * (no neighbour, no pop route: nothing is advertised for them).
 */
import { isDeepStrictEqual } from 'node:util';
import { broadcastOf, normalMac, RT_PROTO } from './names.js';
import { nextHopWords, sameNextHop, type NextHop, type NextHopMode } from './next-hop.js';
import { ip, ipMpls, sysctl, type Step } from './steps.js';

export interface VrfConfig {
  readonly vrfDevice: string;
  readonly table: number;
  /** Gateway address configured on every plugged port (none: no address). */
  readonly gateway: { readonly address: string; readonly length: number } | null;
  readonly mode: NextHopMode;
  readonly localAddress: string;
}

export interface PortResource {
  readonly kind: 'port';
  readonly ifname: string;
}
export interface NeighbourResource {
  readonly kind: 'neighbour';
  readonly ifname: string;
  readonly ip: string;
  readonly mac: string;
}
export interface PopResource {
  readonly kind: 'pop';
  readonly label: number;
  readonly ip: string;
  readonly ifname: string;
}
export interface RouteResource {
  readonly kind: 'route';
  readonly prefix: string;
  readonly nextHops: readonly NextHop[];
}
export type Resource = PortResource | NeighbourResource | PopResource | RouteResource;

/** Creation order; removal goes the other way (a pop route before its port leaves the VRF). */
const ORDER: Record<Resource['kind'], number> = { port: 0, neighbour: 1, pop: 2, route: 3 };

export function resourceKey(r: Resource): string {
  switch (r.kind) {
    case 'port':
      return `port ${r.ifname}`;
    case 'neighbour':
      return `neighbour ${r.ifname} ${r.ip}`;
    case 'pop':
      return `pop ${r.label}`;
    case 'route':
      return `route ${r.prefix}`;
  }
}

export interface Change {
  readonly key: string;
  readonly op: 'create' | 'update' | 'remove';
  /** The resource as it will be once the change is applied (the removed one for 'remove'). */
  readonly resource: Resource;
  readonly steps: readonly Step[];
}

/** A resource as the kernel holds it after our commands; `failed`: its last commands failed. */
export interface InstalledResource {
  readonly resource: Resource;
  readonly failed: boolean;
  readonly error?: string;
}

export interface PlugEndpoint {
  readonly mac: string;
  readonly ip: string | null;
  readonly label: number;
}

/** `default` for 0.0.0.0/0, as `ip route` writes it. */
export function routeDestination(prefix: string): string {
  return prefix === '0.0.0.0/0' ? 'default' : prefix;
}

export class VrfPlan {
  /** linuxif → endpoints (mac|ip key) in plug order. */
  private readonly ports = new Map<string, Map<string, PlugEndpoint>>();
  /** prefix → next hops in arrival order. */
  private readonly routes = new Map<string, NextHop[]>();
  private readonly desired = new Map<string, Resource>();
  private readonly installed = new Map<string, InstalledResource>();

  constructor(readonly config: VrfConfig) {}

  // ---- changes of the desired state; each returns the changes to apply, in order ----

  plug(ifname: string, ep: PlugEndpoint): Change[] {
    let eps = this.ports.get(ifname);
    if (!eps) this.ports.set(ifname, (eps = new Map<string, PlugEndpoint>()));
    eps.set(endpointKey(ep.mac, ep.ip), { ...ep, mac: normalMac(ep.mac) });
    return this.refreshPort(ifname, ep.label);
  }

  unplug(ifname: string, mac: string, ipAddress: string | null, label: number): Change[] {
    const eps = this.ports.get(ifname);
    if (!eps?.delete(endpointKey(normalMac(mac), ipAddress))) return [];
    if (eps.size === 0) this.ports.delete(ifname);
    return this.refreshPort(ifname, label);
  }

  /** A next hop for a prefix (a new best route); already there: nothing to do. */
  addNextHop(prefix: string, nh: NextHop): Change[] {
    const nhs = this.routes.get(prefix) ?? [];
    if (nhs.some((n) => sameNextHop(n, nh))) return [];
    this.routes.set(prefix, [...nhs, nh]);
    return this.refresh([`route ${prefix}`]);
  }

  /** Removes one next hop of a prefix; the route goes with its last one. Unknown: nothing to do. */
  removeNextHop(prefix: string, nh: NextHop): Change[] {
    const nhs = this.routes.get(prefix);
    if (!nhs?.some((n) => sameNextHop(n, nh))) return [];
    const rest = nhs.filter((n) => !sameNextHop(n, nh));
    if (rest.length === 0) this.routes.delete(prefix);
    else this.routes.set(prefix, rest);
    return this.refresh([`route ${prefix}`]);
  }

  /**
   * The instance goes (cleanup): removal of every port, neighbour and pop route installed. Routes
   * of the VRF table are not removed one by one: the driver flushes the table with the device.
   */
  teardown(): Change[] {
    this.ports.clear();
    this.routes.clear();
    const changes: Change[] = [];
    for (const [key, inst] of this.installed) {
      this.desired.delete(key);
      if (inst.resource.kind === 'route') continue;
      changes.push({ key, op: 'remove', resource: inst.resource, steps: this.removeSteps(inst.resource) });
    }
    return sortChanges(changes);
  }

  /** Forgets the routes of the table (the driver flushed it). */
  tableFlushed(): void {
    for (const [key, inst] of [...this.installed]) if (inst.resource.kind === 'route') this.installed.delete(key);
  }

  /** The outcome of a change's commands (error: the first required command that failed). */
  applied(change: Change, error?: string): void {
    if (change.op === 'remove') {
      // Removals tolerate an absent target: once tried, the resource is gone for us.
      this.installed.delete(change.key);
      return;
    }
    this.installed.set(change.key, error === undefined ? { resource: change.resource, failed: false } : { resource: change.resource, failed: true, error });
  }

  // ---- state ----

  desiredResources(): Resource[] {
    return [...this.desired.values()];
  }

  installedResources(): [string, InstalledResource][] {
    return [...this.installed];
  }

  nextHops(prefix: string): readonly NextHop[] {
    return this.routes.get(prefix) ?? [];
  }

  portNames(): string[] {
    return [...this.ports.keys()];
  }

  hasPort(ifname: string): boolean {
    return this.ports.has(ifname);
  }

  // ---- planning ----

  /** Recomputes the resources of a port (and of a label) and returns the changes. */
  private refreshPort(ifname: string, label: number): Change[] {
    const keys = new Set<string>([`port ${ifname}`, `pop ${label}`]);
    for (const [key, r] of this.desired) if (r.kind === 'neighbour' && r.ifname === ifname) keys.add(key);
    for (const ep of this.ports.get(ifname)?.values() ?? []) if (ep.ip !== null) keys.add(`neighbour ${ifname} ${ep.ip}`);
    return this.refresh([...keys]);
  }

  /** What a key should be now, from the desired inputs (undefined: should not exist). */
  private want(key: string): Resource | undefined {
    const [kind, a, b] = key.split(' ') as [string, string, string | undefined];
    if (kind === 'port') return this.ports.has(a) ? { kind: 'port', ifname: a } : undefined;
    if (kind === 'neighbour') {
      for (const ep of this.ports.get(a)?.values() ?? []) if (ep.ip === b) return { kind: 'neighbour', ifname: a, ip: b, mac: ep.mac };
      return undefined;
    }
    if (kind === 'pop') {
      const label = Number(a);
      for (const [ifname, eps] of this.ports) {
        for (const ep of eps.values()) if (ep.label === label && ep.ip !== null) return { kind: 'pop', label, ip: ep.ip, ifname };
      }
      return undefined;
    }
    const nhs = this.routes.get(a);
    return nhs ? { kind: 'route', prefix: a, nextHops: nhs } : undefined;
  }

  private refresh(keys: readonly string[]): Change[] {
    const changes: Change[] = [];
    for (const key of keys) {
      const want = this.want(key);
      if (want) this.desired.set(key, want);
      else this.desired.delete(key);
      const have = this.installed.get(key);
      if (want && (!have || have.failed || !isDeepStrictEqual(have.resource, want))) {
        changes.push({ key, op: have ? 'update' : 'create', resource: want, steps: this.createSteps(want) });
      } else if (!want && have) {
        changes.push({ key, op: 'remove', resource: have.resource, steps: this.removeSteps(have.resource) });
      }
    }
    return sortChanges(changes);
  }

  createSteps(r: Resource): Step[] {
    const { vrfDevice, table, gateway } = this.config;
    switch (r.kind) {
      case 'port': {
        const steps = [
          ip(`link set ${r.ifname} master ${vrfDevice}`),
          ip(`link set ${r.ifname} up`),
          sysctl(['net', 'ipv4', 'conf', r.ifname, 'proxy_arp'], 1),
          sysctl(['net', 'ipv4', 'conf', r.ifname, 'proxy_arp_pvlan'], 1),
        ];
        if (gateway) steps.push(ip(`addr replace ${gateway.address}/${gateway.length} broadcast ${broadcastOf(gateway.address, gateway.length)} dev ${r.ifname}`));
        return steps;
      }
      case 'neighbour':
        return [ip(`neigh replace ${r.ip} lladdr ${r.mac} dev ${r.ifname} nud permanent`)];
      case 'pop':
        return [ipMpls(`route replace ${r.label} via inet ${r.ip} dev ${r.ifname} proto ${RT_PROTO}`)];
      case 'route': {
        const words = r.nextHops.map((nh) => nextHopWords(nh, this.config.mode, this.config.localAddress));
        const via = words.length === 1 ? words[0]! : words.map((w) => `nexthop ${w}`).join(' ');
        return [ip(`route replace ${routeDestination(r.prefix)} table ${table} proto ${RT_PROTO} ${via}`)];
      }
    }
  }

  removeSteps(r: Resource): Step[] {
    const { table, gateway } = this.config;
    switch (r.kind) {
      case 'port': {
        // Down first: no traffic of the port leaks out of the VRF once it is released.
        const steps = [
          ip(`link set ${r.ifname} down`, 'absent-ok'),
          sysctl(['net', 'ipv4', 'conf', r.ifname, 'proxy_arp'], 0, 'absent-ok'),
          sysctl(['net', 'ipv4', 'conf', r.ifname, 'proxy_arp_pvlan'], 0, 'absent-ok'),
          ip(`link set ${r.ifname} nomaster`, 'absent-ok'),
        ];
        if (gateway) steps.push(ip(`addr del ${gateway.address}/${gateway.length} dev ${r.ifname}`, 'absent-ok'));
        return steps;
      }
      case 'neighbour':
        return [ip(`neigh del ${r.ip} dev ${r.ifname}`, 'absent-ok')];
      case 'pop':
        return [ipMpls(`route del ${r.label}`, 'absent-ok')];
      case 'route':
        return [ip(`route del ${routeDestination(r.prefix)} table ${table} proto ${RT_PROTO}`, 'absent-ok')];
    }
  }
}

function endpointKey(mac: string, ipAddress: string | null): string {
  return `${mac}|${ipAddress ?? ''}`;
}

/** Removals first, deepest resource first; then creations and updates, port first. */
function sortChanges(changes: Change[]): Change[] {
  const removals = changes.filter((c) => c.op === 'remove').sort((a, b) => ORDER[b.resource.kind] - ORDER[a.resource.kind]);
  const others = changes.filter((c) => c.op !== 'remove').sort((a, b) => ORDER[a.resource.kind] - ORDER[b.resource.kind]);
  return [...removals, ...others];
}
