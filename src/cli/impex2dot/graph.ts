/**
 * The import/export graph of bagpipe-impex2dot (spec config.md §9) as Graphviz text: route
 * targets as orange circles, VRFs and EVIs as record nodes, import edges RT → instance, export
 * edges instance → RT, readvertise edges through the VRF's `readv` port, one gray dashed edge per
 * attached port, EVI → VRF when an E-VPN is plugged into a VRF.
 *
 * The text is the original's, line for line. The original printed its sets in hash order (a
 * different order at every run); we print in order of discovery (servers as given, instances as
 * listed by each daemon), so the output is stable. The original's attract-traffic edges were dead
 * code (looked up inside `readvertise`, which never holds them) and are not drawn.
 */

/** What one daemon says about one VPN instance. */
export interface InstanceView {
  readonly server: string;
  /** vpn_instance_id. */
  readonly id: string;
  /** The first three letters of the instance name: `VRF` or `EVI`. */
  readonly type: string;
  readonly importRts: readonly string[];
  readonly exportRts: readonly string[];
  /** `readvertise` when set: its `from` and `to` route targets. */
  readonly readvertise: { readonly from: readonly string[]; readonly to: readonly string[] } | undefined;
  /** Names of the attached ports. */
  readonly ports: readonly string[];
  /** For an EVI plugged into a VRF: that VRF's vpn_instance_id. */
  readonly pluggedInto: string | undefined;
}

const RT_TXT_STYLE = 'color="orange",fontcolor="orange"';
const RT_STYLE = 'color="orange",fontcolor="orange",arrowhead=onormal';
const RT_STYLE_REDIR_FROM_RT = 'color="orange",fontcolor="orange",style=dashed,arrowhead=diamond,arrowtail=oinv,headclip=false,dir=both';
const RT_STYLE_REDIR_TO_RT = 'color="orange",fontcolor="orange",style=dashed,arrowhead=onormal,tailclip=false,dir=both,arrowtail=oinv';
const PORT_LINK_STYLE = 'style=dashed,dir=none,color="gray",weight=3';

/** A node id from a route target, server or name: `target:` → `rt:`, then `:`, `-`, `.` → `_`. */
export function normalize(text: string): string {
  return text.replaceAll('target:', 'rt:').replace(/[:\-.]/g, '_');
}

export function vpnUid(server: string, id: string): string {
  return `vpn_${normalize(server)}__${normalize(id)}`;
}

/** Long ids shortened to their first 4 and last 5 characters. */
export function vpnShort(id: string): string {
  return id.length > 11 ? `${id.slice(0, 4)}..${id.slice(-5)}` : id;
}

/** Insertion-ordered set of strings. */
function ordered(): { add(s: string): void; values(): string[] } {
  const set = new Set<string>();
  return { add: (s) => void set.add(s), values: () => [...set] };
}

export function renderGraph(instances: readonly InstanceView[]): string {
  const lines: string[] = [];
  const p = (line: string): void => void lines.push(line);
  p('digraph import_export {');
  p('   node [fontname="Helvetica"];');
  p('   edge [fontname="Helvetica"];');
  p('   nodesep=0.55;');

  const rts = ordered();
  for (const vpn of instances) {
    for (const rt of vpn.importRts) rts.add(normalize(rt));
    for (const rt of vpn.exportRts) rts.add(normalize(rt));
    if (vpn.readvertise?.to[0] !== undefined) rts.add(normalize(vpn.readvertise.to[0]));
    if (vpn.readvertise?.from[0] !== undefined) rts.add(normalize(vpn.readvertise.from[0]));
  }
  p('   subgraph rts {');
  p('       rank=same;');
  for (const rt of rts.values()) p(`        ${rt} [shape="circle",label="${rt.toUpperCase().replaceAll('_', '\\n')}",${RT_TXT_STYLE}];`);
  p('    }');

  const serverSpec = (server: string): string => (server !== 'localhost' ? `\\n[${server}]` : '');
  p('    subgraph ipvpns {');
  p('        rank=same;');
  for (const vpn of instances.filter((v) => v.type === 'VRF')) {
    p(`        ${vpnUid(vpn.server, vpn.id)} [label="{<0>VRF\\n${vpnShort(vpn.id)}${serverSpec(vpn.server)}|<readv>}",shape="record"];`);
  }
  p('    }');
  p('    subgraph evpns {');
  for (const vpn of instances.filter((v) => v.type === 'EVI')) {
    p(`        ${vpnUid(vpn.server, vpn.id)} [label="{<0>EVI\\n${vpnShort(vpn.id)}${serverSpec(vpn.server)}}",shape="record"];`);
  }
  p('    }');

  const ports = new Map<string, { server: string; port: string }>();
  for (const vpn of instances) {
    p(`    /* ${vpn.server}:${vpn.id} */`);
    const uid = vpnUid(vpn.server, vpn.id);
    for (const rt of vpn.importRts) p(`    ${normalize(rt)} -> ${uid}:0 [${RT_STYLE}];`);
    for (const rt of vpn.exportRts) p(`    ${uid}:0 -> ${normalize(rt)} [${RT_STYLE}];`);
    const from = vpn.readvertise?.from[0];
    const to = vpn.readvertise?.to[0];
    if (from !== undefined && to !== undefined) {
      p(`    ${normalize(from)} -> ${uid}:readv [label="",${RT_STYLE_REDIR_FROM_RT}];`);
      p(`    ${uid}:readv -> ${normalize(to)} [label="",${RT_STYLE_REDIR_TO_RT}];`);
    }
    for (const port of vpn.ports) {
      p(`    ${uid} -> port_${normalize(vpn.server)}_${normalize(port)} [${PORT_LINK_STYLE},weight=5];`);
      ports.set(`${vpn.server}\u0000${normalize(port)}`, { server: vpn.server, port: normalize(port) });
    }
    if (vpn.pluggedInto !== undefined) p(`    ${uid} -> ${vpnUid(vpn.server, vpn.pluggedInto)} [weight=500];`);
  }

  const dests = new Map<string, { server: string; dest: string }>();
  for (const { server, port } of ports.values()) {
    p(`    port_${normalize(server)}_${port} [label="",style=invis,height=0,width=0,fixedsize=true];`);
    // Ports named to_<x>… stand for a destination <x>, drawn as a gray square.
    if (port.startsWith('to_')) {
      const dest = port.split('_')[1]!;
      p(`    port_${normalize(server)}_${port} -> dest_${normalize(server)}_${dest} [style=dashed,dir=none,color="gray",weight=5];`);
      dests.set(`${server}\u0000${dest}`, { server, dest });
    }
  }
  for (const { server, dest } of dests.values()) {
    p(`    dest_${normalize(server)}_${normalize(dest)} [label="${dest}\\n[${server}]",shape="square",color="gray"];`);
  }
  p('}');
  return lines.join('\n') + '\n';
}
