// Load script for the event streams (docs/PERFORMANCE.md#event-streams): not a timed test.
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/taskwell_bench REDIS_URL=redis://127.0.0.1:6379 npm run bench:live
//
// Starts the built service on BENCH_PORT (3100) against BENCH_DATABASE_URL (emptied first: a
// dedicated database), with REDIS_URL if set, and measures:
//   1. idle streams: opens STREAMS (1000; 10000 for the documented target) streams, OPENING (50) at a
//      time, and reports the service's resident memory and its heap (after a full GC) per stream;
//   2. fan-out: WATCHERS (100) members of one list each hold a stream while writes arrive at
//      WRITES_PER_SECOND (200) for SECONDS (10); reports the latency from a write's commit to each
//      watcher's event (p50, p95, p99, max) and how many deliveries arrived.
// Writes go straight to the database (a task and its change, as ChangeLog.record writes them, in one
// transaction) and then signal the list on Redis as the service does, so the measure is the fan-out
// (signal, feed read, event), not the write route. Without REDIS_URL the streams only find the writes
// only through their own instance's signals, which this script does not send: the script says so.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { Redis } from 'ioredis';
import pg from 'pg';
import { register as registerAccount, sleep, startService as startBuiltService } from './bench-service.mjs';
import { recreateDatabase } from './recreate-database.mjs';

const env = process.env;
const STREAMS = Number(env.STREAMS ?? 1000);
const WATCHERS = Number(env.WATCHERS ?? 100);
const WRITES_PER_SECOND = Number(env.WRITES_PER_SECOND ?? 200);
const SECONDS = Number(env.SECONDS ?? 10);
const OPENING = Number(env.OPENING ?? 50);
const PREFIX = env.REDIS_KEY_PREFIX ?? 'taskwell:';
const STREAMS_PER_USER = 1000;

/**
 * Loaded into the service: on SIGUSR2 it runs a full GC and writes process.memoryUsage() (bytes) to
 * BENCH_MEMORY_FILE, so the heap per stream is measured from outside.
 */
const MEMORY_PROBE = `data:text/javascript,${encodeURIComponent(
  `import { writeFileSync } from 'node:fs';
   process.on('SIGUSR2', () => {
     globalThis.gc?.();
     writeFileSync(process.env.BENCH_MEMORY_FILE, JSON.stringify(process.memoryUsage()));
   });`,
)}`;

const memoryDir = mkdtempSync(join(tmpdir(), 'bench-live-'));
const memoryFile = join(memoryDir, 'memory.json');
const url = env.BENCH_DATABASE_URL;
if (!url) throw new Error('Set BENCH_DATABASE_URL (a database to empty and use)');
const { server, base } = await startService();
const db = new pg.Pool({ connectionString: url, max: 20 });
const redis = env.REDIS_URL ? new Redis(env.REDIS_URL) : undefined;
const open = [];
try {
  // 1. Idle streams and their memory.
  const idleUsers = [];
  for (let i = 0; i < Math.ceil(STREAMS / STREAMS_PER_USER); i++) idleUsers.push(await register(`idle${i}`));
  await sleep(1000);
  const before = await memory(server);
  const opened = Date.now();
  let next = 0;
  const opener = async () => {
    for (let i = next++; i < STREAMS; i = next++) {
      open.push(await stream(idleUsers[Math.floor(i / STREAMS_PER_USER)].token));
    }
  };
  await Promise.all(Array.from({ length: OPENING }, opener));
  const openMs = Date.now() - opened;
  await sleep(2000);
  const after = await memory(server);
  const per = (key) => ((after[key] - before[key]) / STREAMS).toFixed(1);
  console.log(
    `idle streams: ${STREAMS} open (in ${(openMs / 1000).toFixed(1)} s); service RSS ${mb(before.rss)} → ${mb(after.rss)} MB, ` +
      `${per('rss')} kB a stream; heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)} MB, ${per('heapUsed')} kB a stream`,
  );

  // 2. Fan-out to the watchers of one list.
  const owner = await register('owner');
  const watchers = [];
  for (let i = 0; i < WATCHERS; i++) watchers.push(await register(`watcher${i}`));
  const listId = await createList(
    owner.id,
    watchers.map((w) => w.id),
  );
  const latencies = [];
  let pulls = 0;
  for (const watcher of watchers) {
    open.push(
      await stream(watcher.token, (changes) => {
        if (!Array.isArray(changes)) return void pulls++;
        const now = Date.now();
        for (const change of changes) {
          const title = change.data?.title;
          if (typeof title === 'string' && title.startsWith('t:')) latencies.push(now - Number(title.slice(2)));
        }
      }),
    );
  }
  if (!redis) console.log('REDIS_URL unset: the streams find the writes only on their periodic read');
  let writes = 0;
  const started = Date.now();
  const pending = [];
  while (Date.now() - started < SECONDS * 1000) {
    pending.push(write(owner.id, listId).then(() => writes++));
    const next = started + ((pending.length + 1) * 1000) / WRITES_PER_SECOND;
    await sleep(Math.max(0, next - Date.now()));
  }
  await Promise.all(pending);
  await sleep(3000);
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  console.log(
    `fan-out: ${WATCHERS} watchers, ${writes} writes in ${SECONDS} s (${(writes / SECONDS).toFixed(0)}/s); ` +
      `${latencies.length} of ${writes * WATCHERS} deliveries, ${pulls} pulls; ` +
      `latency p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms, max ${latencies.at(-1)} ms`,
  );
} finally {
  for (const connection of open) connection.destroy();
  await db.end();
  redis?.disconnect();
  server.kill('SIGTERM');
  rmSync(memoryDir, { recursive: true, force: true });
}

