/**
 * E-VPN Default Gateway (RFC 7432 §7.8): transitive opaque type 0x03, sub-type 0x0D, on MAC/IP
 * routes of a default gateway. The value carries nothing (reserved, sent as zero).
 *
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | 0x03 (Opaque) |     0x0D      |     Reserved (6 bytes) ...    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
import type { EcRow } from './row.js';

export interface DefaultGatewayEc {
  type: 'default-gateway';
  /** The 6 value bytes, only when non-zero. */
  reserved?: string;
}

export const defaultGatewayRow: EcRow<DefaultGatewayEc> = {
  type: 'default-gateway',
  codes: [[0x03, 0x0d]],
  twin: false,
  reservedMask: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
  decode() {
    return { type: 'default-gateway' };
  },
  encode(_e, out) {
    out[0] = 0x03;
    out[1] = 0x0d;
  },
  text() {
    return 'default-gateway';
  },
};
