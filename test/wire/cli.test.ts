/**
 * bagpipe-wire, run as users run it: the compiled script spawned with node, input as arguments or
 * on stdin, JSON or hex on stdout, one line on stderr and exit code 1 on errors.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import { decodeMessage } from '../../src/wire/message.js';
import { cleanHex } from '../helpers/vectors.js';
import { commandPath } from '../../src/cli/command-path.js';

const CLI = commandPath('bagpipe-wire');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], input?: string): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { input: input ?? '', encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lines(s: string): string[] {
  return s.split('\n').filter((l) => l.length > 0);
}

const M = 'ff'.repeat(16);
const OPEN = `${M} 003d 01 04 fc00 00b4 7f004d01 20 02 06 01 04 0001 00 80 02 06 01 04 0001 00 84 02 06 01 04 0001 00 86 02 06 01 04 0019 00 46`;
const KEEPALIVE = `${M} 0013 04`;
// engine.md §4.1: RTC route for 64512:1 sent by the original.
const RTC_UPDATE = `${M} 003e 02 0000 0027 40 01 01 00 40 02 00 40 05 04 00000064 80 0e 16 0001 84 04 7f004d01 00 60 0000fc00 0002fc0000000001`;

const OPEN_JSON = {
  type: 'open',
  version: 4,
  myAs: 64512,
  holdTime: 180,
  bgpId: '127.0.77.1',
  capabilities: [
    { type: 'multiprotocol', family: 'ipv4/mpls-vpn' },
    { type: 'multiprotocol', family: 'ipv4/rtc' },
    { type: 'multiprotocol', family: 'ipv4/flow-vpn' },
    { type: 'multiprotocol', family: 'l2vpn/evpn' },
  ],
};

/** The error report: exactly one line, the code first, no stack trace. */
function assertFailure(r: Run, code: string): void {
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout, '');
  const err = lines(r.stderr);
  assert.equal(err.length, 1, r.stderr);
  assert.ok(err[0]!.startsWith(`bagpipe-wire: ${code}: `), err[0]);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

