import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { HttpLogger } from 'pino-http';
import { jsonBody } from './common/http/json-body.middleware.js';
import { requireJson } from './common/http/require-json.middleware.js';
import { createValidationPipe } from './common/validation/validation.pipe.js';
import type { appConfig } from './config/app.config.js';
import { HTTP_LOGGER } from './logging/logging.module.js';
import { setupOpenApi } from './openapi.js';

type AppConfig = ReturnType<typeof appConfig>;

/**
 * Everything between the framework and our routes, in one place, so that
 * `main.ts` and the e2e tests build exactly the same application. The app
 * must be created with `{ bodyParser: false }`: bodies are parsed here.
 */
export function configureApp(app: INestApplication): INestApplication {
  const config = app.get(ConfigService).getOrThrow<AppConfig>('app');
  const express = app as NestExpressApplication;

  app.useLogger(app.get(Logger));
  app.flushLogs(); // what Nest logged while the modules were created
  express.disable('x-powered-by');
  // ETags are ours (task versions); Express's body-hash ETags would only confuse If-Match.
  express.set('etag', false);
  if (config.trustProxy) express.set('trust proxy', config.trustProxy);
  // First: assigns the request id (X-Request-Id) and logs every request, even one the body parser rejects.
  express.use(app.get<HttpLogger>(HTTP_LOGGER));
  express.use(helmet({ frameguard: { action: 'deny' } }));
  express.enableCors({
    // Only the configured origins; with none configured, no cross-origin access at all.
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    exposedHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id'],
    maxAge: 600,
  });
  express.use(requireJson);
  express.use(jsonBody(config.bodyLimit));

  app.setGlobalPrefix('api', { exclude: ['health/*path'] });
  app.useGlobalPipes(createValidationPipe());
  if (config.docsEnabled) setupOpenApi(app);
  return app;
}
