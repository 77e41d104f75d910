import { MIGRATIONS } from '../../migrations/index.js';
import type { DataSourceOptions } from 'typeorm';

export interface DatabaseSettings {
  url: string;
  poolSize: number;
  migrationsRun: boolean;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
}


/** Options shared by the application and the migration CLI. */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    migrations: MIGRATIONS,
    migrationsRun: settings.migrationsRun,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built in; the uuid-ossp extension is not needed (and PGlite lacks it).
    installExtensions: false,
    poolSize: settings.poolSize,
    connectTimeoutMS: settings.connectTimeoutMs,
    extra: {
      statement_timeout: settings.statementTimeoutMs || undefined,
      // Fail fast when the pool is exhausted by a dead database, instead of queueing forever.
      connectionTimeoutMillis: settings.connectTimeoutMs,
      idleTimeoutMillis: 30_000,
    },
  };
}
