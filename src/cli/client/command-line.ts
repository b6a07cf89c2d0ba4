/**
 * Command lines of the client commands, with the original's optparse behaviour on top of
 * node:util parseArgs:
 *
 * - a long option may be abbreviated to any unique prefix (`--net ipvpn`), as optparse allows;
 * - an option's value is the next argument even when it starts with `-` (`--local-pref -1`);
 *   parseArgs would refuse it, so `--opt value` is joined into `--opt=value` first;
 * - integers are read like optparse's `int` type (`0x1f`, `0b101`, `017` octal);
 * - errors use optparse's words, and the caller prints them as optparse does:
 *   `Usage: …`, a blank line, `<prog>: error: <message>`, exit status 2.
 *
 * Options come back in command-line order, so that each command folds them the way optparse's
 * actions would (last of `--attach`/`--detach` wins, classifier keys in order of first use, …).
 */
import { parseArgs } from 'node:util';
import { exitQuietlyOnBrokenPipe } from './stdout.js';

export interface OptionDef {
  /** Long name without the dashes. */
  readonly name: string;
  /** One-letter short form, without the dash. */
  readonly short?: string;
  readonly kind: 'flag' | 'string' | 'int' | 'choice';
  readonly choices?: readonly string[];
  /** Shown in --help after the option (default: the name in upper case, `-` as `_`). */
  readonly metavar?: string;
  readonly help: string;
}

export interface ParsedOption {
  readonly def: OptionDef;
  /** `true` for a flag, a number for `int`, else the text. */
  readonly value: string | number | true;
}

export interface CommandLine {
  readonly options: readonly ParsedOption[];
  readonly positionals: readonly string[];
  /** -h/--help was given. */
  readonly help: boolean;
}

export class UsageError extends Error {}

export const HELP_OPTION: OptionDef = { name: 'help', short: 'h', kind: 'flag', help: 'show this help message and exit' };

/** Python's int(text, base) for bases 2, 8, 10 and 16 (whitespace, sign, prefix, underscores). */
function pythonInt(text: string, base: 2 | 8 | 10 | 16): number | undefined {
  const digit = { 2: '[01]', 8: '[0-7]', 10: '[0-9]', 16: '[0-9a-fA-F]' }[base];
  const prefix = { 2: '0[bB]', 8: '0[oO]', 10: '(?!)', 16: '0[xX]' }[base];
  const m = new RegExp(`^([-+]?)(?:(${prefix})_?)?(${digit}+(?:_${digit}+)*)$`).exec(text.trim());
  if (m === null) return undefined;
  const n = parseInt(m[3]!.replace(/_/g, ''), base);
  return m[1] === '-' ? -n : n;
}

/** optparse's int type (_parse_num): 0x… hexadecimal, 0b… binary, 0… octal, else decimal. */
export function parseOptparseInt(text: string): number | undefined {
  const head = text.slice(0, 2).toLowerCase();
  if (head === '0x') return pythonInt(text, 16);
  if (head === '0b') return pythonInt(text.slice(2) || '0', 2);
  if (text.startsWith('0')) return pythonInt(text, 8);
  return pythonInt(text, 10);
}

function takesValue(def: OptionDef): boolean {
  return def.kind !== 'flag';
}

/** Expands abbreviations and joins `--opt value`, so parseArgs sees `--opt=value`. */
function normalise(argv: readonly string[], defs: readonly OptionDef[]): string[] {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const byShort = new Map(defs.filter((d) => d.short !== undefined).map((d) => [d.short!, d]));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const given = arg.slice(2, eq < 0 ? undefined : eq);
      let def = byName.get(given);
      if (def === undefined) {
        const candidates = defs.filter((d) => d.name.startsWith(given));
        if (candidates.length === 0 || given === '') throw new UsageError(`no such option: --${given}`);
        if (candidates.length > 1) {
          throw new UsageError(`ambiguous option: --${given} (${candidates.map((d) => `--${d.name}`).sort().join(', ')}?)`);
        }
        def = candidates[0]!;
      }
      if (eq >= 0) {
        if (!takesValue(def)) throw new UsageError(`--${def.name} option does not take a value`);
        out.push(`--${def.name}=${arg.slice(eq + 1)}`);
      } else if (takesValue(def)) {
        if (i + 1 >= argv.length) throw new UsageError(`--${def.name} option requires 1 argument`);
        out.push(`--${def.name}=${argv[++i]!}`);
      } else {
        out.push(`--${def.name}`);
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // A cluster of short flags, possibly ending with a short option taking a value.
      for (let j = 1; j < arg.length; j++) {
        const def = byShort.get(arg[j]!);
        if (def === undefined) throw new UsageError(`no such option: -${arg[j]!}`);
        if (!takesValue(def)) {
          out.push(`--${def.name}`);
          continue;
        }
        const rest = arg.slice(j + 1);
        if (rest !== '') out.push(`--${def.name}=${rest}`);
        else if (i + 1 < argv.length) out.push(`--${def.name}=${argv[++i]!}`);
        else throw new UsageError(`-${arg[j]!} option requires 1 argument`);
        break;
      }
      continue;
    }
    out.push(arg);
  }
  return out;
}

