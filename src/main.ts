import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from 'nestjs-pino';
import { pino, type Logger as PinoLogger } from 'pino';
import { configureApp } from './app.setup.js';
import { appConfig } from './config/app.config.js';
import { Readiness } from './health/readiness.js';
import { BootServer } from './lifecycle/boot-server.js';
import { exitGracefullyOnSignals } from './lifecycle/graceful-shutdown.js';
import { APP_LOGGER } from './logging/logging.module.js';

/** Configuration and database errors end up here: one JSON line saying what is wrong, exit 1. */
function exitOnFatal(error: unknown): never {
  // A synchronous write: the process exits right after.
  pino(pino.destination({ sync: true })).fatal({ err: error }, error instanceof Error ? error.message : String(error));
  process.exit(1);
}

/** A signal before the application is up: nothing is in flight but 503s, so stop at once. */
function exitWhileBooting(signal: NodeJS.Signals): void {
  pino(pino.destination({ sync: true })).info(`${signal} received while starting: exiting`);
  process.exit(0);
}

async function bootstrap(): Promise<void> {
  // ConfigModule.forRoot validates the environment in a promise that rejects
  // while app.module loads, before Nest awaits it; the handler above must be
  // in place first, hence the import here rather than at the top.
  const { AppModule } = await import('./app.module.js');
  const settings = appConfig(); // the environment, .env included, is loaded by now
  // The port opens first (liveness 200, everything else 503) while the database may still be waking up.
  const boot = await BootServer.listen(settings.port, settings.problemTypeBase);
  const { port } = boot.server.address() as AddressInfo;
  if (settings.logLevel !== 'silent') {
    pino({ level: settings.logLevel, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ sync: true })).info(
      `Starting on http://localhost:${port}: readiness is 503 until the database is ready`,
    );
  }
  process.once('SIGTERM', exitWhileBooting).once('SIGINT', exitWhileBooting);

  const app = await NestFactory.create<NestExpressApplication>(AppModule, boot.adapter(), {
    bodyParser: false,
    // Nest's start-up lines wait for pino (configureApp flushes them); if the
    // boot fails they are dropped rather than printed in Nest's colour format.
    bufferLogs: true,
    autoFlushLogs: false,
    abortOnError: false,
  });
  configureApp(app);
  await app.init();
  const config = app.get(ConfigService);
  const logger = app.get(Logger);
  const pinoLogger = app.get<PinoLogger>(APP_LOGGER);
  process.off('SIGTERM', exitWhileBooting).off('SIGINT', exitWhileBooting);
  const readiness = app.get(Readiness);
  exitGracefullyOnSignals(app, {
    graceMs: config.getOrThrow<number>('app.shutdownGraceMs'),
    drainDelayMs: config.getOrThrow<number>('app.shutdownDrainDelayMs'),
    onDrainStart: () => readiness.startDraining(),
    logger,
    flushLogs: () => new Promise((resolve, reject) => pinoLogger.flush((error) => (error ? reject(error) : resolve()))),
  });

  boot.handOver(app.getHttpAdapter().getInstance() as RequestListener);
  logger.log(`Listening on http://localhost:${port}`, 'Bootstrap');
}

process.on('unhandledRejection', exitOnFatal);
bootstrap().catch(exitOnFatal);
