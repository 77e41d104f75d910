// Plain JavaScript: Jest loads global setup outside its ESM TypeScript pipeline.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';

/**
 * The e2e database. With TEST_DATABASE_URL, that database is dropped and
 * created afresh on its server. Without it, an embedded engine in a temporary
 * folder serves the whole run, so `npm test` needs no server. The application
 * under test applies the migrations when it boots.
 *
 * On a Citus coordinator (its `postgres` database has the citus extension and
 * workers), the database is made on every node with the extension, and the
 * coordinator is told about the workers, as Citus asks of a new database.
 * TEST_EXPECT_CITUS=1 makes a run that should be on Citus fail when it is not.
 */
export default async function globalSetup() {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    await recreateDatabase(url);
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

async function recreateDatabase(url) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^\w+$/.test(name)) throw new Error(`TEST_DATABASE_URL names an unusual database: ${name}`);
  const coordinator = await withClient(withDatabase(url, 'postgres'), async (admin) => {
    const workers = await citusWorkers(admin);
    await recreate(admin, name);
    return workers;
  });
  if (!coordinator) {
    if (process.env.TEST_EXPECT_CITUS === '1')
      throw new Error('TEST_EXPECT_CITUS=1, but TEST_DATABASE_URL is no Citus coordinator');
    return;
  }
  for (const worker of coordinator.workers) {
    await withClient(withDatabase(nodeUrl(url, worker), 'postgres'), (admin) => recreate(admin, name));
    await withClient(withDatabase(nodeUrl(url, worker), name), (db) => db.query('CREATE EXTENSION citus'));
  }
  await withClient(url, async (db) => {
    await db.query('CREATE EXTENSION citus');
    await db.query('SELECT citus_set_coordinator_host($1, $2)', [coordinator.self.nodename, coordinator.self.nodeport]);
    for (const worker of coordinator.workers) {
      await db.query('SELECT citus_add_node($1, $2)', [worker.nodename, worker.nodeport]);
    }
  });
}

/** The coordinator's own entry and its workers, when `admin` is a Citus coordinator; otherwise undefined. */
async function citusWorkers(admin) {
  const { rowCount } = await admin.query(`SELECT 1 FROM pg_extension WHERE extname = 'citus'`);
  if (!rowCount) return undefined;
  const { rows } = await admin.query(
    `SELECT nodename, nodeport, groupid = 0 AS coordinator FROM pg_dist_node WHERE noderole = 'primary' ORDER BY nodeid`,
  );
  const self = rows.find((row) => row.coordinator);
  const workers = rows.filter((row) => !row.coordinator);
  return self && workers.length > 0 ? { self, workers } : undefined;
}

async function recreate(admin, name) {
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
}

function withDatabase(url, name) {
  const copy = new URL(url);
  copy.pathname = `/${name}`;
  return copy.toString();
}

/** The URL of another node: same user and options, that node's host and port. */
function nodeUrl(url, node) {
  const copy = new URL(url);
  copy.hostname = node.nodename;
  copy.port = String(node.nodeport);
  return copy.toString();
}

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
