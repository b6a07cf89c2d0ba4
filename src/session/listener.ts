/**
 * The passive side (the original never listened): accepts BGP connections on an address and port
 * and hands each to the peer configured for its remote address; connections from anyone else are
 * closed at once.
 */
import net from 'node:net';
import type { Logger } from '../util/logger.js';

export class BgpListener {
  private server: net.Server | undefined;

  constructor(
    private readonly address: string,
    private readonly port: number,
    private readonly route: (remote: string) => ((s: net.Socket) => void) | undefined,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const server = net.createServer((socket) => {
      const remote = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
      const to = this.route(remote);
      if (!to) {
        this.log.log('warning', `refusing BGP connection from unconfigured ${remote}`);
        socket.destroy();
        return;
      }
      to(socket);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.address, port: this.port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.log.log('info', `listening for BGP on ${this.address}:${this.port}`);
  }

  /** The bound port (useful with port 0). */
  get boundPort(): number | undefined {
    const a = this.server?.address();
    return typeof a === 'object' && a ? a.port : undefined;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
