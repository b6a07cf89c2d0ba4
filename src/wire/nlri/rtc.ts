/** RT Constraint NLRI (RFC 4684 §4). Work in progress: names and signatures are stable. */
import { Afi, Safi } from '../afi.js';
import type { ExtCommunity } from '../ext-communities/index.js';
import type { NlriBase, NlriCodec } from './codec.js';

export interface RtcNlri extends NlriBase {
  kind: 'rtc';
  originAs?: number;
  routeTarget?: ExtCommunity;
  /** Partial route-target prefix: length in bits (1..63) and the significant bytes, hex. */
  prefix?: { bits: number; hex: string };
}

export const rtcCodec: NlriCodec<RtcNlri> = {
  afi: Afi.IPv4,
  safi: Safi.Rtc,
  nextHop: 'ip',
  decode(r) {
    r.skip(r.u8() >>> 3);
    return { kind: 'rtc' };
  },
  encode(w) {
    w.u8(0);
  },
};
