/**
 * Desired and installed state of one E-VPN instance in the kernel (spec dataplane.md §4), and the
 * difference between them as iproute2 batch lines. Pure: the instance (evpn-instance.ts) reads the
 * kernel, calls `plan()`, runs the lines and reads the kernel again.
 *
 * Per instance:
 * - the bridge (ours: `evpn---<id>`, created with forwarding delay 0 and STP off, its MAC pinned;
 *   or the API's `linuxbr`, only used);
 * - the VXLAN device (ours: `vxlan--<id>`, `id <vni> local <address> nolearning proxy dstport <p>`,
 *   re-created when an existing one differs – the original's double negation left it and failed;
 *   or a VXLAN port of the same VNI found on a `linuxbr` bridge, only used);
 * - the local ports enslaved (ours only) and a static bridge FDB entry per local MAC;
 * - per remote MAC a `self` FDB entry on the VXLAN device toward the remote VTEP with the route's
 *   VNI, and a permanent neighbour entry per remote IP (answered locally thanks to `proxy`);
 * - one flood entry (00:00:00:00:00:00) per remote VTEP of the type-3 routes.
 *
 * Deviation: a local MAC is a `master static` bridge entry; the original's `bridge fdb replace
 * <mac> dev <port>` defaulted to `self` and added the MAC to the port's own address list instead.
 */
import { isOurBridge } from './names.js';

export interface VxlanSpec {
  readonly name: string;
  readonly vni: number;
  readonly local: string;
  /** null: the kernel's default port. */
  readonly dstPort: number | null;
  /** Created by us (else: found on a linuxbr bridge and only used). */
  readonly own: boolean;
}

export interface RemoteMac {
  readonly dst: string;
  readonly vni: number;
}

export interface EvpnDesired {
  /** False once the instance is cleaned up: everything of ours goes. */
  present: boolean;
  readonly bridge: string;
  readonly vxlan: VxlanSpec;
  /** Ports to enslave (our bridge only), with the gateway port. */
  readonly ports: Set<string>;
  /** Local MAC → port. */
  readonly localMacs: Map<string, string>;
  /** Remote MAC → VTEP and VNI. */
  readonly remoteMacs: Map<string, RemoteMac>;
  /** Remote IP → MAC. */
  readonly neighbours: Map<string, string>;
  /** Flooding list: `<vtep> <vni>`. */
  readonly flood: Set<string>;
}

export function emptyDesired(bridge: string, vxlan: VxlanSpec): EvpnDesired {
  return { present: true, bridge, vxlan, ports: new Set(), localMacs: new Map(), remoteMacs: new Map(), neighbours: new Map(), flood: new Set() };
}

export function floodKey(dst: string, vni: number): string {
  return `${dst} ${vni}`;
}

export interface LinkState {
  readonly name: string;
  readonly kind: string | undefined;
  readonly master: string | undefined;
  readonly up: boolean;
  readonly address: string | undefined;
  readonly vxlan?: { readonly id: number; readonly local: string | undefined; readonly port: number | undefined; readonly learning: boolean; readonly proxy: boolean };
}

export interface EvpnInstalled {
  readonly links: Map<string, LinkState>;
  readonly localMacs: Map<string, string>;
  readonly remoteMacs: Map<string, RemoteMac>;
  readonly neighbours: Map<string, string>;
  readonly flood: Set<string>;
}

// ---- reading the kernel's JSON ----

export interface IpLinkJson {
  ifname: string;
  flags?: string[];
  master?: string;
  address?: string;
  linkinfo?: { info_kind?: string; info_data?: { id?: number; local?: string; port?: number; learning?: boolean; proxy?: boolean } };
}

export interface FdbJson {
  mac: string;
  ifname?: string;
  dst?: string;
  vni?: number;
  master?: string;
  flags?: string[];
  state?: string;
}

export interface NeighJson {
  dst: string;
  lladdr?: string;
  state?: string[];
}

