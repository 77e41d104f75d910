// Plain JavaScript: Jest loads global setup outside its ESM TypeScript pipeline.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { recreateDatabase } from '../scripts/recreate-database.mjs';
import { startPgBouncer } from './helpers/pgbouncer.mjs';

/**
 * The e2e database. With TEST_DATABASE_URL, that database is dropped and
 * created afresh on its server (on every node of a Citus cluster:
 * `recreateDatabase`; TEST_EXPECT_CITUS=1 makes a run that should be on Citus
 * fail when it is not). With TEST_PGBOUNCER=transaction as well, the
 * whole run goes through a PgBouncer in transaction mode started here in
 * front of that server (the service runs with DB_POOL_MODE=transaction).
 * Without TEST_DATABASE_URL, an embedded engine in a temporary folder serves
 * the whole run, so `npm test` needs no server. The application under test
 * applies the migrations when it boots.
 */
export default async function globalSetup() {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const onCitus = await recreateDatabase(url, { expectCitus: process.env.TEST_EXPECT_CITUS === '1' });
    if (onCitus) process.env.E2E_ON_CITUS = '1'; // the Citus-only tests run, the others say why they skip
    process.env.E2E_DATABASE_URL = url;
    process.env.E2E_DB_POOL_SIZE = '10';
    process.env.E2E_DB_POOL_MODE = 'session';
    if (process.env.TEST_PGBOUNCER) {
      if (process.env.TEST_PGBOUNCER !== 'transaction') throw new Error('TEST_PGBOUNCER can only be "transaction"');
      const pgbouncer = await startPgBouncer(url, 'transaction');
      globalThis.__TEST_PGBOUNCER__ = pgbouncer;
      process.env.E2E_DATABASE_URL = pgbouncer.rewrite(url);
      process.env.E2E_DB_POOL_MODE = 'transaction';
    }
    return;
  }
  if (process.env.TEST_PGBOUNCER) throw new Error('TEST_PGBOUNCER needs TEST_DATABASE_URL (a PostgreSQL server)');
  const dataDir = mkdtempSync(join(tmpdir(), 'taskwell-test-'));
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  globalThis.__EMBEDDED_TEST_DB__ = { db, server, dataDir };
  process.env.E2E_DATABASE_URL = `postgresql://postgres:postgres@${server.getServerConn()}/postgres`;
  process.env.E2E_DB_POOL_SIZE = '1'; // the embedded engine has a single session
  process.env.E2E_DB_POOL_MODE = 'session';
}
