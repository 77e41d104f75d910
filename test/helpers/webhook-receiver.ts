import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** As test/helpers/tls-cluster.ts does: the system's OpenSSL makes the certificate. */
const OPENSSL = 'openssl';

/** One request as the receiver got it. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** What the receiver answers a request: a status (and body), after an optional delay; `hang` never answers. */
export type Reply = { status: number; body?: string; delayMs?: number; headers?: Record<string, string> } | 'hang';

/**
 * A real HTTPS receiver on 127.0.0.1 with a self-signed certificate for
 * `localhost` and 127.0.0.1: the service trusts it through `caFile`
 * (WEBHOOKS_TLS_CA_FILE, or NODE_EXTRA_CA_CERTS for a spawned service).
 * `reply` decides each answer by path; every request is recorded.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  reply: (request: Received) => Reply = () => ({ status: 204 });

  private constructor(
    private readonly server: Server,
    private readonly dir: string,
    readonly caFile: string,
  ) {}

  static async start(): Promise<WebhookReceiver> {
    const dir = mkdtempSync(join(tmpdir(), 'taskwell-hooks-'));
    execFileSync(
      OPENSSL,
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2'].concat([
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ]),
      { stdio: 'pipe' },
    );
    const server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) });
    const receiver = new WebhookReceiver(server, dir, join(dir, 'cert.pem'));
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const got: Received = {
          path: req.url ?? '/',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        };
        receiver.received.push(got);
        const reply = receiver.reply(got);
        if (reply === 'hang') return;
        setTimeout(() => res.writeHead(reply.status, reply.headers).end(reply.body ?? ''), reply.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The URL of `path` on this receiver, by name (`localhost`) so the certificate's name is checked. */
  url(path: string): string {
    return `https://localhost:${this.port}${path}`;
  }

  at(path: string): Received[] {
    return this.received.filter((request) => request.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
