import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { App } from 'supertest/types.js';
import { AppModule } from '../../src/app.module.js';
import { configureApp } from '../../src/app.setup.js';

/**
 * The application exactly as `main.ts` builds it, on the e2e database.
 * `env` overrides configuration for this app only (configuration is read
 * from process.env while the app is built; the previous values come back after).
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<INestApplication<App>> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication<INestApplication<App>>({ bodyParser: false, logger: false });
    configureApp(app);
    await app.init();
    return app;
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
