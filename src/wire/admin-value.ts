/**
 * The "administrator : assigned number" value shared by route distinguishers (RFC 4364 §4.2),
 * route targets and the other two-part extended communities (RFC 4360 §3, RFC 5668), and
 * redirect-to-VRF (RFC 7674). Three layouts of 6 bytes, chosen by a type:
 *   type 0: 2-octet AS (2) : number (4)    text "64512:10"
 *   type 1: IPv4 address (4) : number (2)  text "192.0.2.1:10"
 *   type 2: 4-octet AS (4) : number (2)    text "4200000000:10" (a small AS in this form keeps its
 *           type in the JSON object, so the text alone may be ambiguous; the object is not)
 */
import { NotifyCode, WireError } from './errors.js';
import { ipToBytes, ipv4ToText } from './ip.js';

export type AdminType = 0 | 1 | 2;

export interface AdminValue {
  type: AdminType;
  /** "admin:assigned" text in the form of the type. */
  value: string;
}

function bad(text: string, why: string): never {
  throw new WireError('bad-admin-value', `${JSON.stringify(text)}: ${why}`, 'session-reset', {
    code: NotifyCode.Cease,
    subcode: 0,
  });
}

/** Text of the 6 value bytes at b[at..at+6] in the layout of `type`. */
export function adminValueText(type: AdminType, b: Uint8Array, at = 0): string {
  const v = Buffer.from(b.buffer, b.byteOffset + at, 6);
  switch (type) {
    case 0:
      return `${v.readUInt16BE(0)}:${v.readUInt32BE(2)}`;
    case 1:
      return `${ipv4ToText(v)}:${v.readUInt16BE(4)}`;
    case 2:
      return `${v.readUInt32BE(0)}:${v.readUInt16BE(4)}`;
  }
}

/** The 6 value bytes of a text in the layout of `type`; a clear error if it does not fit. */
export function adminValueBytes(type: AdminType, text: string): Buffer {
  const i = text.lastIndexOf(':');
  if (i <= 0) bad(text, 'expected "administrator:number"');
  const admin = text.slice(0, i);
  const numText = text.slice(i + 1);
  if (!/^\d+$/.test(numText)) bad(text, 'assigned number is not a decimal integer');
  const num = Number(numText);
  const out = Buffer.alloc(6);
  if (type === 1) {
    if (num > 0xffff) bad(text, 'assigned number exceeds 65535 for an IPv4-address value');
    const ip = ipToBytes(admin);
    if (ip.length !== 4) bad(text, 'administrator is not an IPv4 address');
    ip.copy(out, 0);
    out.writeUInt16BE(num, 4);
    return out;
  }
  if (!/^\d+$/.test(admin)) bad(text, 'administrator is not an AS number');
  const as = Number(admin);
  if (type === 0) {
    if (as > 0xffff) bad(text, 'AS exceeds 65535 for a 2-octet-AS value');
    if (num > 0xffffffff) bad(text, 'assigned number exceeds 2^32-1');
    out.writeUInt16BE(as, 0);
    out.writeUInt32BE(num, 2);
    return out;
  }
  if (as > 0xffffffff) bad(text, 'AS exceeds 2^32-1');
  if (num > 0xffff) bad(text, 'assigned number exceeds 65535 for a 4-octet-AS value');
  out.writeUInt32BE(as, 0);
  out.writeUInt16BE(num, 4);
  return out;
}

/**
 * Parses operator text and picks the layout: an IPv4 administrator → type 1; an AS above 65535
 * (or written with an "L" suffix, as some tools do) → type 2; otherwise type 0.
 */
export function parseAdminValue(text: string): AdminValue {
  const i = text.lastIndexOf(':');
  if (i <= 0) bad(text, 'expected "administrator:number"');
  let admin = text.slice(0, i);
  const rest = text.slice(i);
  let type: AdminType;
  if (admin.includes('.')) type = 1;
  else if (/^\d+[lL]$/.test(admin)) {
    admin = admin.slice(0, -1);
    type = 2;
  } else type = /^\d+$/.test(admin) && Number(admin) > 0xffff ? 2 : 0;
  const value = admin + rest;
  adminValueBytes(type, value); // validates
  return { type, value };
}
