/**
 * Capture harness: a minimal BGP endpoint on loopback that records every byte a real peer sends.
 *
 * It builds its own bytes by hand (it does not use the project's codec, so a codec bug cannot hide
 * in the captures): it opens one session (connecting, or accepting one connection), sends an OPEN
 * with the capabilities asked for on the command line, answers with KEEPALIVEs, and writes one JSON
 * line per event to --out: the session, every message received ("in") and sent ("out") split by the
 * header's length field, what was negotiated in the peer → harness direction, and "mark" lines that
 * name the messages that follow (the capture scripts set them before each peer command).
 *
 * Control on stdin, one command a line:
 *   mark NAME DESCRIPTION...    messages received from now on belong to NAME
 *   refresh AFI SAFI [SUBTYPE]  send a ROUTE-REFRESH (RFC 2918; subtype 1/2 = BoRR/EoRR, RFC 7313)
 *   notify CODE SUBCODE [HEX]   send a NOTIFICATION and close
 *   close                       close the connection (no NOTIFICATION)
 *   quit                        close and exit
 * The harness exits when the connection ends, when stdin says quit, or after --timeout seconds.
 *
 * Usage: node dist/test/capture/harness.js --local 127.0.91.1 (--connect HOST:PORT | --listen PORT)
 *   --as 64512 [--id ADDR] [--hold 180] [--no-as4] [--no-extmsg] [--no-gr] [--no-rr] [--no-err]
 *   [--families ipv4/unicast,...] [--addpath ipv4/unicast,...] [--timeout 300] --out FILE.jsonl
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';

/** AFI/SAFI names used in the logs and fixtures ("afi/safi", as in src/wire/afi.ts). */
const FAMILIES: Record<string, [number, number]> = {
  'ipv4/unicast': [1, 1],
  'ipv6/unicast': [2, 1],
  'ipv4/mpls-vpn': [1, 128],
  'ipv6/mpls-vpn': [2, 128],
  'l2vpn/evpn': [25, 70],
  'ipv4/rtc': [1, 132],
  'ipv4/flow': [1, 133],
  'ipv6/flow': [2, 133],
  'ipv4/flow-vpn': [1, 134],
  'ipv6/flow-vpn': [2, 134],
};
const ALL_FAMILIES = Object.keys(FAMILIES);

function familyName(afi: number, safi: number): string {
  for (const [name, [a, s]] of Object.entries(FAMILIES)) if (a === afi && s === safi) return name;
  return `afi-${afi}/safi-${safi}`;
}

interface Options {
  local: string;
  connect?: { host: string; port: number };
  listen?: number;
  as: number;
  id: string;
  hold: number;
  as4: boolean;
  extmsg: boolean;
  gr: boolean;
  rr: boolean;
  err: boolean;
  families: string[];
  addpath: string[];
  timeout: number;
  out: string;
}

function parseArgs(argv: string[]): Options {
  const o: Partial<Options> & { families: string[]; addpath: string[] } = {
    hold: 180,
    as4: true,
    extmsg: true,
    gr: true,
    rr: true,
    err: true,
    families: ALL_FAMILIES,
    addpath: [],
    timeout: 300,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--local':
        o.local = next();
        break;
      case '--connect': {
        const [host, port] = next().split(':');
        o.connect = { host: host!, port: Number(port) };
        break;
      }
      case '--listen':
        o.listen = Number(next());
        break;
      case '--as':
        o.as = Number(next());
        break;
      case '--id':
        o.id = next();
        break;
      case '--hold':
        o.hold = Number(next());
        break;
      case '--no-as4':
        o.as4 = false;
        break;
      case '--no-extmsg':
        o.extmsg = false;
        break;
      case '--no-gr':
        o.gr = false;
        break;
      case '--no-rr':
        o.rr = false;
        break;
      case '--no-err':
        o.err = false;
        break;
      case '--families':
        o.families = next().split(',').filter(Boolean);
        break;
      case '--addpath':
        o.addpath = next().split(',').filter(Boolean);
        break;
      case '--timeout':
        o.timeout = Number(next());
        break;
      case '--out':
        o.out = next();
        break;
      default:
        throw new Error(`unknown option ${a}`);
    }
  }
  if (!o.local || !o.as || !o.out || (!o.connect && o.listen === undefined)) {
    throw new Error('need --local, --as, --out and --connect or --listen');
  }
  for (const f of [...o.families, ...o.addpath]) if (!FAMILIES[f]) throw new Error(`unknown family ${f}`);
  o.id ??= o.local;
  return o as Options;
}

