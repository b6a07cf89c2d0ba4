/**
 * FlowSpec rate-limit actions (RFC 8955 §7.3): traffic-rate-bytes, generic transitive type 0x80
 * sub-type 0x06, and traffic-rate-packets, sub-type 0x0C. Same layout, so one file for both.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     0x80      | 0x06 or 0x0C  |              ID               |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |            Rate: IEEE 754 single precision float              |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * The rate is bytes (or packets) per second; 0 means discard. JSON keeps the float exactly as
 * read (every finite float32 is a JSON number that writes back to the same 4 bytes); NaN, the
 * infinities and -0 have no JSON number, so they are kept as `rateHex` (the 4 bytes) instead.
 */
import { badEc, checkInt, type EcRow } from './row.js';

interface TrafficRateEc<T extends string> {
  type: T;
  /** The 2-byte ID (RFC 5575 called it an AS number). */
  id: number;
  /** The rate, when a finite number other than -0; otherwise `rateHex` is set. */
  rate?: number;
  /** The 4 float bytes as hex, only when they are not a finite number (or are -0). */
  rateHex?: string;
}

export type TrafficRateBytesEc = TrafficRateEc<'traffic-rate-bytes'>;
export type TrafficRatePacketsEc = TrafficRateEc<'traffic-rate-packets'>;

const RATE_HEX = /^[0-9a-fA-F]{8}$/;

function row<T extends string>(type: T, subtype: number, label: string): EcRow<TrafficRateEc<T>> {
  return {
    type,
    codes: [[0x80, subtype]],
    twin: false,
    decode(b) {
      const id = b.readUInt16BE(2);
      const rate = b.readFloatBE(4);
      if (Number.isFinite(rate) && !Object.is(rate, -0)) return { type, id, rate };
      return { type, id, rateHex: b.toString('hex', 4, 8) };
    },
    encode(e, out) {
      out[0] = 0x80;
      out[1] = subtype;
      out.writeUInt16BE(checkInt(`${type} id`, e.id, 0xffff), 2);
      if (e.rate !== undefined) {
        if (e.rateHex !== undefined) badEc(`${type}: both rate and rateHex given`);
        if (typeof e.rate !== 'number' || !Number.isFinite(e.rate)) badEc(`${type}: rate ${String(e.rate)} is not a finite number`);
        out.writeFloatBE(e.rate, 4);
      } else {
        if (typeof e.rateHex !== 'string' || !RATE_HEX.test(e.rateHex)) badEc(`${type}: needs a rate or an 8-digit rateHex`);
        out.write(e.rateHex, 4, 'hex');
      }
    },
    text(e) {
      return `${label}:${e.id}:${e.rate ?? `0x${e.rateHex}`}`;
    },
  };
}

export const trafficRateBytesRow = row('traffic-rate-bytes', 0x06, 'rate-limit');
export const trafficRatePacketsRow = row('traffic-rate-packets', 0x0c, 'rate-limit-packets');
