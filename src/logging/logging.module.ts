import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { HttpLogger } from 'pino-http';
import { appConfig } from '../config/app.config.js';
import { createHttpLogger } from './http-logger.js';

/** The pino-http middleware; `configureApp` mounts it before everything else. */
export const HTTP_LOGGER = Symbol('HTTP_LOGGER');

/**
 * nestjs-pino on top of our own pino-http instance (`useExisting`): mounted
 * first in `configureApp`, it logs every request, including those that end in
 * the body parser (400, 413, 415) before Nest's route middleware would run.
 *
 * nestjs-pino's own per-request middleware is left out (`forRoutes: []`): it
 * binds each request's logger through AsyncLocalStorage, which on Node 20
 * turns on promise hooks for every promise of every request (about 4% of the
 * service's CPU under load). The one log written during a request, the
 * problem filter's, names its `reqId` itself.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      providers: [
        {
          provide: HTTP_LOGGER,
          inject: [appConfig.KEY],
          useFactory: (config: ConfigType<typeof appConfig>) =>
            createHttpLogger({ env: config.env, level: config.logLevel }),
        },
      ],
      inject: [HTTP_LOGGER],
      useFactory: (httpLogger: Pick<HttpLogger, 'logger'>) => ({
        pinoHttp: { logger: httpLogger.logger },
        useExisting: true,
        forRoutes: [],
      }),
    }),
  ],
})
export class LoggingModule {}
