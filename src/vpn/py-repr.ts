/**
 * Python repr() of JSON values, for the error messages and descriptions the original builds with
 * "%s" of dicts, tuples and sets (rest-api.md §4.6 keeps them identical).
 */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return pyStr(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object')
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${pyStr(k)}: ${pyRepr(x)}`)
      .join(', ')}}`;
  return JSON.stringify(v) ?? 'None';
}

/** repr() of a str: single quotes unless the text has some and no double quotes. */
export function pyStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return quote + out + quote;
}

/** repr() of a tuple of values: ('a', None). */
export function pyTuple(items: unknown[]): string {
  return `(${items.map(pyRepr).join(', ')}${items.length === 1 ? ',' : ''})`;
}

/** repr() of a set of strings: set() when empty, else {'a', 'b'}. */
export function pySet(items: Iterable<string>): string {
  const a = [...items];
  return a.length === 0 ? 'set()' : `{${a.map(pyStr).join(', ')}}`;
}
