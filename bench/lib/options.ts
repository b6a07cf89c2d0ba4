/**
 * Command-line options of the process benchmarks (`--name=value`, lists comma-separated), each
 * declared with its default; an unknown option or a bad value stops the run with the usage line.
 */
export type OptionSpec = Record<string, { default: string; help: string }>;

export class Options<S extends OptionSpec> {
  private readonly values = new Map<string, string>();

  constructor(
    private readonly spec: S,
    argv: readonly string[],
  ) {
    for (const arg of argv) {
      const m = /^--([a-z-]+)=(.*)$/.exec(arg);
      if (!m || !(m[1]! in spec)) this.usage(`unknown or invalid argument ${JSON.stringify(arg)}`);
      this.values.set(m[1]!, m[2]!);
    }
  }

  private usage(why: string): never {
    const lines = Object.entries(this.spec).map(([k, v]) => `  --${k}=${v.default}  ${v.help}`);
    console.error(`${why}\noptions:\n${lines.join('\n')}`);
    process.exit(2);
  }

  text(name: keyof S & string): string {
    return this.values.get(name) ?? this.spec[name]!.default;
  }

  list(name: keyof S & string): string[] {
    return this.text(name)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }

  numbers(name: keyof S & string): number[] {
    const out = this.list(name).map(Number);
    if (out.some((n) => !Number.isFinite(n) || n < 0)) this.usage(`--${name}: numbers expected`);
    return out;
  }

  number(name: keyof S & string): number {
    const n = Number(this.text(name));
    if (!Number.isFinite(n) || n < 0) this.usage(`--${name}: a number expected`);
    return n;
  }

  /** A list whose items must be among `allowed`. */
  choices<T extends string>(name: keyof S & string, allowed: readonly T[]): T[] {
    const out = this.list(name);
    const bad = out.filter((x) => !allowed.includes(x as T));
    if (bad.length > 0) this.usage(`--${name}: unknown ${bad.join(', ')} (one of ${allowed.join(', ')})`);
    return out as T[];
  }
}
