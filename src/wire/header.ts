/**
 * The BGP message header, RFC 4271 §4.1, with the length checks of §6.1 and RFC 8654 §4.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                                                               |
 *   +                                                               +
 *   |                                                               |
 *   +                           Marker                              +
 *   |                                                               |
 *   +                                                               +
 *   |                                                               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Length               |      Type     |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The marker is 16 bytes of ones (else "Connection Not Synchronized"). The length counts the
 * header: 19..4096, or up to 65535 once RFC 8654 extended messages are negotiated, except for OPEN
 * and KEEPALIVE which never exceed 4096 (RFC 8654 §4). Per-type minimum or exact lengths follow
 * §4.2-§4.5 and RFC 2918 §3; a violation is "Bad Message Length" with the length as data, an
 * unknown type "Bad Message Type" with the type as data (§6.1).
 */
import { HeaderSubcode, NotifyCode, WireError } from './errors.js';
import { MAX_MESSAGE } from './context.js';

export const HEADER_LENGTH = 19;
export const MARKER: Buffer = Buffer.alloc(16, 0xff);

/** Message types (IANA "BGP Message Types"). */
export enum MessageType {
  Open = 1,
  Update = 2,
  Notification = 3,
  Keepalive = 4,
  RouteRefresh = 5,
}

const TYPE_NAMES: Record<number, string> = {
  1: 'open',
  2: 'update',
  3: 'notification',
  4: 'keepalive',
  5: 'route-refresh',
};

/** "open", "update", "notification", "keepalive", "route-refresh", or "type-N". */
export function messageTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `type-${type}`;
}

/**
 * Smallest whole-message length per type: OPEN 29 (§4.2), UPDATE 23 (§4.3), NOTIFICATION 21
 * (§4.5), KEEPALIVE exactly 19 (§4.4), ROUTE-REFRESH 23 (RFC 2918 §3; whether a longer one is
 * acceptable depends on its subtype, see messages/route-refresh.ts).
 */
const MIN_LENGTH: readonly number[] = [0, 29, 23, 21, 19, 23];

export interface MessageHeader {
  /** Whole message length, header included. */
  length: number;
  type: MessageType;
}

function badLength(length: number, why: string): never {
  const data = Buffer.alloc(2);
  data.writeUInt16BE(length);
  throw new WireError('bad-message-length', `message header: ${why}`, 'session-reset', {
    code: NotifyCode.MessageHeader,
    subcode: HeaderSubcode.BadMessageLength,
    data,
  });
}

/**
 * Validates the 19 header bytes at buf[offset..] (the caller guarantees they are there) and
 * returns the message length. `maxLength` is the negotiated maximum (4096, or 65535 with RFC
 * 8654); OPEN and KEEPALIVE are held to 4096 whatever it is. Allocation-free on success: the
 * framer calls it once per message.
 */
export function checkHeader(buf: Uint8Array, offset: number, maxLength: number): number {
  for (let i = 0; i < 16; i++) {
    if (buf[offset + i] !== 0xff) {
      throw new WireError('connection-not-synchronized', 'message header: marker is not all ones', 'session-reset', {
        code: NotifyCode.MessageHeader,
        subcode: HeaderSubcode.ConnectionNotSynchronized,
      });
    }
  }
  const length = (buf[offset + 16]! << 8) | buf[offset + 17]!;
  const type = buf[offset + 18]!;
  if (length < HEADER_LENGTH) badLength(length, `length ${length} is below ${HEADER_LENGTH}`);
  const min = MIN_LENGTH[type];
  if (min === undefined || type === 0) {
    throw new WireError('bad-message-type', `message header: unknown message type ${type}`, 'session-reset', {
      code: NotifyCode.MessageHeader,
      subcode: HeaderSubcode.BadMessageType,
      data: Uint8Array.of(type),
    });
  }
  const max = type === (MessageType.Open as number) || type === (MessageType.Keepalive as number) ? MAX_MESSAGE : maxLength;
  if (length > max) badLength(length, `${messageTypeName(type)} length ${length} exceeds ${max}`);
  if (type === (MessageType.Keepalive as number) && length !== HEADER_LENGTH) {
    badLength(length, `keepalive length ${length}, expected ${HEADER_LENGTH}`);
  }
  if (length < min) badLength(length, `${messageTypeName(type)} length ${length} is below ${min}`);
  return length;
}

/** The header at buf[offset..], validated (see checkHeader). */
export function readHeader(buf: Uint8Array, offset: number, maxLength: number): MessageHeader {
  if (buf.length - offset < HEADER_LENGTH) {
    throw new WireError(
      'truncated',
      `message header: need ${HEADER_LENGTH} bytes, ${Math.max(0, buf.length - offset)} present`,
      'session-reset',
      { code: NotifyCode.MessageHeader, subcode: HeaderSubcode.BadMessageLength },
    );
  }
  const length = checkHeader(buf, offset, maxLength);
  return { length, type: buf[offset + 18]! };
}
