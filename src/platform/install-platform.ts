import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { createValidationPipe } from '../common/validation/validation.pipe.js';
import { appConfig } from '../config/app.config.js';
import { accessLog } from './http/access-log.middleware.js';
import { answerClientErrors, requireHostHeader } from './http/client-error.js';
import { containRequestErrors } from './http/contain-request-errors.js';
import { refuseUnknownExpectations } from './http/expectation.js';
import { escapeUndecodablePaths } from './http/undecodable-path.js';
import { ProblemWriter } from './problems/problem-writer.js';

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
 * The platform's part outside Nest, in the order a request meets it: the
 * HTTP parser's errors, request ids and the access log, security headers,
 * `Host`, undecodable paths, CORS; then the validation pipe. Its part inside
 * Nest (problem filter, body reader, unknown paths) is PlatformModule. The
 * app must be created with `{ bodyParser: false }`: bodies are read after
 * every guard, never before. `logger` writes the access log and what the
 * parser rejects.
 */
export function installPlatform(app: INestApplication, logger: Logger): void {
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  const express = app as NestExpressApplication;
  const server = app.getHttpAdapter().getHttpServer() as Server;
  const problems = new ProblemWriter(config.problemTypeBase);

  express.disable('x-powered-by');
  // ETags are ours (task versions); Express's body-hash ETags would only confuse If-Match.
  express.set('etag', false);
  // Client IPs (rate limits) come from the socket unless a proxy is trusted: X-Forwarded-For is otherwise ignored.
  if (config.trustProxy !== false) express.set('trust proxy', config.trustProxy);
  answerClientErrors(server, {
    problems,
    headers: securityHeaderValues(),
    onAnswer: (entry) => logger.info(entry, 'request rejected by the HTTP parser'),
  });
  // Node answers `Expect: 100-continue` at once unless someone listens: listening, the invitation to
  // send the body waits until the body is read (after authentication). An anonymous client is never invited.
  server.on('checkContinue', (request, response) => server.emit('request', request, response));
  // First: assigns the request id (X-Request-Id) and logs every request, even one the body parser rejects.
  express.use(accessLog(logger));
  containRequestErrors(express.getHttpAdapter().getInstance(), {
    problems,
    onError: (entry) => logger.error(entry, 'Error escaped a request'),
  });
  express.use(securityHeaders);
  express.use(requireHostHeader(server, problems));
  express.use(refuseUnknownExpectations(server, problems));
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
  app.useGlobalPipes(createValidationPipe());
}
