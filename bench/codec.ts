/**
 * Codec throughput: decodeMessage / encodeMessage over UPDATEs packed with VPN-IPv4 (RFC 4364)
 * and E-VPN (RFC 7432, VXLAN per RFC 8365) NLRI, and the MessageFramer over a stream of such
 * messages cut into random chunk sizes. Prints NLRI per second, MB/s (10^6 bytes of whole
 * messages, header included), ns per NLRI and messages per second; best of N runs after a
 * warm-up (bench/lib/harness.ts). Numbers only, never pass/fail. docs/benchmarks.md has the
 * measured results and how to read them.
 *
 * The messages are what a route reflector sends a compute node:
 * - VPN-IPv4: ORIGIN, AS_PATH, LOCAL_PREF, EXTENDED COMMUNITIES (route target + MPLS
 *   encapsulation), MP_REACH_NLRI (next hop RD 0 + IPv4) holding NLRI with one MPLS label
 *   (bottom of stack), an RD of type 1 and alternately a /32 and a /24 prefix;
 * - E-VPN type 2: MAC/IP routes (IPv4 address, one label field holding the VXLAN VNI), with
 *   route target + VXLAN encapsulation;
 * - E-VPN type 3: inclusive multicast routes with a PMSI_TUNNEL attribute (ingress
 *   replication, VNI as label); packing many under one PMSI is a throughput shape, a real
 *   feed has few type 3 routes per UPDATE (hence also the one-route case).
 * Each "packed" UPDATE holds as many NLRI as fit in 4096 bytes, or in 65535 bytes with extended
 * messages (RFC 8654). Encoding starts from the objects the daemon builds (no flags: the codec
 * chooses them, as on the send path); decoding from the bytes of those messages.
 *
 * Usage: node dist/bench/codec.js [--runs=N] [--run-ms=MS] [--warmup-ms=MS] [--only=a,b] [--seed=N]
 */
import {
  contextWith,
  decodeMessage,
  encapsulation,
  encodeMessage,
  fromMplsLabel,
  fromVni,
  MAX_EXTENDED_MESSAGE,
  MAX_MESSAGE,
  MessageFramer,
  mpReach,
  routeTarget,
  WireError,
  type CodecContext,
  type ExtCommunity,
  type Nlri,
  type PathAttribute,
  type UpdateDecodeOptions,
  type UpdateMessage,
} from '../src/wire/index.js';
import { environmentLine, fixed, int, measure, parseOptions, printTable, prng, selected, sinkValue, type BenchOptions, type Timing } from './lib/harness.js';

const GOAL_NLRI_PER_S = 1_000_000;
/** Distinct messages per case, decoded / encoded in turn (so one message's data is not all that stays hot). */
const POOL = 8;
const DECODE_OPTIONS: UpdateDecodeOptions = { peerType: 'internal' };
const CTX_4096 = contextWith({ extendedMessage: false });
const CTX_65535 = contextWith({ extendedMessage: true });

// ---------------------------------------------------------------------------------------------
// Realistic UPDATEs.

type Family = 'vpnv4' | 'evpn-mac-ip' | 'evpn-multicast';

const hex2 = (n: number): string => (n & 0xff).toString(16).padStart(2, '0');

function commonAttributes(ecs: ExtCommunity[]): PathAttribute[] {
  return [
    { type: 'origin', value: 'igp' },
    { type: 'as-path', segments: [{ type: 'as-sequence', asns: [64512, 65001] }] },
    { type: 'local-pref', value: 100 },
    { type: 'ext-communities', communities: ecs },
  ];
}

/** NLRI number i of message m (m picks the PE / VPN, i the route). */
function nlriOf(family: Family, m: number, i: number): Nlri {
  const k = m * 65536 + i;
  const a = (k >>> 16) & 0xff;
  const b = (k >>> 8) & 0xff;
  const c = k & 0xff;
  switch (family) {
    case 'vpnv4':
      return {
        kind: 'vpn',
        labels: [fromMplsLabel(16 + ((k * 7919) % 1_000_000))],
        rd: { type: 1, value: `192.0.2.${1 + m}:${100 + m}` },
        prefix: (i & 1) === 0 ? `10.${a}.${b}.${c}/32` : `${20 + (i % 150)}.${b}.${c}.0/24`,
      };
    case 'evpn-mac-ip':
      return {
        kind: 'evpn',
        routeType: 2,
        rd: { type: 1, value: `192.0.2.${1 + m}:${100 + m}` },
        esi: '00:00:00:00:00:00:00:00:00:00',
        ethernetTag: 0,
        mac: `52:54:00:${hex2(a)}:${hex2(b)}:${hex2(c)}`,
        ip: `10.${a}.${b}.${c}`,
        labels: [fromVni(5000 + m)],
      };
    case 'evpn-multicast':
      return { kind: 'evpn', routeType: 3, rd: { type: 1, value: `192.0.2.${1 + m}:${1 + i}` }, ethernetTag: 0, originatorIp: `192.0.2.${1 + m}` };
  }
}

