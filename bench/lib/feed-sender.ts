/**
 * A BGP peer that sends a full VPN-IPv4 feed as fast as the receiver reads it: the sender of the
 * ingestion benchmark (bench/ingest.ts), in a process of its own so that its CPU and memory are
 * not the receiver's.
 *
 * Usage: node dist/bench/lib/feed-sender.js --routes=N --address=A (--connect=HOST:PORT | --listen=PORT)
 *          [--as=64512] [--rt=64512:1] [--rds=100]
 *
 * The routes are built and encoded before the session starts: route i is 10.X.X.X/32 (X from i)
 * with RD A:(i mod rds) (1,000 RDs by default: VRFs × PEs), label 16 + i mod 1,000,000, next hop A, the route target and the MPLS
 * encapsulation community, packed into 4096-byte UPDATEs as a route reflector sends them. After
 * OPEN and KEEPALIVE (iBGP, multiprotocol VPN-IPv4, 4-octet AS, route refresh, hold time 240 s) the
 * UPDATEs are written in 64 KiB blocks, each after the previous one was taken by the socket
 * (back-pressure: the pace is the receiver's), then the End-of-RIB. It prints one line per step on
 * stdout: "encoded MESSAGES BYTES", "established", "sent MS" (the last byte handed to the kernel,
 * MS after the first), and then keeps the session (KEEPALIVEs every 30 s) until SIGTERM.
 *
 * --stepped: one UPDATE at a time, each when a line "next" arrives on stdin (then "wrote ROUTES",
 * the routes written so far; "sent" after the End-of-RIB). For the original BaGPipe-BGP, whose
 * reader loses its place in the stream whenever a message arrives in pieces (it starts a new
 * read generator for every message): with one message in flight it never does.
 */
import { connect, createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
  contextWith,
  decodeMessage,
  encapsulation,
  encodeMessage,
  fromMplsLabel,
  MAX_MESSAGE,
  MessageFramer,
  routeTarget,
  WireError,
  type BgpMessage,
  type Nlri,
  type PathAttribute,
  type UpdateMessage,
} from '../../src/wire/index.js';

const { values } = parseArgs({
  options: {
    routes: { type: 'string' },
    address: { type: 'string' },
    connect: { type: 'string' },
    listen: { type: 'string' },
    as: { type: 'string', default: '64512' },
    rt: { type: 'string', default: '64512:1' },
    rds: { type: 'string', default: '1000' },
    stepped: { type: 'boolean', default: false },
  },
  strict: true,
});
const ROUTES = Number(values.routes);
const ADDRESS = values.address!;
const AS = Number(values.as);
const RDS = Number(values.rds);
const CTX = contextWith({ extendedMessage: false, as4: true });
/** For sizing only: encodes what would not fit 4096 bytes, so the size can be compared. */
const SIZING = contextWith({ extendedMessage: true, as4: true });

function nlri(i: number): Nlri {
  const n = i + 1;
  return {
    kind: 'vpn',
    labels: [fromMplsLabel(16 + (i % 1_000_000))],
    rd: { type: 1, value: `${ADDRESS}:${i % RDS}` },
    prefix: `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/32`,
  };
}

function update(routes: Nlri[]): UpdateMessage {
  const attributes: PathAttribute[] = [
    { type: 'origin', value: 'igp' },
    { type: 'as-path', segments: [] },
    { type: 'local-pref', value: 100 },
    { type: 'ext-communities', communities: [routeTarget(values.rt), encapsulation('mpls')] },
    { type: 'mp-reach', afi: 1, safi: 128, nextHop: [ADDRESS], nlri: routes },
  ];
  return { type: 'update', withdrawn: [], attributes, nlri: [] };
}

/** Every route, packed: as many NLRI per UPDATE as fit in 4096 bytes (all /32s: a fixed size);
 * the messages concatenated in blocks of about 64 KiB (stepped: one message per block). */
