/** The registry and the encoder's checks: what is refused, and with which error. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  EXT_COMMUNITY_ROWS,
  decodeExtCommunity,
  encodeExtCommunity,
  extCommunityText,
  readExtCommunity,
  writeExtCommunity,
  type ExtCommunity,
} from '../../../src/wire/ext-communities/index.js';
import { NotifyCode, UpdateSubcode, WireError } from '../../../src/wire/errors.js';
import { BufferReader } from '../../../src/wire/reader.js';
import { BufferWriter } from '../../../src/wire/writer.js';

void test('registry: every code and every JSON type belongs to one row only', () => {
  const codes = new Map<number, string>();
  const types = new Set<string>();
  for (const row of EXT_COMMUNITY_ROWS) {
    assert.ok(!types.has(row.type), `type ${row.type} twice`);
    types.add(row.type);
    for (const [t, s] of row.codes) {
      for (const code of row.twin ? [(t << 8) | s, ((t | 0x40) << 8) | s] : [(t << 8) | s]) {
        assert.ok(!codes.has(code), `code ${code.toString(16)} in ${row.type} and ${codes.get(code)}`);
        codes.set(code, row.type);
      }
    }
  }
  assert.equal(types.size, 17);
  assert.equal(codes.size, 3 * 2 * 3 + 3 + 13);
});

void test('registry: each row decodes its own codes (zero value) to its type, and back', () => {
  for (const row of EXT_COMMUNITY_ROWS) {
    for (const [t, s] of row.codes) {
      const bytes = Buffer.from([t, s, 0, 0, 0, 0, 0, 0]);
      const ec = decodeExtCommunity(bytes);
      assert.equal(ec.type, row.type);
      assert.deepEqual(encodeExtCommunity(ec), bytes);
    }
  }
});

void test('read: consumes exactly 8 bytes; a short read fails with the reader policy', () => {
  const policy = {
    what: 'EXTENDED_COMMUNITIES',
    outcome: 'treat-as-withdraw' as const,
    notification: { code: NotifyCode.Update, subcode: UpdateSubcode.OptionalAttributeError },
  };
  const r = BufferReader.of(Buffer.from('0002fc0000000001030c000000000008ffff', 'hex'), policy);
  assert.deepEqual(readExtCommunity(r), { type: 'route-target', form: 0, value: '64512:1' });
  assert.deepEqual(readExtCommunity(r), { type: 'encapsulation', tunnelType: 'vxlan' });
  assert.equal(r.remaining, 2);
  assert.throws(
    () => readExtCommunity(r),
    (e: unknown) => e instanceof WireError && e.code === 'truncated' && e.outcome === 'treat-as-withdraw',
  );
  assert.throws(
    () => decodeExtCommunity(Buffer.alloc(7)),
    (e: unknown) => e instanceof WireError && e.code === 'bad-ext-community-length',
  );
});

void test('decode: a value does not keep a reference to the input buffer', () => {
  const b = Buffer.from('06020a0b0c0d0e0f', 'hex');
  const ec = decodeExtCommunity(b);
  b.fill(0);
  assert.deepEqual(ec, { type: 'es-import-route-target', mac: '0a:0b:0c:0d:0e:0f' });
});

void test('write: appends 8 bytes per community', () => {
  const w = new BufferWriter(4);
  writeExtCommunity(w, { type: 'encapsulation', tunnelType: 'mpls' });
  writeExtCommunity(w, { type: 'route-target', form: 0, value: '64512:1' });
  assert.equal(w.finish().toString('hex'), '030c00000000000a0002fc0000000001');
});

function refused(ec: unknown, code: string): void {
  assert.throws(
    () => encodeExtCommunity(ec as ExtCommunity),
    (e: unknown) => e instanceof WireError && e.code === code,
    JSON.stringify(ec),
  );
}

void test('encode: refuses invalid JSON values with a WireError', () => {
  refused({ type: 'no-such-type' }, 'bad-ext-community');
  refused({ type: 'route-target', form: 3, value: '1:1' }, 'bad-ext-community');
  refused({ type: 'route-target', form: 0, value: '70000:1' }, 'bad-admin-value');
  refused({ type: 'route-target', form: 1, value: '64512:1' }, 'bad-address-text');
  refused({ type: 'route-target', form: 0, value: 5 }, 'bad-ext-community');
  refused({ type: 'route-target', form: 0, value: '1:1', transitive: true }, 'bad-ext-community');
  refused({ type: 'redirect-to-vrf', form: 0, value: '1:1', transitive: false }, 'bad-ext-community');
  refused({ type: 'encapsulation', tunnelType: 'vxlan', transitive: false }, 'bad-ext-community');
  refused({ type: 'encapsulation', tunnelType: 'foo' }, 'bad-ext-community');
  refused({ type: 'encapsulation', tunnelType: 65536 }, 'bad-ext-community');
  refused({ type: 'encapsulation', tunnelType: 1.5 }, 'bad-ext-community');
  refused({ type: 'encapsulation', tunnelType: 8, reserved: '000000000001' }, 'bad-ext-community');
  refused({ type: 'encapsulation', tunnelType: 8, reserved: '0000' }, 'bad-ext-community');
  refused({ type: 'encapsulation', tunnelType: 8, reserved: 'zz0000000000' }, 'bad-ext-community');
  refused({ type: 'route-target', form: 0, value: '1:1', reserved: '000000000000' }, 'bad-ext-community');
  refused({ type: 'consistent-hash-sort-order', order: -1 }, 'bad-ext-community');
  refused({ type: 'mac-mobility', sticky: 'yes', sequence: 1 }, 'bad-ext-community');
  refused({ type: 'mac-mobility', sticky: false, sequence: 2 ** 32 }, 'bad-ext-community');
  refused({ type: 'esi-label', singleActive: false, label: 0x1000000 }, 'bad-ext-community');
  refused({ type: 'es-import-route-target', mac: '00:11:22:33:44' }, 'bad-ext-community');
  refused({ type: 'router-mac', mac: '00-11-22-33-44-55' }, 'bad-ext-community');
  refused({ type: 'traffic-rate-bytes', id: 0 }, 'bad-ext-community');
  refused({ type: 'traffic-rate-bytes', id: 0, rate: 1, rateHex: '3f800000' }, 'bad-ext-community');
  refused({ type: 'traffic-rate-bytes', id: 0, rate: Infinity }, 'bad-ext-community');
  refused({ type: 'traffic-rate-bytes', id: 0, rate: NaN }, 'bad-ext-community');
  refused({ type: 'traffic-rate-packets', id: 0, rateHex: '3f80' }, 'bad-ext-community');
  refused({ type: 'traffic-rate-packets', id: 65536, rate: 1 }, 'bad-ext-community');
  refused({ type: 'traffic-action', terminal: 1, sample: false }, 'bad-ext-community');
  refused({ type: 'traffic-marking', dscp: 64 }, 'bad-ext-community');
  refused({ type: 'redirect-to-ip', ip: '2001:db8::1', copy: false }, 'bad-ext-community');
  refused({ type: 'redirect-to-ip', ip: '300.0.0.1', copy: false }, 'bad-address-text');
  refused({ type: 'redirect-to-nexthop' }, 'bad-ext-community');
  refused({ type: 'opaque', hex: '00' }, 'bad-ext-community');
  refused({ type: 'opaque', hex: '0002fc000000000g' }, 'bad-ext-community');
  assert.throws(() => extCommunityText({ type: 'nope' } as unknown as ExtCommunity), WireError);
});

void test('encode: a rate given as any double is written as the nearest float32', () => {
  const b = encodeExtCommunity({ type: 'traffic-rate-bytes', id: 1, rate: 0.1 });
  assert.equal(b.toString('hex'), '800600013dcccccd');
  assert.deepEqual(decodeExtCommunity(b), { type: 'traffic-rate-bytes', id: 1, rate: 0.10000000149011612 });
});

void test('encode: an opaque value is written as given, even over a known code', () => {
  const b = encodeExtCommunity({ type: 'opaque', hex: '0002FC0000000001' });
  assert.equal(b.toString('hex'), '0002fc0000000001');
  assert.deepEqual(decodeExtCommunity(b), { type: 'route-target', form: 0, value: '64512:1' });
});
