import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations.js';

export interface DatabaseSettings {
  url: string | undefined;
  poolSize: number;
  migrationsRun: boolean;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  /** `transaction`: behind PgBouncer in transaction mode (see poolModeOptions). */
  poolMode?: 'session' | 'transaction';
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
      // A startup parameter: PgBouncer refuses it (or, told to ignore it, drops it). In transaction
      // mode the SQL runner sets it per transaction instead, and the server's role default covers the rest.
      statement_timeout: settings.poolMode === 'transaction' ? undefined : settings.statementTimeoutMs || undefined,
      // statement_timeout is enforced by the server; when the network drops
      // packets silently the server never sees the query, so the client gives
      // up on its own a little later (the request then gets a 503).
      query_timeout: settings.statementTimeoutMs ? settings.statementTimeoutMs + settings.connectTimeoutMs : undefined,
      keepAlive: true,
      // Fail fast when the pool is exhausted by a dead database, instead of queueing forever.
      connectionTimeoutMillis: settings.connectTimeoutMs,
      idleTimeoutMillis: 30_000,
    },
  };
}
