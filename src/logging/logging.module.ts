import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { appConfig } from '../config/app.config.js';
import { createAppLogger } from './app-logger.js';

/** The application's pino logger; `configureApp` mounts the access log on it, before everything else. */
export const APP_LOGGER = Symbol('APP_LOGGER');

/**
 * nestjs-pino adapts Nest's `Logger` to our own pino instance. Its
 * per-request middleware is left out (`forRoutes: []`): it binds each
 * request's logger through AsyncLocalStorage, which on Node 20 turns on
 * promise hooks for every promise of every request (about 4% of the service's
 * CPU under load). The one log written during a request, the problem
 * filter's, names its `reqId` itself.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      providers: [
        {
          provide: APP_LOGGER,
          inject: [appConfig.KEY],
          useFactory: (config: ConfigType<typeof appConfig>) =>
            createAppLogger({ env: config.env, level: config.logLevel }),
        },
      ],
      inject: [APP_LOGGER],
      useFactory: (logger: Logger) => ({ pinoHttp: { logger }, useExisting: true, forRoutes: [] }),
    }),
  ],
})
export class LoggingModule {}
