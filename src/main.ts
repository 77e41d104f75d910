import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false });
  configureApp(app);

  // A clean stop on SIGTERM/SIGINT: finish in-flight requests, close the pool
  // (and the embedded engine), then exit 0.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      app
        .close()
        .then(() => process.exit(0))
        .catch((error: unknown) => {
          Logger.error(error, 'Shutdown');
          process.exit(1);
        });
    });
  }

  const port = app.get(ConfigService).getOrThrow<number>('app.port');
  await app.listen(port);
  Logger.log(`Listening on http://localhost:${port} (API docs at /docs)`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  // Config and database errors end up here: say what is wrong, exit non-zero.
  Logger.error(error instanceof Error ? error.message : error, 'Bootstrap');
  process.exit(1);
});
