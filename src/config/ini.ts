/**
 * INI files as oslo.config reads them (oslo_config/iniparser.py and cfg.ConfigParser, 9.0.0),
 * reproduced line for line because bgp.conf files written for the original must mean the same:
 *
 * - lines are split on `\n`, `\r\n` or `\r` (Python universal newlines) and right-stripped
 *   (Python whitespace); a UTF-8 byte-order mark is NOT removed (the original rejects it too);
 * - `[NAME]` starts a section: the line must end with `]`, the name is everything between the
 *   brackets, spaces included, and must not be empty; a repeated section continues the first;
 * - `#` or `;` at the very start of a line is a comment; a comment ends a pending value;
 * - `key = value` or `key: value`, split at whichever of `=` / `:` comes first; key and value
 *   are stripped; a value whose first and last characters are the same quote (`"` or `'`) loses
 *   them (so `"` alone becomes the empty string);
 * - a line starting with a space or tab continues the previous value (joined with `\n`, the line
 *   left-stripped), even when it looks like a comment or a section; after a blank line, a
 *   comment or a section header, such a line is an error;
 * - an assignment before any section is an error; repeated keys keep every value (the last
 *   one wins for single-valued options).
 *
 * Section names are matched case-insensitively, except `DEFAULT`, which must be written in
 * upper case (`[default]` is an unrelated section): see normalizeSectionName.
 */

import { ConfigError } from './errors.js';
import { isPySpace, pyLstrip, pyRepr, pyRstrip, pyStrip } from './py.js';

export interface IniAssignment {
  readonly key: string;
  readonly value: string;
  /** Line of the key (1-based). */
  readonly line: number;
}

export interface IniSection {
  /** The name exactly as written between the brackets. */
  readonly name: string;
  /** Line of the first header of this section. */
  readonly line: number;
  /** Every assignment of every header with this exact name, in file order. */
  readonly assignments: readonly IniAssignment[];
}

export interface IniFile {
  readonly file: string;
  /** Sections by exact name, in order of first appearance. */
  readonly sections: ReadonlyMap<string, IniSection>;
}

/** oslo.config's group-name normalisation: `DEFAULT` stays, every other name is lower-cased. */
export function normalizeSectionName(name: string): string {
  return name === 'DEFAULT' ? name : name.toLowerCase();
}

/** Python `text.readlines()` in text mode, newline characters removed. */
function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function parseError(file: string, line: number, what: string, text: string | null): ConfigError {
  const shown = text === null ? 'None' : pyRepr(text);
  return new ConfigError('parse', `Failed to parse ${file}: at ${file}:${line}, ${what}: ${shown}`, file, line);
}

/** Parses INI text; `file` names the source in errors. Throws ConfigError('parse'). */
export function parseIni(text: string, file: string): IniFile {
  const sections = new Map<string, { name: string; line: number; assignments: IniAssignment[] }>();
  let current: { name: string; line: number; assignments: IniAssignment[] } | undefined;
  let key: string | undefined;
  let keyLine = 0;
  let value: string[] = [];
  let lineno = 0;

  const flush = (): void => {
    if (key === undefined) return;
    if (current === undefined) throw parseError(file, lineno, 'Section must be started before assignment', null);
    current.assignments.push({ key, value: value.join('\n'), line: keyLine });
    key = undefined;
    value = [];
  };

  for (const raw of splitLines(text)) {
    lineno++;
    const line = pyRstrip(raw);
    if (line === '') {
      flush();
      continue;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (key === undefined) throw parseError(file, lineno, 'Unexpected continuation line', line);
      value.push(pyLstrip(line));
      continue;
    }
    flush();
    if (line.startsWith('[')) {
      if (!line.endsWith(']')) throw parseError(file, lineno, 'Invalid section (must end with ])', line);
      if (line.length <= 2) throw parseError(file, lineno, 'Empty section name', line);
      const name = line.slice(1, -1);
      current = sections.get(name);
      if (current === undefined) {
        current = { name, line: lineno, assignments: [] };
        sections.set(name, current);
      }
    } else if (line.startsWith('#') || line.startsWith(';')) {
      // comment
    } else {
      const colon = line.indexOf(':');
      const equal = line.indexOf('=');
      if (colon < 0 && equal < 0) throw parseError(file, lineno, "No ':' or '=' found in assignment", line);
      const at = colon < 0 || (equal >= 0 && equal < colon) ? equal : colon;
      const k = pyStrip(line.slice(0, at));
      let v = pyStrip(line.slice(at + 1));
      if (v !== '' && v[0] === v[v.length - 1] && (v[0] === '"' || v[0] === "'")) v = v.slice(1, -1);
      if (k === '') throw parseError(file, lineno, 'Key cannot be empty', line);
      key = k;
      keyLine = lineno;
      value = [v];
    }
  }
  flush();
  return { file, sections };
}