export function parseLinks(links: readonly IpLinkJson[]): Map<string, LinkState> {
  const m = new Map<string, LinkState>();
  for (const l of links) {
    const d = l.linkinfo?.info_data;
    const kind = l.linkinfo?.info_kind;
    m.set(l.ifname, {
      name: l.ifname,
      kind,
      master: l.master,
      up: l.flags?.includes('UP') ?? false,
      address: l.address,
      ...(kind === 'vxlan' && d ? { vxlan: { id: d.id ?? -1, local: d.local, port: d.port, learning: d.learning ?? true, proxy: d.proxy ?? false } } : {}),
    });
  }
  return m;
}

/**
 * The entries of ours among `bridge -json fdb show br <bridge>`: static bridge entries on the
 * given local ports, `self` entries with a destination on the VXLAN device (the all-zero MAC
 * is the flooding list). Kernel entries (permanent addresses of the devices) are not ours.
 */
export function parseFdb(entries: readonly FdbJson[], bridge: string, vxlan: string, vxlanVni: number, localPorts: ReadonlySet<string>): Pick<EvpnInstalled, 'localMacs' | 'remoteMacs' | 'flood'> {
  const localMacs = new Map<string, string>();
  const remoteMacs = new Map<string, RemoteMac>();
  const flood = new Set<string>();
  for (const e of entries) {
    if (e.ifname === vxlan && e.dst !== undefined && e.flags?.includes('self')) {
      const vni = e.vni ?? vxlanVni;
      if (e.mac === '00:00:00:00:00:00') flood.add(floodKey(e.dst, vni));
      else remoteMacs.set(e.mac, { dst: e.dst, vni });
    } else if (e.ifname !== undefined && e.master === bridge && e.state === 'static' && localPorts.has(e.ifname)) {
      localMacs.set(e.mac, e.ifname);
    }
  }
  return { localMacs, remoteMacs, flood };
}

export function parseNeighbours(entries: readonly NeighJson[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const n of entries) if (n.lladdr !== undefined && n.state?.includes('PERMANENT')) m.set(n.dst, n.lladdr);
  return m;
}

// ---- the difference ----

/** One batch line and what it is about (the key errors are filed under). */
export interface PlannedLine {
  readonly key: string;
  readonly line: string;
}

/** Lines in the order they must run: ip (devices, ports), bridge (FDB), ip (neighbours, removals). */
export interface EvpnPlan {
  readonly devices: PlannedLine[];
  readonly fdb: PlannedLine[];
  readonly late: PlannedLine[];
}

export interface PlanOptions {
  /** Keep entries that are installed but not desired (adopted state during the hold-down). */
  readonly keepStale: boolean;
  /** The pinned MAC of our bridge. */
  readonly bridgeMac: string;
}

function vxlanMatches(l: LinkState | undefined, v: VxlanSpec): boolean {
  const x = l?.vxlan;
  if (!x) return false;
  const port = v.dstPort ?? 4789;
  return x.id === v.vni && x.local === v.local && (x.port ?? 4789) === port && !x.learning && x.proxy;
}

