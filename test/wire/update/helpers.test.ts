/** End-of-RIB (RFC 4724 §2), MP accessors and the common attribute accessors. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CONTEXT } from '../../../src/wire/context.js';
import {
  asPathOf,
  attributeOf,
  clusterListOf,
  communitiesOf,
  decodeUpdateBody,
  encodeUpdateBody,
  endOfRib,
  extCommunitiesOf,
  isEndOfRib,
  largeCommunitiesOf,
  localPrefOf,
  medOf,
  mpReach,
  mpUnreach,
  nextHopOf,
  originatorIdOf,
  originOf,
  pmsiTunnelOf,
  type UpdateMessage,
} from '../../../src/wire/update.js';
import { BufferWriter } from '../../../src/wire/writer.js';
import { cleanHex } from '../../helpers/vectors.js';

const decode = (hex: string): UpdateMessage => decodeUpdateBody(Buffer.from(cleanHex(hex), 'hex'), DEFAULT_CONTEXT).message;
const encode = (m: UpdateMessage): string => {
  const w = new BufferWriter();
  encodeUpdateBody(w, m, DEFAULT_CONTEXT);
  return w.finish().toString('hex');
};

test('End-of-RIB: IPv4 unicast is the empty UPDATE', () => {
  const m = decode('0000 0000');
  assert.deepEqual(isEndOfRib(m), { afi: 1, safi: 1 });
  assert.equal(encode(endOfRib(1, 1)), '00000000');
});

test('End-of-RIB: other families are a lone MP_UNREACH_NLRI without NLRI', () => {
  const m = decode('0000 0006 800f03 001946');
  assert.deepEqual(isEndOfRib(m), { afi: 25, safi: 70 });
  assert.equal(encode(endOfRib(25, 70)), '00000006800f03001946');
  assert.deepEqual(isEndOfRib(decode('0000 0006 800f03 000184')), { afi: 1, safi: 132 });
});

test('End-of-RIB: not when anything else is there', () => {
  assert.equal(isEndOfRib(decode('0000 000a 800f03 001946 40010100')), undefined, 'another attribute');
  assert.equal(isEndOfRib(decode('0000 0016 800f13 000180 78 800000 0001 7f004d01 0000 0a000001')), undefined, 'a withdrawn route');
  assert.equal(isEndOfRib(decode('0001 00 0000')), undefined, 'a classic withdrawn route (0.0.0.0/0)');
  assert.equal(isEndOfRib(decode('0000 0004 40010100')), undefined, 'attributes only');
});

test('accessors on a decoded UPDATE', () => {
  const m = decode(
    '0000 0063' +
      '40010100 4002060201 0000fde8 4003040a000001 80040400000005 40050400000064' +
      'c0080 4ffffff01 c0100800 02fc0000000001 c0200c0000fde80000000100000002' +
      '8009040a000009 800a040a00000a c016090006001388 7f004d01 800f03000180',
  );
  assert.equal(originOf(m), 'igp');
  assert.deepEqual(asPathOf(m), [{ type: 'as-sequence', asns: [65000] }]);
  assert.equal(nextHopOf(m), '10.0.0.1');
  assert.equal(medOf(m), 5);
  assert.equal(localPrefOf(m), 100);
  assert.deepEqual(communitiesOf(m), ['no-export']);
  assert.deepEqual(extCommunitiesOf(m), [{ type: 'route-target', form: 0, value: '64512:1' }]);
  assert.deepEqual(largeCommunitiesOf(m), ['65000:1:2']);
  assert.equal(originatorIdOf(m), '10.0.0.9');
  assert.deepEqual(clusterListOf(m), ['10.0.0.10']);
  assert.equal(pmsiTunnelOf(m)?.tunnelType, 'ingress-replication');
  assert.equal(mpReach(m), undefined);
  assert.deepEqual(mpUnreach(m), { type: 'mp-unreach', flags: 0x80, afi: 1, safi: 128, nlri: [] });
  assert.equal(attributeOf(m, 'atomic-aggregate'), undefined);
  const empty = decode('0000 0000');
  assert.equal(localPrefOf(empty), undefined);
  assert.deepEqual(extCommunitiesOf(empty), []);
  assert.deepEqual(communitiesOf(empty), []);
});
