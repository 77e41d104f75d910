// Drops and creates a database, on every node when its server is a Citus coordinator.
// Used by the test setup and npm run bench.
import pg from 'pg';

/**
 * On a Citus coordinator (its `postgres` database has the citus extension and
 * workers), the database is made on every node with the extension, and the
 * coordinator is told about the workers, as Citus asks of a new database; the
 * migrations then distribute the tables. `expectCitus`: fail on a plain server.
 * Resolves to whether the server is a Citus coordinator.
 */
export async function recreateDatabase(url, { expectCitus = false } = {}) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^\w+$/.test(name)) throw new Error(`An unusual database name: ${name}`);
  const coordinator = await withClient(withDatabase(url, 'postgres'), async (admin) => {
    const workers = await citusWorkers(admin);
    await recreate(admin, name);
    return workers;
  });
  if (!coordinator) {
    if (expectCitus) throw new Error(`${name}: the server is no Citus coordinator (one with workers)`);
    return false;
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
  return true;
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
