/**
 * Route Target (RFC 4360 §4, RFC 5668 §3 for the 4-octet-AS form; RFC 4364 §4.3.1 for its use):
 * sub-type 0x02 in the three admin-specific layouts (see admin-specific.ts).
 *
 *   | 0x00/0x01/0x02 | 0x02 | Global Administrator | Local Administrator |   (6 value bytes)
 *
 * The non-transitive twin (0x40/0x41/0x42) is decoded as a route target with
 * `transitive: false`, as the original (ExaBGP) did, so its bytes round-trip (engine.md §1.1, §5.6).
 */
import { adminSpecificRow, type AdminSpecificEc } from './admin-specific.js';

export type RouteTargetEc = AdminSpecificEc<'route-target'>;

export const routeTargetRow = adminSpecificRow({ type: 'route-target', base: 0x00, subtype: 0x02, twin: true, label: 'target' });
