#!/usr/bin/env node
/**
 * bagpipe-wire: decode BGP bytes to the codec's JSON, and encode that JSON back to bytes.
 *
 *   bagpipe-wire decode [HEX...]   hex as arguments or on stdin: one message or a stream of them
 *   bagpipe-wire encode [JSON]     JSON as argument or on stdin: a message or an array of them
 *
 * Options: --pretty, --body TYPE (a bare body or element instead of whole messages), --family F
 * (with --body nlri), --as2, --add-path FAMILY (repeatable), --extended-message. See
 * docs/bagpipe-wire.md. Errors: exit code 1 and one line on stderr with the WireError code.
 */
import { parseArgs } from 'node:util';
import {
  BufferReader,
  BufferWriter,
  CAPABILITY_POLICY,
  contextWith,
  decodeAttributeList,
  decodeExtCommunity,
  decodeKeepaliveBody,
  decodeMessage,
  decodeNlriField,
  decodeNotificationBody,
  decodeOpenBody,
  decodeRouteRefreshBody,
  decodeUpdateBody,
  encodeExtCommunity,
  encodeMessage,
  encodeNlriField,
  encodeNotificationBody,
  encodeOpenBody,
  encodeRouteRefreshBody,
  encodeUpdateBody,
  encodeAttribute,
  familyKey,
  fromHex,
  maxMessageLength,
  MessageFramer,
  notificationText,
  parseFamilyName,
  readCapability,
  writeCapability,
  WireError,
  NotifyCode,
  type BgpMessage,
  type Capability,
  type CodecContext,
  type ExtCommunity,
  type Nlri,
  type NotificationMessage,
  type OpenMessage,
  type PathAttribute,
  type RouteRefreshMessage,
  type UpdateMessage,
} from '../wire/index.js';

const USAGE = `usage: bagpipe-wire decode [options] [HEX...]
       bagpipe-wire encode [options] [JSON]

  decode   hex (arguments or stdin; whitespace, ':' and 0x allowed) to JSON, one document per
           message (a stream of messages is split by their headers)
  encode   JSON (argument or stdin; a message or an array of messages) to hex, one line each

options:
  --pretty               indented JSON
  --body TYPE            a bare body or element instead of whole messages: open, update,
                         notification, keepalive, route-refresh (message bodies, no header),
                         attribute (path attributes), nlri (an NLRI field, needs --family),
                         ext-community (8-byte values), capability (capability TLVs)
  --family FAMILY        family of --body nlri, e.g. ipv4/mpls-vpn, l2vpn/evpn
  --as2                  the session uses 2-octet AS numbers (no 4-octet AS capability)
  --add-path FAMILY      NLRI of FAMILY carry ADD-PATH path identifiers (repeatable)
  --extended-message     RFC 8654 extended messages (up to 65535 bytes)
  -h, --help             this text`;

type BodyType =
  | 'open'
  | 'update'
  | 'notification'
  | 'keepalive'
  | 'route-refresh'
  | 'attribute'
  | 'nlri'
  | 'ext-community'
  | 'capability';
const BODY_TYPES: readonly BodyType[] = [
  'open',
  'update',
  'notification',
  'keepalive',
  'route-refresh',
  'attribute',
  'nlri',
  'ext-community',
  'capability',
];

interface Options {
  command: 'decode' | 'encode';
  inputs: string[];
  pretty: boolean;
  body?: BodyType;
  family?: { afi: number; safi: number };
  ctx: CodecContext;
}

/** A failure of the tool itself (usage, input): same one-line report as a WireError. */
class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function family(text: string): { afi: number; safi: number } {
  const f = parseFamilyName(text);
  if (!f) throw new CliError('bad-family', `${JSON.stringify(text)} is not a family (e.g. ipv4/mpls-vpn, l2vpn/evpn)`);
  return f;
}

