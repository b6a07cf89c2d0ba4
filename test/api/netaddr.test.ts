import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseEndpointIp } from '../../src/api/netaddr.js';

/** netaddr's IPv4 reading, the slow obvious way: 1 to 4 dot-separated decimal octets, the missing ones 0. */
function reference(text: string): string | undefined {
  const parts = text.split('.');
  if (parts.length > 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  while (parts.length < 4) parts.push('0');
  return parts.map(Number).join('.');
}

test('IPv4 endpoint addresses as netaddr reads them', () => {
  assert.deepEqual(parseEndpointIp('10.1'), { text: '10.1', address: '10.1.0.0', length: 32, version: 4 });
  assert.equal(parseEndpointIp('010.001.2.3/24')?.address, '10.1.2.3');
  assert.equal(parseEndpointIp('010.001.2.3/24')?.length, 24);
  for (const bad of ['1..2', '1.2.3.4.5', '256.1.1.1', '1.2.3.', '.1.2.3', '1234.1.1.1', '', 'a.b.c.d']) assert.equal(parseEndpointIp(bad), undefined, bad);
});

test('IPv4 endpoint addresses: any string of digits and dots reads as the reference reading says', () => {
  const text = fc.stringMatching(/^[0-9.]{0,18}$/);
  fc.assert(
    fc.property(text, (t) => {
      assert.equal(parseEndpointIp(t)?.address, t.includes(':') ? undefined : reference(t));
    }),
    { numRuns: 5000 },
  );
});