function buildUpdate(family: Family, m: number, count: number): UpdateMessage {
  const nlri: Nlri[] = [];
  for (let i = 0; i < count; i++) nlri.push(nlriOf(family, m, i));
  const rt = routeTarget(`64512:${1 + m}`);
  let attributes: PathAttribute[];
  if (family === 'vpnv4') {
    attributes = [...commonAttributes([rt, encapsulation('mpls')]), { type: 'mp-reach', afi: 1, safi: 128, nextHop: [`192.0.2.${1 + m}`], nlri }];
  } else {
    attributes = [...commonAttributes([rt, encapsulation('vxlan')]), { type: 'mp-reach', afi: 25, safi: 70, nextHop: [`192.0.2.${1 + m}`], nlri }];
    if (family === 'evpn-multicast') {
      attributes.push({
        type: 'pmsi-tunnel',
        tunnelFlags: 0,
        tunnelType: 'ingress-replication',
        label: fromVni(5000 + m),
        tunnelId: { kind: 'address', address: `192.0.2.${1 + m}` },
      });
    }
  }
  return { type: 'update', withdrawn: [], attributes, nlri: [] };
}

/** Bytes of the message, or undefined when it does not fit max (or any 16-bit length field). */
function sizeOf(msg: UpdateMessage, max: number): number | undefined {
  try {
    const n = encodeMessage(msg, CTX_65535).length;
    return n <= max ? n : undefined;
  } catch (e) {
    if (e instanceof WireError) return undefined;
    throw e;
  }
}

/** The largest NLRI count whose message fits in max bytes (exponential then binary search). */
function packedCount(family: Family, max: number): number {
  let lo = 1;
  let hi = 2;
  while (sizeOf(buildUpdate(family, 0, hi), max) !== undefined) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (sizeOf(buildUpdate(family, 0, mid), max) !== undefined) lo = mid;
    else hi = mid;
  }
  return lo;
}

interface Case {
  name: string;
  family: Family;
  ctx: CodecContext;
  messages: UpdateMessage[];
  frames: Buffer[];
  nlriPerMessage: number;
  bytesPerMessage: number;
}

/**
 * POOL messages of the family with `count` NLRI each (the count fitting max when not given),
 * encoded, and checked: each decodes without error to the same NLRI count and re-encodes
 * (decoded flags included) to the same bytes.
 */
function makeCase(name: string, family: Family, max: number, count?: number): Case {
  const ctx = max > MAX_MESSAGE ? CTX_65535 : CTX_4096;
  const n = count ?? packedCount(family, max);
  const messages: UpdateMessage[] = [];
  const frames: Buffer[] = [];
  for (let m = 0; m < POOL; m++) {
    const msg = buildUpdate(family, m, n);
    const frame = encodeMessage(msg, ctx);
    if (frame.length > max) throw new Error(`${name}: message ${m} has ${frame.length} bytes, more than ${max}`);
    const decoded = decodeMessage(frame, ctx, DECODE_OPTIONS);
    const update = decoded.message as UpdateMessage;
    if (decoded.errors.length > 0) throw new Error(`${name}: decoding gave errors: ${decoded.errors.map((e) => e.message).join('; ')}`);
    if (mpReach(update)?.nlri.length !== n) throw new Error(`${name}: decoded ${mpReach(update)?.nlri.length} NLRI, expected ${n}`);
    if (!encodeMessage(update, ctx).equals(frame)) throw new Error(`${name}: decode then encode does not give the same bytes`);
    messages.push(msg);
    frames.push(frame);
  }
  const bytes = frames.reduce((s, f) => s + f.length, 0) / frames.length;
  return { name, family, ctx, messages, frames, nlriPerMessage: n, bytesPerMessage: bytes };
}

// ---------------------------------------------------------------------------------------------
// Measurements.

