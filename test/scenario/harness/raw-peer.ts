/**
 * A minimal BGP speaker written by hand for error-handling scenarios: it builds every byte itself
 * (not with the project's codec, so a codec bug cannot hide on both sides), connects to our
 * speaker, opens an iBGP session with the Multiprotocol capabilities asked for (RFC 4760; no
 * 4-octet AS, so AS numbers are 2 bytes), sends its KEEPALIVEs, and sends UPDATE bodies it is given,
 * well-formed or not. It records every message it receives, NOTIFICATIONs included.
 *
 * `vpnUpdate` builds a VPN-IPv4 UPDATE (RFC 4364) from attribute records that tests can corrupt.
 */
import net from 'node:net';
import { waitFor } from '../../helpers/wait.js';

const MARKER = Buffer.alloc(16, 0xff);
export const MsgType = { Open: 1, Update: 2, Notification: 3, Keepalive: 4, RouteRefresh: 5 } as const;

export function bgpMessage(type: number, body: Buffer): Buffer {
  const head = Buffer.alloc(3);
  head.writeUInt16BE(19 + body.length, 0);
  head[2] = type;
  return Buffer.concat([MARKER, head, body]);
}

function ipv4(text: string): Buffer {
  return Buffer.from(text.split('.').map(Number));
}

/** One path attribute as raw parts (RFC 4271 §4.3): tests change any of them. */
export interface RawAttribute {
  flags: number;
  type: number;
  value: Buffer;
}

export function encodeAttribute(a: RawAttribute): Buffer {
  const ext = a.value.length > 255 || (a.flags & 0x10) !== 0;
  const head = ext ? Buffer.from([a.flags | 0x10, a.type, a.value.length >> 8, a.value.length & 0xff]) : Buffer.from([a.flags, a.type, a.value.length]);
  return Buffer.concat([head, a.value]);
}

/** UPDATE body: no withdrawn routes, the attributes, no IPv4 NLRI (everything in MP_REACH). */
export function updateBody(attrs: RawAttribute[]): Buffer {
  const path = Buffer.concat(attrs.map(encodeAttribute));
  const lens = Buffer.alloc(4);
  lens.writeUInt16BE(0, 0);
  lens.writeUInt16BE(path.length, 2);
  return Buffer.concat([lens, path]);
}

export interface VpnRoute {
  prefix: string;
  /** Type 0 RD "AS:number". */
  rd: string;
  label: number;
  nextHop: string;
  rt: string;
  localPref?: number;
}

/** The attributes of a VPN-IPv4 route, in type-code order: ORIGIN, AS_PATH, LOCAL_PREF, EXT_COMMUNITIES, MP_REACH_NLRI. */
function vpnNlri(r: Pick<VpnRoute, 'prefix' | 'rd'>, labelField: Buffer): Buffer {
  const [addr, lenText] = r.prefix.split('/') as [string, string];
  const plen = Number(lenText);
  const [rdAs, rdNum] = r.rd.split(':').map(Number) as [number, number];
  const rd = Buffer.alloc(8);
  rd.writeUInt16BE(0, 0);
  rd.writeUInt16BE(rdAs, 2);
  rd.writeUInt32BE(rdNum, 4);
  return Buffer.concat([Buffer.from([24 + 64 + plen]), labelField, rd, ipv4(addr).subarray(0, Math.ceil(plen / 8))]);
}

/** A withdrawal: MP_UNREACH_NLRI alone, label field 0x800000 (RFC 8277 §2.4). */
export function vpnWithdraw(r: Pick<VpnRoute, 'prefix' | 'rd'>): Buffer {
  const value = Buffer.concat([Buffer.from([0x00, 0x01, 128]), vpnNlri(r, Buffer.from([0x80, 0, 0]))]);
  return updateBody([{ flags: 0x80, type: 15, value }]);
}

export function vpnAttributes(r: VpnRoute): RawAttribute[] {
  const lp = Buffer.alloc(4);
  lp.writeUInt32BE(r.localPref ?? 100, 0);
  const [rtAs, rtNum] = r.rt.split(':').map(Number) as [number, number];
  const rt = Buffer.alloc(8);
  rt.writeUInt16BE(0x0002, 0); // 2-octet-AS route target (RFC 4360 §4)
  rt.writeUInt16BE(rtAs, 2);
  rt.writeUInt32BE(rtNum, 4);
  const label = Buffer.from([(r.label >> 12) & 0xff, (r.label >> 4) & 0xff, ((r.label & 0xf) << 4) | 1]); // bottom of stack
  const nlri = vpnNlri(r, label);
  const mpReach = Buffer.concat([
    Buffer.from([0x00, 0x01, 128, 12]), // AFI 1, SAFI 128, next hop length 12
    Buffer.alloc(8), // RD 0
    ipv4(r.nextHop),
    Buffer.from([0]), // reserved
    nlri,
  ]);
  return [
    { flags: 0x40, type: 1, value: Buffer.from([0]) }, // ORIGIN IGP
    { flags: 0x40, type: 2, value: Buffer.alloc(0) }, // AS_PATH empty (iBGP)
    { flags: 0x40, type: 5, value: lp }, // LOCAL_PREF
    { flags: 0xc0, type: 16, value: rt }, // EXTENDED_COMMUNITIES
    { flags: 0x80, type: 14, value: mpReach }, // MP_REACH_NLRI
  ];
}

