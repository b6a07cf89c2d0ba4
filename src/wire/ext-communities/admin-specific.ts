/**
 * The three "administrator : assigned number" layouts shared by route target, route origin,
 * RT-record and redirect-to-VRF (RFC 4360 §3.1-3.2, RFC 5668 §2, RFC 7674 §3). The low two bits of
 * the type byte choose the layout (the form), the sub-type says what the value is:
 *
 *   form 0, Two-Octet AS Specific (type 0x00 / 0x80):
 *   | type | sub-type | Global Administrator: AS (2) | Local Administrator (4) |
 *   form 1, IPv4 Address Specific (type 0x01 / 0x81):
 *   | type | sub-type | Global Administrator: IPv4 (4) | Local Administrator (2) |
 *   form 2, Four-Octet AS Specific (type 0x02 / 0x82):
 *   | type | sub-type | Global Administrator: AS (4) | Local Administrator (2) |
 *
 * Text: "64512:1", "192.0.2.1:5", "4200000000:1"; a form-2 value with an AS below 65536 is shown
 * with an "L" suffix ("100L:1"), so the text parses back (parseAdminValue) to the same form.
 */
import { adminValueBytes, adminValueText, type AdminType } from '../admin-value.js';
import { badEc, type EcRow } from './row.js';

/** The JSON form of every admin-specific community. */
export interface AdminSpecificEc<T extends string> {
  type: T;
  /** 0: 2-octet AS : 4-byte number; 1: IPv4 : 2-byte number; 2: 4-octet AS : 2-byte number. */
  form: AdminType;
  /** "administrator:number" in the layout of `form`. */
  value: string;
  /** Present (false) only when the non-transitive bit (0x40) of the type byte is set. */
  transitive?: false;
}

/** Display text of a form/value pair (see the header comment). */
export function adminText(form: AdminType, value: string): string {
  if (form !== 2) return value;
  const i = value.lastIndexOf(':');
  const as = Number(value.slice(0, i));
  return as <= 0xffff ? `${value.slice(0, i)}L${value.slice(i)}` : value;
}

interface Options<T extends string> {
  type: T;
  /** Type byte of form 0 (0x00 or 0x80); forms 1 and 2 follow. */
  base: number;
  subtype: number;
  twin: boolean;
  /** Text prefix, e.g. "target" for "target:64512:1". */
  label: string;
}

export function adminSpecificRow<T extends string>(o: Options<T>): EcRow<AdminSpecificEc<T>> {
  return {
    type: o.type,
    codes: [
      [o.base, o.subtype],
      [o.base + 1, o.subtype],
      [o.base + 2, o.subtype],
    ],
    twin: o.twin,
    decode(b) {
      const form = (b[0]! & 3) as AdminType;
      return { type: o.type, form, value: adminValueText(form, b, 2) };
    },
    encode(e, out) {
      if (e.form !== 0 && e.form !== 1 && e.form !== 2) badEc(`${o.type}: form ${String(e.form)} is not 0, 1 or 2`);
      if (typeof e.value !== 'string') badEc(`${o.type}: value is not a string`);
      out[0] = o.base + e.form;
      out[1] = o.subtype;
      adminValueBytes(e.form, e.value).copy(out, 2);
    },
    text(e) {
      return `${o.label}:${adminText(e.form, e.value)}`;
    },
  };
}