function parseOptions(argv: string[]): Options | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        pretty: { type: 'boolean', default: false },
        body: { type: 'string' },
        family: { type: 'string' },
        as2: { type: 'boolean', default: false },
        'add-path': { type: 'string', multiple: true, default: [] },
        'extended-message': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new CliError('usage', (e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === 'help') return 'help';
  const [command, ...inputs] = positionals;
  if (command !== 'decode' && command !== 'encode') {
    throw new CliError('usage', command === undefined ? 'missing command: decode or encode' : `unknown command ${JSON.stringify(command)}`);
  }
  const opts: Options = {
    command,
    inputs,
    pretty: values.pretty,
    ctx: contextWith({
      as4: !values.as2,
      addPath: new Set(values['add-path'].map((f) => familyKey(family(f).afi, family(f).safi))),
      extendedMessage: values['extended-message'],
    }),
  };
  if (values.body !== undefined) {
    if (!BODY_TYPES.includes(values.body as BodyType)) {
      throw new CliError('usage', `--body ${values.body}: expected one of ${BODY_TYPES.join(', ')}`);
    }
    opts.body = values.body as BodyType;
  }
  if (values.family !== undefined) opts.family = family(values.family);
  if (opts.body === 'nlri' && opts.family === undefined) throw new CliError('usage', '--body nlri needs --family');
  return opts;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new CliError('usage', 'no input: give it as an argument or on stdin');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Warnings for errors an UPDATE survived (RFC 7606), on stderr. */
function warn(errors: readonly WireError[]): void {
  for (const e of errors) process.stderr.write(`bagpipe-wire: warning: ${e.code}: ${e.message} (${e.outcome})\n`);
}

function decodeAll(bytes: Buffer, o: Options): unknown[] {
  const { ctx } = o;
  switch (o.body) {
    case undefined: {
      const framer = new MessageFramer(maxMessageLength(ctx));
      const out: unknown[] = [];
      for (const frame of framer.push(bytes)) {
        const d = decodeMessage(frame, ctx);
        warn(d.errors);
        out.push(d.message);
      }
      framer.end();
      return out;
    }
    case 'open':
      return [decodeOpenBody(bytes)];
    case 'update': {
      const r = decodeUpdateBody(bytes, ctx);
      warn(r.errors);
      return [r.message];
    }
    case 'notification':
      if (bytes.length < 2) throw new CliError('truncated', 'a NOTIFICATION body has at least 2 bytes');
      return [decodeNotificationBody(bytes)];
    case 'keepalive':
      if (bytes.length !== 0) throw new CliError('bad-message-length', 'a KEEPALIVE has no body');
      return [decodeKeepaliveBody()];
    case 'route-refresh':
      if (bytes.length < 4) throw new CliError('truncated', 'a ROUTE-REFRESH body has at least 4 bytes');
      return [decodeRouteRefreshBody(bytes)];
    case 'attribute': {
      const list = decodeAttributeList(bytes, 0, bytes.length, ctx);
      warn(list.errors);
      return list.attributes;
    }
    case 'nlri': {
      const f = o.family!;
      return decodeNlriField(f.afi, f.safi, BufferReader.of(bytes), ctx);
    }
    case 'ext-community': {
      if (bytes.length % 8 !== 0) throw new CliError('bad-ext-community-length', `${bytes.length} bytes is not a multiple of 8`);
      const out: unknown[] = [];
      for (let i = 0; i < bytes.length; i += 8) out.push(decodeExtCommunity(bytes.subarray(i, i + 8)));
      return out;
    }
    case 'capability': {
      const r = BufferReader.of(bytes, CAPABILITY_POLICY);
      const out: unknown[] = [];
      while (!r.atEnd) out.push(readCapability(r));
      return out;
    }
  }
}

/** Hex lines for the JSON input (a value or an array of them). */
function encodeAll(input: unknown, o: Options): string[] {
  const items = Array.isArray(input) ? (input as unknown[]) : [input];
  const { ctx } = o;
  const body = (fn: (w: BufferWriter) => void): string => {
    const w = new BufferWriter();
    fn(w);
    return w.finish().toString('hex');
  };
  switch (o.body) {
    case undefined:
      return items.map((m) => encodeMessage(m as BgpMessage, ctx).toString('hex'));
    case 'open':
      return items.map((m) => body((w) => encodeOpenBody(w, m as OpenMessage)));
    case 'update':
      return items.map((m) => body((w) => encodeUpdateBody(w, m as UpdateMessage, ctx)));
    case 'notification':
      return items.map((m) => body((w) => encodeNotificationBody(w, m as NotificationMessage)));
    case 'keepalive':
      return items.map(() => '');
    case 'route-refresh':
      return items.map((m) => body((w) => encodeRouteRefreshBody(w, m as RouteRefreshMessage)));
    // Elements: an array is one field (their concatenation).
    case 'attribute':
      return [items.map((a) => encodeAttribute(a as PathAttribute, ctx).toString('hex')).join('')];
    case 'nlri': {
      const f = o.family!;
      return [body((w) => encodeNlriField(f.afi, f.safi, w, items as Nlri[], ctx))];
    }
    case 'ext-community':
      return [items.map((e) => encodeExtCommunity(e as ExtCommunity).toString('hex')).join('')];
    case 'capability':
      return [body((w) => items.forEach((c) => writeCapability(w, c as Capability)))];
  }
}

async function run(argv: string[]): Promise<void> {
  const o = parseOptions(argv);
  if (o === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const text = o.inputs.length > 0 ? o.inputs.join(' ') : await readStdin();
  let out: string[];
  if (o.command === 'decode') {
    const bytes = fromHex(text.trim().replace(/\b0x/gi, ''));
    out = decodeAll(bytes, o).map((v) => JSON.stringify(v, null, o.pretty ? 2 : undefined));
  } else {
    let input: unknown;
    try {
      input = JSON.parse(text) as unknown;
    } catch (e) {
      throw new CliError('bad-json', (e as Error).message);
    }
    out = encodeAll(input, o);
  }
  if (out.length > 0) process.stdout.write(`${out.join('\n')}\n`);
}

/** One line: the code, the text, and for a decoding error the NOTIFICATION a session would send. */
function report(e: unknown): string {
  if (e instanceof WireError) {
    const n = e.notification;
    const notify =
      n.code === NotifyCode.Cease && n.subcode === 0
        ? ''
        : ` (NOTIFICATION ${notificationText(n.code, n.subcode)}${n.data?.length ? `, data ${Buffer.from(n.data).toString('hex')}` : ''})`;
    return `${e.code}: ${e.message}${notify}`;
  }
  if (e instanceof CliError) return `${e.code}: ${e.message}`;
  return `internal: ${e instanceof Error ? e.message : String(e)}`;
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

run(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`bagpipe-wire: ${report(e)}\n`);
  process.exitCode = 1;
});
