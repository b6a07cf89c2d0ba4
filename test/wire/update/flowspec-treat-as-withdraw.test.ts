/**
 * A FlowSpec NLRI that is malformed but whose own length is sound (RFC 8955 §4.2: an unknown
 * component type) spoils only itself: the rest of MP_REACH_NLRI decodes and the UPDATE is handled
 * by treat-as-withdraw (RFC 7606 §5.4), not by disabling the family or resetting the session.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CONTEXT } from '../../../src/wire/context.js';
import { mpReach, decodeUpdateBody, routesToWithdraw } from '../../../src/wire/update.js';

const GOOD = '05 01 18 0a0000'; // destination 10.0.0.0/24
const BAD = '03 0e 81 06'; // component type 14: not defined for IPv4

function body(nlri: string): Buffer {
  const mp = Buffer.from(`0001 85 00 00 ${nlri}`.replace(/ /g, ''), 'hex');
  const attrs = Buffer.concat([
    Buffer.from('40010100400200400504 00000064'.replace(/ /g, ''), 'hex'),
    Buffer.from('c010088006000000000000', 'hex'), // traffic-rate 0 (discard)
    Buffer.from([0x80, 0x0e, mp.length]),
    mp,
  ]);
  const b = Buffer.alloc(4);
  b.writeUInt16BE(attrs.length, 2);
  return Buffer.concat([b, attrs]);
}

test('a malformed FlowSpec NLRI with a sound length: skipped, UPDATE treat-as-withdraw', () => {
  const r = decodeUpdateBody(body(`${BAD} ${GOOD}`), DEFAULT_CONTEXT);
  assert.equal(r.outcome, 'treat-as-withdraw');
  assert.deepEqual(
    r.errors.map((e) => [e.code, e.outcome]),
    [['flowspec-unknown-component', 'treat-as-withdraw']],
  );
  assert.equal(r.disabledFamilies, undefined);
  const reach = mpReach(r.message);
  assert.equal(reach?.nlri.length, 1, 'the well-formed NLRI after it is kept');
  assert.deepEqual(routesToWithdraw(r.message).map((x) => [x.afi, x.safi, x.nlri.length]), [[1, 133, 1]]);
});

test('a FlowSpec NLRI whose length runs off the field still disables the family', () => {
  const r = decodeUpdateBody(body(`${GOOD} 09 01 18`), DEFAULT_CONTEXT);
  assert.equal(r.outcome, 'afi-safi-disable');
  assert.deepEqual(r.disabledFamilies, [{ afi: 1, safi: 133 }]);
});
