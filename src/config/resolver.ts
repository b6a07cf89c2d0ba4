/**
 * Option lookup with oslo.config's precedence (ConfigOpts._do_get):
 *
 *   command line (overrides)  >  environment `OS_<GROUP>__<OPTION>`  >  config files  >  default
 *
 * Among files the last one read that sets the option wins; within that file the current name
 * wins over deprecated names, and the last assignment of that name wins. Sections are matched
 * by normalised name (ini.ts). The raw text is then substituted (`$option`) and converted by
 * the option's type. Values are computed on demand and cached, like oslo's.
 */

import { ConfigError, originText } from './errors.js';
import type { ConfigWarning, ValueOrigin } from './errors.js';
import { normalizeSectionName, normalizedSections } from './ini.js';
import type { IniAssignment, IniFile } from './ini.js';
import { isNullable } from './options.js';
import type { OptSpec } from './options.js';
import { substitute } from './substitute.js';
import type { SubstitutionScope } from './substitute.js';
import { interfaceAddressType, listenAddressType, TypeValueError } from './types.js';
import type { TypeContext } from './types.js';

/** One file as seen by lookups: assignments per normalised section and key. */
export interface FileLayer {
  readonly file: string;
  readonly sections: ReadonlyMap<string, ReadonlyMap<string, readonly IniAssignment[]>>;
  /** Line of the first header of each normalised section. */
  readonly sectionLines: ReadonlyMap<string, number>;
}

export function fileLayer(ini: IniFile): FileLayer {
  const sections = new Map<string, Map<string, IniAssignment[]>>();
  for (const [name, assignments] of normalizedSections(ini)) {
    const byKey = new Map<string, IniAssignment[]>();
    for (const a of assignments) {
      const list = byKey.get(a.key) ?? [];
      list.push(a);
      byKey.set(a.key, list);
    }
    sections.set(name, byKey);
  }
  const sectionLines = new Map<string, number>();
  for (const section of ini.sections.values()) {
    const name = normalizeSectionName(section.name);
    if (!sectionLines.has(name)) sectionLines.set(name, section.line);
  }
  return { file: ini.file, sections, sectionLines };
}

export type Overrides = Readonly<Record<string, Readonly<Record<string, string>> | undefined>>;

interface Raw {
  readonly text: string;
  readonly origin: ValueOrigin;
}

export class Resolver implements SubstitutionScope {
  private readonly groups = new Map<string, Map<string, OptSpec>>();
  private readonly cache = new Map<string, unknown>();
  private readonly inProgress = new Set<string>();
  private readonly deprecationsSeen = new Set<string>();
  /** Interface names behind resolved InterfaceAddress values, by "GROUP.option". */
  readonly interfaceNames: Record<string, string> = {};

  constructor(
    private readonly layers: readonly FileLayer[],
    private readonly env: Readonly<Record<string, string | undefined>>,
    private readonly overrides: Overrides,
    private readonly ctx: TypeContext,
    private readonly warnings: ConfigWarning[],
    /** Groups whose options are not looked up in the environment (names unusable as variables). */
    private readonly noEnv: (group: string) => boolean = () => false,
  ) {}

  /** Registers options in a group (creating it); like oslo, registering again is a no-op. */
  register(group: string, opts: readonly OptSpec[]): void {
    const g = this.groups.get(group) ?? new Map<string, OptSpec>();
    for (const o of opts) if (!g.has(o.name)) g.set(o.name, o);
    this.groups.set(group, g);
  }

  hasGroup(group: string): boolean {
    return group !== 'DEFAULT' && this.groups.has(group);
  }

  hasOption(group: string, name: string): boolean {
    return this.groups.get(group)?.has(name) ?? false;
  }

  /** Registered groups and their options. */
  registered(): ReadonlyMap<string, ReadonlyMap<string, OptSpec>> {
    return this.groups;
  }

