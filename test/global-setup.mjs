// Plain JavaScript: Jest loads global setup outside its ESM TypeScript pipeline.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { recreateDatabase } from '../scripts/recreate-database.mjs';

/**
 * The e2e database. With TEST_DATABASE_URL, that database is dropped and
 * created afresh on its server. Without it, an embedded engine in a temporary
 * folder serves the whole run, so `npm test` needs no server. The application
 * under test applies the migrations when it boots.
 * On a Citus coordinator the database is made on every node
 * (`recreateDatabase`); TEST_EXPECT_CITUS=1 makes a run that should be on
 * Citus fail when it is not.
 */
export default async function globalSetup() {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    await recreateDatabase(url, { expectCitus: process.env.TEST_EXPECT_CITUS === '1' });
    process.env.E2E_DATABASE_URL = url;
    process.env.E2E_DB_POOL_SIZE = '10';
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'taskwell-test-'));
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  globalThis.__EMBEDDED_TEST_DB__ = { db, server, dataDir };
  process.env.E2E_DATABASE_URL = `postgresql://postgres:postgres@${server.getServerConn()}/postgres`;
  process.env.E2E_DB_POOL_SIZE = '1'; // the embedded engine has a single session
}
