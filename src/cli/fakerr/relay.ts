/**
 * The "fake route reflector" (spec config.md §8): a TCP relay between exactly two clients. It
 * does not speak BGP: two daemons configured with it as their only peer end up in a BGP session
 * with each other (each sends its OPEN, each receives the other's).
 *
 * - The first client's bytes are buffered until the second client connects, then flushed to it;
 *   afterwards bytes from either side go to the other.
 * - When one side goes, the other is disconnected too and the buffer is dropped.
 * - A third client is refused (closed at once); the original meant to do so but its guard never
 *   fired, and the third client then received everything.
 *
 * Console lines are the original's (`Got new peer: <ip>`, …).
 */
import net from 'node:net';

export interface RelayOptions {
  readonly host: string;
  readonly port: number;
  /** One console line. */
  readonly log: (line: string) => void;
}

export class FakeRouteReflector {
  private readonly server: net.Server;
  private readonly clients: net.Socket[] = [];
  private buffer: Buffer[] = [];
  private ready = false;

  constructor(private readonly options: RelayOptions) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: this.options.host, port: this.options.port }, () => {
        this.server.off('error', reject);
        const a = this.server.address();
        resolve(typeof a === 'object' && a !== null ? a.port : this.options.port);
      });
    });
  }

  close(): Promise<void> {
    for (const c of this.clients) c.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    const { log } = this.options;
    const peer = socket.remoteAddress ?? '?';
    socket.setNoDelay(true);
    if (this.clients.length >= 2) {
      log(`Have already 2 peers, not accepting ${peer}`);
      socket.destroy();
      return;
    }
    log(`Got new peer: ${peer}`);
    this.clients.push(socket);
    if (this.clients.length === 2) {
      log(`${peer} is second peer, sending buffered data...`);
      for (const chunk of this.buffer) {
        log(`   sending buffered data to peer ${peer} (${chunk.length} bytes)`);
        socket.write(chunk);
      }
      this.buffer = [];
      this.ready = true;
      log('now ready');
    } else {
      log(`${peer} is first peer, will buffer data until second peer arrives...`);
      this.ready = false;
      this.buffer = [];
    }
    socket.on('data', (data: Buffer) => this.received(socket, data));
    socket.on('error', () => {
      // The 'close' event follows and handles the loss.
    });
    socket.once('close', () => this.lost(socket, peer));
  }

  private received(from: net.Socket, data: Buffer): void {
    // A side being disconnected after its partner left has nobody to talk to.
    if (!this.clients.includes(from)) return;
    if (this.ready) {
      for (const c of this.clients) if (c !== from) c.write(data);
      return;
    }
    this.options.log(`buffering received data (${data.length} bytes)`);
    this.buffer.push(data);
  }

  private lost(socket: net.Socket, peer: string): void {
    this.options.log(`Lost peer ${peer}`);
    const i = this.clients.indexOf(socket);
    if (i < 0) return;
    this.clients.splice(i, 1);
    // The other side goes too: its session makes no sense without this one.
    for (const other of this.clients.splice(0)) {
      other.end();
      other.once('finish', () => other.destroy());
    }
    this.ready = false;
    this.buffer = [];
  }
}
