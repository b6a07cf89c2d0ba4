/**
 * FlowSpec "redirect to VRF" action, rt-redirect (RFC 8955 §7.4, RFC 7674 §3): the target VRF is
 * named by a route target in one of the three admin-specific layouts, with type 0x80 (2-octet
 * AS), 0x81 (IPv4 address) or 0x82 (4-octet AS), sub-type 0x08.
 *
 *   | 0x80/0x81/0x82 | 0x08 | Global Administrator | Local Administrator |   (6 value bytes)
 *
 * Text "redirect:64512:51" as in the original. Generic transitive types have no twin here.
 */
import { adminSpecificRow, type AdminSpecificEc } from './admin-specific.js';

export type RedirectToVrfEc = AdminSpecificEc<'redirect-to-vrf'>;

export const redirectToVrfRow = adminSpecificRow({
  type: 'redirect-to-vrf',
  base: 0x80,
  subtype: 0x08,
  twin: false,
  label: 'redirect',
});
