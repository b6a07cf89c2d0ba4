/**
 * Golden byte vectors: one fixture drives both directions, decode(hex) deep-equals json and
 * encode(json) equals hex (STYLE habit 7). `source` says where the bytes came from: a capture
 * from a real implementation ('gobgp', 'frr', 'exabgp', 'bagpipe', 'bird'), an RFC example
 * ('rfc'), or written by hand from the RFC layout ('hand').
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';

export type VectorSource = 'gobgp' | 'frr' | 'exabgp' | 'bagpipe' | 'bird' | 'rfc' | 'hand';

export interface Vector<J> {
  name: string;
  source: VectorSource;
  hex: string;
  json: J;
  /** Only decode is checked (e.g. a non-canonical encoding a peer may send). */
  decodeOnly?: boolean;
}

export function cleanHex(hex: string): string {
  return hex.replace(/[\s|:]/g, '').toLowerCase();
}

/** Registers one test per vector. */
export function vectorTests<J>(
  suite: string,
  vectors: readonly Vector<J>[],
  decode: (bytes: Buffer) => J,
  encode: (json: J) => Buffer,
): void {
  for (const v of vectors) {
    test(`${suite}: ${v.name} [${v.source}]`, () => {
      const bytes = Buffer.from(cleanHex(v.hex), 'hex');
      const decoded = decode(bytes);
      // The JSON form is plain data: it survives a JSON round trip unchanged.
      assert.deepEqual(JSON.parse(JSON.stringify(decoded)), decoded, 'decoded value is not plain JSON');
      assert.deepEqual(decoded, v.json);
      if (!v.decodeOnly) assert.equal(encode(v.json).toString('hex'), cleanHex(v.hex));
    });
  }
}