// ---- message building (by hand, RFC 4271 §4) ----

const MARKER = Buffer.alloc(16, 0xff);

function message(type: number, body: Buffer): Buffer {
  const len = Buffer.alloc(3);
  len.writeUInt16BE(19 + body.length, 0);
  len[2] = type;
  return Buffer.concat([MARKER, len, body]);
}

function ipv4(text: string): Buffer {
  return Buffer.from(text.split('.').map(Number));
}

function capability(code: number, value: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([Buffer.from([code, value.length]), value]);
}

function afiSafi(name: string, trailer: number[]): Buffer {
  const [afi, safi] = FAMILIES[name]!;
  return Buffer.from([afi >> 8, afi & 0xff, safi, ...trailer]);
}

/** The capabilities we announce (RFC 5492), in one Capabilities optional parameter. */
function capabilities(o: Options): Buffer {
  const caps: Buffer[] = [];
  for (const f of o.families) {
    const [afi, safi] = FAMILIES[f]!;
    caps.push(capability(1, Buffer.from([afi >> 8, afi & 0xff, 0, safi]))); // multiprotocol, RFC 4760 §8
  }
  if (o.rr) caps.push(capability(2)); // route refresh, RFC 2918
  if (o.err) caps.push(capability(70)); // enhanced route refresh, RFC 7313
  if (o.extmsg) caps.push(capability(6)); // extended message, RFC 8654
  if (o.gr) {
    // graceful restart, RFC 4724: restart time 120 s, every family with forwarding state preserved
    const v = [0x00, 120];
    for (const f of o.families) v.push(...afiSafi(f, [0x80]));
    caps.push(capability(64, Buffer.from(v)));
  }
  if (o.addpath.length > 0) {
    // ADD-PATH, RFC 7911: we want to receive path ids (1 = receive)
    caps.push(capability(69, Buffer.concat(o.addpath.map((f) => afiSafi(f, [1])))));
  }
  if (o.as4) {
    const v = Buffer.alloc(4);
    v.writeUInt32BE(o.as, 0);
    caps.push(capability(65, v)); // 4-octet AS, RFC 6793
  }
  const all = Buffer.concat(caps);
  return Buffer.concat([Buffer.from([2, all.length]), all]);
}

function openMessage(o: Options): Buffer {
  const params = capabilities(o);
  const head = Buffer.alloc(10);
  head[0] = 4;
  head.writeUInt16BE(o.as > 0xffff ? 23456 : o.as, 1);
  head.writeUInt16BE(o.hold, 3);
  ipv4(o.id).copy(head, 5);
  head[9] = params.length;
  return message(1, Buffer.concat([head, params]));
}

const KEEPALIVE = message(4, Buffer.alloc(0));

/** End-of-RIB: an empty UPDATE for IPv4 unicast, else an MP_UNREACH_NLRI with only AFI/SAFI. */
/** UPDATE with the default (wildcard) RTC route: ORIGIN, AS_PATH, LOCAL_PREF, MP_REACH (1/132). */
function defaultRtc(sock: Socket): Buffer {
  const ibgp = peerAs === opts.as;
  const asLen = opts.as4 && peerAs4 ? 4 : 2;
  const asPath = ibgp ? Buffer.alloc(0) : Buffer.alloc(2 + asLen);
  if (!ibgp) {
    asPath[0] = 2; // AS_SEQUENCE
    asPath[1] = 1;
    if (asLen === 4) asPath.writeUInt32BE(opts.as, 2);
    else asPath.writeUInt16BE(opts.as > 0xffff ? 23456 : opts.as, 2);
  }
  const nh = ipv4(sock.localAddress ?? opts.local);
  const attrs = Buffer.concat([
    Buffer.from([0x40, 1, 1, 0]), // ORIGIN IGP
    Buffer.from([0x40, 2, asPath.length]),
    asPath,
    ibgp ? Buffer.from([0x40, 5, 4, 0, 0, 0, 100]) : Buffer.alloc(0), // LOCAL_PREF 100
    Buffer.from([0x80, 14, 10, 0, 1, 132, 4]),
    nh,
    Buffer.from([0, 0]), // reserved, then the NLRI: prefix length 0 = default RTC route
  ]);
  const head = Buffer.alloc(4);
  head.writeUInt16BE(attrs.length, 2);
  return message(2, Buffer.concat([head, attrs]));
}

