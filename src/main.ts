import 'reflect-metadata';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { pino, type Logger as PinoLogger } from 'pino';
import { configureApp } from './app.setup.js';
import { appConfig } from './config/app.config.js';
import { httpServerConfig } from './config/http-server.config.js';
import { jwtConfig } from './config/jwt.config.js';
import { prepareDevSecret } from './config/prepare-dev-secret.js';
import { DatabaseStartup } from './database/database-startup.js';
import { Readiness } from './health/readiness.js';
import { BootServer } from './platform/boot-server.js';
import { exitGracefullyOnSignals } from './lifecycle/graceful-shutdown.js';
import { EventStreams } from './changes/event-streams.js';
import { startupSummary } from './lifecycle/startup-summary.js';
import { APP_LOGGER } from './logging/logging.module.js';

/** Configuration and database errors, and anything thrown outside a request, end up here: one JSON line, exit 1. */
function exitOnFatal(error: unknown): never {
  try {
    // A synchronous write: the process exits right after.
    pino(pino.destination({ sync: true })).fatal(
      { err: error },
      error instanceof Error ? error.message : String(error),
    );
  } finally {
    process.exit(1); // even when stdout is gone (EPIPE): a process that cannot start must not linger
  }
}

/** A signal before the application is up: nothing is in flight but 503s, so stop at once. */
function exitWhileBooting(signal: NodeJS.Signals): void {
  try {
    pino(pino.destination({ sync: true })).info(`${signal} received while starting: exiting`);
  } finally {
    process.exit(0);
  }
}

async function bootstrap(): Promise<void> {
  // ConfigModule.forRoot validates the environment in a promise that rejects
  // while app.module loads, before Nest awaits it; the handler above must be
  // in place first, hence the import here rather than at the top.
  const { AppModule } = await import('./app.module.js');
  await ConfigModule.envVariablesLoaded; // `.env` read and the environment validated
  prepareDevSecret();
  // Read from the validated environment before the container exists: the port opens before Nest starts.
  const early = appConfig();
  // Before the port opens: a signal from then on must find the handler, not the default (killed by the signal).
  process.once('SIGTERM', exitWhileBooting).once('SIGINT', exitWhileBooting);
  // The port opens first (liveness 200, everything else 503) while the database may still be waking up.
  const boot = await BootServer.listen(early.port, early.problemTypeBase, httpServerConfig());
  const { port } = boot.server.address() as AddressInfo;
  // At debug: a normal start writes one info line, the summary below.
  pino({ level: early.logLevel, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ sync: true })).debug(
    `Starting on http://localhost:${port}: readiness is 503 until the database is ready`,
  );

  const adapter = new ExpressAdapter();
  const app = await NestFactory.create<NestExpressApplication>(AppModule, adapter, {
    bodyParser: false,
    // Nest's start-up lines wait for pino (configureApp flushes them); if the
    // boot fails they are dropped rather than printed in Nest's colour format.
    bufferLogs: true,
    autoFlushLogs: false,
    abortOnError: false,
  });
  boot.serve(adapter);
  configureApp(app);
  await app.init();
  const settings = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  const logger = app.get(Logger);
  const pinoLogger = app.get<PinoLogger>(APP_LOGGER);
  process.off('SIGTERM', exitWhileBooting).off('SIGINT', exitWhileBooting);
  const readiness = app.get(Readiness);
  const events = app.get(EventStreams);
  exitGracefullyOnSignals(app, {
    graceMs: settings.shutdownGraceMs,
    drainDelayMs: settings.shutdownDrainDelayMs,
    onDrainStart: () => {
      readiness.startDraining();
      // Event streams never end by themselves: end them now, so the drain can finish; clients resume elsewhere.
      events.closeAll();
    },
    logger,
    flushLogs: () => new Promise((resolve, reject) => pinoLogger.flush((error) => (error ? reject(error) : resolve()))),
  });

  boot.handOver(app.getHttpAdapter().getInstance() as RequestListener);
  const { fields, message } = startupSummary({
    port,
    docsEnabled: settings.docsEnabled,
    database: app.get(DatabaseStartup),
    secretSource: app.get<ConfigType<typeof jwtConfig>>(jwtConfig.KEY).secretSource,
  });
  pinoLogger.info({ context: 'Bootstrap', ...fields }, message);
}

// Errors of a request are answered by the problem filter, or by containRequestErrors for its listeners.
// What arrives here belongs to no request: the process state is unknown, so it exits (docs/SECURITY.md, "Hostile bodies").
process.on('uncaughtException', exitOnFatal);
process.on('unhandledRejection', exitOnFatal);
bootstrap().catch(exitOnFatal);
