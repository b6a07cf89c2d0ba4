/**
 * KEEPALIVE message, RFC 4271 §4.4: the header alone (length exactly 19, checked in header.ts).
 *
 *   +-----------------------------------+
 *   | Marker (16) | Length = 19 | Type=4 |
 *   +-----------------------------------+
 */
export interface KeepaliveMessage {
  type: 'keepalive';
}

export const KEEPALIVE: KeepaliveMessage = Object.freeze({ type: 'keepalive' });

export function decodeKeepaliveBody(): KeepaliveMessage {
  return { type: 'keepalive' };
}
