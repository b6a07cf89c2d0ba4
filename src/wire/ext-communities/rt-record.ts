/**
 * Route-Target Record (draft-ietf-bess-service-chaining §2.1; IANA sub-type 0x13 of the
 * two-octet-AS, IPv4 and four-octet-AS registries): the same layout as the route target it
 * records. The original uses it for loop prevention when re-advertising routes for service
 * chaining (spec/vpn.md §4, engine.md §5.6).
 *
 *   | 0x00/0x01/0x02 | 0x13 | Global Administrator | Local Administrator |   (6 value bytes)
 *
 * The non-transitive twin (type byte | 0x40) decodes with `transitive: false`.
 */
import { adminSpecificRow, type AdminSpecificEc } from './admin-specific.js';

export type RtRecordEc = AdminSpecificEc<'rt-record'>;

export const rtRecordRow = adminSpecificRow({ type: 'rt-record', base: 0x00, subtype: 0x13, twin: true, label: 'rt-record' });