async function startService() {
  await recreateDatabase(url);
  const { server, origin } = await startBuiltService({
    port: env.BENCH_PORT ?? '3100',
    databaseUrl: url,
    nodeArgs: ['--expose-gc', '--import', MEMORY_PROBE],
    env: {
      BENCH_MEMORY_FILE: memoryFile,
      HTTP_MAX_CONNECTIONS: String(Math.ceil(((STREAMS + WATCHERS + 100) / 0.8) * 1.1)),
      EVENTS_MAX_STREAMS: String(STREAMS + WATCHERS + 100),
      EVENTS_MAX_STREAMS_PER_USER: String(STREAMS_PER_USER),
    },
  });
  return { server, base: origin };
}

function register(name) {
  return registerAccount(base, name);
}

/** A list of the owner with the watchers as viewers (SQL: the measure is the streams, not the list routes). */
async function createList(ownerId, memberIds) {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(`INSERT INTO lists (owner_id, name) VALUES ($1, 'bench') RETURNING id`, [
      ownerId,
    ]);
    const listId = rows[0].id;
    await client.query(`INSERT INTO list_members (list_id, user_id, role) VALUES ($1, $2, 'owner')`, [listId, ownerId]);
    for (const id of memberIds) {
      await client.query(`INSERT INTO list_members (list_id, user_id, role) VALUES ($1, $2, 'viewer')`, [listId, id]);
    }
    await client.query(`INSERT INTO list_counters (list_id) VALUES ($1) ON CONFLICT DO NOTHING`, [listId]);
    await client.query('COMMIT');
    return listId;
  } finally {
    client.release();
  }
}

/** A task and its change in one transaction, as the service records them; then the signal. */
async function write(ownerId, listId) {
  const client = await db.connect();
  let seq;
  try {
    await client.query('BEGIN');
    const title = `t:${Date.now()}`;
    const { rows } = await client.query(
      `INSERT INTO tasks (list_id, user_id, created_by, title) VALUES ($1, $2, $2, $3)
       RETURNING id, list_id AS "listId", user_id AS "userId", title, version`,
      [listId, ownerId, title],
    );
    const task = rows[0];
    const position = await client.query(
      `UPDATE list_counters SET change_seq = change_seq + 1, change_at = GREATEST(now(), change_at)
        WHERE list_id = $1 RETURNING change_seq AS seq, change_at AS at`,
      [listId],
    );
    seq = Number(position.rows[0].seq);
    await client.query(
      `INSERT INTO changes (list_id, seq, entity, op, entity_id, version, type, data, actor_id, created_at)
       VALUES ($1, $2, 'task', 'upsert', $3, $4, 'task.created', $5, $6, $7)`,
      [listId, seq, task.id, task.version, JSON.stringify(task), ownerId, position.rows[0].at],
    );
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  await redis?.publish(`${PREFIX}changes`, JSON.stringify({ listId, seq, from: 'bench-live' }));
}

/** Opens an event stream; `onChanges` gets each event's data. Resolves once the first comment arrived. */
function stream(token, onChanges = () => undefined) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}/api/events`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream: ${res.statusCode}`));
      res.setEncoding('utf8');
      let pending = '';
      res.once('data', () => resolve(req));
      res.on('data', (chunk) => {
        pending += chunk;
        let end;
        while ((end = pending.indexOf('\n\n')) >= 0) {
          const block = pending.slice(0, end);
          pending = pending.slice(end + 2);
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (data) onChanges(JSON.parse(data.slice(6)));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The service's resident memory and heap after a full GC, in kB. */
async function memory(server) {
  rmSync(memoryFile, { force: true });
  server.kill('SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await sleep(100);
    try {
      const usage = JSON.parse(readFileSync(memoryFile, 'utf8'));
      return { rss: usage.rss / 1024, heapUsed: usage.heapUsed / 1024 };
    } catch {
      // not written yet
    }
  }
  throw new Error('the service did not report its memory');
}

function mb(kb) {
  return (kb / 1024).toFixed(1);
}