/** Assignments per normalised section name, merged in file order (what oslo looks values up in). */
export function normalizedSections(ini: IniFile): Map<string, IniAssignment[]> {
  const out = new Map<string, IniAssignment[]>();
  for (const section of ini.sections.values()) {
    const name = normalizeSectionName(section.name);
    const list = out.get(name) ?? [];
    list.push(...section.assignments);
    out.set(name, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.line - b.line);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface IniEntry {
  readonly key: string;
  /** null: the entry is written commented out (`#key = <None>`). */
  readonly value: string | null;
  readonly comment?: string;
}

export interface IniSectionOut {
  readonly name: string;
  readonly comment?: string;
  readonly entries: readonly IniEntry[];
}

function isQuote(ch: string | undefined): boolean {
  return ch === '"' || ch === "'";
}

/**
 * The text to write after `key = ` so that parseIni gives back exactly `value`. Throws a
 * RangeError for values no INI line can hold (a continuation line that is empty or has
 * surrounding whitespace, a carriage return).
 */
export function formatIniValue(value: string): string {
  if (value.includes('\r')) throw new RangeError(`value ${pyRepr(value)} cannot be written: carriage return`);
  const [head = '', ...rest] = value.split('\n');
  for (const part of rest) {
    if (part === '' || pyStrip(part) !== part) {
      throw new RangeError(`value ${pyRepr(value)} cannot be written: continuation line ${pyRepr(part)}`);
    }
  }
  const needsQuotes = pyStrip(head) !== head || (head !== '' && head[0] === head[head.length - 1] && isQuote(head[0]));
  const first = needsQuotes ? `"${head}"` : head;
  return [first, ...rest].join('\n    ');
}

function checkKey(key: string): void {
  const bad =
    key === '' ||
    key.includes('=') ||
    key.includes(':') ||
    /[\r\n]/.test(key) ||
    pyStrip(key) !== key ||
    key.startsWith('[') ||
    key.startsWith('#') ||
    key.startsWith(';');
  if (bad) throw new RangeError(`key ${pyRepr(key)} cannot be written`);
}

function commentLines(text: string): string[] {
  return text.split('\n').map((l) => (l === '' ? '#' : `# ${l}`));
}

/** Writes sections as INI text that parseIni reads back to the same assignments. */
export function formatIni(sections: readonly IniSectionOut[]): string {
  const out: string[] = [];
  for (const section of sections) {
    if (section.name === '' || /[\r\n]/.test(section.name) || isPySpace(section.name.slice(-1))) {
      throw new RangeError(`section name ${pyRepr(section.name)} cannot be written`);
    }
    if (out.length > 0) out.push('');
    if (section.comment !== undefined) out.push(...commentLines(section.comment));
    out.push(`[${section.name}]`);
    for (const entry of section.entries) {
      checkKey(entry.key);
      if (entry.comment !== undefined) out.push(...commentLines(entry.comment));
      out.push(entry.value === null ? `#${entry.key} = <None>` : `${entry.key} = ${formatIniValue(entry.value)}`);
    }
  }
  return out.join('\n') + '\n';
}

/** A value as bgp.conf holds it: booleans as oslo.config writes them, lists comma-separated. */
export type IniValue = string | number | boolean | readonly string[] | undefined;

/**
 * INI text from plain objects, sections and keys in their order; undefined values are left out
 * (the option keeps its default). For the bgp.conf files our tools and tests generate.
 */
export function iniFromObject(sections: Readonly<Record<string, Readonly<Record<string, IniValue>>>>): string {
  return formatIni(
    Object.entries(sections).map(([name, values]) => ({
      name,
      entries: Object.entries(values)
        .filter((e): e is [string, Exclude<IniValue, undefined>] => e[1] !== undefined)
        .map(([key, v]) => ({ key, value: typeof v === 'boolean' ? (v ? 'True' : 'False') : Array.isArray(v) ? v.join(',') : String(v) })),
    })),
  );
}
