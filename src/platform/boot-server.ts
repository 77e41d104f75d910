import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { ExpressAdapter } from '@nestjs/platform-express';

/** What a client should wait before trying again while the service starts. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The HTTP server, listening from the first moment of the boot, before the
 * database is reachable: a load balancer or orchestrator sees a live process
 * (`/health/live` is 200) that is not ready (`/health/ready` and every other
 * route are a 503 problem with Retry-After), instead of a refused port it
 * might count as a crash. Once the application is ready it takes the same
 * server over (`handOver`), so the port never closes in between.
 */
export class BootServer {
  readonly server: Server;

  private constructor(private readonly problemTypeBase: string) {
    this.server = createServer(this.answerWhileBooting);
  }

  static listen(port: number, problemTypeBase: string): Promise<BootServer> {
    const boot = new BootServer(problemTypeBase);
    return new Promise((resolve, reject) => {
      boot.server.once('error', reject);
      boot.server.listen(port, () => {
        boot.server.off('error', reject);
        resolve(boot);
      });
    });
  }

  /** An Express adapter that serves on this server instead of creating its own (call `app.init()`, not `listen()`). */
  adapter(): ExpressAdapter {
    const server = this.server;
    return new (class extends ExpressAdapter {
      override initHttpServer(): void {
        this.setHttpServer(server);
      }
    })();
  }

  /** From now on, requests go to the application. */
  handOver(application: RequestListener): void {
    this.server.off('request', this.answerWhileBooting);
    this.server.on('request', application);
  }

  private readonly answerWhileBooting = (request: IncomingMessage, response: ServerResponse): void => {
    request.resume(); // bodies are not read while starting
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/health/live') {
      response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      response.end(JSON.stringify({ status: 'ok' }));
      return;
    }
    response.writeHead(503, {
      'Content-Type': 'application/problem+json; charset=utf-8',
      'Retry-After': String(RETRY_AFTER_SECONDS),
      'Cache-Control': 'no-store',
    });
    response.end(
      JSON.stringify({
        type: `${this.problemTypeBase}service-unavailable`,
        title: 'Service unavailable',
        status: 503,
        detail: 'The service is starting: the database is not ready yet',
        instance: path,
      }),
    );
  };
}
