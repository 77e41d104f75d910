// Load script for webhooks (docs/PERFORMANCE.md#webhooks): not a timed test.
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/taskwell_bench REDIS_URL=redis://127.0.0.1:6379 npm run bench:webhooks
//
// Starts INSTANCES (2) built services from BENCH_PORT (3200) against BENCH_DATABASE_URL (emptied first: a
// dedicated database), with REDIS_URL if set, and a local HTTPS receiver (a self-signed certificate the
// services trust through NODE_EXTRA_CA_CERTS; WEBHOOKS_ALLOW_PRIVATE_TARGETS=true, since it is on this
// machine). LISTS (10) lists each get one endpoint; changes are committed at RATE (300) a second for
// SECONDS (10), spread over the lists, and the script reports the delivery lag, from each change's
// commit to its arrival at the receiver (p50, p95, p99, max), deliveries, duplicates, and how long the
// backlog took to drain, and on Linux the services' CPU time and write system calls per delivered change
// over the same span (/proc; the writes are the script's, so this is the dispatchers' cost, the signals'
// and the HTTP server's idle work). RECEIVER_DELAY_MS (0) slows each answer.
// Writes go straight to the database (a task and its change, as ChangeLog.record writes them, in one
// transaction), then signal the list on Redis as the service does: the measure is the dispatchers
// (follow the log, claim, sign, send), not the write route. Without REDIS_URL the dispatchers find the
// changes on their poll (WEBHOOKS_POLL_MS, 1000): the script says so.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { recreateDatabase } from './recreate-database.mjs';
import { register as registerAccount, sleep, startService as startBuiltService } from './bench-service.mjs';

const env = process.env;
const INSTANCES = Number(env.INSTANCES ?? 2);
const LISTS = Number(env.LISTS ?? 10);
const RATE = Number(env.RATE ?? 300);
const SECONDS = Number(env.SECONDS ?? 10);
const RECEIVER_DELAY_MS = Number(env.RECEIVER_DELAY_MS ?? 0);
const PREFIX = env.REDIS_KEY_PREFIX ?? 'taskwell:';
const OPENSSL = 'openssl';

const url = env.BENCH_DATABASE_URL;
if (!url) throw new Error('Set BENCH_DATABASE_URL (a database to empty and use)');

const dir = mkdtempSync(join(tmpdir(), 'taskwell-bench-hooks-'));
execFileSync(
  OPENSSL,
  [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
  ],
  { stdio: 'pipe' },
);

