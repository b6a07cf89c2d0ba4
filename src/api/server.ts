/**
 * The REST API (spec rest-api.md) and the looking glass, on node:http: the contract is a handful
 * of paths with quirks a framework would fight (bodies parsed as JSON whatever the Content-Type,
 * `.json` suffixes, error bodies negotiated between JSON and HTML by Accept), so the routing is
 * written here in full.
 *
 * | path                         | GET / HEAD          | POST   | other |
 * |------------------------------|---------------------|--------|-------|
 * | /                            | {}                  | 405    | 405   |
 * | /ping                        | sequence number     | same   | same  |
 * | /attach_localport, /detach…  | {}                  | action | 405   |
 * | /looking-glass[/…]           | looking glass       | 405    | 405   |
 *
 * A trailing `/` is accepted everywhere and `.json` stripped from the last segment; another
 * well-known extension is a 404 (the original's pecan guessed a content type from it).
 * Attach and detach are processed one at a time by the VPN manager.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../util/logger.js';
import { ApiError } from '../vpn/errors.js';
import type { VpnManager } from '../vpn/vpn-manager.js';
import { errorBody, STATUS_TITLES } from './http-errors.js';
import { LgNotFound, lookingGlassRoot, resolve, type LookingGlassContext } from './looking-glass/index.js';
import { BodyError, parseBody, validateAttach, validateDetach } from './validation.js';

const MAX_BODY = 1 << 20;
const GUESSED_EXTENSIONS = /\.(html?|xml|txt|js|css|csv|png|jpe?g|gif|pdf)$/i;

/** A random 128-bit integer as decimal text, drawn once per process (rest-api.md §3). */
export function pingSequence(): string {
  for (;;) {
    const s = BigInt(`0x${randomBytes(16).toString('hex')}`).toString();
    if (s.length >= 2) return s;
  }
}

export interface ApiServerOptions {
  readonly host: string;
  readonly port: number;
  readonly vpn: VpnManager;
  readonly lookingGlass: LookingGlassContext;
  readonly log: Logger;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly description: string | null,
  ) {
    super(description ?? STATUS_TITLES[status] ?? String(status));
  }
}

export class ApiServer {
  readonly sequence = pingSequence();
  private server: Server | undefined;
  private readonly log: Logger;

  constructor(private readonly opts: ApiServerOptions) {
    this.log = opts.log;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        this.log.log('error', `API: unexpected failure: ${String(e)}`);
        if (!res.headersSent) this.sendError(req, res, new HttpError(500, 'Server error'));
      });
    });
    this.server = server;
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen({ host: this.opts.host, port: this.opts.port }, () => {
        server.off('error', reject);
        resolveListen();
      });
    });
    this.log.log('info', `REST API listening on ${this.opts.host}:${this.port}`);
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? this.opts.port;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req).catch(() => undefined);
    let segments = pathSegments(req.url ?? '/');
    const last = segments.at(-1);
    try {
      if (last !== undefined && last.endsWith('.json')) segments = [...segments.slice(0, -1), last.slice(0, -'.json'.length)].filter((s) => s !== '');
      else if (last !== undefined && GUESSED_EXTENSIONS.test(last)) throw new HttpError(404, null);
      const [head, ...rest] = segments;
      const get = method === 'GET' || method === 'HEAD';
      if (head === undefined) {
        if (!get) throw new HttpError(405, null);
        return this.send(req, res, 200, '{}');
      }
      if (head === 'ping' && rest.length === 0) return this.send(req, res, 200, this.sequence);
      if ((head === 'attach_localport' || head === 'detach_localport') && rest.length === 0) {
        if (get) return this.send(req, res, 200, '{}');
        if (method !== 'POST') throw new HttpError(405, null);
        return await this.action(head, raw, req, res);
      }
      if (head === 'looking-glass') {
        if (!get) throw new HttpError(405, null);
        return this.lookingGlass(rest, req, res);
      }
      throw new HttpError(404, null);
    } catch (e) {
      if (e instanceof HttpError) return this.sendError(req, res, e);
      throw e;
    }
  }

  private async action(kind: 'attach_localport' | 'detach_localport', raw: string | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const attach = kind === 'attach_localport';
    try {
      if (raw === undefined) throw new BodyError('No local port details received');
      const body = parseBody(raw);
      this.log.log('info', `Local port ${attach ? 'attach' : 'detach'} received: ${raw}`);
      if (attach) await this.opts.vpn.attach(validateAttach(body));
      else await this.opts.vpn.detach(validateDetach(body));
      return this.send(req, res, 200, 'null');
    } catch (e) {
      if (e instanceof BodyError) {
        this.log.log('error', `${kind}: ${e.message}`);
        throw new HttpError(400, e.message);
      }
      if (e instanceof ApiError) {
        this.log.log('warning', `${kind}: API error: ${e.message}`);
        throw new HttpError(400, `API error: ${e.message}`);
      }
      const sentence = attach ? 'An error occurred during local port plug to VPN' : 'An error occurred during local port unplug from VPN';
      this.log.log('error', `${kind}: ${sentence}: ${e instanceof Error ? e.message : String(e)}`);
      throw new HttpError(500, sentence);
    }
  }

  private lookingGlass(path: string[], req: IncomingMessage, res: ServerResponse): void {
    const prefix = `http://${req.headers.host ?? `${this.opts.host}:${this.port}`}/looking-glass`;
    try {
      const value = resolve(lookingGlassRoot(this.opts.lookingGlass), path, prefix);
      // Quirk of the original (its controller): a null result is a 404 naming the first segment.
      if (value === null || value === undefined) throw new LgNotFound(path[0] ?? '', prefix);
      return this.send(req, res, 200, JSON.stringify(value));
    } catch (e) {
      if (e instanceof LgNotFound) {
        this.log.log('info', `looking_glass: ${e.message}`);
        throw new HttpError(404, e.message);
      }
      this.log.log('error', `looking_glass: an error occurred: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      throw new HttpError(500, 'Server error');
    }
  }

  private send(req: IncomingMessage, res: ServerResponse, status: number, body: string): void {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private sendError(req: IncomingMessage, res: ServerResponse, e: HttpError): void {
    const { contentType, body } = errorBody(e.status, e.description, req.headers.accept ?? '', req.method ?? 'GET');
    res.writeHead(e.status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}

/** The decoded, non-empty segments of a request's path ("/attach_localport" without a parse: the hot path). */
function pathSegments(target: string): string[] {
  if (target === '/attach_localport' || target === '/detach_localport') return [target.slice(1)];
  return new URL(target, 'http://localhost').pathname
    .split('/')
    .filter((s) => s !== '')
    .map(safeDecode);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