function endOfRib(family: string): Buffer {
  const [afi, safi] = FAMILIES[family]!;
  if (afi === 1 && safi === 1) return message(2, Buffer.alloc(4));
  return message(2, Buffer.from([0, 0, 0, 6, 0x80, 15, 3, afi >> 8, afi & 0xff, safi]));
}

// ---- parsing the peer's OPEN (only what the negotiated context needs) ----

interface PeerCaps {
  /** The peer's AS: the 4-octet AS capability's value if present, else My Autonomous System. */
  as: number;
  codes: number[];
  as4: boolean;
  extmsg: boolean;
  /** ADD-PATH send/receive per family name (1 receive, 2 send, 3 both). */
  addpath: Record<string, number>;
  families: string[];
}

function parseOpen(msg: Buffer): PeerCaps {
  const caps: PeerCaps = { as: msg.readUInt16BE(20), codes: [], as4: false, extmsg: false, addpath: {}, families: [] };
  let p = 19 + 9;
  let paramsLen = msg[p]!;
  p += 1;
  let extended = false;
  if (msg[p] === 255 && paramsLen === 255) {
    // RFC 9072 extended optional parameters length
    extended = true;
    paramsLen = msg.readUInt16BE(p + 1);
    p += 3;
  }
  const end = p + paramsLen;
  while (p < end) {
    const type = msg[p]!;
    const len = extended ? msg.readUInt16BE(p + 1) : msg[p + 1]!;
    p += extended ? 3 : 2;
    if (type === 2) {
      let q = p;
      while (q < p + len) {
        const code = msg[q]!;
        const clen = msg[q + 1]!;
        const v = msg.subarray(q + 2, q + 2 + clen);
        caps.codes.push(code);
        if (code === 65) {
          caps.as4 = true;
          caps.as = v.readUInt32BE(0);
        }
        if (code === 6) caps.extmsg = true;
        if (code === 1) caps.families.push(familyName(v.readUInt16BE(0), v[3]!));
        if (code === 69) {
          for (let i = 0; i + 4 <= v.length; i += 4) caps.addpath[familyName(v.readUInt16BE(i), v[i + 2]!)] = v[i + 3]!;
        }
        q += 2 + clen;
      }
    }
    p += len;
  }
  return caps;
}

// ---- the session ----

const opts = parseArgs(process.argv.slice(2));
writeFileSync(opts.out, '');
function log(rec: Record<string, unknown>): void {
  appendFileSync(opts.out, `${JSON.stringify({ t: Date.now(), ...rec })}\n`);
}

let socket: Socket | undefined;
let mark: { name: string; description: string } = { name: 'session', description: 'session start' };
let keepaliveTimer: NodeJS.Timeout | undefined;
let done = false;
let established = false;
let peerFamilies: string[] = [];
let peerAs = 0;
let peerAs4 = false;

function send(sock: Socket, bytes: Buffer): void {
  log({ dir: 'out', hex: bytes.toString('hex') });
  sock.write(bytes);
}

function finish(reason: string): void {
  if (done) return;
  done = true;
  log({ event: 'end', reason });
  if (keepaliveTimer) clearInterval(keepaliveTimer);
  socket?.destroy();
  server?.close();
  process.exit(0);
}

