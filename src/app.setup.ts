import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import { answerClientErrors, requireHostHeader } from './platform/http/client-error.js';
import { containRequestErrors } from './platform/http/contain-request-errors.js';
import { escapeUndecodablePaths } from './platform/http/undecodable-path.js';
import { createValidationPipe } from './common/validation/validation.pipe.js';
import type { appConfig } from './config/app.config.js';
import { accessLog } from './platform/http/access-log.middleware.js';
import { APP_LOGGER } from './logging/logging.module.js';
import { QuietFrameworkLogger } from './logging/quiet-framework-logger.js';
import { setupOpenApi } from './openapi.js';

type AppConfig = ReturnType<typeof appConfig>;

/** `/api/...` for the API; probes stay at `/health/...`. Shared with the OpenAPI generator. */
export function setRoutePrefix(app: INestApplication): void {
  app.setGlobalPrefix('api', { exclude: ['health/*path'] });
}

/** Never framed: X-Frame-Options for old browsers, CSP frame-ancestors for the rest (ASVS 3.4.6). */
const securityHeaders = helmet({
  frameguard: { action: 'deny' },
  contentSecurityPolicy: { directives: { frameAncestors: ["'none'"] } },
});

/** The headers `securityHeaders` sets, for responses written outside Express (the HTTP parser's errors). */
function securityHeaderValues(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => (headers[name] = String(value)),
    removeHeader: (name: string) => delete headers[name],
  };
  securityHeaders({} as Request, response as unknown as Response, () => undefined);
  return headers;
}

/**
 * Everything between the framework and our routes, in one place, so that
 * `main.ts` and the e2e tests build exactly the same application. The app
 * must be created with `{ bodyParser: false }`: bodies are read by the global
 * RequestBodyGuard, after authentication, never before.
 */
export function configureApp(app: INestApplication): INestApplication {
  const config = app.get(ConfigService).getOrThrow<AppConfig>('app');
  const express = app as NestExpressApplication;
  const logger = app.get<PinoLogger>(APP_LOGGER);
  const server = app.getHttpServer() as Server;

  app.useLogger(new QuietFrameworkLogger(app.get(Logger)));
  app.flushLogs(); // what Nest logged while the modules were created
  express.disable('x-powered-by');
  // ETags are ours (task versions); Express's body-hash ETags would only confuse If-Match.
  express.set('etag', false);
  // Client IPs (rate limits) come from the socket unless a proxy is trusted: X-Forwarded-For is otherwise ignored.
  if (config.trustProxy !== false) express.set('trust proxy', config.trustProxy);
  const typeBase = app.get(ConfigService).get<string>('PROBLEM_TYPE_BASE') ?? '/problems/';
  answerClientErrors(server, {
    typeBase,
    headers: securityHeaderValues(),
    onAnswer: (entry) => logger.info(entry, 'request rejected by the HTTP parser'),
  });
  // Node answers `Expect: 100-continue` at once unless someone listens: listening, the invitation to
  // send the body waits until the body is read (after authentication). An anonymous client is never invited.
  server.on('checkContinue', (request, response) => server.emit('request', request, response));
  // First: assigns the request id (X-Request-Id) and logs every request, even one the body parser rejects.
  express.use(accessLog(logger));
  containRequestErrors(express.getHttpAdapter().getInstance(), {
    typeBase,
    onError: (entry) => logger.error(entry, 'Error escaped a request'),
  });
  express.use(securityHeaders);
  express.use(requireHostHeader(server, typeBase));
  express.use(escapeUndecodablePaths);
  express.enableCors({
    // Only the configured origins. Any other origin gets no CORS header at all, not even on a
    // preflight (the cors package answers false from a function by skipping the request).
    origin: (origin: string | undefined, allow: (error: Error | null, origin?: string | false) => void) =>
      allow(null, origin !== undefined && config.corsOrigins.includes(origin) ? origin : false),
    exposedHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id'],
    maxAge: 600,
  });
  // A preflight the CORS step did not answer (another origin, or CORS off) is answered here without any
  // Access-Control-* header: the browser then refuses the real request. A 405 would only mislead.
  express.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'OPTIONS' || request.headers['access-control-request-method'] === undefined) return next();
    response.status(204).setHeader('Content-Length', '0');
    response.end();
  });
  answerUnknownPathsEverywhere(express);

  setRoutePrefix(app);
  app.useGlobalPipes(createValidationPipe());
  if (config.docsEnabled) setupOpenApi(app);
  return app;
}

/**
 * Nest mounts its not-found handler (the one that ends in our problem
 * filter) under the global prefix only, so `/anything-else` would get
 * Express's HTML page. This mounts the same handler at the root as well,
 * after every route, when Nest registers it.
 */
function answerUnknownPathsEverywhere(app: NestExpressApplication): void {
  const adapter = app.getHttpAdapter() as unknown as {
    setNotFoundHandler: (handler: (...args: unknown[]) => unknown, prefix?: string, ...rest: unknown[]) => unknown;
    use: (handler: (...args: unknown[]) => unknown) => unknown;
  };
  const mount = adapter.setNotFoundHandler.bind(adapter);
  adapter.setNotFoundHandler = (handler, prefix, ...rest) => {
    mount(handler, prefix, ...rest);
    if (prefix) adapter.use(handler);
  };
}
