import { createServer, connect, type Server, type Socket } from 'node:net';

type Mode = 'forward' | 'refuse' | 'blackhole';

interface Watch {
  pattern: RegExp;
  withhold: boolean;
  seen: () => void;
}

/**
 * A TCP proxy in front of a test server (the database, Redis), to break the network for real:
 * `cut()` drops every open connection and refuses new ones (the database is
 * down), `blackhole()` drops them and then accepts connections that never
 * answer (the database host is unreachable), `restore()` forwards again on
 * the same port. `nextSent()` resolves when a client sends something that
 * matches, and can withhold it from the server, whose answer then never comes.
 */
export class TcpProxy {
  private mode: Mode = 'forward';
  private readonly sockets = new Set<Socket>();
  private watches: Watch[] = [];
  private readonly server: Server;
  private port = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {
    this.server = createServer((client) => this.accept(client));
  }

  /** A proxy in front of the server of a URL (postgres://, redis://). */
  static async inFrontOf(databaseUrl: string): Promise<TcpProxy> {
    const target = new URL(databaseUrl);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.listen();
    return proxy;
  }

  /** Drops every open connection; new ones are forwarded as before. */
  drop(): void {
    this.dropAll();
  }

  /**
   * Resolves once a client sends bytes matching `pattern` (read as Latin-1, so any text protocol);
   * with `withhold`, those bytes and every later match are never forwarded.
   */
  nextSent(pattern: RegExp, options: { withhold?: boolean } = {}): Promise<void> {
    return new Promise((resolve) => {
      this.watches.push({ pattern, withhold: options.withhold ?? false, seen: resolve });
    });
  }

  /** The same URL, through the proxy. */
  rewrite(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  async cut(): Promise<void> {
    this.mode = 'refuse';
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  blackhole(): void {
    this.mode = 'blackhole';
    this.dropAll();
  }

  async restore(): Promise<void> {
    const wasRefusing = this.mode === 'refuse';
    this.mode = 'forward';
    this.dropAll(); // black-holed connections never carried anything
    if (wasRefusing) await this.listen();
  }

  async stop(): Promise<void> {
    this.dropAll();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  private accept(client: Socket): void {
    this.track(client);
    if (this.mode !== 'forward') return; // black hole: hold it, say nothing
    const upstream = connect(this.targetPort, this.targetHost);
    this.track(upstream);
    client.on('data', (chunk: Buffer) => {
      if (this.screen(chunk)) upstream.write(chunk);
    });
    upstream.pipe(client);
    // One side failing ends the other, as a broken network would.
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  /** Whether a client's chunk goes on to the server. */
  private screen(chunk: Buffer): boolean {
    const text = chunk.toString('latin1');
    const matching = this.watches.filter((watch) => watch.pattern.test(text));
    for (const watch of matching) watch.seen();
    // A withholding watch keeps withholding; a plain one is done once it has seen its match.
    this.watches = this.watches.filter((watch) => watch.withhold || !matching.includes(watch));
    return !matching.some((watch) => watch.withhold);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  }

  private dropAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}
