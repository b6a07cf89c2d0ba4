/**
 * The looking glass's memory of problems (spec looking-glass.md §2.2, §2.4): a logger that
 * forwards everything and keeps the last 100 WARNING-or-worse records of the whole daemon.
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

export function localTime(d: Date, millis = false): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const s = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  return millis ? `${s},${p(d.getMilliseconds(), 3)}` : s;
}

export class LogBuffer {
  private readonly records: LogRecord[] = [];

  /** Wraps a logger: what it logs at warning or error is also kept here. */
  wrap(inner: Logger, name = 'bagpipe-bgp'): Logger {
    return {
      log: (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
        if (level === 'warning' || level === 'error') this.add(level, name, msg);
        inner.log(level, msg, fields);
      },
      child: (sub: string) => this.wrap(inner.child(sub), `${name}.${sub}`),
    };
  }

  private add(level: LogLevel, name: string, message: string): void {
    this.records.unshift({ level: level.toUpperCase(), time: localTime(new Date(), true), name, message: message.replaceAll('"', "'") });
    if (this.records.length > KEEP) this.records.length = KEEP;
  }

  /** Most recent first. */
  list(): LogRecord[] {
    return [...this.records];
  }

  get size(): number {
    return this.records.length;
  }
}
