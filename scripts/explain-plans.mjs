// Proves that every list shape is answered from an owner-scoped index (docs/LISTING.md).
//
//   npm run explain [-- --reseed]    (builds first; EXPLAIN_DATABASE_URL overrides the database)
//
// Seeds 1,000,000 tasks over 1,000 users plus one user with 100,000 (rows
// interleaved, so each user's tasks are spread over the whole table) with SQL
// generate_series, into a dedicated database, then prints EXPLAIN (ANALYZE,
// BUFFERS) of the service's own list statements for each shape, first page
// and a deep cursor page. The seed runs before the index migration, so that
// migration is also exercised on a populated table.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import pg from 'pg';
import { buildListStatement } from '../dist/src/tasks/list/list-statement.js';
import { SORTS } from '../dist/src/tasks/list/task-sort.js';
import { cursorKeyOf } from '../dist/src/tasks/list/list-cursor.js';
import { InitialSchema1763770000000 } from '../dist/migrations/1763770000000-InitialSchema.js';
import { TaskListIndexes1763800000000 } from '../dist/migrations/1763800000000-TaskListIndexes.js';

const url = process.env.EXPLAIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/taskwell_explain';
const reseed = process.argv.includes('--reseed');
const USERS = 1000;
const TASKS = 1_000_000;
const HEAVY_TASKS = 100_000;
const DEEP = 5000; // rows before the deep page
const LIMIT = 20;

const dbName = new URL(url).pathname.slice(1);
const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
await admin.connect();
const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).rowCount > 0;
if (reseed && exists) await admin.query(`DROP DATABASE "${dbName}" WITH (FORCE)`);
if (reseed || !exists) await admin.query(`CREATE DATABASE "${dbName}"`);
await admin.end();

const migrate = async (migrations) => {
  const source = new DataSource({
    type: 'postgres',
    url,
    migrations,
    migrationsTransactionMode: 'each',
    installExtensions: false,
    extra: { options: '-c maintenance_work_mem=512MB' },
  });
  await source.initialize();
  await source.runMigrations();
  await source.destroy();
};

