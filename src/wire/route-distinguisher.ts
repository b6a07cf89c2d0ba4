/**
 * Route Distinguisher (RFC 4364 §4.2): 8 bytes, a 2-byte type then a 6-byte value in one of the
 * three admin:number layouts. Unknown types are kept as opaque hex so they round-trip.
 *
 *   +-------+-------+-------+-------+-------+-------+-------+-------+
 *   |     Type      |                  Value (6 bytes)              |
 *   +-------+-------+-------+-------+-------+-------+-------+-------+
 */
import { adminValueBytes, adminValueText, parseAdminValue, type AdminType } from './admin-value.js';
import { fromHex, toHex } from './hex.js';
import type { BufferReader } from './reader.js';
import type { BufferWriter } from './writer.js';

export interface RouteDistinguisher {
  /** 0, 1, 2 per RFC 4364; any other 16-bit value is kept with `value` as 12 hex digits. */
  type: number;
  value: string;
}

export function readRd(r: BufferReader): RouteDistinguisher {
  const type = r.u16();
  const v = r.bytes(6);
  if (type <= 2) return { type, value: adminValueText(type as AdminType, v) };
  return { type, value: toHex(v) };
}

export function writeRd(w: BufferWriter, rd: RouteDistinguisher): void {
  w.u16(rd.type);
  if (rd.type <= 2) w.bytes(adminValueBytes(rd.type as AdminType, rd.value));
  else {
    const v = fromHex(rd.value);
    if (v.length !== 6) adminValueBytes(0, `bad:${rd.value}`); // throws a clear error
    w.bytes(v);
  }
}

/** Display text as the original shows it ("127.0.0.1:2"); types above 2 as "type:hex". */
export function rdText(rd: RouteDistinguisher): string {
  return rd.type <= 2 ? rd.value : `${rd.type}:${rd.value}`;
}

/** Parses operator text ("64512:1", "10.0.0.1:3", "4200000000:1", "64512L:1"). */
export function parseRd(text: string): RouteDistinguisher {
  return parseAdminValue(text);
}
