/**
 * Route Origin, a.k.a. Site of Origin (RFC 4360 §5, RFC 5668 §3): sub-type 0x03 in the three
 * admin-specific layouts (see admin-specific.ts).
 *
 *   | 0x00/0x01/0x02 | 0x03 | Global Administrator | Local Administrator |   (6 value bytes)
 *
 * The non-transitive twin (type byte | 0x40) decodes with `transitive: false`.
 */
import { adminSpecificRow, type AdminSpecificEc } from './admin-specific.js';

export type RouteOriginEc = AdminSpecificEc<'route-origin'>;

export const routeOriginRow = adminSpecificRow({ type: 'route-origin', base: 0x00, subtype: 0x03, twin: true, label: 'origin' });
