/**
 * Paths-Limit capability, code 76 (draft-abraitis-idr-addpath-paths-limit §3): per family, how
 * many ADD-PATH paths per prefix the speaker wants to receive (0: no limit). FRR sends it.
 *
 *   +------------------------------------------------+
 *   | Address Family Identifier (2 octets)           |
 *   +------------------------------------------------+
 *   | Subsequent Address Family Identifier (1 octet) |
 *   +------------------------------------------------+
 *   | Paths Limit (2 octets)                         |
 *   +------------------------------------------------+
 *   | ...                                            |
 */
import type { BufferReader } from '../reader.js';
import type { BufferWriter } from '../writer.js';
import { expectLength, readFamily, writeFamily, type CapabilityCodec } from './codec.js';

export interface PathsLimitFamily {
  family: string;
  limit: number;
}

export interface PathsLimitCapability {
  type: 'paths-limit';
  families: PathsLimitFamily[];
}

export const pathsLimitCodec: CapabilityCodec<PathsLimitCapability> = {
  code: 76,
  type: 'paths-limit',
  decode(r: BufferReader): PathsLimitCapability {
    expectLength(r, 'paths limit', r.remaining % 5 === 0, 'a multiple of 5');
    const families: PathsLimitFamily[] = [];
    while (!r.atEnd) {
      const family = readFamily(r);
      families.push({ family, limit: r.u16() });
    }
    return { type: 'paths-limit', families };
  },
  encode(w: BufferWriter, cap: PathsLimitCapability): void {
    for (const f of cap.families) {
      writeFamily(w, 'paths limit', f.family);
      w.u16(f.limit);
    }
  },
};