function encodeFeed(): { blocks: Buffer[]; messages: number; perMessage: number } {
  const perMessage = (() => {
    let k = 1;
    while (encodeMessage(update(Array.from({ length: k + 1 }, (_, i) => nlri(i))), SIZING).length <= MAX_MESSAGE) k++;
    return k;
  })();
  const blocks: Buffer[] = [];
  let pending: Buffer[] = [];
  let size = 0;
  let messages = 1;
  for (let i = 0; i < ROUTES; i += perMessage) {
    messages++;
    const batch: Nlri[] = [];
    for (let j = i; j < Math.min(ROUTES, i + perMessage); j++) batch.push(nlri(j));
    const m = encodeMessage(update(batch), CTX);
    pending.push(m);
    size += m.length;
    if (size >= 65536 || values.stepped) {
      blocks.push(Buffer.concat(pending));
      pending = [];
      size = 0;
    }
  }
  // End-of-RIB for VPN-IPv4 (RFC 4724 §2): an UPDATE with an empty MP_UNREACH_NLRI.
  pending.push(encodeMessage({ type: 'update', withdrawn: [], attributes: [{ type: 'mp-unreach', afi: 1, safi: 128, nlri: [] }], nlri: [] }, CTX));
  blocks.push(Buffer.concat(pending));
  return { blocks, messages, perMessage };
}

const open: BgpMessage = {
  type: 'open',
  version: 4,
  myAs: AS,
  holdTime: 240,
  bgpId: ADDRESS,
  capabilities: [
    { type: 'multiprotocol', family: 'ipv4/mpls-vpn' },
    { type: 'route-refresh' },
    { type: 'four-octet-as', as: AS },
  ],
};

function session(socket: Socket, blocks: Buffer[], perMessage: number): void {
  socket.setNoDelay(true);
  const framer = new MessageFramer();
  let established = false;
  socket.write(encodeMessage(open, CTX));
  const stepped = (): void => {
    let i = 0;
    createInterface({ input: process.stdin }).on('line', (l) => {
      if (l.trim() !== 'next' || i >= blocks.length) return;
      socket.write(blocks[i++]!);
      if (i === blocks.length) socket.write(Buffer.alloc(0), () => console.log('sent'));
      else console.log(`wrote ${Math.min(ROUTES, i * perMessage)}`);
    });
  };
  const send = (): void => {
    if (values.stepped) return stepped();
    const t0 = process.hrtime.bigint();
    let i = 0;
    const pump = (): void => {
      while (i < blocks.length) {
        const ok = socket.write(blocks[i++]!);
        if (!ok) {
          socket.once('drain', pump);
          return;
        }
      }
      socket.write(Buffer.alloc(0), () => console.log(`sent ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(1)}`));
    };
    pump();
  };
  socket.on('data', (chunk: Buffer) => {
    let frames: Buffer[];
    try {
      frames = framer.push(chunk);
    } catch (e) {
      console.error(`feed-sender: ${e instanceof WireError ? e.message : String(e)}`);
      process.exit(1);
    }
    for (const f of frames) {
      const m = decodeMessage(f, CTX, { peerType: 'internal' }).message;
      if (m.type === 'open') socket.write(encodeMessage({ type: 'keepalive' }, CTX));
      else if (m.type === 'keepalive' && !established) {
        established = true;
        console.log('established');
        setInterval(() => socket.write(encodeMessage({ type: 'keepalive' }, CTX)), 30_000).unref();
        send();
      } else if (m.type === 'notification') {
        console.error(`feed-sender: NOTIFICATION received: ${JSON.stringify(m)}`);
        process.exit(1);
      }
    }
  });
  socket.on('error', (e) => {
    console.error(`feed-sender: ${e.message}`);
    process.exit(1);
  });
  socket.on('close', () => process.exit(0));
}

function main(): void {
  if (!Number.isInteger(ROUTES) || ROUTES < 1 || values.address === undefined || (values.connect === undefined) === (values.listen === undefined)) {
    console.error('usage: feed-sender --routes=N --address=A (--connect=HOST:PORT | --listen=PORT) [--as=AS] [--rt=RT] [--rds=N]');
    process.exit(2);
  }
  const { blocks, messages, perMessage } = encodeFeed();
  console.log(`encoded ${messages} ${blocks.reduce((n, b) => n + b.length, 0)}`);
  process.once('SIGTERM', () => process.exit(0));
  if (values.connect !== undefined) {
    const [host, port] = values.connect.split(':');
    const s = connect({ host: host!, port: Number(port), localAddress: ADDRESS });
    s.once('connect', () => session(s, blocks, perMessage));
    s.once('error', (e) => {
      console.error(`feed-sender: ${e.message}`);
      process.exit(1);
    });
  } else {
    const server = createServer((s) => {
      server.close();
      session(s, blocks, perMessage);
    });
    server.listen({ host: ADDRESS, port: Number(values.listen) }, () => console.log('listening'));
  }
}

main();