const db = new pg.Client({ connectionString: url });
await db.connect();
const seeded = (await db.query("SELECT to_regclass('tasks') IS NOT NULL AS ok")).rows[0].ok;
if (!seeded) {
  await migrate([InitialSchema1763770000000]);
  log(`seeding ${USERS} users × ${TASKS / USERS} tasks + 1 user × ${HEAVY_TASKS}…`);
  const started = Date.now();
  await db.query(`INSERT INTO users (email, password_hash)
    SELECT 'user' || n || '@example.com', 'x' FROM generate_series(0, ${USERS}) n`);
  // Words make search realistic: common words hit many rows, rare ones few.
  await db.query(`
    WITH u AS (SELECT array_agg(id ORDER BY email) AS ids FROM users WHERE email <> 'user${USERS}@example.com'),
         h AS (SELECT id FROM users WHERE email = 'user${USERS}@example.com'),
         w AS (SELECT ARRAY['report','invoice','meeting','review','deploy','call','email','plan','budget','design',
                             'refactor','lunch','dentist','taxes','garden','groceries','sprint','hiring','audit','launch'] AS words)
    INSERT INTO tasks (user_id, title, description, completed, completed_at, priority, due_at, tags, created_at, updated_at)
    -- Consecutive blocks of n per user, so every user gets a mix of the n-derived values.
    SELECT CASE WHEN n % 11 = 0 THEN h.id ELSE u.ids[1 + (n / 11) % ${USERS}] END,
           w.words[1 + n % 20] || ' ' || w.words[1 + (n / 20) % 20] || ' #' || n,
           CASE WHEN n % 2 = 0 THEN 'notes for ' || w.words[1 + (n / 7) % 20] || ' item ' || md5(n::text) END,
           n % 10 < 3, CASE WHEN n % 10 < 3 THEN ts END,
           (ARRAY['low','medium','high'])[1 + n % 3],
           CASE WHEN n % 10 < 7 THEN ts + ((n % 90) || ' days')::interval END,
           (CASE n % 4 WHEN 0 THEN '{}' WHEN 1 THEN '{work}' WHEN 2 THEN '{home,errand}' ELSE '{work,urgent,q4}' END)::text[],
           ts, ts
      FROM generate_series(1, ${TASKS + HEAVY_TASKS}) n, u, h, w,
           LATERAL (SELECT timestamptz '2026-01-01' + n * interval '20 seconds' AS ts) t`);
  log(`seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
{
  const started = Date.now();
  await migrate([InitialSchema1763770000000, TaskListIndexes1763800000000]);
  log(`index migration (if pending) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
await db.query('VACUUM ANALYZE tasks');
await db.query('VACUUM ANALYZE task_counts');

const heavy = (await db.query(`SELECT id FROM users WHERE email = 'user${USERS}@example.com'`)).rows[0].id;
const normal = (await db.query(`SELECT id FROM users WHERE email = 'user7@example.com'`)).rows[0].id;
const info = (
  await db.query(`SELECT version() AS v, (SELECT count(*) FROM tasks) AS tasks,
  (SELECT string_agg(indexname, ', ' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'tasks') AS indexes`)
).rows[0];
log(`${info.v}\n${info.tasks} tasks; indexes on tasks: ${info.indexes}\n`);

const shapes = [
  { name: 'default (createdAt desc)', sort: 'createdAt' },
  { name: 'createdAt asc', sort: 'createdAt', order: 'asc' },
  { name: 'updatedAt desc', sort: 'updatedAt' },
  { name: 'dueAt asc (nulls last)', sort: 'dueAt' },
  { name: 'dueAt desc (nulls last)', sort: 'dueAt', order: 'desc' },
  { name: 'priority desc (by rank)', sort: 'priority' },
  { name: 'title asc', sort: 'title' },
  { name: 'status=pending', sort: 'createdAt', filters: { status: 'pending' } },
  { name: 'status=pending sort=dueAt (bench shape)', sort: 'dueAt', filters: { status: 'pending' } },
  { name: 'status=completed', sort: 'createdAt', filters: { status: 'completed' } },
  { name: 'priority=high', sort: 'createdAt', filters: { priority: 'high' } },
  { name: 'tag=urgent', sort: 'createdAt', filters: { tag: 'urgent' } },
  { name: 'q=dentist (search)', sort: 'createdAt', filters: { q: 'dentist' } },
  { name: 'q=#12345 (rare search)', sort: 'createdAt', filters: { q: '#12345' } },
  {
    name: 'dueAfter..dueBefore',
    sort: 'dueAt',
    filters: { dueAfter: '2026-03-01T00:00:00Z', dueBefore: '2026-03-15T00:00:00Z' },
  },
];

const summary = [];
for (const [who, ownerId] of [
  ['heavy user (100,000 tasks)', heavy],
  ['normal user (1,000 tasks)', normal],
]) {
  for (const shape of shapes) {
    const order = shape.order ?? SORTS[shape.sort].defaultOrder;
    const filters = { status: 'all', ...shape.filters };
    const base = { ownerId, filters, sort: shape.sort, order, fetch: LIMIT + 1 };
    const after = await positionAt(base, who.startsWith('heavy') ? DEEP : 200);
    /** @type {[string, object | undefined][]} */
    const pages = [
      ['first', base],
      ['deep', after && { ...base, after }],
    ];
    for (const [page, plan] of pages) {
      if (!plan) continue;
      const { text, values } = buildListStatement(plan);
      const rows = (await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values)).rows.map((row) => row['QUERY PLAN']);
      const time = rows.find((line) => line.startsWith('Execution Time'));
      const scans = [
        ...new Set(
          rows
            .map(
              (l) =>
                /(?:Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)(?: Backward)?(?: using (\w+)| on (\w+))/.exec(
                  l,
                )?.[0],
            )
            .filter(Boolean),
        ),
      ];
      summary.push(
        `| ${who.split(' ')[0]} | ${shape.name} | ${page} | ${scans.join('; ')} | ${time.replace('Execution Time: ', '')} |`,
      );
      log(
        `=== ${who} — ${shape.name} — ${page} page${plan.after ? ` (after ${who.startsWith('heavy') ? DEEP : 200} rows)` : ''}`,
      );
      log(rows.join('\n') + '\n');
    }
  }
}
log('| user | shape | page | index scans | execution time |\n|---|---|---|---|---|');
log(summary.join('\n'));
await db.end();

/** The keyset position after `skip` rows of this shape, read from the statement itself. */
async function positionAt(plan, skip) {
  const { text, values } = buildListStatement({ ...plan, fetch: skip });
  const rows = (await db.query(text, values)).rows.filter((row) => row.id !== null);
  const last = rows.at(-1);
  return rows.length === skip && last ? { key: cursorKeyOf(last.sortKey), id: last.id } : undefined;
}

function log(text) {
  process.stdout.write(`${text}\n`);
}
