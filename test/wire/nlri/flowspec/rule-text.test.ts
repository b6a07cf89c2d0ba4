/** flowspecRuleText: GoBGP-style canonical rule text, used as a key by VPN instances. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { flowspecRuleText, type FlowspecNlri } from '../../../../src/wire/nlri/flowspec/index.js';
import { flowspecNlriArb } from '../../../arbitraries/flowspec.js';
import { bm, CODECS, decodeOne, encodeOne, fs, num } from './helpers.js';

function hex(h: string): Buffer {
  return Buffer.from(h.replace(/[\s|]/g, ''), 'hex');
}

void test('rule text: the bagpipe capture (VPN, rd first)', () => {
  const n = decodeOne(CODECS.vpnIpv4, hex('18 0001 7f004d01 0004 01 18 280000 02 18 010101 03 81 06 05 81 50'));
  assert.equal(flowspecRuleText(n), 'rd 127.0.77.1:4 destination 40.0.0.0/24 source 1.1.1.0/24 protocol ==tcp destination-port ==80');
});

void test('rule text: RFC examples (AND with &, OR with a space, IPv6 offset after the prefix)', () => {
  assert.equal(
    flowspecRuleText(decodeOne(CODECS.ipv4, hex('12 01 18 c0 00 02 02 18 cb 00 71 04 03 89 45 8b 91 1f 90'))),
    'destination 192.0.2.0/24 source 203.0.113.0/24 port >=137&<=139 ==8080',
  );
  assert.equal(
    flowspecRuleText(decodeOne(CODECS.ipv6, hex('12 01 20 00 20 01 0d b8 02 68 40 12 34 56 78 9a 03 81 06'))),
    'destination 2001:db8::/32 source ::1234:5678:9a00:0/104 64 protocol ==tcp',
  );
});

void test('rule text: every component keyword, operators, protocol names, TCP flags and fragments', () => {
  const n = fs(
    { type: 'destination-prefix', prefix: '10.0.0.0/24' },
    { type: 'source-prefix', prefix: '192.0.2.1/32' },
    { type: 'ip-protocol', items: [num('==', 17), num('==', 47), num('==', 200)] },
    { type: 'port', items: [num('false', 1), num('true', 2, 1, true)] },
    { type: 'destination-port', items: [num('>', 1, 2), num('<', 9, 1, true)] },
    { type: 'source-port', items: [num('!=', 22)] },
    { type: 'icmp-type', items: [num('==', 8)] },
    { type: 'icmp-code', items: [num('<=', 3)] },
    { type: 'tcp-flags', items: [bm('', 0x12), bm('&nm', 0x20), bm('n', 0xff), bm('m', 0), bm('', 256, 2)] },
    { type: 'packet-length', items: [num('>=', '18446744073709551615', 8)] },
    { type: 'dscp', items: [num('==', 46)] },
    { type: 'fragment', items: [bm('m', 0), bm('', 0x05), bm('&n', 0x0e)] },
  );
  assert.equal(
    flowspecRuleText(n),
    'destination 10.0.0.0/24 source 192.0.2.1/32 protocol ==udp ==gre ==200 port false&true ' +
      'destination-port >1&<9 source-port !=22 icmp-type ==8 icmp-code <=3 ' +
      'tcp-flags SA&=!U !FSRPAUEC =0 256 packet-length >=18446744073709551615 dscp ==46 ' +
      'fragment =not-a-fragment dont-fragment+first-fragment&!is-fragment+first-fragment+last-fragment',
  );
  assert.equal(flowspecRuleText(fs({ type: 'flow-label', items: [num('==', 0x12345, 4)] })), 'label ==74565');
});

void test('rule text: deterministic, and equal for equal rules whatever their value sizes or length form', () => {
  const a = decodeOne(CODECS.ipv4, hex('0b 01 18 c0 00 02 03 81 06 04 81 19'));
  const b = decodeOne(CODECS.ipv4, hex('f0 0f 01 18 c0 00 02 03 91 00 06 04 a1 00 00 00 19'));
  assert.notDeepEqual(a, b);
  assert.equal(flowspecRuleText(a), flowspecRuleText(b));
  assert.equal(flowspecRuleText(a), 'destination 192.0.2.0/24 protocol ==tcp port ==25');
  // Different rules give different text.
  const c = decodeOne(CODECS.ipv4, hex('0b 01 18 c0 00 02 03 81 06 04 81 1a'));
  assert.notEqual(flowspecRuleText(c), flowspecRuleText(a));
});

void test('rule text: a pure function of the JSON (same text after a JSON and a wire round trip)', () => {
  fc.assert(
    fc.property(flowspecNlriArb(2, 134), (n: FlowspecNlri) => {
      const text = flowspecRuleText(n);
      assert.equal(flowspecRuleText(JSON.parse(JSON.stringify(n)) as FlowspecNlri), text);
      assert.equal(flowspecRuleText(decodeOne(CODECS.vpnIpv6, encodeOne(CODECS.vpnIpv6, n))), text);
      assert.match(text, /^rd \S+ /);
    }),
  );
});