test('cli: decode one message given as arguments', () => {
  const r = run(['decode', ...OPEN.split(' ')]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(lines(r.stdout).map((l) => JSON.parse(l) as unknown), [OPEN_JSON]);
});

test('cli: decode a stream on stdin (newlines, colons, 0x) into one document per message', () => {
  const stream = `0x${cleanHex(OPEN)}\n${cleanHex(KEEPALIVE).replace(/(..)/g, '$1:').slice(0, -1)}\n  ${RTC_UPDATE}\n`;
  const r = run(['decode'], stream);
  assert.equal(r.status, 0, r.stderr);
  const docs = lines(r.stdout).map((l) => JSON.parse(l) as unknown);
  assert.equal(docs.length, 3);
  assert.deepEqual(docs[0], OPEN_JSON);
  assert.deepEqual(docs[1], { type: 'keepalive' });
  const update = decodeMessage(Buffer.from(cleanHex(RTC_UPDATE), 'hex'), DEFAULT_CONTEXT).message;
  assert.deepEqual(docs[2], JSON.parse(JSON.stringify(update)));
});

test('cli: --pretty indents', () => {
  const r = run(['decode', '--pretty', KEEPALIVE]);
  assert.equal(r.stdout, '{\n  "type": "keepalive"\n}\n');
});

test('cli: encode a message, and an array of them from stdin', () => {
  const one = run(['encode', JSON.stringify(OPEN_JSON)]);
  assert.equal(one.status, 0, one.stderr);
  assert.deepEqual(lines(one.stdout), [cleanHex(OPEN)]);
  const many = run(['encode'], JSON.stringify([{ type: 'keepalive' }, OPEN_JSON]));
  assert.deepEqual(lines(many.stdout), [cleanHex(KEEPALIVE), cleanHex(OPEN)]);
});

test('cli: decode then encode gives the bytes back (UPDATE included)', () => {
  const stream = `${OPEN} ${RTC_UPDATE} ${KEEPALIVE}`;
  const decoded = run(['decode', stream]);
  const docs = lines(decoded.stdout).map((l) => JSON.parse(l) as unknown);
  const encoded = run(['encode', JSON.stringify(docs)]);
  assert.equal(encoded.status, 0, encoded.stderr);
  assert.equal(lines(encoded.stdout).join(''), cleanHex(stream));
});

test('cli: --body nlri with --family, and --add-path', () => {
  const vpn = '78 000111 0001 7f004d01 0000 0a000001';
  const r = run(['decode', '--body', 'nlri', '--family', 'ipv4/mpls-vpn', vpn]);
  assert.equal(r.status, 0, r.stderr);
  const nlri = JSON.parse(r.stdout) as { kind: string; prefix: string; pathId?: number };
  assert.equal(nlri.kind, 'vpn');
  assert.equal(nlri.prefix, '10.0.0.1/32');
  assert.equal(nlri.pathId, undefined);
  const back = run(['encode', '--body', 'nlri', '--family', 'ipv4/mpls-vpn', r.stdout]);
  assert.equal(back.stdout, `${cleanHex(vpn)}\n`);

  const withId = run(['decode', '--body', 'nlri', '--family', 'ipv4/mpls-vpn', '--add-path', 'ipv4/mpls-vpn', `00000007 ${vpn}`]);
  assert.equal(withId.status, 0, withId.stderr);
  assert.equal((JSON.parse(withId.stdout) as { pathId: number }).pathId, 7);
});

test('cli: --body for elements: attribute, ext-community, capability', () => {
  const attrs = run(['decode', '--body', 'attribute', '40010100 400200']);
  assert.deepEqual(
    lines(attrs.stdout).map((l) => (JSON.parse(l) as { type: string }).type),
    ['origin', 'as-path'],
  );
  assert.equal(run(['encode', '--body', 'attribute', `[${lines(attrs.stdout).join(',')}]`]).stdout, '40010100400200\n');

  const ec = run(['decode', '--body', 'ext-community', '030c00000000000a 0002fc0000000001']);
  const ecs = lines(ec.stdout).map((l) => JSON.parse(l) as { type: string });
  assert.deepEqual(
    ecs.map((e) => e.type),
    ['encapsulation', 'route-target'],
  );
  assert.equal(run(['encode', '--body', 'ext-community', JSON.stringify(ecs)]).stdout, '030c00000000000a0002fc0000000001\n');

  const caps = run(['decode', '--body', 'capability', '01 04 0001 00 80 41 04 0000fc00']);
  assert.deepEqual(lines(caps.stdout).map((l) => JSON.parse(l) as unknown), [
    { type: 'multiprotocol', family: 'ipv4/mpls-vpn' },
    { type: 'four-octet-as', as: 64512 },
  ]);
});

test('cli: --body for message bodies (open, notification, route-refresh)', () => {
  const open = run(['decode', '--body', 'open', cleanHex(OPEN).slice(38)]);
  assert.deepEqual(JSON.parse(open.stdout), OPEN_JSON);
  const n = run(['decode', '--body', 'notification', '0602 03 627965']);
  assert.equal((JSON.parse(n.stdout) as { communication: string }).communication, 'bye');
  const rr = run(['encode', '--body', 'route-refresh', '{"type":"route-refresh","family":"l2vpn/evpn","subtype":"borr"}']);
  assert.equal(rr.stdout, '00190146\n');
});

test('cli: --as2 decodes 2-octet AS_PATHs', () => {
  const body = '0000 000b 40010100 40020402 01fc00';
  const as2 = run(['decode', '--body', 'update', '--as2', body]);
  assert.equal(as2.status, 0, as2.stderr);
  assert.match(as2.stdout, /64512/);
  assert.equal(run(['encode', '--body', 'update', '--as2', as2.stdout]).stdout, `${cleanHex(body)}\n`);
  // Read as 4-octet AS numbers the same bytes are a malformed AS_PATH.
  assert.equal(run(['decode', '--body', 'update', body]).status, 1);
});

test('cli: --extended-message accepts messages over 4096 bytes', () => {
  const data = 'ab'.repeat(5000);
  const msg = `${M} ${(21 + 5000).toString(16).padStart(4, '0')} 03 0600 ${data}`;
  assertFailure(run(['decode'], msg), 'bad-message-length');
  const ok = run(['decode', '--extended-message'], msg);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal((JSON.parse(ok.stdout) as { data: string }).data, data);
});

test('cli: errors are one line with the WireError code and exit code 1', () => {
  assertFailure(run(['decode', 'xyz']), 'bad-hex');
  assertFailure(run(['decode', `${'ff'.repeat(15)}00 0013 04`]), 'connection-not-synchronized');
  assertFailure(run(['decode', `${M} 0013 09`]), 'bad-message-type');
  assertFailure(run(['decode', `${M} 0013`]), 'truncated');
  assertFailure(run(['encode', '{not json']), 'bad-json');
  assertFailure(run(['encode', '{"type":"open"}']), 'bad-open');
  assertFailure(run(['frob']), 'usage');
  assertFailure(run([]), 'usage');
  assertFailure(run(['decode', '--nope', '00']), 'usage');
  assertFailure(run(['decode', '--body', 'nlri', '00']), 'usage');
  assertFailure(run(['decode', '--body', 'nlri', '--family', 'ipv9/x', '00']), 'bad-family');
  const r = run(['decode', `${M} 0012 04`]);
  assertFailure(r, 'bad-message-length');
  assert.match(r.stderr, /NOTIFICATION Message Header Error \/ Bad Message Length, data 0012/);
});

test('cli: --help', () => {
  const r = run(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^usage: bagpipe-wire decode/);
});
