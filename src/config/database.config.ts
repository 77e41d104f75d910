import { registerAs } from '@nestjs/config';
import Joi from 'joi';
import { envVariables, readEnv } from './read-env.js';

export const DATABASE_ENV = envVariables({
  DATABASE_URL: Joi.string().uri({ scheme: ['postgres', 'postgresql'] }),
  // No default here: in production, whether it was set decides whether the embedded engine is allowed.
  DATA_DIR: Joi.string(),
  DB_POOL_SIZE: Joi.number().integer().min(1).max(100).default(10),
  DB_MIGRATIONS_RUN: Joi.boolean().default(true),
  DB_CONNECT_TIMEOUT_MS: Joi.number().integer().min(100).default(2000),
  DB_STATEMENT_TIMEOUT_MS: Joi.number().integer().min(0).default(10000),
  DB_POOL_MODE: Joi.string().valid('session', 'transaction').default('session'),
  DB_BOOT_RETRY_SECONDS: Joi.number().min(0).max(3600).default(60),
  // The password for a DATABASE_URL without one (read by the driver itself): taken as it is, no URL encoding.
  PGPASSWORD: Joi.string(),
});

interface DatabaseEnv {
  DATABASE_URL?: string;
  DATA_DIR?: string;
  DB_POOL_SIZE: number;
  DB_MIGRATIONS_RUN: boolean;
  DB_CONNECT_TIMEOUT_MS: number;
  DB_STATEMENT_TIMEOUT_MS: number;
  DB_POOL_MODE: 'session' | 'transaction';
  DB_BOOT_RETRY_SECONDS: number;
}

export const databaseConfig = registerAs('database', () => {
  const env = readEnv<DatabaseEnv>(DATABASE_ENV);
  return {
    /** Unset: the embedded engine under `dataDir` is used. */
    url: env.DATABASE_URL,
    /** The embedded engine's data and, in development, the generated JWT secret. */
    dataDir: env.DATA_DIR ?? './data',
    poolSize: env.DB_POOL_SIZE,
    migrationsRun: env.DB_MIGRATIONS_RUN,
    connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    /**
     * `session`: a direct connection or a session-mode pooler (named prepared statements, the
     * statement timeout as a startup parameter). `transaction`: behind PgBouncer in transaction mode.
     */
    poolMode: env.DB_POOL_MODE,
    /** At boot, how long a database that refuses or does not answer is retried before giving up. */
    bootRetrySeconds: env.DB_BOOT_RETRY_SECONDS,
  };
});
