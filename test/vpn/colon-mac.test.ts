import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { colonMac } from '../../src/vpn/evi.js';

/** vpn.md §5.2, the obvious way: six colon-separated groups of 1 or 2 hex digits, each padded, lower case. */
function reference(mac: string): string | undefined {
  const groups = mac.split(':');
  if (groups.length !== 6 || !groups.every((g) => /^[0-9a-fA-F]{1,2}$/.test(g))) return undefined;
  return groups.map((g) => g.toLowerCase().padStart(2, '0')).join(':');
}

test('E-VPN MACs: colon forms only, padded and in lower case', () => {
  assert.equal(colonMac('52:54:0:A:b:c'), '52:54:00:0a:0b:0c');
  assert.equal(colonMac('52:54:00:0a:0b:0c'), '52:54:00:0a:0b:0c');
  for (const bad of ['52-54-00-0a-0b-0c', '5254.000a.0b0c', '52:54:00:0a:0b', '52:54:00:0a:0b:0c:0d', '52:54:00:0a:0b:', '052:54:00:0a:0b:0c', '']) assert.equal(colonMac(bad), undefined, bad);
});

test('E-VPN MACs: any string of hex digits and colons reads as the reference reading says', () => {
  fc.assert(
    fc.property(fc.oneof(fc.stringMatching(/^[0-9a-fA-Fg:-]{0,20}$/), fc.array(fc.stringMatching(/^[0-9a-fA-F]{0,3}$/), { minLength: 5, maxLength: 7 }).map((g) => g.join(':'))), (mac) => {
      assert.equal(colonMac(mac), reference(mac));
    }),
    { numRuns: 5000 },
  );
});
