/**
 * Graceful Restart capability, code 64 (RFC 4724 §3, with the N bit of RFC 8538 §2).
 *
 *   +--------------------------------------------------+
 *   | Restart Flags (4 bits)                           |  R = 0x8 (restarting), N = 0x4
 *   +--------------------------------------------------+
 *   | Restart Time in seconds (12 bits)                |
 *   +--------------------------------------------------+
 *   | Address Family Identifier (16 bits)              |  repeated per family:
 *   +--------------------------------------------------+
 *   | Subsequent Address Family Identifier (8 bits)    |
 *   +--------------------------------------------------+
 *   | Flags for Address Family (8 bits)                |  F = 0x80 (forwarding preserved)
 *   +--------------------------------------------------+
 *
 * Reserved flag bits are kept (only when set) so bytes round-trip.
 */
import type { BufferReader } from '../reader.js';
import type { BufferWriter } from '../writer.js';
import { badInput, expectLength, flag, readFamily, writeFamily, type CapabilityCodec } from './codec.js';

export interface GracefulRestartFamily {
  family: string;
  /** F bit: forwarding state was preserved across the restart. */
  forwarding: boolean;
  /** The other 7 bits of the family flags, only when not 0. */
  reservedFlags?: number;
}

export interface GracefulRestartCapability {
  type: 'graceful-restart';
  /** R bit: the speaker is restarting. */
  restarting: boolean;
  /** N bit (RFC 8538): graceful restart also applies to NOTIFICATIONs. */
  notification: boolean;
  /** Restart time, seconds (0..4095). */
  time: number;
  families: GracefulRestartFamily[];
  /** The two reserved restart flag bits (0..3), only when not 0. */
  reservedFlags?: number;
}

export const gracefulRestartCodec: CapabilityCodec<GracefulRestartCapability> = {
  code: 64,
  type: 'graceful-restart',
  decode(r: BufferReader): GracefulRestartCapability {
    expectLength(r, 'graceful restart', r.remaining >= 2 && (r.remaining - 2) % 4 === 0, '2 + 4 per family');
    const v = r.u16();
    const cap: GracefulRestartCapability = {
      type: 'graceful-restart',
      restarting: (v & 0x8000) !== 0,
      notification: (v & 0x4000) !== 0,
      time: v & 0x0fff,
      families: [],
    };
    if (v & 0x3000) cap.reservedFlags = (v >>> 12) & 0x3;
    while (!r.atEnd) {
      const family = readFamily(r);
      const flags = r.u8();
      const f: GracefulRestartFamily = { family, forwarding: (flags & 0x80) !== 0 };
      if (flags & 0x7f) f.reservedFlags = flags & 0x7f;
      cap.families.push(f);
    }
    return cap;
  },
  encode(w: BufferWriter, cap: GracefulRestartCapability): void {
    if (!Number.isInteger(cap.time) || cap.time < 0 || cap.time > 0xfff) {
      badInput('graceful restart', `restart time ${String(cap.time)} is not an integer in 0..4095`);
    }
    const reserved = cap.reservedFlags ?? 0;
    const head =
      (flag('graceful restart R', cap.restarting) ? 0x8000 : 0) |
      (flag('graceful restart N', cap.notification) ? 0x4000 : 0) |
      ((reserved & 0x3) << 12) |
      cap.time;
    w.u16(head);
    for (const f of cap.families) {
      writeFamily(w, 'graceful restart', f.family);
      w.u8((flag('graceful restart F', f.forwarding) ? 0x80 : 0) | ((f.reservedFlags ?? 0) & 0x7f));
    }
  },
};
