/**
 * Long-Lived Graceful Restart capability, code 71 (RFC 9494 §3.1): per family, the F bit and a
 * 24-bit long-lived stale time. FRR announces it whenever it announces graceful restart.
 *
 *   +--------------------------------------------------+
 *   | Address Family Identifier (16 bits)              |
 *   +--------------------------------------------------+
 *   | Subsequent Address Family Identifier (8 bits)    |
 *   +--------------------------------------------------+
 *   | Flags for Address Family (8 bits)                |  F = 0x80
 *   +--------------------------------------------------+
 *   | Long-lived Stale Time (24 bits)                  |
 *   +--------------------------------------------------+
 *   | ...                                              |
 */
import type { BufferReader } from '../reader.js';
import type { BufferWriter } from '../writer.js';
import { expectLength, flag, readFamily, writeFamily, type CapabilityCodec } from './codec.js';

export interface LongLivedGracefulRestartFamily {
  family: string;
  /** F bit: forwarding state preserved. */
  forwarding: boolean;
  /** Long-lived stale time, seconds (0..2^24-1). */
  staleTime: number;
  /** The other 7 flag bits, only when not 0. */
  reservedFlags?: number;
}

export interface LongLivedGracefulRestartCapability {
  type: 'long-lived-graceful-restart';
  families: LongLivedGracefulRestartFamily[];
}

export const longLivedGracefulRestartCodec: CapabilityCodec<LongLivedGracefulRestartCapability> = {
  code: 71,
  type: 'long-lived-graceful-restart',
  decode(r: BufferReader): LongLivedGracefulRestartCapability {
    expectLength(r, 'long-lived graceful restart', r.remaining % 7 === 0, 'a multiple of 7');
    const families: LongLivedGracefulRestartFamily[] = [];
    while (!r.atEnd) {
      const family = readFamily(r);
      const flags = r.u8();
      const f: LongLivedGracefulRestartFamily = { family, forwarding: (flags & 0x80) !== 0, staleTime: r.u24() };
      if (flags & 0x7f) f.reservedFlags = flags & 0x7f;
      families.push(f);
    }
    return { type: 'long-lived-graceful-restart', families };
  },
  encode(w: BufferWriter, cap: LongLivedGracefulRestartCapability): void {
    for (const f of cap.families) {
      writeFamily(w, 'long-lived graceful restart', f.family);
      w.u8((flag('long-lived graceful restart F', f.forwarding) ? 0x80 : 0) | ((f.reservedFlags ?? 0) & 0x7f));
      w.u24(f.staleTime);
    }
  },
};