function run(sock: Socket): void {
  socket = sock;
  log({
    event: 'session',
    local: `${sock.localAddress}:${sock.localPort}`,
    remote: `${sock.remoteAddress}:${sock.remotePort}`,
    options: { ...opts, out: undefined },
  });
  send(sock, openMessage(opts));
  let pending = Buffer.alloc(0);
  sock.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 19) {
      const len = pending.readUInt16BE(16);
      if (len < 19) {
        log({ event: 'error', reason: `bad length ${len}` });
        finish('bad length');
        return;
      }
      if (pending.length < len) break;
      const msg = Buffer.from(pending.subarray(0, len));
      pending = pending.subarray(len);
      const type = msg[18]!;
      log({ dir: 'in', type, mark: mark.name, description: mark.description, hex: msg.toString('hex') });
      if (type === 4 && !established) {
        // Established: send our End-of-RIB markers (RFC 4724 §2), as a real speaker with nothing to
        // advertise would; GoBGP with graceful restart holds its routes back until it sees them.
        established = true;
        for (const f of opts.families) if (peerFamilies.includes(f)) send(sock, endOfRib(f));
        // With RT Constraint negotiated, ask for every route (the default RTC route, RFC 4684 §3):
        // GoBGP otherwise filters all families, even IPv4 unicast, by RT Constraint.
        if (opts.families.includes('ipv4/rtc') && peerFamilies.includes('ipv4/rtc')) send(sock, defaultRtc(sock));
      }
      if (type === 1) {
        const peer = parseOpen(msg);
        peerFamilies = peer.families;
        peerAs = peer.as;
        peerAs4 = peer.as4;
        // What the peer → harness direction carries (RFC 6793 §4, RFC 7911 §4, RFC 8654 §3).
        const addPath = opts.addpath.filter((f) => ((peer.addpath[f] ?? 0) & 2) !== 0);
        log({
          event: 'negotiated',
          as4: opts.as4 && peer.as4,
          addPath,
          extendedMessage: opts.extmsg && peer.extmsg,
          peerCapabilities: peer.codes,
          peerFamilies: peer.families,
          peerAddPath: peer.addpath,
        });
        send(sock, KEEPALIVE);
        const hold = Math.min(opts.hold, msg.readUInt16BE(19 + 3));
        if (hold > 0) keepaliveTimer = setInterval(() => send(sock, KEEPALIVE), Math.max(1, Math.floor(hold / 3)) * 1000);
      }
    }
  });
  sock.on('close', () => finish('connection closed'));
  sock.on('error', (e) => log({ event: 'socket-error', reason: e.message }));
}

let server: ReturnType<typeof createServer> | undefined;
if (opts.listen !== undefined) {
  server = createServer((s) => {
    if (socket) {
      s.destroy(); // one session only
      return;
    }
    run(s);
  });
  server.listen(opts.listen, opts.local, () => log({ event: 'listening', address: `${opts.local}:${opts.listen}` }));
} else {
  const target = opts.connect!;
  const attempt = (): void => {
    if (done) return;
    const s = connect({ host: target.host, port: target.port, localAddress: opts.local });
    s.once('connect', () => run(s));
    s.once('error', (e) => {
      if (socket === s) return;
      log({ event: 'connect-retry', reason: e.message });
      s.destroy();
      setTimeout(attempt, 1000);
    });
  };
  attempt();
}

setTimeout(() => finish('timeout'), opts.timeout * 1000).unref();

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const [cmd, ...args] = line.trim().split(/\s+/);
  if (!cmd) return;
  log({ event: 'command', line });
  switch (cmd) {
    case 'mark':
      mark = { name: args[0] ?? 'unnamed', description: args.slice(1).join(' ') };
      break;
    case 'refresh': {
      if (!socket) break;
      const afi = Number(args[0]);
      send(socket, message(5, Buffer.from([afi >> 8, afi & 0xff, Number(args[2] ?? 0), Number(args[1])])));
      break;
    }
    case 'notify': {
      if (!socket) break;
      const data = Buffer.from(args[2] ?? '', 'hex');
      send(socket, message(3, Buffer.concat([Buffer.from([Number(args[0]), Number(args[1])]), data])));
      setTimeout(() => finish('notification sent'), 200);
      break;
    }
    case 'close':
      socket?.end();
      break;
    case 'quit':
      finish('quit');
      break;
    default:
      log({ event: 'error', reason: `unknown command ${cmd}` });
  }
});
// stdin closing does not end the session: the capture script decides (quit / notify / peer stop).