export function plan(d: EvpnDesired, i: EvpnInstalled, o: PlanOptions): EvpnPlan {
  const devices: PlannedLine[] = [];
  const fdb: PlannedLine[] = [];
  const neighbours: PlannedLine[] = [];
  const releases: PlannedLine[] = [];
  const ownBridge = isOurBridge(d.bridge);
  const br = i.links.get(d.bridge);
  const vx = d.vxlan;
  const vxLink = i.links.get(vx.name);
  const key = { bridge: `device ${d.bridge}`, vxlan: `device ${vx.name}` };
  // Entries on a device that goes anyway need no removal of their own.
  const vxGoes = !d.present && vx.own;
  const keepStale = d.present && o.keepStale;

  if (d.present) {
    // Bridge.
    if (ownBridge) {
      if (!br) {
        devices.push({ key: key.bridge, line: `link add ${d.bridge} type bridge forward_delay 0 stp_state 0` });
        devices.push({ key: key.bridge, line: `link set ${d.bridge} address ${o.bridgeMac}` });
        devices.push({ key: key.bridge, line: `link set ${d.bridge} up` });
      } else {
        if (br.address !== o.bridgeMac) devices.push({ key: key.bridge, line: `link set ${d.bridge} address ${o.bridgeMac}` });
        if (!br.up) devices.push({ key: key.bridge, line: `link set ${d.bridge} up` });
      }
    }
    // VXLAN device: re-created when it differs (the original meant to, a double negation kept it).
    if (vx.own) {
      const ok = vxlanMatches(vxLink, vx);
      if (vxLink && !ok) devices.push({ key: key.vxlan, line: `link del ${vx.name}` });
      if (!ok) {
        const port = vx.dstPort === null ? '' : ` dstport ${vx.dstPort}`;
        devices.push({ key: key.vxlan, line: `link add ${vx.name} type vxlan id ${vx.vni} local ${vx.local} nolearning proxy${port}` });
      }
      if (!ok || vxLink?.master !== d.bridge) devices.push({ key: key.vxlan, line: `link set ${vx.name} master ${d.bridge}` });
      if (!ok || !vxLink?.up) devices.push({ key: key.vxlan, line: `link set ${vx.name} up` });
    }
    // Ports (ours only: a linuxbr bridge's ports are its owner's business).
    if (ownBridge) for (const p of d.ports) if (i.links.get(p)?.master !== d.bridge) devices.push({ key: `port ${p}`, line: `link set ${p} master ${d.bridge}` });
    // FDB and neighbour entries to add or change.
    for (const [mac, port] of d.localMacs) {
      if (i.localMacs.get(mac) !== port) fdb.push({ key: `local ${mac}`, line: `fdb replace ${mac} dev ${port} master static` });
    }
    for (const [mac, r] of d.remoteMacs) {
      const cur = i.remoteMacs.get(mac);
      if (cur?.dst !== r.dst || cur.vni !== r.vni) fdb.push({ key: `remote ${mac}`, line: `fdb replace ${mac} dev ${vx.name} dst ${r.dst} vni ${r.vni} self permanent` });
    }
    for (const f of d.flood) {
      if (i.flood.has(f)) continue;
      const [dst, vni] = f.split(' ');
      fdb.push({ key: `flood ${dst}`, line: `fdb append 00:00:00:00:00:00 dev ${vx.name} dst ${dst} vni ${vni} self permanent` });
    }
    for (const [ip, mac] of d.neighbours) if (i.neighbours.get(ip) !== mac) neighbours.push({ key: `neighbour ${ip}`, line: `neigh replace ${ip} lladdr ${mac} dev ${vx.name} nud permanent` });
  }

  // Removals of what is installed and not desired (none while adopted state is held).
  if (!keepStale) {
    const present = d.present;
    for (const [mac, port] of i.localMacs) {
      if (present && d.localMacs.get(mac) === port) continue;
      // Releasing a port from our bridge flushes its entries.
      if (!present && ownBridge) continue;
      fdb.push({ key: `local ${mac}`, line: `fdb del ${mac} dev ${port} master` });
    }
    if (!vxGoes) {
      for (const [mac, r] of i.remoteMacs) if (!(present && d.remoteMacs.has(mac))) fdb.push({ key: `remote ${mac}`, line: `fdb del ${mac} dev ${vx.name} dst ${r.dst} vni ${r.vni} self` });
      for (const f of i.flood) {
        if (present && d.flood.has(f)) continue;
        const [dst, vni] = f.split(' ');
        fdb.push({ key: `flood ${dst}`, line: `fdb del 00:00:00:00:00:00 dev ${vx.name} dst ${dst} vni ${vni} self` });
      }
      for (const ip of i.neighbours.keys()) if (!(present && d.neighbours.has(ip))) neighbours.push({ key: `neighbour ${ip}`, line: `neigh del ${ip} dev ${vx.name}` });
    }
    if (ownBridge) {
      for (const l of i.links.values()) {
        if (l.master === d.bridge && l.name !== vx.name && !(present && d.ports.has(l.name))) releases.push({ key: `port ${l.name}`, line: `link set ${l.name} nomaster` });
      }
    }
  }
  if (!d.present) {
    if (vx.own && vxLink) releases.push({ key: key.vxlan, line: `link del ${vx.name}` });
    if (ownBridge && br) releases.push({ key: key.bridge, line: `link del ${d.bridge}` });
  }
  return { devices, fdb, late: [...neighbours, ...releases] };
}

export function planSize(p: EvpnPlan): number {
  return p.devices.length + p.fdb.length + p.late.length;
}
