import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import { jsonBody } from './common/http/json-body.middleware.js';
import { createValidationPipe } from './common/validation/validation.pipe.js';
import type { appConfig } from './config/app.config.js';
import { accessLog } from './logging/access-log.middleware.js';
import { APP_LOGGER } from './logging/logging.module.js';
import { QuietFrameworkLogger } from './logging/quiet-framework-logger.js';
import { setupOpenApi } from './openapi.js';

type AppConfig = ReturnType<typeof appConfig>;

/** `/api/...` for the API; probes stay at `/health/...`. Shared with the OpenAPI generator. */
export function setRoutePrefix(app: INestApplication): void {
  app.setGlobalPrefix('api', { exclude: ['health/*path'] });
}

/**
 * Everything between the framework and our routes, in one place, so that
 * `main.ts` and the e2e tests build exactly the same application. The app
 * must be created with `{ bodyParser: false }`: bodies are parsed here.
 */
export function configureApp(app: INestApplication): INestApplication {
  const config = app.get(ConfigService).getOrThrow<AppConfig>('app');
  const express = app as NestExpressApplication;

  app.useLogger(new QuietFrameworkLogger(app.get(Logger)));
  app.flushLogs(); // what Nest logged while the modules were created
  express.disable('x-powered-by');
  // ETags are ours (task versions); Express's body-hash ETags would only confuse If-Match.
  express.set('etag', false);
  // Client IPs (rate limits) come from the socket unless a proxy is trusted: X-Forwarded-For is otherwise ignored.
  if (config.trustProxy !== false) express.set('trust proxy', config.trustProxy);
  // First: assigns the request id (X-Request-Id) and logs every request, even one the body parser rejects.
  express.use(accessLog(app.get<PinoLogger>(APP_LOGGER)));
  // Never framed: X-Frame-Options for old browsers, CSP frame-ancestors for the rest (ASVS 3.4.6).
  express.use(
    helmet({
      frameguard: { action: 'deny' },
      contentSecurityPolicy: { directives: { frameAncestors: ["'none'"] } },
    }),
  );
  express.enableCors({
    // Only the configured origins. Any other origin gets no CORS header at all, not even on a
    // preflight (the cors package answers false from a function by skipping the request).
    origin: (origin: string | undefined, allow: (error: Error | null, origin?: string | false) => void) =>
      allow(null, origin !== undefined && config.corsOrigins.includes(origin) ? origin : false),
    exposedHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id'],
    maxAge: 600,
  });
  express.use(jsonBody(config.bodyLimit));

  setRoutePrefix(app);
  app.useGlobalPipes(createValidationPipe());
  if (config.docsEnabled) setupOpenApi(app);
  return app;
}
