import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { genericProblemType } from '../common/problems/problem-types.js';
import type { HttpServerLimits } from '../config/http-server.config.js';
import { limitConnections, serverOptions } from './connection-limits.js';
import { instanceOf, ProblemWriter } from './problems/problem-writer.js';

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
  private readonly problems: ProblemWriter;

  private constructor(problemTypeBase: string, limits: HttpServerLimits) {
    this.problems = new ProblemWriter(problemTypeBase);
    // The one HTTP server of the process: its time-outs and connection cap are set here, for good.
    this.server = createServer(serverOptions(limits), this.answerWhileBooting);
    limitConnections(this.server, limits, problemTypeBase);
  }

  static listen(port: number, problemTypeBase: string, limits: HttpServerLimits): Promise<BootServer> {
    const boot = new BootServer(problemTypeBase, limits);
    return new Promise((resolve, reject) => {
      boot.server.once('error', reject);
      boot.server.listen(port, () => {
        boot.server.off('error', reject);
        resolve(boot);
      });
    });
  }

  /**
   * The application's adapter serves on this server rather than the one it
   * created in `NestFactory.create` (which never listens): everything that configures "the" server
   * (`app.getHttpAdapter().getHttpServer()`) configures this one. Call right
   * after `NestFactory.create`, then `app.init()`, never `listen()`.
   */
  serve(adapter: AbstractHttpAdapter): void {
    adapter.setHttpServer(this.server);
  }

  /** From now on, requests go to the application. */
  handOver(application: RequestListener): void {
    this.server.off('request', this.answerWhileBooting);
    this.server.on('request', application);
  }

  private readonly answerWhileBooting = (request: IncomingMessage, response: ServerResponse): void => {
    request.resume(); // bodies are not read while starting
    const path = instanceOf(request);
    if (path === '/health/live') {
      response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      response.end(JSON.stringify({ status: 'ok' }));
      return;
    }
    response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    const detail = 'The service is starting: the database is not ready yet';
    // No request id yet: the access log that assigns it is not running.
    this.problems.send(response, this.problems.problem(genericProblemType(503), 503, detail, path));
  };
}
