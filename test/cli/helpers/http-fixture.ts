/**
 * A small HTTP server for the client commands' tests: it answers from a handler and records every
 * request (method, path, Host header, body). It plays the daemon's side of the HTTP contract
 * (rest-api.md, looking-glass.md), not a copy of our code.
 */
import { createServer, type Server } from 'node:http';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface FixtureAnswer {
  readonly status?: number;
  readonly reason?: string;
  readonly body: string;
  readonly contentType?: string;
}

export type Handler = (req: RecordedRequest) => FixtureAnswer;

export interface HttpFixture {
  readonly host: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export function startHttpFixture(host: string, handler: Handler, port = 0): Promise<HttpFixture> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        host: req.headers.host ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const answer = handler(recorded);
      res.writeHead(answer.status ?? 200, answer.reason, { 'Content-Type': answer.contentType ?? 'application/json' });
      res.end(answer.body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      const a = server.address();
      resolve({
        host,
        port: typeof a === 'object' && a !== null ? a.port : port,
        requests,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

/**
 * A looking-glass-shaped tree: `pages` maps a path below the prefix ('' for the root,
 * 'vpns/instances', …) to the JSON text served there, where `{LG}` stands for
 * `http://<Host header>/looking-glass` (hrefs are built from the Host header, looking-glass.md
 * §1.1). A trailing slash is accepted; other paths get the daemon's 404.
 */
export function lookingGlassHandler(pages: Readonly<Record<string, string | FixtureAnswer>>, prefix = 'looking-glass'): Handler {
  return (req) => {
    const path = decodeURIComponent(req.path.split('?')[0]!).replace(/^\/+/, '').replace(/\/+$/, '');
    const below = path === prefix ? '' : path.startsWith(`${prefix}/`) ? path.slice(prefix.length + 1) : undefined;
    const page = below === undefined ? undefined : pages[below];
    if (page === undefined) {
      return {
        status: 404,
        reason: 'Not Found',
        body: JSON.stringify({ code: 404, title: 'Not Found', description: `No such looking glass object: ${below ?? path}` }),
      };
    }
    const answer = typeof page === 'string' ? { body: page } : page;
    return { ...answer, body: answer.body.replaceAll('{LG}', `http://${req.host}/${prefix}`) };
  };
}
