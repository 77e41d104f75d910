import { registerAs } from '@nestjs/config';

export const databaseConfig = registerAs('database', () => ({
  /** Unset: the embedded engine under DATA_DIR is used. */
  url: process.env.DATABASE_URL || undefined,
  dataDir: process.env.DATA_DIR ?? './data',
  poolSize: Number(process.env.DB_POOL_SIZE ?? 10),
  migrationsRun: process.env.DB_MIGRATIONS_RUN !== 'false',
  connectTimeoutMs: Number(process.env.DB_CONNECT_TIMEOUT_MS ?? 2000),
  statementTimeoutMs: Number(process.env.DB_STATEMENT_TIMEOUT_MS ?? 10000),
  /**
   * `session`: a direct connection or a session-mode pooler (named prepared statements, the
   * statement timeout as a startup parameter). `transaction`: behind PgBouncer in transaction mode.
   */
  poolMode: (process.env.DB_POOL_MODE ?? 'session') as 'session' | 'transaction',
  /** At boot, how long a database that refuses or does not answer is retried before giving up. */
  bootRetrySeconds: Number(process.env.DB_BOOT_RETRY_SECONDS ?? 60),
}));