export function parseCommandLine(argv: readonly string[], defs: readonly OptionDef[]): CommandLine {
  const all = [HELP_OPTION, ...defs];
  const args = normalise(argv, all);
  const config: Record<string, { type: 'string' | 'boolean'; multiple: true }> = {};
  for (const d of all) config[d.name] = { type: takesValue(d) ? 'string' : 'boolean', multiple: true };
  const { tokens } = parseArgs({ args, options: config, strict: true, allowPositionals: true, tokens: true });
  const byName = new Map(all.map((d) => [d.name, d]));
  const options: ParsedOption[] = [];
  const positionals: string[] = [];
  let help = false;
  for (const t of tokens) {
    if (t.kind === 'positional') positionals.push(t.value);
    if (t.kind !== 'option') continue;
    const def = byName.get(t.name)!;
    if (def === HELP_OPTION) {
      help = true;
      continue;
    }
    if (def.kind === 'flag') {
      options.push({ def, value: true });
      continue;
    }
    const text = t.value ?? '';
    if (def.kind === 'int') {
      const n = parseOptparseInt(text);
      if (n === undefined) throw new UsageError(`option --${def.name}: invalid integer value: '${text}'`);
      options.push({ def, value: n });
    } else if (def.kind === 'choice') {
      const choices = def.choices ?? [];
      if (!choices.includes(text)) {
        throw new UsageError(`option --${def.name}: invalid choice: '${text}' (choose from ${choices.map((c) => `'${c}'`).join(', ')})`);
      }
      options.push({ def, value: text });
    } else {
      options.push({ def, value: text });
    }
  }
  return { options, positionals, help };
}

/** The last value given for an option, or undefined. */
export function lastValue<T extends string | number | true>(cl: CommandLine, name: string): T | undefined {
  let v: T | undefined;
  for (const o of cl.options) if (o.def.name === name) v = o.value as T;
  return v;
}

/** Every value given for a repeatable option, in order. */
export function allValues<T extends string | number>(cl: CommandLine, name: string): T[] {
  return cl.options.filter((o) => o.def.name === name).map((o) => o.value as T);
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** optparse-style --help: usage, then one entry per option. */
export function helpText(usage: string, defs: readonly OptionDef[], epilog = ''): string {
  const column = 24;
  const out = [`Usage: ${usage}`, '', 'Options:'];
  for (const d of [HELP_OPTION, ...defs]) {
    const metavar = d.metavar ?? d.name.toUpperCase().replace(/-/g, '_');
    const forms = [d.short === undefined ? undefined : `-${d.short}${takesValue(d) ? ` ${metavar}` : ''}`, `--${d.name}${takesValue(d) ? `=${metavar}` : ''}`];
    const head = `  ${forms.filter((f) => f !== undefined).join(', ')}`;
    const help = wrap(d.help, 78 - column);
    if (head.length < column - 1) {
      out.push(head.padEnd(column) + (help[0] ?? ''));
      help.shift();
    } else {
      out.push(head);
    }
    for (const h of help) out.push(' '.repeat(column) + h);
  }
  return out.join('\n') + '\n' + (epilog === '' ? '' : `\n${epilog}\n`);
}

/** What optparse prints on a usage error (to stderr, then exit status 2). */
export function usageErrorText(prog: string, usage: string, message: string): string {
  return `Usage: ${usage}\n\n${prog}: error: ${message}\n`;
}

/** parseArgs' own errors (a short option given a value, …) as usage errors. */
export function asUsageError(e: unknown): UsageError | undefined {
  if (e instanceof UsageError) return e;
  if (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')) {
    return new UsageError(e.message.split('\n')[0] ?? e.message);
  }
  return undefined;
}

/** A command's expected failure: its message is printed as it is. */
export class Fatal extends Error {}

export interface CommandSpec {
  prog: string;
  usage: string;
  options: readonly OptionDef[];
  /** Errors whose message is printed as it is (others: "unexpected error: ..."). */
  isKnown: (e: unknown) => boolean;
}

/**
 * Runs a command the way the original's optparse commands behave: a reader that goes away (| head)
 * ends it quietly; `--help` prints the help; a usage error exits 2 with the usage text; any other
 * failure exits 1 with one line on stderr.
 */
export function runCommand(spec: CommandSpec, argv: readonly string[], main: (cl: CommandLine) => Promise<number>): void {
  exitQuietlyOnBrokenPipe();
  const run = async (): Promise<number> => {
    const cl = parseCommandLine(argv, spec.options);
    if (cl.help) {
      process.stdout.write(helpText(spec.usage, spec.options));
      return 0;
    }
    return main(cl);
  };
  run().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      const u = asUsageError(e);
      if (u !== undefined) {
        process.stderr.write(usageErrorText(spec.prog, spec.usage, u.message));
        process.exitCode = 2;
        return;
      }
      const message = e instanceof Error ? e.message : String(e);
      process.stderr.write(`${spec.prog}: ${spec.isKnown(e) ? message : `unexpected error: ${message}`}\n`);
      process.exitCode = 1;
    },
  );
}
