/**
 * `node dist/src/generate-openapi.js [file]`: writes the OpenAPI document of
 * the built application (stdout without a file). Run through `npm run openapi`.
 *
 * The Swagger CLI plugin only runs in `nest build`, so the document must come
 * from the compiled code. Nest's preview mode resolves the module graph
 * without instantiating providers: no database, no secrets, no side effects.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';

// The document describes the defaults, not this machine's settings (some
// limits, like the minimum password length, are configurable): drop our
// variables before the application's modules read them at import time.
for (const name of Object.keys(process.env)) {
  if (!['PATH', 'HOME', 'NODE_OPTIONS', 'TZ'].includes(name)) delete process.env[name];
}

const { NestFactory } = await import('@nestjs/core');
const { AppModule } = await import('./app.module.js');
const { setRoutePrefix } = await import('./app.setup.js');
const { buildOpenApiDocument } = await import('./openapi.js');

const app = await NestFactory.create(AppModule, {
  preview: true,
  logger: false,
  bodyParser: false,
  abortOnError: false,
});
setRoutePrefix(app);
const json = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;

const file = process.argv[2];
if (file) writeFileSync(file, json);
else process.stdout.write(json);
