/**
 * A small timing harness for the benchmarks in bench/ (run by scripts/run-bench.mjs, never by the
 * test suite). Each measured function is warmed up (so V8 has optimised it), then timed over
 * `runs` runs of a fixed number of calls with process.hrtime.bigint(); the best run is reported,
 * with the median beside it to show how noisy the machine was.
 *
 * Benchmarks print numbers, never pass/fail.
 */
import { cpus, loadavg } from 'node:os';

export interface BenchOptions {
  /** Timed runs per case (the best one is reported). */
  runs: number;
  /** Target duration of one timed run, in milliseconds. */
  runMs: number;
  /** Warm-up duration before the timed runs, in milliseconds. */
  warmupMs: number;
  /** Only the cases whose name contains one of these (all when empty). */
  only: string[];
  /** Seed of the pseudo-random generator (chunk sizes, route values). */
  seed: number;
}

const USAGE = 'options: --runs=N (default 7) --run-ms=MS (300) --warmup-ms=MS (300) --only=TEXT[,TEXT] --seed=N (1)';

export function parseOptions(argv: readonly string[]): BenchOptions {
  const opts: BenchOptions = { runs: 7, runMs: 300, warmupMs: 300, only: [], seed: 1 };
  for (const arg of argv) {
    const m = /^--([a-z-]+)=(.*)$/.exec(arg);
    const num = m ? Number(m[2]) : NaN;
    if (m?.[1] === 'runs' && Number.isInteger(num) && num > 0) opts.runs = num;
    else if (m?.[1] === 'run-ms' && num > 0) opts.runMs = num;
    else if (m?.[1] === 'warmup-ms' && num >= 0) opts.warmupMs = num;
    else if (m?.[1] === 'seed' && Number.isInteger(num)) opts.seed = num;
    else if (m?.[1] === 'only') opts.only.push(...m[2]!.split(',').filter((s) => s !== ''));
    else {
      console.error(`unknown or invalid argument ${JSON.stringify(arg)}; ${USAGE}`);
      process.exit(2);
    }
  }
  return opts;
}

export function selected(opts: BenchOptions, name: string): boolean {
  return opts.only.length === 0 || opts.only.some((s) => name.includes(s));
}

/** mulberry32: a tiny seeded generator, so every run measures the same inputs. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Keeps results alive so the optimiser cannot drop the measured work. */
let sink = 0;
export function sinkValue(): number {
  return sink;
}

export interface Timing {
  /** Nanoseconds per call: the best run. */
  bestNs: number;
  /** Nanoseconds per call: the median run. */
  medianNs: number;
  /** Calls per timed run. */
  calls: number;
}

/**
 * Times fn (one call = one unit of work, e.g. one message decoded). fn returns a number that is
 * accumulated into a sink.
 */
export function measure(fn: () => number, opts: BenchOptions): Timing {
  // Warm-up: at least 50 calls and warmupMs, which also estimates the cost of one call.
  let calls = 0;
  const warmEnd = process.hrtime.bigint() + BigInt(Math.round(opts.warmupMs * 1e6));
  const warmStart = process.hrtime.bigint();
  let now = warmStart;
  while (calls < 50 || now < warmEnd) {
    for (let i = 0; i < 10; i++) sink += fn();
    calls += 10;
    now = process.hrtime.bigint();
  }
  const perCall = Number(now - warmStart) / calls;
  const n = Math.max(10, Math.ceil((opts.runMs * 1e6) / Math.max(perCall, 1)));
  const runs: number[] = [];
  for (let run = 0; run < opts.runs; run++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += fn();
    runs.push(Number(process.hrtime.bigint() - t0) / n);
  }
  runs.sort((a, b) => a - b);
  return { bestNs: runs[0]!, medianNs: runs[Math.floor(runs.length / 2)]!, calls: n };
}

/** One line of context for the numbers: when, which node, which CPU, how loaded. */
export function environmentLine(): string {
  const cpu = cpus();
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  return `${new Date().toISOString()}  node ${process.version}  ${cpu.length} x ${cpu[0]?.model ?? 'unknown CPU'}  load ${load}`;
}

/** Formats a number with thousands separators (no decimals), e.g. 1,234,567. */
export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fixed(n: number, digits = 1): string {
  return n.toFixed(digits);
}

/** Prints rows: the first `left` columns left-aligned (names), the others right-aligned (numbers). */
export function printTable(header: string[], rows: string[][], left = 1): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i < left ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}
