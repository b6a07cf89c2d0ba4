/**
 * JSON read the way the original looking-glass client reads it (Python's json module), because
 * the client prints what it receives in the order received:
 *
 * - objects become Maps: a JavaScript object would move integer-like keys first (`vpns/dataplane/ids`
 *   is keyed by label, `instances_per_vni` by VNI) and lose the daemon's order;
 * - integers and floats stay apart (`1.0` prints `1.0`, `1` prints `1`) and integers keep every
 *   digit (BigInt);
 * - `NaN`, `Infinity`, `-Infinity` are accepted, as Python does.
 *
 * Duplicate keys: the last value wins at the first key's position (Python's dict assignment).
 */

import { pyFloatRepr } from './python-text.js';

export class PyInt {
  constructor(readonly value: bigint) {}
}

export class PyFloat {
  constructor(readonly value: number) {}
}

export type PyValue = null | boolean | string | PyInt | PyFloat | PyValue[] | PyDict;
export type PyDict = Map<string, PyValue>;

export class PyJsonError extends Error {}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const WS = /[ \t\n\r]*/y;

export function parsePyJson(text: string): PyValue {
  let pos = 0;
  const fail = (what: string): never => {
    throw new PyJsonError(`${what} at character ${pos}`);
  };
  const skip = (): void => {
    WS.lastIndex = pos;
    WS.exec(text);
    pos = WS.lastIndex;
  };
  const literal = (word: string): boolean => {
    if (text.startsWith(word, pos)) {
      pos += word.length;
      return true;
    }
    return false;
  };
  const str = (): string => {
    STRING.lastIndex = pos;
    const m = STRING.exec(text);
    if (m === null) return fail('invalid string');
    pos = STRING.lastIndex;
    return JSON.parse(m[0]) as string;
  };
  const value = (depth: number): PyValue => {
    if (depth > 1000) fail('nesting too deep');
    skip();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const out: PyDict = new Map();
      skip();
      if (text[pos] === '}') {
        pos++;
        return out;
      }
      for (;;) {
        skip();
        if (text[pos] !== '"') fail('expected a property name');
        const key = str();
        skip();
        if (text[pos] !== ':') fail("expected ':'");
        pos++;
        out.set(key, value(depth + 1));
        skip();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return out;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      pos++;
      const out: PyValue[] = [];
      skip();
      if (text[pos] === ']') {
        pos++;
        return out;
      }
      for (;;) {
        out.push(value(depth + 1));
        skip();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return out;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    if (literal('null')) return null;
    if (literal('true')) return true;
    if (literal('false')) return false;
    if (literal('NaN')) return new PyFloat(NaN);
    if (literal('Infinity')) return new PyFloat(Infinity);
    if (literal('-Infinity')) return new PyFloat(-Infinity);
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m === null) return fail('expected a value');
    pos = NUMBER.lastIndex;
    return m[1] === undefined && m[2] === undefined ? new PyInt(BigInt(m[0])) : new PyFloat(Number(m[0]));
  };
  const result = value(0);
  skip();
  if (pos !== text.length) fail('extra data');
  return result;
}

export function isPyDict(v: PyValue): v is PyDict {
  return v instanceof Map;
}

/** Python's str() of a scalar (None, True/False, int, float repr, the string itself). */
export function pyStr(v: PyValue): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return v;
  if (v instanceof PyInt) return v.value.toString();
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (Array.isArray(v)) return '[' + v.map(pyRepr).join(', ') + ']';
  return '{' + [...v].map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ') + '}';
}

/** Python's repr() of a value (only used inside containers printed by str()). */
export function pyRepr(v: PyValue): string {
  if (typeof v !== 'string') return pyStr(v);
  const quote = v.includes("'") && !v.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of v) {
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\x7f') out += '\\x' + ch.charCodeAt(0).toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