/** task id → commit time; event id → arrivals */
const committedAt = new Map();
const arrivals = new Map();
let requests = 0;
const receiver = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) });
receiver.on('request', (req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const at = Date.now();
    requests++;
    const id = req.headers['webhook-id'];
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const list = arrivals.get(id) ?? [];
    list.push({ at, taskId: body.data.id });
    arrivals.set(id, list);
    setTimeout(() => res.writeHead(204).end(), RECEIVER_DELAY_MS);
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverPort = receiver.address().port;

await recreateDatabase(url);
const jwtSecret = randomBytes(48).toString('base64url');
const webhooksKey = randomBytes(48).toString('base64url');
const servers = [];
for (let i = 0; i < INSTANCES; i++) servers.push(await startService(Number(env.BENCH_PORT ?? 3200) + i));
const base = servers[0].base;
const db = new pg.Pool({ connectionString: url, max: 40 });
const redis = env.REDIS_URL ? new Redis(env.REDIS_URL) : undefined;
try {
  const owner = await register('owner');
  const lists = [];
  for (let i = 0; i < LISTS; i++) {
    const list = await api(owner.token, 'POST', '/api/lists', { name: `bench ${i}` });
    await api(owner.token, 'POST', `/api/lists/${list.id}/webhooks`, {
      url: `https://localhost:${receiverPort}/hook/${i}`,
      events: ['task.created'],
    });
    lists.push(list.id);
  }
  if (!redis) console.log('REDIS_URL unset: the dispatchers find the changes on their poll (WEBHOOKS_POLL_MS)');

  const costBefore = cost(servers);
  let written = 0;
  const started = Date.now();
  const pending = [];
  while (Date.now() - started < SECONDS * 1000) {
    const listId = lists[pending.length % lists.length];
    pending.push(write(owner.id, listId).then(() => written++));
    const next = started + ((pending.length + 1) * 1000) / RATE;
    await sleep(Math.max(0, next - Date.now()));
  }
  await Promise.all(pending);
  const writtenIn = (Date.now() - started) / 1000;
  const deadline = Date.now() + 120_000;
  while (arrivals.size < written && Date.now() < deadline) await sleep(100);
  const drained = (Date.now() - started) / 1000;
  const costAfter = cost(servers);

  const lags = [];
  for (const list of arrivals.values()) {
    const first = list[0];
    const commit = committedAt.get(first.taskId);
    if (commit !== undefined) lags.push(first.at - commit);
  }
  lags.sort((a, b) => a - b);
  const at = (q) => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))] ?? NaN;
  console.log(
    `webhooks: ${INSTANCES} instances, ${LISTS} lists, ${written} changes in ${writtenIn.toFixed(1)} s ` +
      `(${(written / writtenIn).toFixed(0)}/s); ${arrivals.size} delivered (${requests - arrivals.size} duplicates), ` +
      `all in by ${drained.toFixed(1)} s; lag p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms, max ${lags.at(-1)} ms`,
  );
  if (costBefore && costAfter && arrivals.size > 0) {
    const per = (key) => (costAfter[key] - costBefore[key]) / arrivals.size;
    console.log(
      `services, per delivered change: ${per('cpuMs').toFixed(2)} ms of CPU, ${per('writes').toFixed(1)} write system calls`,
    );
  }
} finally {
  await db.end();
  redis?.disconnect();
  for (const { server } of servers) server.kill('SIGTERM');
  receiver.closeAllConnections();
  receiver.close();
  rmSync(dir, { recursive: true, force: true });
}

async function startService(port) {
  const { server, origin } = await startBuiltService({
    port,
    databaseUrl: url,
    env: {
      JWT_SECRET: jwtSecret,
      RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
      RATE_LIMIT_WRITES_BURST: '100000',
      LISTS_MAX_OWNED: '100000',
      WEBHOOKS_ENABLED: 'true',
      WEBHOOKS_SECRET_KEY: webhooksKey,
      WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOKS_MAX_PER_LIST: '10',
      NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem'),
    },
  });
  return { server, base: origin };
}

/** The services' CPU time (user + system, ms) and write system calls so far, from /proc; undefined elsewhere. */
function cost(list) {
  if (!existsSync('/proc/self/io')) return undefined;
  let cpuMs = 0;
  let writes = 0;
  for (const { server } of list) {
    // utime and stime are fields 14 and 15, in clock ticks (100 a second on Linux).
    const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    cpuMs += (Number(fields[11]) + Number(fields[12])) * 10;
    writes += Number(/syscw: (\d+)/.exec(readFileSync(`/proc/${server.pid}/io`, 'utf8'))[1]);
  }
  return { cpuMs, writes };
}

function register(name) {
  return registerAccount(base, name);
}

async function api(token, method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()).data;
}

/** A task and its change in one transaction, as the service records them; then the signal. */
async function write(ownerId, listId) {
  const client = await db.connect();
  let seq;
  let taskId;
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(
      `INSERT INTO tasks (list_id, user_id, created_by, title) VALUES ($1, $2, $2, 'bench')
       RETURNING id, list_id AS "listId", user_id AS "userId", title, version`,
      [listId, ownerId],
    );
    const task = rows[0];
    taskId = task.id;
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
    committedAt.set(taskId, Date.now());
  } finally {
    client.release();
  }
  await redis?.publish(`${PREFIX}changes`, JSON.stringify({ listId, seq, from: 'bench-webhooks' }));
}
