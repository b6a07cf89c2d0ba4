/**
 * oslo.config's value substitution (ConfigOpts._substitute, Python string.Template with
 * `idpattern = [_a-z][._a-z0-9]*`, case-insensitive, `safe_substitute`):
 *
 * - `$$` and `\$` give a literal `$`; a `$` not followed by a name stays as it is;
 * - `$name` / `${name}` is the value of option `name` of the same group, else of `[DEFAULT]`;
 * - `$group.name` / `${group.name}` is the value of option `name` of the registered group
 *   `group` (exact, case-sensitive name: `BGP`, not `bgp`);
 * - a reference to an unknown option or group is an error (not left as is), a reference to a
 *   group is an error, an unset option gives the empty string, other values their Python
 *   `str()` (`True`, `['a', 'b']`).
 *
 * Options are looked up through the loader, so references are followed recursively.
 */

import { ConfigError } from './errors.js';
import { pyStr } from './py.js';

export interface SubstitutionScope {
  /** Whether `group` is a registered group name (`DEFAULT` is not one). */
  hasGroup(group: string): boolean;
  /** Whether `group` (or `DEFAULT`) has an option `name` registered. */
  hasOption(group: string, name: string): boolean;
  /** The converted value of an option (may recurse into substitution). */
  value(group: string, name: string): unknown;
}

const TEMPLATE = /\$(?:(\$)|([_a-z][._a-z0-9]*)|\{([_a-z][._a-z0-9]*)\}|())/giu;

function lookup(key: string, group: string, scope: SubstitutionScope): unknown {
  const dot = key.indexOf('.');
  if (dot >= 0) {
    const g = key.slice(0, dot);
    const name = key.slice(dot + 1);
    if (!scope.hasGroup(g)) throw new ConfigError('substitution', `no such group [${g}]`);
    if (scope.hasOption(g, name)) return scope.value(g, name);
  } else if (group !== 'DEFAULT' && scope.hasOption(group, key)) {
    return scope.value(group, key);
  }
  if (scope.hasOption('DEFAULT', key)) return scope.value('DEFAULT', key);
  if (scope.hasGroup(key)) throw new ConfigError('substitution', `template substitution error: substituting group ${key} not supported`);
  throw new ConfigError('substitution', `no such option ${key} in group [DEFAULT]`);
}

/** Substitutes `$…` references in the raw text of an option of `group`. */
export function substitute(text: string, group: string, scope: SubstitutionScope): string {
  if (!text.includes('$')) return text;
  const template = text.replaceAll('\\$', '$$$$');
  return template.replace(TEMPLATE, (whole: string, escaped?: string, named?: string, braced?: string) => {
    if (escaped !== undefined) return '$';
    const key = named ?? braced;
    if (key === undefined) return whole;
    const value = lookup(key, group, scope);
    return value === null || value === undefined ? '' : pyStr(value);
  });
}

/** Text that substitute() turns back into `value` (for printing a configuration). */
export function escapeDollars(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    if (ch !== '$') out += ch;
    else out += i > 0 && value.charAt(i - 1) === '\\' ? '\\$' : '$$';
  }
  return out;
}