  value(group: string, name: string): unknown {
    const key = `${group}\u0000${name}`;
    if (this.cache.has(key)) return this.cache.get(key);
    const spec = this.groups.get(group)?.get(name);
    if (spec === undefined) throw new Error(`option ${name} is not registered in group [${group}]`);
    if (this.inProgress.has(key)) {
      throw new ConfigError('substitution', `recursive substitution involving option ${name} in group [${group}]`);
    }
    this.inProgress.add(key);
    try {
      const v = this.compute(group, spec);
      this.cache.set(key, v);
      return v;
    } finally {
      this.inProgress.delete(key);
    }
  }

  /** Where the value of an option comes from (for messages). */
  origin(group: string, name: string): ValueOrigin {
    const spec = this.groups.get(group)?.get(name);
    return (spec && this.raw(group, spec, false)?.origin) ?? { kind: 'default' };
  }

  private compute(group: string, spec: OptSpec): unknown {
    const raw = this.raw(group, spec, true);
    let value: unknown;
    if (raw === undefined) {
      value = spec.default;
    } else {
      const fail = (message: string): ConfigError =>
        new ConfigError(
          'value',
          `Value for option ${spec.name} in group [${group}] from ${originText(raw.origin)} is not valid: ${message}`,
          raw.origin.kind === 'file' ? raw.origin.detail : undefined,
          raw.origin.line,
        );
      let text: string;
      try {
        text = substitute(raw.text, group, this);
      } catch (e) {
        if (e instanceof ConfigError && e.code === 'substitution' && e.file === undefined) {
          const where = originText(raw.origin);
          const file = raw.origin.kind === 'file' ? raw.origin.detail : undefined;
          throw new ConfigError('substitution', `${e.message} (in option ${spec.name} of group [${group}] from ${where})`, file, raw.origin.line);
        }
        throw e;
      }
      try {
        value = spec.type.convert(text, this.ctx);
      } catch (e) {
        if (e instanceof TypeValueError) throw fail(e.message);
        throw e;
      }
      if (value === null && spec.required !== true && !isNullable(spec)) {
        throw fail('an empty value is not allowed here (the original daemon would fail later)');
      }
      if ((spec.type === interfaceAddressType || spec.type === listenAddressType) && value !== text) {
        this.interfaceNames[`${group}.${spec.name}`] = text;
      }
    }
    if (value === null && spec.required === true) {
      throw new ConfigError('required', `value required for option ${spec.name} in group [${group}]`);
    }
    return value;
  }

  private raw(group: string, spec: OptSpec, warn: boolean): Raw | undefined {
    const override = this.overrides[group]?.[spec.name];
    if (override !== undefined) return { text: override, origin: { kind: 'override' } };
    if (!this.noEnv(group)) {
      const variable = `OS_${group.toUpperCase()}__${spec.name.toUpperCase()}`;
      const fromEnv = this.env[variable];
      if (fromEnv !== undefined) return { text: fromEnv, origin: { kind: 'env', detail: variable } };
    }
    const section = normalizeSectionName(group);
    const names = [spec.name, ...(spec.deprecatedNames ?? [])];
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i];
      const assignments = layer?.sections.get(section);
      if (layer === undefined || assignments === undefined) continue;
      for (const name of names) {
        const found = assignments.get(name);
        const last = found?.[found.length - 1];
        if (last === undefined) continue;
        if (warn && name !== spec.name) this.deprecated(section, name, group, spec.name, layer.file, last.line);
        return { text: last.value, origin: { kind: 'file', detail: layer.file, line: last.line } };
      }
    }
    return undefined;
  }

  private deprecated(section: string, name: string, group: string, current: string, file: string, line: number): void {
    const key = `${section}\u0000${name}`;
    if (this.deprecationsSeen.has(key)) return;
    this.deprecationsSeen.add(key);
    this.warnings.push({
      code: 'deprecated-option',
      message: `Option "${name}" from group "${section}" is deprecated. Use option "${current}" from group "${group}".`,
      file,
      line,
    });
  }
}
