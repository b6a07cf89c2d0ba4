/**
 * Turns one capture (the harness's JSON-lines log and tshark's pcap of the same session) into
 * golden fixtures, one JSON file per distinct message the peer sent:
 *
 *   test/fixtures/captured/<peer>/<prefix><mark>[-n].json
 *   { source, peerVersion, description, context: { as4, addPath, extendedMessage }, hex, tshark }
 *
 * `hex` is what the harness read off the socket; `tshark` is tshark's own decoding of the same
 * bytes in the pcap (leaf fields of its BGP tree, field name → values in order), so the two are
 * independent. Every harness message must be found, byte for byte, in tshark's output, or this
 * fails. Messages already written for this peer (same bytes) are not written again (KEEPALIVEs).
 *
 * Usage: node dist/test/capture/make-fixtures.js --peer gobgp --peer-version "GoBGP 3.10.0"
 *   --log h.jsonl --pcap f.pcap --port 17901 [--prefix as2-] [--out test/fixtures/captured]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Args {
  peer: string;
  peerVersion: string;
  log: string;
  pcap: string;
  port: string;
  prefix: string;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const a: Record<string, string> = { prefix: '', out: 'test/fixtures/captured' };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i]!.replace(/^--/, '').replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    a[k] = argv[i + 1] ?? '';
  }
  for (const k of ['peer', 'peerVersion', 'log', 'pcap', 'port']) if (!a[k]) throw new Error(`missing --${k}`);
  return a as unknown as Args;
}

interface LogLine {
  t: number;
  dir?: 'in' | 'out';
  event?: string;
  type?: number;
  mark?: string;
  description?: string;
  hex?: string;
  local?: string;
  remote?: string;
  as4?: boolean;
  addPath?: string[];
  extendedMessage?: boolean;
}

type Fields = Record<string, string[]>;

/** Field names left out of the tshark summary: constant or purely presentational. */
const SKIP = /^(bgp\.marker|bgp\.update\.path_attribute\.flags\.|bgp\.cap\.gr\.flag\.|bgp\.cap\.gr\.timers\.|_ws\.expert\.(group|severity))/;

function flatten(node: unknown, out: Fields): void {
  if (Array.isArray(node)) {
    for (const x of node) flatten(x, out);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k.endsWith('_raw')) continue;
    if (typeof v === 'object' && v !== null && !(Array.isArray(v) && v.every((x) => typeof x !== 'object'))) {
      flatten(v, out);
      continue;
    }
    if (SKIP.test(k)) continue;
    const values = Array.isArray(v) ? (v as unknown[]) : [v];
    (out[k] ??= []).push(...values.map(String));
  }
}

interface TsharkMessage {
  src: string;
  hex: string;
  fields: Fields;
}

