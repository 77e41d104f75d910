import type { INestApplication } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Logger } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import { appConfig } from './config/app.config.js';
import { APP_LOGGER } from './logging/logging.module.js';
import { QuietFrameworkLogger } from './logging/quiet-framework-logger.js';
import { setupOpenApi } from './openapi.js';
import { installPlatform } from './platform/install-platform.js';

/** `/api/...` for the API; probes stay at `/health/...`. Shared with the OpenAPI generator. */
export function setRoutePrefix(app: INestApplication): void {
  app.setGlobalPrefix('api', { exclude: ['health/*path'] });
}

/**
 * The application around its modules, in one place, so that `main.ts` and the
 * e2e tests build exactly the same one: the logger, the HTTP platform
 * (`installPlatform`), the route prefix and the API documentation. The app
 * must be created with `{ bodyParser: false }`: the platform reads bodies
 * after authentication, never before.
 */
export function configureApp(app: INestApplication): INestApplication {
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  app.useLogger(new QuietFrameworkLogger(app.get(Logger)));
  app.flushLogs(); // what Nest logged while the modules were created
  installPlatform(app, app.get<PinoLogger>(APP_LOGGER));
  setRoutePrefix(app);
  if (config.docsEnabled) setupOpenApi(app);
  return app;
}
