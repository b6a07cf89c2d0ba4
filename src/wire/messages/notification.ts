/**
 * NOTIFICATION message body, RFC 4271 §4.5, with the shutdown communication of RFC 8203 / RFC
 * 9003 and the Hard Reset wrapper of RFC 8538 §3.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | Error code    | Error subcode |   Data (variable)             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Cease subcodes 2 (Administrative Shutdown) and 4 (Administrative Reset) may carry a shutdown
 * communication (RFC 9003 §2): Length (1 octet) · UTF-8 text of that many octets (0..255). It is
 * decoded to `communication` when the data is exactly that and valid UTF-8; the data is always
 * kept as hex, which is what the encoder writes. Cease subcode 9 (Hard Reset, RFC 8538 §3.1)
 * carries the error code and subcode of the underlying NOTIFICATION then its data: decoded to
 * `cause`.
 */
import { CeaseSubcode, NotifyCode, type WireError } from '../errors.js';
import { fromHex, toHex } from '../hex.js';
import type { BufferWriter } from '../writer.js';
import { utf8 } from '../capabilities/codec.js';

export interface NotificationDetails {
  code: number;
  subcode: number;
  /** Data field, lowercase hex (may be empty). */
  data: string;
  /** RFC name of the code ("Cease"), when known. */
  codeName?: string;
  /** RFC name of the subcode ("Administrative Shutdown"), when known. */
  subcodeName?: string;
  /** RFC 8203/9003 shutdown communication (Cease 2 and 4), when well-formed. */
  communication?: string;
}

export interface NotificationMessage extends NotificationDetails {
  type: 'notification';
  /** RFC 8538 Hard Reset (Cease 9): the NOTIFICATION it wraps. */
  cause?: NotificationDetails;
}

export const CODE_NAMES: Record<number, string> = {
  1: 'Message Header Error',
  2: 'OPEN Message Error',
  3: 'UPDATE Message Error',
  4: 'Hold Timer Expired',
  5: 'Finite State Machine Error',
  6: 'Cease',
  7: 'ROUTE-REFRESH Message Error',
  8: 'Send Hold Timer Expired',
};

/** Subcode names per code (IANA "BGP Error Subcodes"); 0 is "Unspecific" for every code. */
const SUBCODE_NAMES: Record<number, Record<number, string>> = {
  1: { 1: 'Connection Not Synchronized', 2: 'Bad Message Length', 3: 'Bad Message Type' },
  2: {
    1: 'Unsupported Version Number',
    2: 'Bad Peer AS',
    3: 'Bad BGP Identifier',
    4: 'Unsupported Optional Parameter',
    5: 'Authentication Failure (deprecated)',
    6: 'Unacceptable Hold Time',
    7: 'Unsupported Capability',
    11: 'Role Mismatch',
  },
  3: {
    1: 'Malformed Attribute List',
    2: 'Unrecognized Well-known Attribute',
    3: 'Missing Well-known Attribute',
    4: 'Attribute Flags Error',
    5: 'Attribute Length Error',
    6: 'Invalid ORIGIN Attribute',
    7: 'AS Routing Loop (deprecated)',
    8: 'Invalid NEXT_HOP Attribute',
    9: 'Optional Attribute Error',
    10: 'Invalid Network Field',
    11: 'Malformed AS_PATH',
  },
  5: {
    1: 'Receive Unexpected Message in OpenSent State',
    2: 'Receive Unexpected Message in OpenConfirm State',
    3: 'Receive Unexpected Message in Established State',
  },
  6: {
    1: 'Maximum Number of Prefixes Reached',
    2: 'Administrative Shutdown',
    3: 'Peer De-configured',
    4: 'Administrative Reset',
    5: 'Connection Rejected',
    6: 'Other Configuration Change',
    7: 'Connection Collision Resolution',
    8: 'Out of Resources',
    9: 'Hard Reset',
    10: 'BFD Down',
  },
  7: { 1: 'Invalid Message Length' },
};