interface Result {
  name: string;
  op: string;
  bytesPerMessage: number;
  nlriPerMessage: number;
  /** Per message (or per stream, for the framer). */
  timing: Timing;
  /** Messages per timed call (1, or the stream's message count). */
  messagesPerCall: number;
}

const nlriPerSecond = (r: Result, ns = r.timing.bestNs): number => (r.nlriPerMessage * r.messagesPerCall * 1e9) / ns;
const mbPerSecond = (r: Result): number => (r.bytesPerMessage * r.messagesPerCall * 1e3) / r.timing.bestNs;

function decodeBench(c: Case, opts: BenchOptions): Result {
  let i = 0;
  const timing = measure(() => {
    const d = decodeMessage(c.frames[i++ % POOL]!, c.ctx, DECODE_OPTIONS);
    return d.errors.length + (d.message.type === 'update' ? d.message.attributes.length : 0);
  }, opts);
  return { name: c.name, op: 'decode', bytesPerMessage: c.bytesPerMessage, nlriPerMessage: c.nlriPerMessage, timing, messagesPerCall: 1 };
}

function encodeBench(c: Case, opts: BenchOptions): Result {
  let i = 0;
  const timing = measure(() => encodeMessage(c.messages[i++ % POOL]!, c.ctx).length, opts);
  return { name: c.name, op: 'encode', bytesPerMessage: c.bytesPerMessage, nlriPerMessage: c.nlriPerMessage, timing, messagesPerCall: 1 };
}

/** The case's frames repeated to about `target` bytes, cut into chunks of 1..maxChunk random bytes. */
function chunkedStream(c: Case, target: number, maxChunk: number, seed: number): { chunks: Buffer[]; messages: number } {
  const frames: Buffer[] = [];
  let total = 0;
  for (let i = 0; total < target; i++) {
    const f = c.frames[i % POOL]!;
    frames.push(f);
    total += f.length;
  }
  const stream = Buffer.concat(frames);
  const rnd = prng(seed);
  const chunks: Buffer[] = [];
  for (let off = 0; off < stream.length; ) {
    const size = 1 + Math.floor(rnd() * maxChunk);
    chunks.push(stream.subarray(off, off + size));
    off += size;
  }
  return { chunks, messages: frames.length };
}

function framerBench(c: Case, maxChunk: number, withDecode: boolean, opts: BenchOptions): Result {
  const { chunks, messages } = chunkedStream(c, 2_000_000, maxChunk, opts.seed);
  const framer = new MessageFramer(c.ctx.extendedMessage ? MAX_EXTENDED_MESSAGE : MAX_MESSAGE);
  const timing = measure(() => {
    framer.reset();
    let n = 0;
    for (const chunk of chunks) {
      const { frames, error } = framer.feed(chunk);
      if (error) throw error;
      if (withDecode) for (const f of frames) n += decodeMessage(f, c.ctx, DECODE_OPTIONS).errors.length + 1;
      else n += frames.length;
    }
    framer.end();
    if (n !== messages) throw new Error(`${c.name}: framer gave ${n} messages, expected ${messages}`);
    return n;
  }, opts);
  const op = `${withDecode ? 'framer+decode' : 'framer'} chunks 1..${maxChunk}`;
  return { name: c.name, op, bytesPerMessage: c.bytesPerMessage, nlriPerMessage: c.nlriPerMessage, timing, messagesPerCall: messages };
}

function row(r: Result): string[] {
  const perNlri = r.timing.bestNs / (r.nlriPerMessage * r.messagesPerCall);
  return [
    r.name,
    r.op,
    int(r.bytesPerMessage),
    int(r.nlriPerMessage),
    int(nlriPerSecond(r)),
    fixed(mbPerSecond(r)),
    fixed(perNlri),
    int((r.messagesPerCall * 1e9) / r.timing.bestNs),
    int(nlriPerSecond(r, r.timing.medianNs)),
  ];
}

