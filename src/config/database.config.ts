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
});

interface DatabaseEnv {
  DATABASE_URL?: string;
  DATA_DIR?: string;
  DB_POOL_SIZE: number;
  DB_MIGRATIONS_RUN: boolean;
  DB_CONNECT_TIMEOUT_MS: number;
  DB_STATEMENT_TIMEOUT_MS: number;
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
  };
});
