/**
 * Multiprotocol Extensions capability, code 1 (RFC 4760 §8): one per family the speaker can
 * exchange. The reserved byte SHOULD be 0 and is ignored; a non-zero one is kept so bytes
 * round-trip.
 *
 *    0       7      15      23      31
 *   +-------+-------+-------+-------+
 *   |      AFI      | Res.  | SAFI  |
 *   +-------+-------+-------+-------+
 */
import { familyName } from '../afi.js';
import type { BufferReader } from '../reader.js';
import type { BufferWriter } from '../writer.js';
import { expectLength, familyOf, type CapabilityCodec } from './codec.js';

export interface MultiprotocolCapability {
  type: 'multiprotocol';
  /** "ipv4/mpls-vpn", "l2vpn/evpn", ... */
  family: string;
  /** The reserved byte, only when not 0. */
  reserved?: number;
}

export const multiprotocolCodec: CapabilityCodec<MultiprotocolCapability> = {
  code: 1,
  type: 'multiprotocol',
  decode(r: BufferReader): MultiprotocolCapability {
    expectLength(r, 'multiprotocol', r.remaining === 4, '4');
    const afi = r.u16();
    const reserved = r.u8();
    const cap: MultiprotocolCapability = { type: 'multiprotocol', family: familyName(afi, r.u8()) };
    if (reserved !== 0) cap.reserved = reserved;
    return cap;
  },
  encode(w: BufferWriter, cap: MultiprotocolCapability): void {
    const f = familyOf('multiprotocol', cap.family);
    w.u16(f.afi).u8(cap.reserved ?? 0).u8(f.safi);
  },
};

/** The capability announcing one family. */
export function multiprotocol(family: string): MultiprotocolCapability {
  familyOf('multiprotocol', family);
  return { type: 'multiprotocol', family };
}
