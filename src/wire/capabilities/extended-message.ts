/**
 * BGP Extended Message capability, code 6 (RFC 8654 §3): empty value. When both sides announce
 * it, messages other than OPEN and KEEPALIVE may be up to 65535 bytes (CodecContext
 * .extendedMessage; MessageFramer.setMaxLength).
 *
 *   +------------------------------+
 *   | Capability Code = 6          |
 *   +------------------------------+
 *   | Capability Length = 0        |
 *   +------------------------------+
 */
import type { BufferReader } from '../reader.js';
import { expectLength, type CapabilityCodec } from './codec.js';

export interface ExtendedMessageCapability {
  type: 'extended-message';
}

export const extendedMessageCodec: CapabilityCodec<ExtendedMessageCapability> = {
  code: 6,
  type: 'extended-message',
  decode(r: BufferReader): ExtendedMessageCapability {
    expectLength(r, 'extended message', r.remaining === 0, '0');
    return { type: 'extended-message' };
  },
  encode(): void {},
};