export function vpnUpdate(r: VpnRoute): Buffer {
  return updateBody(vpnAttributes(r));
}

export interface RawPeerOptions {
  localAddress: string;
  as: number;
  holdTime?: number;
  /** [AFI, SAFI] pairs announced in Multiprotocol capabilities. */
  families: [number, number][];
  /** More capabilities (code, length, value bytes), appended in the same optional parameter. */
  extraCapabilities?: Buffer;
}

export interface Received {
  type: number;
  body: Buffer;
}

export class RawPeer {
  private socket: net.Socket | undefined;
  private buf = Buffer.alloc(0);
  private keepalives: NodeJS.Timeout | undefined;
  readonly received: Received[] = [];
  closed = false;

  constructor(readonly opts: RawPeerOptions) {}

  /** Connects and completes the OPEN / KEEPALIVE exchange. */
  async connect(host: string, port: number): Promise<void> {
    const s = net.connect({ host, port, localAddress: this.opts.localAddress });
    this.socket = s;
    s.on('data', (d: Buffer) => this.onData(d));
    const gone = (): void => {
      this.closed = true;
      clearInterval(this.keepalives);
    };
    s.on('close', gone);
    s.on('error', gone);
    await new Promise<void>((resolve, reject) => {
      s.once('connect', resolve);
      s.once('error', reject);
    });
    this.send(MsgType.Open, this.openBody());
    await waitFor('OPEN from our speaker', () => this.closed || this.count(MsgType.Open) > 0, 10_000);
    if (this.closed) throw new Error(`session closed during OPEN: ${this.describe()}`);
    this.send(MsgType.Keepalive, Buffer.alloc(0));
    // Our own keepalives, a third of the hold time apart (RFC 4271 §10).
    this.keepalives = setInterval(() => {
      if (!this.closed) this.send(MsgType.Keepalive, Buffer.alloc(0));
    }, ((this.opts.holdTime ?? 180) * 1000) / 3);
    this.keepalives.unref();
    await waitFor('KEEPALIVE from our speaker', () => this.closed || this.count(MsgType.Keepalive) > 0, 10_000);
    if (this.closed) throw new Error(`session closed after OPEN: ${this.describe()}`);
  }

  private openBody(): Buffer {
    const caps = Buffer.concat([
      ...this.opts.families.map(([afi, safi]) => Buffer.from([1, 4, afi >> 8, afi & 0xff, 0, safi])),
      this.opts.extraCapabilities ?? Buffer.alloc(0),
    ]);
    const params = Buffer.concat([Buffer.from([2, caps.length]), caps]);
    const head = Buffer.alloc(10);
    head[0] = 4;
    head.writeUInt16BE(this.opts.as, 1);
    head.writeUInt16BE(this.opts.holdTime ?? 180, 3);
    ipv4(this.opts.localAddress).copy(head, 5);
    head[9] = params.length;
    return Buffer.concat([head, params]);
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    while (this.buf.length >= 19) {
      const len = this.buf.readUInt16BE(16);
      if (this.buf.length < len) break;
      const type = this.buf[18]!;
      const body = this.buf.subarray(19, len);
      this.buf = this.buf.subarray(len);
      this.received.push({ type, body: Buffer.from(body) });
    }
  }

  send(type: number, body: Buffer): void {
    if (!this.socket || this.closed) throw new Error('raw peer: not connected');
    this.socket.write(bgpMessage(type, body));
  }

  sendUpdate(body: Buffer): void {
    this.send(MsgType.Update, body);
  }

  count(type: number): number {
    return this.received.filter((m) => m.type === type).length;
  }

  /** NOTIFICATIONs received, as "code/subcode". */
  notifications(): string[] {
    return this.received.filter((m) => m.type === MsgType.Notification).map((m) => `${m.body[0]}/${m.body[1]}`);
  }

  describe(): string {
    return `received ${JSON.stringify(this.received.map((m) => [m.type, m.body.toString('hex')]))}`;
  }

  close(): void {
    clearInterval(this.keepalives);
    this.socket?.destroy();
    this.closed = true;
  }
}
