import { registerAs } from '@nestjs/config';
import { parseTrustProxy } from './trust-proxy.js';

export const appConfig = registerAs('app', () => ({
  env: process.env.NODE_ENV ?? 'development',
  port: Number(process.env.PORT ?? 3000),
  corsOrigins: (process.env.CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean),
  bodyLimit: process.env.BODY_LIMIT ?? '100kb',
  logLevel: process.env.LOG_LEVEL ?? 'info',
  problemTypeBase: process.env.PROBLEM_TYPE_BASE ?? '/problems/',
  docsEnabled: process.env.DOCS_ENABLED !== 'false',
  trustProxy: parseTrustProxy(process.env.TRUST_PROXY ?? ''),
  /** SIGTERM to exit, draining included. */
  shutdownGraceMs: Number(process.env.SHUTDOWN_GRACE_MS ?? 8000),
  /** SIGTERM to closing the port: readiness answers 503 meanwhile, so load balancers stop sending first. */
  shutdownDrainDelayMs: Number(process.env.SHUTDOWN_DRAIN_DELAY_MS ?? 0),
}));
