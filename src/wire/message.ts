/**
 * Whole BGP messages: the header (header.ts) then the body of each type, RFC 4271 §4.
 *
 *   +------------------+-------------+----------+--------------------------+
 *   | Marker (16 bytes) | Length (2) | Type (1) | Body (Length - 19 bytes) |
 *   +------------------+-------------+----------+--------------------------+
 *
 * decodeMessage takes one frame (as cut by MessageFramer) and returns the message plus, for an
 * UPDATE, the RFC 7606 errors that did not require a reset; it throws a WireError when the
 * session must reset (its `notification` is what to send: notificationFromError()).
 * encodeMessage writes the header and body and refuses a message longer than the negotiated
 * maximum (4096, or 65535 with RFC 8654; OPEN and KEEPALIVE never above 4096).
 */
import { MAX_EXTENDED_MESSAGE, MAX_MESSAGE, type CodecContext } from './context.js';
import { guard, HeaderSubcode, NotifyCode, WireError } from './errors.js';
import { HEADER_LENGTH, MARKER, MessageType, messageTypeName, readHeader } from './header.js';
import { decodeKeepaliveBody, type KeepaliveMessage } from './messages/keepalive.js';
import { decodeNotificationBody, encodeNotificationBody, type NotificationMessage } from './messages/notification.js';
import { decodeOpenBody, encodeOpenBody, type OpenMessage } from './messages/open.js';
import { decodeRouteRefreshBody, encodeRouteRefreshBody, type RouteRefreshMessage } from './messages/route-refresh.js';
import {
  decodeUpdateBody,
  encodeUpdateBody,
  type UpdateDecodeOptions,
  type UpdateDecodeResult,
  type UpdateMessage,
} from './update.js';
import { BufferWriter } from './writer.js';

export { messageTypeName };

export type BgpMessage = OpenMessage | UpdateMessage | NotificationMessage | KeepaliveMessage | RouteRefreshMessage;

export interface DecodedMessage {
  message: BgpMessage;
  /** Errors handled without a reset (RFC 7606 attribute discard, treat-as-withdraw, ...). */
  errors: WireError[];
  /** The strongest RFC 7606 outcome among `errors` (UPDATE only). */
  outcome?: UpdateDecodeResult['outcome'];
  /** Families to disable (outcome 'afi-safi-disable', RFC 7606 §7.11), UPDATE only. */
  disabledFamilies?: UpdateDecodeResult['disabledFamilies'];
}

/** The largest message the context allows (RFC 8654). */
export function maxMessageLength(ctx: CodecContext): number {
  return ctx.extendedMessage ? MAX_EXTENDED_MESSAGE : MAX_MESSAGE;
}

/**
 * Decodes one whole message (header included). Throws WireError when the session must reset.
 * `options` reach the UPDATE decoder (e.g. whether the peer is internal or external).
 */
export function decodeMessage(frame: Buffer, ctx: CodecContext, options?: UpdateDecodeOptions): DecodedMessage {
  const { length, type } = readHeader(frame, 0, maxMessageLength(ctx));
  if (frame.length !== length) {
    const data = Buffer.alloc(2);
    data.writeUInt16BE(length);
    throw new WireError(
      'bad-message-length',
      `message header: length field ${length} but the frame has ${frame.length} bytes`,
      'session-reset',
      { code: NotifyCode.MessageHeader, subcode: HeaderSubcode.BadMessageLength, data },
    );
  }
  const body = frame.subarray(HEADER_LENGTH);
  return guard(`${messageTypeName(type)} message`, (): DecodedMessage => {
    switch (type) {
      case MessageType.Update: {
        const r = decodeUpdateBody(body, ctx, options);
        const out: DecodedMessage = { message: r.message, errors: r.errors };
        if (r.outcome !== undefined) out.outcome = r.outcome;
        if (r.disabledFamilies !== undefined) out.disabledFamilies = r.disabledFamilies;
        return out;
      }
      case MessageType.Open:
        return { message: decodeOpenBody(body), errors: [] };
      case MessageType.Notification:
        return { message: decodeNotificationBody(body), errors: [] };
      case MessageType.Keepalive:
        return { message: decodeKeepaliveBody(), errors: [] };
      case MessageType.RouteRefresh:
        return { message: decodeRouteRefreshBody(body), errors: [] };
    }
  });
}

const TYPE_CODES: Record<BgpMessage['type'], MessageType> = {
  open: MessageType.Open,
  update: MessageType.Update,
  notification: MessageType.Notification,
  keepalive: MessageType.Keepalive,
  'route-refresh': MessageType.RouteRefresh,
};

/** Encodes a whole message (header included). */
export function encodeMessage(msg: BgpMessage, ctx: CodecContext): Buffer {
  const type = msg !== null && typeof msg === 'object' ? TYPE_CODES[msg.type] : undefined;
  if (type === undefined) {
    throw new WireError(
      'bad-message',
      `not a BGP message: type ${JSON.stringify((msg as { type?: unknown } | null)?.type)}` +
        ' (expected open, update, notification, keepalive or route-refresh)',
      'session-reset',
      { code: NotifyCode.Cease, subcode: 0 },
    );
  }
  const w = new BufferWriter(type === MessageType.Update ? 1024 : 128);
  w.bytes(MARKER).u16(0).u8(type);
  switch (msg.type) {
    case 'open':
      encodeOpenBody(w, msg);
      break;
    case 'update':
      encodeUpdateBody(w, msg, ctx);
      break;
    case 'notification':
      encodeNotificationBody(w, msg);
      break;
    case 'keepalive':
      break;
    case 'route-refresh':
      encodeRouteRefreshBody(w, msg);
      break;
  }
  const length = w.length;
  const max = type === MessageType.Open || type === MessageType.Keepalive ? MAX_MESSAGE : maxMessageLength(ctx);
  if (length > max) {
    throw new WireError(
      'message-too-long',
      `${msg.type} message of ${length} bytes exceeds the maximum of ${max}` +
        (max === MAX_MESSAGE && type !== MessageType.Open ? ' (extended message not negotiated)' : ''),
      'session-reset',
      { code: NotifyCode.Cease, subcode: 0 },
    );
  }
  w.patchU16(16, length);
  return w.finish();
}
