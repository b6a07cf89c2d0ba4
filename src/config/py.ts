/**
 * The few Python string behaviours oslo.config relies on, reproduced exactly so that a file
 * means here what it means to the original daemon: `str.strip()` (Python's whitespace set is
 * not JavaScript's), `repr()` of a string (error messages quote the offending text with it),
 * `int()` of a decimal string (accepts `+`, `_` between digits and any Unicode decimal digit)
 * and `str()` of an option value (used by `$option` substitution).
 */

/** Characters for which Python's `str.isspace()` is true. */
const PY_SPACE = '\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

export function isPySpace(ch: string): boolean {
  return ch.length === 1 && PY_SPACE.includes(ch);
}

export function pyLstrip(s: string): string {
  let i = 0;
  while (i < s.length && isPySpace(s.charAt(i))) i++;
  return s.slice(i);
}

export function pyRstrip(s: string): string {
  let j = s.length;
  while (j > 0 && isPySpace(s.charAt(j - 1))) j--;
  return s.slice(0, j);
}

export function pyStrip(s: string): string {
  return pyLstrip(pyRstrip(s));
}

const NON_PRINTABLE = /[\p{C}\p{Z}]/u;

/** Python's `repr(str)`: single quotes unless the text has `'` and no `"`. */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) {
      const cp = ch.codePointAt(0) ?? 0;
      if (cp < 0x100) out += `\\x${cp.toString(16).padStart(2, '0')}`;
      else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
      else out += `\\U${cp.toString(16).padStart(8, '0')}`;
    } else out += ch;
  }
  return out + quote;
}

const PY_INT = /^[+-]?\p{Nd}+(?:_\p{Nd}+)*$/u;
const DIGIT = /^\p{Nd}$/u;

/** Value of one Unicode decimal digit: digits come in runs of ten starting at zero. */
function digitValue(ch: string): number {
  let cp = ch.codePointAt(0) ?? 0;
  let start = cp;
  while (DIGIT.test(String.fromCodePoint(start - 1))) start--;
  cp -= start;
  return cp % 10;
}

/**
 * Python's `int(text)` in base 10. Returns undefined when Python raises ValueError.
 * Values past Number.MAX_SAFE_INTEGER lose precision (Python keeps them exact); no option
 * of this daemon accepts such values anyway.
 */
export function pyInt(text: string): number | undefined {
  const s = pyStrip(text);
  if (!PY_INT.test(s)) return undefined;
  let negative = false;
  let digits = s;
  if (s.startsWith('+') || s.startsWith('-')) {
    negative = s.startsWith('-');
    digits = s.slice(1);
  }
  let value = 0n;
  for (const ch of digits) {
    if (ch === '_') continue;
    value = value * 10n + BigInt(digitValue(ch));
  }
  const n = Number(value);
  return negative ? (n === 0 ? 0 : -n) : n;
}

/** Python's `str(value)` for the values options hold (None is handled by the caller). */
export function pyStr(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === 'string' ? pyRepr(v) : pyStr(v))).join(', ')}]`;
  if (value === null || value === undefined) return 'None';
  return JSON.stringify(value);
}
