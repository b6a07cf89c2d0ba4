/**
 * An HTTP load generator for the REST API benchmarks: N clients, each sending its next request as
 * soon as the previous one answered (closed loop). Each client keeps its TCP connection while the
 * server keeps it (HTTP/1.1 keep-alive, ours) and opens a new one for every request when the
 * server closes it (HTTP/1.0, the original). Every request's latency and status are kept.
 *
 * Written on node:net rather than node:http so that the generator, on the same two cores as the
 * daemon, costs little per request (a pre-built request, a status line and a Content-Length to
 * read): what is measured is the daemon.
 */
import { connect, type Socket } from 'node:net';

export interface LoadResult {
  requests: number;
  /** Answers with status 200. */
  ok: number;
  /** Everything else: status code (or "connection error") → count. */
  failures: Record<string, number>;
  /** Wall-clock time from the first request sent to the last answer, seconds. */
  seconds: number;
  /** Latencies in milliseconds, sorted. */
  latencies: number[];
  /** The first failure's description, for the report. */
  firstFailure: string | undefined;
  /** CPU time of the generator itself (user + system), seconds. */
  clientCpu: number;
  /** The status of each request, by index (0: connection error; undefined: not sent, see capSeconds). */
  statuses: number[];
  /** Requests sent (fewer than requested when the time cap stopped the run). */
  sent: number;
}

export function errorCount(r: LoadResult): number {
  return r.requests - r.ok;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface Answer {
  status: number;
  text: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** One client connection, reopened whenever the server closed it. */
class Connection {
  private socket: Socket | undefined;
  private buf: Buffer = Buffer.alloc(0);
  private pending: ((a: Answer) => void) | undefined;
  private closeAfter = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  private open(): Socket {
    const s = connect({ host: this.host, port: this.port, noDelay: true });
    this.buf = Buffer.alloc(0);
    s.on('data', (chunk: Buffer) => {
      if (this.socket !== s) return;
      this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
      this.parse(false);
    });
    // Events of a connection already given up (closed after its answer) concern nobody.
    const gone = (why: string): void => {
      if (this.socket !== s) return;
      this.socket = undefined;
      // HTTP/1.0 without Content-Length: the body ends with the connection.
      if (this.pending) this.parse(true, why);
    };
    s.on('end', () => gone('connection closed'));
    s.on('error', (e) => gone(e.message));
    s.on('close', () => gone('connection closed'));
    return s;
  }

  private parse(ended: boolean, why = ''): void {
    const resolve = this.pending;
    if (!resolve) return;
    const end = this.buf.indexOf(HEADER_END);
    if (end < 0) {
      if (ended) this.finish({ status: 0, text: why });
      return;
    }
    const head = this.buf.subarray(0, end).toString('latin1');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
    const lengthMatch = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    const bodyStart = end + 4;
    if (lengthMatch) {
      const length = Number(lengthMatch[1]);
      if (this.buf.length < bodyStart + length) {
        if (ended) this.finish({ status: 0, text: `${why} (body cut short)` });
        return;
      }
      const text = this.buf.subarray(bodyStart, bodyStart + length).toString();
      this.buf = this.buf.subarray(bodyStart + length);
      this.closeAfter = /^HTTP\/1\.0/.test(head) ? !/\r\nconnection:\s*keep-alive/i.test(head) : /\r\nconnection:\s*close/i.test(head);
      this.finish({ status, text });
    } else if (ended) {
      this.finish({ status, text: this.buf.subarray(bodyStart).toString() });
    }
  }

  private finish(a: Answer): void {
    const resolve = this.pending!;
    this.pending = undefined;
    if (this.closeAfter || a.status === 0) {
      const s = this.socket;
      this.socket = undefined;
      this.closeAfter = false;
      s?.destroy();
    }
    resolve(a);
  }

  request(raw: Buffer): Promise<Answer> {
    return new Promise((resolve) => {
      this.pending = resolve;
      this.socket ??= this.open();
      this.socket.write(raw);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }
}

/**
 * POSTs every body to `url` (an http:// URL) with `clients` concurrent clients. With capSeconds,
 * no request is sent once that much time has passed (the run then covers fewer requests: a
 * daemon answering a few per second would otherwise take hours).
 */
export async function runLoad(url: string, bodies: readonly string[], clients: number, capSeconds = Infinity): Promise<LoadResult> {
  const target = new URL(url);
  const host = target.hostname;
  const port = Number(target.port);
  const head = (len: number): string =>
    `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: ${len}\r\n\r\n`;
  const raws = bodies.map((b) => Buffer.from(head(Buffer.byteLength(b)) + b));
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let ok = 0;
  let next = 0;
  let firstFailure: string | undefined;
  const statuses: number[] = [];
  const deadline = process.hrtime.bigint() + BigInt(Math.min(capSeconds * 1e9, Number.MAX_SAFE_INTEGER));
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const client = async (): Promise<void> => {
    const c = new Connection(host, port);
    try {
      for (;;) {
        if (next >= raws.length || process.hrtime.bigint() > deadline) return;
        const i = next++;
        const s = process.hrtime.bigint();
        const r = await c.request(raws[i]!);
        latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
        statuses[i] = r.status;
        if (r.status === 200) ok++;
        else {
          const k = r.status === 0 ? 'connection error' : String(r.status);
          failures[k] = (failures[k] ?? 0) + 1;
          firstFailure ??= `${k}: ${r.text.slice(0, 200)}`;
        }
      }
    } finally {
      c.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(clients, bodies.length) }, client));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  return { requests: next, ok, failures, seconds, latencies, firstFailure, clientCpu: (cpu.user + cpu.system) / 1e6, statuses, sent: next };
}
