/**
 * ROUTE-REFRESH message body, RFC 2918 §3 with the Message Subtype of RFC 7313 §3.2 (the former
 * reserved byte): 0 normal route refresh, 1 Beginning of Route Refresh (BoRR), 2 End of Route
 * Refresh (EoRR); 255 reserved; other values are to be ignored by the receiver.
 *
 *    0       7      15      23      31
 *   +-------+-------+-------+-------+
 *   |      AFI      | Subtype | SAFI |
 *   +-------+-------+-------+-------+
 *
 * Length: exactly 4 bytes of body for BoRR and EoRR, else "ROUTE-REFRESH Message Error / Invalid
 * Message Length" with the whole message as data (RFC 7313 §5). A longer normal refresh is what
 * RFC 5291 uses to carry ORF entries: its extra bytes are kept as `data` (hex); a session that did
 * not negotiate ORF may reject it. (A body under 4 bytes is a Bad Message Length header error.)
 */
import { familyName } from '../afi.js';
import { NotifyCode, RouteRefreshSubcode, WireError } from '../errors.js';
import { fromHex, toHex } from '../hex.js';
import { HEADER_LENGTH, MARKER, MessageType } from '../header.js';
import type { BufferWriter } from '../writer.js';
import { badInput, familyOf } from '../capabilities/codec.js';

export type RouteRefreshSubtype = 'normal' | 'borr' | 'eorr';

const SUBTYPES: readonly RouteRefreshSubtype[] = ['normal', 'borr', 'eorr'];

export interface RouteRefreshMessage {
  type: 'route-refresh';
  family: string;
  /** 'normal' (0), 'borr' (1), 'eorr' (2), or the raw value of another subtype. */
  subtype: RouteRefreshSubtype | number;
  /** Bytes after the family (RFC 5291 ORF entries), lowercase hex; only when present. */
  data?: string;
}

export function decodeRouteRefreshBody(body: Buffer): RouteRefreshMessage {
  // The header check guarantees the 4 bytes.
  const afi = body.readUInt16BE(0);
  const sub = body[2]!;
  const family = familyName(afi, body[3]!);
  if (body.length > 4 && (sub === 1 || sub === 2)) {
    const whole = Buffer.alloc(HEADER_LENGTH + body.length);
    MARKER.copy(whole, 0);
    whole.writeUInt16BE(whole.length, 16);
    whole[18] = MessageType.RouteRefresh;
    body.copy(whole, HEADER_LENGTH);
    throw new WireError(
      'bad-route-refresh-length',
      `ROUTE-REFRESH: ${SUBTYPES[sub]} with a ${body.length}-byte body, expected 4`,
      'session-reset',
      { code: NotifyCode.RouteRefresh, subcode: RouteRefreshSubcode.InvalidMessageLength, data: whole },
    );
  }
  const msg: RouteRefreshMessage = { type: 'route-refresh', family, subtype: SUBTYPES[sub] ?? sub };
  if (body.length > 4) msg.data = toHex(body.subarray(4));
  return msg;
}

export function encodeRouteRefreshBody(w: BufferWriter, msg: RouteRefreshMessage): void {
  const f = familyOf('ROUTE-REFRESH', msg.family);
  const sub = typeof msg.subtype === 'number' ? msg.subtype : SUBTYPES.indexOf(msg.subtype);
  if (sub < 0) badInput('ROUTE-REFRESH', `subtype ${JSON.stringify(msg.subtype)} is not "normal", "borr", "eorr" or a number`);
  w.u16(f.afi).u8(sub).u8(f.safi);
  if (msg.data !== undefined) w.bytes(fromHex(msg.data));
}

/** A route refresh request (or BoRR / EoRR marker) for a family. */
export function routeRefresh(family: string, subtype: RouteRefreshSubtype = 'normal'): RouteRefreshMessage {
  familyOf('ROUTE-REFRESH', family);
  return { type: 'route-refresh', family, subtype };
}
