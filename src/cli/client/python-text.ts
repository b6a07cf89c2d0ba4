/**
 * The few Python text forms the original client commands print, so that our output is the same
 * byte for byte (scripts and people parse it):
 *
 * - `pyBytesRepr`: `repr(bytes)` — `response: 200 b'null'` (rest-attach), `Error code 500: b'…'`
 *   (looking glass);
 * - `pyJsonDumps`: `json.dumps` with its default separators `", "` / `": "` and `ensure_ascii` —
 *   the request body rest-attach prints and sends;
 * - `pyQuote`: `urllib.parse.quote(s)` (safe `/`) — looking-glass URL segments;
 * - `pyFloatRepr`: `repr(float)` — how the looking glass prints a JSON number with a fraction or
 *   an exponent (Python's json keeps ints and floats apart; python-json.ts does too).
 */

/** Python's repr() of a bytes object. */
export function pyBytesRepr(bytes: Uint8Array): string {
  const hasSingle = bytes.includes(0x27);
  const hasDouble = bytes.includes(0x22);
  const quote = hasSingle && !hasDouble ? 0x22 : 0x27;
  let out = 'b' + String.fromCharCode(quote);
  for (const b of bytes) {
    if (b === quote || b === 0x5c) out += '\\' + String.fromCharCode(b);
    else if (b === 0x09) out += '\\t';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b < 0x20 || b >= 0x7f) out += '\\x' + b.toString(16).padStart(2, '0');
    else out += String.fromCharCode(b);
  }
  return out + String.fromCharCode(quote);
}

/** A JSON value as json.dumps sees it: plain objects keep insertion order, numbers are integers. */
export type DumpValue = null | boolean | number | string | readonly DumpValue[] | { readonly [key: string]: DumpValue };

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** json.dumps(s) with ensure_ascii: every non-ASCII UTF-16 unit as \uxxxx (lower-case hex). */
export function pyJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (code < 0x20 || code > 0x7e) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

/** json.dumps(value) with Python's default separators. */
export function pyJsonDumps(value: DumpValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return pyFloatRepr(value);
    return String(value);
  }
  if (typeof value === 'string') return pyJsonString(value);
  if (Array.isArray(value)) return '[' + (value as readonly DumpValue[]).map(pyJsonDumps).join(', ') + ']';
  const entries = Object.entries(value as { readonly [key: string]: DumpValue });
  return '{' + entries.map(([k, v]) => `${pyJsonString(k)}: ${pyJsonDumps(v)}`).join(', ') + '}';
}

const ALWAYS_SAFE = /[A-Za-z0-9_.\-~]/;

/** urllib.parse.quote(s, safe='/'): UTF-8 bytes, upper-case %XX. */
export function pyQuote(s: string, safe = '/'): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (byte < 0x80 && (ALWAYS_SAFE.test(ch) || safe.includes(ch))) out += ch;
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/**
 * repr(float) (Python 3 'short' repr): the shortest digits that round-trip (JavaScript computes
 * the same digits), written in fixed notation when -4 <= exponent < 16, else as d.ddde±XX.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa, expText] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    return `${sign}${intPart}.${frac === '' ? '0' : frac}`;
  }
  const rest = digits.slice(1);
  const e = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return `${sign}${digits[0]}${rest === '' ? '' : '.' + rest}e${e}`;
}
