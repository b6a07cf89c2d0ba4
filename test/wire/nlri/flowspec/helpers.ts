/** Shared helpers of the FlowSpec tests: decode/encode one NLRI of a family, JSON shorthands. */
import assert from 'node:assert/strict';
import { DEFAULT_CONTEXT } from '../../../../src/wire/context.js';
import type { NlriCodec } from '../../../../src/wire/nlri/codec.js';
import {
  flowspecIpv4Codec,
  flowspecIpv6Codec,
  flowspecVpnIpv4Codec,
  flowspecVpnIpv6Codec,
  type BitmaskItem,
  type FlowspecNlri,
  type FlowspecValue,
  type NumericItem,
  type NumericOp,
  type ValueLength,
} from '../../../../src/wire/nlri/flowspec/index.js';
import { BufferReader } from '../../../../src/wire/reader.js';
import { BufferWriter } from '../../../../src/wire/writer.js';

export const CODECS = {
  ipv4: flowspecIpv4Codec,
  ipv6: flowspecIpv6Codec,
  vpnIpv4: flowspecVpnIpv4Codec,
  vpnIpv6: flowspecVpnIpv6Codec,
} as const;

/** Decodes exactly one NLRI filling the bytes. */
export function decodeOne(codec: NlriCodec<FlowspecNlri>, bytes: Uint8Array): FlowspecNlri {
  const r = BufferReader.of(bytes);
  const n = codec.decode(r, DEFAULT_CONTEXT);
  assert.ok(r.atEnd, `${r.remaining} byte(s) left after the NLRI`);
  return n;
}

export function encodeOne(codec: NlriCodec<FlowspecNlri>, nlri: FlowspecNlri): Buffer {
  const w = new BufferWriter(16);
  codec.encode(w, nlri, DEFAULT_CONTEXT);
  return w.finish();
}

/** A numeric item. */
export function num(op: NumericOp, value: FlowspecValue, length: ValueLength = 1, and = false): NumericItem {
  return { and, op, value, length };
}

/** A bitmask item; flags: 'm' match, 'n' not, '&' and. */
export function bm(flags: string, value: FlowspecValue, length: ValueLength = 1): BitmaskItem {
  return { and: flags.includes('&'), not: flags.includes('n'), match: flags.includes('m'), value, length };
}

export function fs(...components: FlowspecNlri['components']): FlowspecNlri {
  return { kind: 'flowspec', components };
}
