/**
 * The 24-bit label field of VPN and E-VPN NLRI (RFC 3107/8277, RFC 7432) and of the PMSI tunnel
 * attribute (RFC 6514). The wire carries 24 raw bits whose meaning depends on the encapsulation:
 * - MPLS: a 20-bit label in the high bits, 3 TC bits, and the bottom-of-stack bit (RFC 3032);
 * - VXLAN (RFC 8365 §5.1.3): the whole 24 bits are the VNI, no shift and no bottom-of-stack bit.
 * Mixing the two broke interop in BaGPipe, GoBGP and FRR, so the codec only ever keeps the raw
 * value, and the reading is explicit at the point of use.
 */
import { NotifyCode, WireError } from './errors.js';

declare const label24Brand: unique symbol;
/** The raw 24 bits of a label field, exactly as on the wire. */
export type Label24 = number & { readonly [label24Brand]: true };

function check(what: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 0 || v > max) {
    throw new WireError('value-out-of-range', `${what}: ${String(v)} is not an integer in 0..${max}`, 'session-reset', {
      code: NotifyCode.Cease,
      subcode: 0,
    });
  }
}

/** Wraps raw wire bits (0..0xFFFFFF). */
export function label24(raw: number): Label24 {
  check('label field', raw, 0xffffff);
  return raw as Label24;
}

/** Raw field for an MPLS label (0..2^20-1), bottom-of-stack set unless told otherwise. */
export function fromMplsLabel(label: number, bottomOfStack = true): Label24 {
  check('MPLS label', label, 0xfffff);
  return ((label << 4) | (bottomOfStack ? 1 : 0)) as Label24;
}

/** Raw field for a VXLAN VNI (0..2^24-1): the VNI itself (RFC 8365 §5.1.3). */
export function fromVni(vni: number): Label24 {
  check('VNI', vni, 0xffffff);
  return vni as Label24;
}

/** The field read as an MPLS label stack entry: the 20-bit label. */
export function mplsLabel(raw: Label24): number {
  return raw >>> 4;
}

/** The field read as an MPLS label stack entry: the bottom-of-stack bit. */
export function isBottomOfStack(raw: Label24): boolean {
  return (raw & 1) === 1;
}

/** The field read as a VXLAN VNI. */
export function vni(raw: Label24): number {
  return raw;
}

/** RFC 8277 §2.4: the label value a withdrawal carries (0x800000); RFC 3107 used 0x000000. */
export const WITHDRAW_LABEL = 0x800000 as Label24;
