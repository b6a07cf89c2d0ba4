/**
 * Any attribute without a row in the table (RFC 4271 §5, §9): kept opaque so it round-trips.
 *
 *   +-----------+-----------+------------+-------------------+
 *   | flags (1) | code (1)  | length 1|2 | value (hex)       |
 *   +-----------+-----------+------------+-------------------+
 *
 * An unrecognised optional transitive attribute is passed on with the Partial bit set, an
 * unrecognised optional non-transitive one is dropped (forPropagation in index.ts); an
 * unrecognised well-known one (Optional bit clear) resets the session (RFC 4271 §6.3, done by the
 * UPDATE decoder).
 */
export interface UnknownAttribute {
  type: 'unknown';
  code: number;
  /** The flags byte as received; required here, since there are no standard flags to fall back on. */
  flags: number;
  /** The value, lowercase hex. */
  hex: string;
}
