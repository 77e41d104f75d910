import { registerAs } from '@nestjs/config';
import Joi from 'joi';
import { envVariables, readEnv } from './read-env.js';
import { parseTrustProxy } from './trust-proxy.js';

export const APP_ENV = envVariables({
  NODE_ENV: Joi.string().valid('development', 'production', 'test').default('development'),
  PORT: Joi.number().port().default(3000),
  CORS_ORIGINS: Joi.string().default(''),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  BODY_LIMIT: Joi.string().default('100kb'),
  PROBLEM_TYPE_BASE: Joi.string().default('/problems/'),
  DOCS_ENABLED: Joi.boolean().default(true),
  // A hop count, true/false, or comma-separated addresses/subnets (Express "trust proxy").
  TRUST_PROXY: Joi.string().default(''),
  SHUTDOWN_GRACE_MS: Joi.number().integer().min(0).max(600_000).default(8000),
  // Inside the grace period, with time left to finish the requests in flight.
  SHUTDOWN_DRAIN_DELAY_MS: Joi.number().integer().min(0).less(Joi.ref('SHUTDOWN_GRACE_MS')).default(0),
});

interface AppEnv {
  NODE_ENV: string;
  PORT: number;
  CORS_ORIGINS: string;
  LOG_LEVEL: string;
  BODY_LIMIT: string;
  PROBLEM_TYPE_BASE: string;
  DOCS_ENABLED: boolean;
  TRUST_PROXY: string;
  SHUTDOWN_GRACE_MS: number;
  SHUTDOWN_DRAIN_DELAY_MS: number;
}

export const appConfig = registerAs('app', () => {
  const env = readEnv<AppEnv>(APP_ENV);
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    corsOrigins: env.CORS_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    bodyLimit: env.BODY_LIMIT,
    logLevel: env.LOG_LEVEL,
    /** Prefix of problem `type` URIs; the slug is appended. */
    problemTypeBase: env.PROBLEM_TYPE_BASE,
    docsEnabled: env.DOCS_ENABLED,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    /** SIGTERM to exit, draining included. */
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    /** SIGTERM to closing the port: readiness answers 503 meanwhile, so load balancers stop sending first. */
    shutdownDrainDelayMs: env.SHUTDOWN_DRAIN_DELAY_MS,
  };
});