function main(): void {
  const opts = parseOptions(process.argv.slice(2));
  console.log(`codec benchmark  ${environmentLine()}`);
  console.log(`best of ${opts.runs} runs of ~${opts.runMs} ms after ${opts.warmupMs} ms warm-up; MB = 10^6 bytes of whole messages`);
  console.log('');

  const specs: [string, Family, number, number?][] = [
    ['vpnv4 4096', 'vpnv4', MAX_MESSAGE],
    ['vpnv4 65535', 'vpnv4', MAX_EXTENDED_MESSAGE],
    ['vpnv4 1-route', 'vpnv4', MAX_MESSAGE, 1],
    ['evpn-mac-ip 4096', 'evpn-mac-ip', MAX_MESSAGE],
    ['evpn-mac-ip 65535', 'evpn-mac-ip', MAX_EXTENDED_MESSAGE],
    ['evpn-multicast 4096', 'evpn-multicast', MAX_MESSAGE],
    ['evpn-multicast 65535', 'evpn-multicast', MAX_EXTENDED_MESSAGE],
    ['evpn-multicast 1-route', 'evpn-multicast', MAX_MESSAGE, 1],
  ];
  // Cases are built (and checked) only when a measurement selected by --only needs them.
  const built = new Map<string, Case>();
  const getCase = (name: string): Case => {
    let c = built.get(name);
    if (c === undefined) {
      const [, family, max, count] = specs.find((s) => s[0] === name)!;
      c = makeCase(name, family, max, count);
      built.set(name, c);
    }
    return c;
  };

  const results: Result[] = [];
  const run = (key: string, fn: () => Result): void => {
    if (!selected(opts, key)) return;
    const r = fn();
    results.push(r);
    process.stderr.write(`  measured ${r.name} ${r.op}\n`);
  };
  for (const [name] of specs) {
    run(`${name} decode`, () => decodeBench(getCase(name), opts));
    run(`${name} encode`, () => encodeBench(getCase(name), opts));
  }
  run('vpnv4 4096 framer small', () => framerBench(getCase('vpnv4 4096'), 1460, false, opts));
  run('vpnv4 4096 framer large', () => framerBench(getCase('vpnv4 4096'), 65536, false, opts));
  run('vpnv4 65535 framer small', () => framerBench(getCase('vpnv4 65535'), 1460, false, opts));
  run('vpnv4 65535 framer large', () => framerBench(getCase('vpnv4 65535'), 65536, false, opts));
  run('vpnv4 4096 framer+decode small', () => framerBench(getCase('vpnv4 4096'), 1460, true, opts));
  run('vpnv4 65535 framer+decode large', () => framerBench(getCase('vpnv4 65535'), 65536, true, opts));

  printTable(['case', 'op', 'bytes/msg', 'NLRI/msg', 'NLRI/s', 'MB/s', 'ns/NLRI', 'msg/s', 'NLRI/s median'], results.map(row), 2);

  // Ratios between measurements made in this run.
  const find = (name: string, op: string): Result | undefined => results.find((r) => r.name === name && r.op === op);
  const ratios: string[][] = [];
  const ratio = (label: string, a: Result | undefined, b: Result | undefined): void => {
    if (a && b) ratios.push([label, `${fixed(nlriPerSecond(a) / nlriPerSecond(b), 2)}x`]);
  };
  for (const [name] of specs) ratio(`${name}: decode / encode`, find(name, 'decode'), find(name, 'encode'));
  for (const fam of ['vpnv4', 'evpn-mac-ip', 'evpn-multicast']) {
    ratio(`${fam} decode: 65535 / 4096 packing`, find(`${fam} 65535`, 'decode'), find(`${fam} 4096`, 'decode'));
    ratio(`${fam} encode: 65535 / 4096 packing`, find(`${fam} 65535`, 'encode'), find(`${fam} 4096`, 'encode'));
  }
  ratio('vpnv4 decode: 4096 packed / 1 route per UPDATE', find('vpnv4 4096', 'decode'), find('vpnv4 1-route', 'decode'));
  ratio('vpnv4 4096: framer+decode (1..1460) / decode alone', find('vpnv4 4096', 'framer+decode chunks 1..1460'), find('vpnv4 4096', 'decode'));
  ratio('vpnv4 65535: framer+decode (1..65536) / decode alone', find('vpnv4 65535', 'framer+decode chunks 1..65536'), find('vpnv4 65535', 'decode'));
  for (const name of ['vpnv4 4096', 'vpnv4 65535']) {
    const r = find(name, 'decode');
    if (r) ratios.push([`${name} decode / goal of ${int(GOAL_NLRI_PER_S)} NLRI/s`, `${fixed(nlriPerSecond(r) / GOAL_NLRI_PER_S, 2)}x`]);
  }
  if (ratios.length > 0) {
    console.log('');
    printTable(['ratio (NLRI/s over NLRI/s)', 'value'], ratios);
  }
  if (sinkValue() === -1) console.log(''); // keeps the sink observable
}

main();
