/** Shared test plumbing for the NLRI codecs: one NLRI through a codec, both directions. */
import assert from 'node:assert/strict';
import { DEFAULT_CONTEXT, type CodecContext } from '../../../src/wire/context.js';
import { NotifyCode, UpdateSubcode, WireError, type ErrorOutcome } from '../../../src/wire/errors.js';
import type { NlriBase, NlriCodec } from '../../../src/wire/nlri/codec.js';
import { BufferReader, type ShortReadPolicy } from '../../../src/wire/reader.js';
import { BufferWriter } from '../../../src/wire/writer.js';

/** The policy MP_REACH_NLRI would give its NLRI field (RFC 7606 §5.3, AFI/SAFI disable). */
export const MP_POLICY: ShortReadPolicy = {
  what: 'MP_REACH_NLRI',
  outcome: 'afi-safi-disable',
  notification: { code: NotifyCode.Update, subcode: UpdateSubcode.OptionalAttributeError },
};

/** Decodes exactly one NLRI from bytes; fails the test if bytes are left over. */
export function decodeOne<N extends NlriBase>(codec: NlriCodec<N>, bytes: Buffer, ctx: CodecContext = DEFAULT_CONTEXT): N {
  const r = BufferReader.of(bytes, MP_POLICY);
  const n = codec.decode(r, ctx);
  assert.equal(r.remaining, 0, `${r.remaining} byte(s) left after one NLRI`);
  return n;
}

export function encodeOne<N extends NlriBase>(codec: NlriCodec<N>, nlri: N, ctx: CodecContext = DEFAULT_CONTEXT): Buffer {
  const w = new BufferWriter(16);
  codec.encode(w, nlri, ctx);
  return w.finish();
}

/** An assert.throws matcher: a WireError with this code (and outcome, when given). */
export function wireError(code: string, outcome?: ErrorOutcome): (e: unknown) => boolean {
  return (e: unknown) => {
    if (!(e instanceof WireError)) return false;
    assert.equal(e.code, code, e.message);
    if (outcome !== undefined) assert.equal(e.outcome, outcome);
    return true;
  };
}

/** Runs fn; true when it returned or threw a WireError (the only error decoders may raise). */
export function onlyWireErrors(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (e instanceof WireError) return true;
    throw e;
  }
}

export const hex = (h: string): Buffer => Buffer.from(h.replace(/[\s|]/g, ''), 'hex');