/** Every BGP message tshark found in the pcap, in order, with its raw bytes and decoded fields. */
function tsharkMessages(pcap: string, port: string): TsharkMessage[] {
  const json = execFileSync(
    'tshark',
    ['-r', pcap, '-d', `tcp.port==${port},bgp`, '-o', 'tcp.desegment_tcp_streams:TRUE', '-T', 'json', '-x', '--no-duplicate-keys'],
    { maxBuffer: 1 << 28, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const packets = JSON.parse(json) as { _source: { layers: Record<string, unknown> } }[];
  const out: TsharkMessage[] = [];
  for (const p of packets) {
    const l = p._source.layers;
    if (!l.bgp) continue;
    const ip = l.ip as Record<string, string>;
    const tcp = l.tcp as Record<string, string>;
    const src = `${ip['ip.src']}:${tcp['tcp.srcport']}`;
    const trees = Array.isArray(l.bgp) ? (l.bgp as unknown[]) : [l.bgp];
    const rawField = l.bgp_raw as unknown[];
    const raws = Array.isArray(rawField[0]) ? (rawField as unknown[][]) : [rawField];
    // tshark's expert info (malformed packets and the like) for this frame, if any
    const expert: Fields = {};
    flatten(l._ws_expert ?? {}, expert);
    if (l._ws_malformed) (expert['_ws.malformed'] ??= []).push('malformed');
    trees.forEach((tree, i) => {
      const fields: Fields = {};
      flatten(tree, fields);
      for (const [k, v] of Object.entries(expert)) if (!SKIP.test(k)) fields[k] = v;
      out.push({ src, hex: String(raws[i]![0]), fields });
    });
  }
  return out;
}

const TYPE_NAMES: Record<number, string> = { 1: 'OPEN', 2: 'UPDATE', 3: 'NOTIFICATION', 4: 'KEEPALIVE', 5: 'ROUTE-REFRESH' };

const FAMILY_NAMES: Record<string, string> = {
  '1/1': 'ipv4-unicast',
  '2/1': 'ipv6-unicast',
  '1/128': 'ipv4-mpls-vpn',
  '2/128': 'ipv6-mpls-vpn',
  '25/70': 'l2vpn-evpn',
  '1/132': 'ipv4-rtc',
  '1/133': 'ipv4-flow',
  '2/133': 'ipv6-flow',
  '1/134': 'ipv4-flow-vpn',
  '2/134': 'ipv6-flow-vpn',
};

/** The End-of-RIB family of an UPDATE (RFC 4724 §2), or undefined when it is not one. */
function endOfRib(hex: string): string | undefined {
  if (hex === `${'f'.repeat(32)}0017020000${'0000'}`) return 'ipv4-unicast';
  // UPDATE, no withdrawn routes, 6 bytes of attributes: MP_UNREACH_NLRI (flags 0x80 or 0x90) of 3 bytes
  const m = /^f{32}001d0200000006(80|90)0f03([0-9a-f]{4})([0-9a-f]{2})$/.exec(hex) ?? /^f{32}001e0200000007(90)0f0003([0-9a-f]{4})([0-9a-f]{2})$/.exec(hex);
  if (!m) return undefined;
  const key = `${parseInt(m[2]!, 16)}/${parseInt(m[3]!, 16)}`;
  return FAMILY_NAMES[key] ?? `afi${key.replace('/', '-safi')}`;
}

/** A short account of an UPDATE's content from tshark's fields, to tell apart messages of a step. */
function summarize(f: Fields): string {
  const fam = (kind: 'reach' | 'unreach'): string | undefined => {
    const afi = f[`bgp.update.path_attribute.mp_${kind}_nlri.afi`];
    const safi = f[`bgp.update.path_attribute.mp_${kind}_nlri.safi`];
    return afi && safi ? afi.map((a, i) => FAMILY_NAMES[`${a}/${safi[i]}`] ?? `${a}/${safi[i]}`).join(',') : undefined;
  };
  const parts: string[] = [];
  const reach = fam('reach');
  const unreach = fam('unreach');
  if (reach) parts.push(`MP_REACH ${reach}`);
  if (unreach) parts.push(`MP_UNREACH ${unreach}`);
  if (f['bgp.withdrawn_prefix']) parts.push(`withdrawn ${f['bgp.withdrawn_prefix'].length} prefix(es)`);
  if (f['bgp.nlri_prefix']) parts.push(`NLRI ${f['bgp.nlri_prefix'].join(',')}`);
  const items = [
    ...(f['bgp.community_prefix'] ?? []).map((x) => `RTC ${x}`),
    ...(f['bgp.evpn.nlri.rt'] ?? []).map((x) => `E-VPN route type ${x}`),
    ...(f['bgp.mp_reach_nlri_ipv4_prefix'] ?? []),
    ...(f['bgp.mp_unreach_nlri_ipv4_prefix'] ?? []),
    ...(f['bgp.mp_reach_nlri_ipv6_prefix'] ?? []),
    ...(f['bgp.mp_unreach_nlri_ipv6_prefix'] ?? []),
  ];
  if (f['bgp.flowspec_nlri']) items.push('FlowSpec rule');
  if (items.length > 0) parts.push(items.join(','));
  return parts.join('; ');
}

function baseName(m: LogLine): string {
  switch (m.type) {
    case 1:
      return 'open';
    case 4:
      return 'keepalive';
    case 2: {
      const eor = endOfRib(m.hex!);
      if (eor) return `eor-${eor}`;
      return m.mark === 'session' ? 'update' : m.mark!;
    }
    case 5: {
      // enhanced route refresh markers (RFC 7313 §3): subtype in the reserved byte
      const subtype = parseInt(m.hex!.slice(42, 44), 16);
      const base = m.mark === 'session' ? 'route-refresh' : m.mark!;
      return subtype === 1 ? `${base}-borr` : subtype === 2 ? `${base}-eorr` : base;
    }
    default:
      return m.mark === 'session' ? (TYPE_NAMES[m.type!] ?? 'message').toLowerCase() : m.mark!;
  }
}

function describe(m: LogLine, base: string): string {
  if (base === 'open') return 'the peer\'s OPEN';
  if (base === 'keepalive') return 'KEEPALIVE';
  if (base.startsWith('eor-')) return `End-of-RIB marker for ${base.slice(4)} (RFC 4724 §2)`;
  if (base.endsWith('-borr')) return `Beginning-of-RIB-Refresh marker (RFC 7313 §3); ${m.description ?? ''}`;
  if (base.endsWith('-eorr')) return `End-of-RIB-Refresh marker (RFC 7313 §3); ${m.description ?? ''}`;
  return m.description ?? '';
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const lines = readFileSync(args.log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LogLine);
  const session = lines.find((l) => l.event === 'session');
  const negotiated = lines.find((l) => l.event === 'negotiated');
  if (!session?.remote || !negotiated) throw new Error(`${args.log}: no session or no OPEN from the peer`);
  const context = { as4: !!negotiated.as4, addPath: negotiated.addPath ?? [], extendedMessage: !!negotiated.extendedMessage };
  const fromPeer = tsharkMessages(args.pcap, args.port).filter((m) => m.src === session.remote);

  const dir = join(args.out, args.peer);
  mkdirSync(dir, { recursive: true });
  const seen = new Set<string>();
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.json')) seen.add((JSON.parse(readFileSync(join(dir, f), 'utf8')) as { hex: string }).hex);
  }

  const received = lines.filter((l) => l.dir === 'in');
  const baseOf = new Map<LogLine, string>();
  const perMark = new Map<string, number>();
  for (const m of received) {
    const base = baseName(m);
    baseOf.set(m, base);
    perMark.set(base, (perMark.get(base) ?? 0) + 1);
  }
  const index = new Map<string, number>();
  let cursor = 0;
  let written = 0;
  for (const m of received) {
    const hex = m.hex!;
    // tshark must have seen exactly these bytes, in the same order
    let found = -1;
    for (let i = cursor; i < fromPeer.length; i++) {
      if (fromPeer[i]!.hex === hex) {
        found = i;
        break;
      }
    }
    if (found < 0) throw new Error(`${args.log}: message not found in tshark's decoding: ${hex.slice(0, 80)}`);
    cursor = found + 1;
    const base = baseOf.get(m)!;
    const n = (index.get(base) ?? 0) + 1;
    index.set(base, n);
    if (seen.has(hex)) continue;
    seen.add(hex);
    const total = perMark.get(base)!;
    const typeName = TYPE_NAMES[m.type!] ?? `type ${m.type}`;
    const name = `${args.prefix}${base}${total > 1 ? `-${n}` : ''}`;
    let file = join(dir, `${name}.json`);
    for (let k = 2; existsSync(file); k++) file = join(dir, `${name}-dup${k}.json`);
    const fixture = {
      source: args.peer,
      peerVersion: args.peerVersion,
      description: `${typeName}: ${describe(m, base)}${
        total > 1 && m.type === 2 ? ` — this message: ${summarize(fromPeer[found]!.fields)}` : ''
      }${total > 1 ? ` (message ${n} of ${total} named so)` : ''}`,
      context,
      hex,
      tshark: fromPeer[found]!.fields,
    };
    const malformed = fromPeer[found]!.fields['_ws.malformed'];
    if (malformed) {
      // tshark gave up on part of the message (its limits, e.g. no ADD-PATH in VPN NLRI): say so
      const why = fromPeer[found]!.fields['_ws.expert.message']?.join('; ') ?? 'malformed';
      Object.assign(fixture, { tsharkNote: `tshark reported: ${why}` });
    }
    writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`);
    written++;
  }
  console.log(`${args.log}: ${received.length} message(s) received, ${written} fixture(s) written to ${dir}`);
}

main();
