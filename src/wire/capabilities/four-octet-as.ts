/**
 * Support for 4-octet AS numbers, code 65 (RFC 6793 §3): the speaker's real AS, while the OPEN's
 * "My Autonomous System" carries AS_TRANS (23456) when that AS does not fit 2 octets.
 *
 *   +------------------------------+
 *   | Capability Code = 65         |
 *   +------------------------------+
 *   | Capability Length = 4        |
 *   +------------------------------+
 *   | 4-octet AS number (4 octets) |
 *   +------------------------------+
 */
import type { BufferReader } from '../reader.js';
import type { BufferWriter } from '../writer.js';
import { expectLength, type CapabilityCodec } from './codec.js';

/** RFC 6793 §9: the 2-octet placeholder for an AS above 65535. */
export const AS_TRANS = 23456;

export interface FourOctetAsCapability {
  type: 'four-octet-as';
  as: number;
}

export const fourOctetAsCodec: CapabilityCodec<FourOctetAsCapability> = {
  code: 65,
  type: 'four-octet-as',
  decode(r: BufferReader): FourOctetAsCapability {
    expectLength(r, '4-octet AS', r.remaining === 4, '4');
    return { type: 'four-octet-as', as: r.u32() };
  },
  encode(w: BufferWriter, cap: FourOctetAsCapability): void {
    w.u32(cap.as);
  },
};
