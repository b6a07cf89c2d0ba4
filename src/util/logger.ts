/**
 * The logging interface every layer takes (the daemon backs it with its log sink; tests with a
 * recorder). Fields are structured, the message is one line.
 */
export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
  child(name: string): Logger;
  /** Whether `debug` records go anywhere: lets hot paths skip building a message nobody reads. */
  readonly debugEnabled: boolean;
}

/** Writes one line per record to a stream (stderr by default); `debug` only when enabled. */
export function consoleLogger(name = 'bagpipe', debug = false, out: { write(s: string): unknown } = process.stderr): Logger {
  return {
    debugEnabled: debug,
    log(level, msg, fields) {
      if (level === 'debug' && !debug) return;
      const extra = fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
      out.write(`${new Date().toISOString()} ${level.toUpperCase()} ${name}: ${msg}${extra}\n`);
    },
    child(sub) {
      return consoleLogger(`${name}.${sub}`, debug, out);
    },
  };
}

/** A logger that keeps records in memory (tests, looking glass buffers). */
export function memoryLogger(records: { level: LogLevel; name: string; msg: string }[] = [], name = 'test'): Logger & {
  records: typeof records;
} {
  return {
    records,
    debugEnabled: true,
    log(level, msg) {
      records.push({ level, name, msg });
    },
    child(sub) {
      return memoryLogger(records, `${name}.${sub}`);
    },
  };
}
