/**
 * LOCAL_PREF (type code 5), RFC 4271 §4.3 and §5.1.5: well-known, 4 octets; mandatory on iBGP
 * sessions (RFC 4760 §3 repeats it for MP_REACH_NLRI), ignored from eBGP peers.
 *
 *   +-------------------------------+
 *   | preference (4, unsigned)      |
 *   +-------------------------------+
 *
 * RFC 7606 §7.5: from an internal peer, malformed when the length is not 4: treat-as-withdraw;
 * from an external peer, discarded (the UPDATE decoder does that when told the peer type).
 */
import { AttrCode, expectLength, FLAG_TRANSITIVE, type AttrBase, type AttributeDescriptor } from './types.js';

export interface LocalPrefAttribute extends AttrBase {
  type: 'local-pref';
  value: number;
}

export const localPref: AttributeDescriptor<LocalPrefAttribute> = {
  code: AttrCode.LocalPref,
  type: 'local-pref',
  name: 'LOCAL_PREF',
  flags: FLAG_TRANSITIVE,
  malformed: 'treat-as-withdraw',
  decode(r, flags) {
    expectLength(r, 4);
    return { type: 'local-pref', flags, value: r.u32() };
  },
  encode(w, attr) {
    w.u32(attr.value);
  },
};
