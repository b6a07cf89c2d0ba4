/**
 * The looking glass's memory of problems (spec looking-glass.md §2.2, §2.4): a logger that
 * forwards everything and keeps WARNING-or-worse records – the last 100 of the whole daemon
 * (`logs`, `summary/warnings_and_errors`), and the last 100 of each logger, so that objects
 * (a peer, a VPN instance, a dataplane driver) can show their own (per-object `logs`).
 *
 * Objects find their records by the name of their logger: a peer logs as `….peer.<address>`,
 * a VPN instance as `….<VRF-n|EVI-n>`, a dataplane driver as `….dataplane.<vpn type>` and its
 * per-instance part as `….dataplane.<vpn type>.<vpn_instance_id>` (see `scoped`).
 */
import type { Logger, LogLevel } from '../util/logger.js';

export interface LogRecord {
  readonly level: string;
  /** "YYYY-MM-DD HH:MM:SS,mmm", local time. */
  readonly time: string;
  readonly name: string;
  readonly message: string;
}

const KEEP = 100;
/** Loggers whose records are kept (the least recently used go first). */
const KEEP_LOGGERS = 2000;

export function localTime(d: Date, millis = false): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const s = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  return millis ? `${s},${p(d.getMilliseconds(), 3)}` : s;
}

interface Kept extends LogRecord {
  readonly seq: number;
}

export class LogBuffer {
  private readonly records: Kept[] = [];
  private readonly byLogger = new Map<string, Kept[]>();
  private seq = 0;

  /** Wraps a logger: what it logs at warning or error is also kept here. */
  wrap(inner: Logger, name = 'bagpipe-bgp'): Logger {
    return {
      debugEnabled: inner.debugEnabled,
      log: (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
        if (level === 'warning' || level === 'error') this.add(level, name, msg);
        inner.log(level, msg, fields);
      },
      child: (sub: string) => this.wrap(inner.child(sub), `${name}.${sub}`),
    };
  }

  private add(level: LogLevel, name: string, message: string): void {
    const r: Kept = { seq: ++this.seq, level: level.toUpperCase(), time: localTime(new Date(), true), name, message: message.replaceAll('"', "'") };
    this.records.unshift(r);
    if (this.records.length > KEEP) this.records.length = KEEP;
    const mine = this.byLogger.get(name) ?? [];
    this.byLogger.delete(name);
    this.byLogger.set(name, mine);
    mine.unshift(r);
    if (mine.length > KEEP) mine.length = KEEP;
    if (this.byLogger.size > KEEP_LOGGERS) this.byLogger.delete(this.byLogger.keys().next().value!);
  }

  /** Most recent first. */
  list(): LogRecord[] {
    return this.records.map(({ seq: _s, ...r }) => r);
  }

  get size(): number {
    return this.records.length;
  }

  /**
   * The last 100 records of the loggers named `scope` or ending with `.<scope>`, most recent
   * first, in the per-object form (no `name`).
   */
  scoped(scope: string): Omit<LogRecord, 'name'>[] {
    const suffix = `.${scope}`;
    const out: Kept[] = [];
    for (const [name, records] of this.byLogger) if (name === scope || name.endsWith(suffix)) out.push(...records);
    return out
      .sort((a, b) => b.seq - a.seq)
      .slice(0, KEEP)
      .map((r) => ({ level: r.level, time: r.time, message: r.message }));
  }
}