/** "Cease / Administrative Shutdown", "code 9 / subcode 1", ... for logs. */
export function notificationText(code: number, subcode: number): string {
  const c = CODE_NAMES[code] ?? `code ${code}`;
  const s = subcodeName(code, subcode) ?? `subcode ${subcode}`;
  return `${c} / ${s}`;
}

function subcodeName(code: number, subcode: number): string | undefined {
  if (subcode === 0 && CODE_NAMES[code] !== undefined) return 'Unspecific';
  return SUBCODE_NAMES[code]?.[subcode];
}

const CEASE: number = NotifyCode.Cease;
const ADMIN_SHUTDOWN: number = CeaseSubcode.AdministrativeShutdown;
const ADMIN_RESET: number = CeaseSubcode.AdministrativeReset;
const HARD_RESET: number = CeaseSubcode.HardReset;

/** The RFC 9003 shutdown communication in a Cease 2/4 data field, when well-formed. */
function communicationOf(data: Uint8Array): string | undefined {
  if (data.length < 1 || data[0]! + 1 !== data.length) return undefined;
  return utf8(data.subarray(1));
}

function details(code: number, subcode: number, data: Uint8Array): NotificationDetails {
  const d: NotificationDetails = { code, subcode, data: toHex(data) };
  const cn = CODE_NAMES[code];
  if (cn !== undefined) d.codeName = cn;
  const sn = subcodeName(code, subcode);
  if (sn !== undefined) d.subcodeName = sn;
  if (code === CEASE && (subcode === ADMIN_SHUTDOWN || subcode === ADMIN_RESET)) {
    const text = communicationOf(data);
    if (text !== undefined) d.communication = text;
  }
  return d;
}

/** The JSON form of a NOTIFICATION (names, communication and cause filled in). */
export function makeNotification(code: number, subcode: number, data: Uint8Array = EMPTY): NotificationMessage {
  const msg: NotificationMessage = { type: 'notification', ...details(code, subcode, data) };
  if (code === CEASE && subcode === HARD_RESET && data.length >= 2) {
    msg.cause = details(data[0]!, data[1]!, data.subarray(2));
  }
  return msg;
}
const EMPTY = new Uint8Array(0);

export function decodeNotificationBody(body: Buffer): NotificationMessage {
  // The header check guarantees the 2 bytes of code and subcode.
  return makeNotification(body[0]!, body[1]!, body.subarray(2));
}

/**
 * Writes code, subcode and data. `data` is the hex of the data field; when it is absent (JSON
 * written by hand) a `communication` becomes the RFC 9003 data.
 */
export function encodeNotificationBody(w: BufferWriter, msg: NotificationMessage): void {
  w.u8(msg.code).u8(msg.subcode);
  if (typeof msg.data === 'string') w.bytes(fromHex(msg.data));
  else if (typeof msg.communication === 'string') w.bytes(communicationData(msg.communication));
}

/** RFC 9003 §2 data for a text: length byte + UTF-8, cut to 255 bytes at a character boundary. */
export function communicationData(text: string): Buffer {
  let bytes = Buffer.from(text, 'utf8');
  if (bytes.length > 255) {
    let end = 255;
    while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // do not split a UTF-8 sequence
    bytes = bytes.subarray(0, end);
  }
  return Buffer.concat([Uint8Array.of(bytes.length), bytes]);
}

/** The NOTIFICATION a session sends for a codec error (RFC 4271 §6, RFC 7606). */
export function notificationFromError(err: WireError): NotificationMessage {
  const n = err.notification;
  return makeNotification(n.code, n.subcode, n.data ?? EMPTY);
}

/**
 * Cease with a shutdown communication (RFC 9003): subcode 2 Administrative Shutdown by default,
 * or 4 Administrative Reset. Text beyond 255 UTF-8 bytes is cut.
 */
export function shutdownNotification(
  text: string,
  subcode: CeaseSubcode.AdministrativeShutdown | CeaseSubcode.AdministrativeReset = CeaseSubcode.AdministrativeShutdown,
): NotificationMessage {
  return makeNotification(NotifyCode.Cease, subcode, communicationData(text));
}
