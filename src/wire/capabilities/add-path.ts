/**
 * ADD-PATH capability, code 69 (RFC 7911 §4): per family, whether the speaker can receive, send,
 * or both, multiple paths (NLRI prefixed by a 4-byte path identifier). A mode other than 1..3
 * makes the capability "not understood" (§4: it SHOULD be ignored): it is then kept opaque.
 *
 *   +------------------------------------------------+
 *   | Address Family Identifier (2 octets)           |
 *   +------------------------------------------------+
 *   | Subsequent Address Family Identifier (1 octet) |
 *   +------------------------------------------------+
 *   | Send/Receive (1 octet)                         |  1 receive, 2 send, 3 both
 *   +------------------------------------------------+
 *   | ...                                            |
 */
import type { BufferReader } from '../reader.js';
import type { BufferWriter } from '../writer.js';
import { badInput, expectLength, readFamily, writeFamily, type CapabilityCodec } from './codec.js';

export type AddPathMode = 'receive' | 'send' | 'both';

const MODES: readonly (AddPathMode | undefined)[] = [undefined, 'receive', 'send', 'both'];

export interface AddPathFamily {
  family: string;
  mode: AddPathMode;
}

export interface AddPathCapability {
  type: 'add-path';
  families: AddPathFamily[];
}

export const addPathCodec: CapabilityCodec<AddPathCapability> = {
  code: 69,
  type: 'add-path',
  decode(r: BufferReader): AddPathCapability | undefined {
    expectLength(r, 'ADD-PATH', r.remaining % 4 === 0, 'a multiple of 4');
    const families: AddPathFamily[] = [];
    let understood = true;
    while (!r.atEnd) {
      const family = readFamily(r);
      const mode = MODES[r.u8()];
      if (mode === undefined) understood = false;
      else families.push({ family, mode });
    }
    return understood ? { type: 'add-path', families } : undefined;
  },
  encode(w: BufferWriter, cap: AddPathCapability): void {
    for (const f of cap.families) {
      writeFamily(w, 'ADD-PATH', f.family);
      const mode = MODES.indexOf(f.mode);
      if (mode <= 0) badInput('ADD-PATH', `mode ${JSON.stringify(f.mode)} is not "receive", "send" or "both"`);
      w.u8(mode);
    }
  },
};

/** Whether a mode includes receiving (resp. sending) path identifiers. */
export function addPathReceives(mode: AddPathMode): boolean {
  return mode !== 'send';
}
export function addPathSends(mode: AddPathMode): boolean {
  return mode !== 'receive';
}
