/**
 * The client side of the daemon's HTTP API: one request, the whole body as bytes.
 *
 * node:http is enough here (one plain-HTTP request per call, no proxy: the original set
 * NO_PROXY for the daemon's address, node:http never uses one). Connection failures carry the
 * text the original printed from urllib (`<urlopen error [Errno 111] Connection refused>`),
 * because `No server at …` lines are part of the looking glass's output.
 */
import { request } from 'node:http';
import { constants } from 'node:os';

export interface HttpResponse {
  readonly status: number;
  /** The reason phrase (`Not Found`). */
  readonly reason: string;
  readonly body: Buffer;
}

/** The daemon could not be reached (or the connection broke). */
export class ConnectionError extends Error {
  constructor(
    message: string,
    /** urllib's rendering of the failure: `<urlopen error [Errno 111] Connection refused>`. */
    readonly urllibText: string,
  ) {
    super(message);
  }
}

/** strerror() texts of the failures a client meets (glibc wording, as Python prints them). */
const STRERROR: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ETIMEDOUT: 'Connection timed out',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EPIPE: 'Broken pipe',
};

function connectionError(e: NodeJS.ErrnoException): ConnectionError {
  const code = e.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    // getaddrinfo failures: Python shows the gai_strerror text with a negative errno.
    const text = code === 'ENOTFOUND' ? '[Errno -2] Name or service not known' : '[Errno -3] Temporary failure in name resolution';
    return new ConnectionError(text.replace(/^\[Errno -\d+\] /, ''), `<urlopen error ${text}>`);
  }
  const errno = (constants.errno as Record<string, number | undefined>)[code];
  const strerror = STRERROR[code];
  if (errno !== undefined && strerror !== undefined) return new ConnectionError(strerror, `<urlopen error [Errno ${errno}] ${strerror}>`);
  return new ConnectionError(e.message, `<urlopen error ${e.message}>`);
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST';
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Give up after this long without an answer (ms). Default 60 s. */
  readonly timeoutMs?: number;
}

/** One HTTP request. Rejects with ConnectionError when no response arrives; any status resolves. */
export function httpRequest(url: string, options: RequestOptions = {}): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body, 'utf8');
    const headers: Record<string, string> = { ...options.headers };
    if (body !== undefined) headers['Content-Length'] = String(body.length);
    let req: ReturnType<typeof request>;
    try {
      req = request(url, { method: options.method ?? 'GET', headers, timeout: options.timeoutMs ?? 60_000 });
    } catch (e) {
      reject(new ConnectionError((e as Error).message, `<urlopen error ${(e as Error).message}>`));
      return;
    }
    req.on('timeout', () => {
      const e: NodeJS.ErrnoException = new Error('timed out');
      e.code = 'ETIMEDOUT';
      req.destroy(e);
    });
    req.on('error', (e: NodeJS.ErrnoException) => reject(connectionError(e)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e: NodeJS.ErrnoException) => reject(connectionError(e)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '', body: Buffer.concat(chunks) }));
    });
    req.end(body);
  });
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}
