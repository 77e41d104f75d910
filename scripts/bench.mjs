// The repository's own load benchmark (docs/PERFORMANCE.md):
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/taskwell_bench npm run bench
//   BENCH_URL=http://127.0.0.1:3000 npm run bench        (a service that is already running)
//
// Without BENCH_URL it starts the built service in production mode on
// BENCH_PORT (3100) against BENCH_DATABASE_URL (emptied first: use a
// dedicated database), with a pool of 10 and LOG_LEVEL=warn, and stops it at
// the end. Then it seeds through the API (USERS users × TASKS_PER_USER tasks
// plus one user with HEAVY_TASKS), and drives load with autocannon:
//   mixed        55% list, 10% pending-by-due list, 15% get, 10% create, 5% patch, 5% toggle
//   heavy-first  the heavy user's first page (limit=50)
//   heavy-deep   the page after 20 pages of 50
// Prints one line per run and a Markdown table. Same workload as the wrk
// harness of scripts/bench-vs-reference.sh, without needing wrk.
//
// BENCH_SHARED=1 also runs the mixed workload with shared lists: the users are
// put in teams of SHARED_MEMBERS (20), each team's first user shares a list
// with the others (editor invitations), TASKS_PER_USER tasks are created in it,
// and half of the requests of this run go to the caller's team list through
// /api/lists/{listId}/tasks (the other half as in mixed).
//
// BENCH_EXTERNAL=1 (with BENCH_DATABASE_URL) also runs the mixed workload as
// users of an identity provider: a local EdDSA issuer (jose keys, a JWKS
// server on 127.0.0.1, tokens shaped like Better Auth's) is configured in
// TRUSTED_ISSUERS, as many users again are seeded with its tokens, and each
// mixed run is followed at once by the same run with those tokens; the
// table then gives their req/s ratio.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import autocannon from 'autocannon';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import pg from 'pg';
import { recreateDatabase } from './recreate-database.mjs';
import { register as registerAccount, sleep, startService as startBuiltService } from './bench-service.mjs';

const env = process.env;
const USERS = Number(env.USERS ?? 50);
const TASKS_PER_USER = Number(env.TASKS_PER_USER ?? 200);
const HEAVY_TASKS = Number(env.HEAVY_TASKS ?? 10000);
const DURATION = Number(env.DURATION ?? 20);
const HEAVY_DURATION = Number(env.HEAVY_DURATION ?? 10);
const CONNECTIONS = (env.CONNECTIONS ?? '100,10').split(',').map(Number);
const SHARED = env.BENCH_SHARED === '1';
const SHARED_MEMBERS = Number(env.SHARED_MEMBERS ?? 20);

let server;
const issuer = env.BENCH_EXTERNAL === '1' ? await startIssuer() : undefined;
const base = env.BENCH_URL ?? (await startService());
try {
  const { users, external, heavy, deepCursor } = await seed();
  // As the wrk harness does after its setup: fresh statistics and visibility map for the planner.
  if (env.BENCH_DATABASE_URL) await vacuumAnalyze(env.BENCH_DATABASE_URL);
  const rows = [];
  const ratios = [];
  for (const connections of CONNECTIONS) {
    const ours = await run('mixed', connections, DURATION, mixedRequest(users));
    rows.push(ours);
    if (!issuer) continue;
    // Back to back with the same workload, so both see the same machine.
    const theirs = await run('mixed-external', connections, DURATION, mixedRequest(external));
    rows.push(theirs);
    ratios.push(`${connections} connections: external/ours req/s = ${(theirs.rps / ours.rps).toFixed(3)}`);
  }
  if (SHARED) {
    const teams = await shareLists(users);
    for (const connections of CONNECTIONS) {
      const ours = rows.find((row) => row.name === 'mixed' && row.connections === connections);
      const shared = await run('mixed-shared', connections, DURATION, sharedRequest(users, teams));
      rows.push(shared);
      ratios.push(`${connections} connections: shared/mixed req/s = ${(shared.rps / ours.rps).toFixed(3)}`);
    }
  }
  const heavyHeaders = { authorization: `Bearer ${heavy.token}` };
  for (const [name, path] of [
    ['heavy-first', '/api/tasks?limit=50'],
    ['heavy-deep', `/api/tasks?limit=50&cursor=${deepCursor}`],
  ]) {
    rows.push(await run(name, CONNECTIONS[0], HEAVY_DURATION, () => ({ method: 'GET', path, headers: heavyHeaders })));
  }
  console.log('\n| run | conns | req/s | p50 ms | p99 ms | non-2xx |\n|---|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.name} | ${r.connections} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.non2xx} |`);
  for (const line of ratios) console.log(line);
} finally {
  server?.kill('SIGTERM');
  issuer?.close();
}

/** An EdDSA identity provider for BENCH_EXTERNAL: its JWKS on 127.0.0.1, and tokens like Better Auth's. */
async function startIssuer() {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const kid = randomBytes(16).toString('base64url');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'EdDSA' }] });
  const jwksServer = createServer((_request, response) =>
    response.writeHead(200, { 'content-type': 'application/json' }).end(jwks),
  );
  await new Promise((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${jwksServer.address().port}`;
  return {
    config: [{ issuer: origin, jwksUri: `${origin}/api/auth/jwks`, audience: 'taskwell-api', algorithms: ['EdDSA'] }],
    sign: (sub) =>
      new SignJWT({ sub, email: `${sub}@example.com`, emailVerified: false, name: 'Bench User' })
        .setProtectedHeader({ alg: 'EdDSA', kid })
        .setIssuer(origin)
        .setAudience('taskwell-api')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey),
    close: () => jwksServer.close(),
  };
}

async function startService() {
  const url = env.BENCH_DATABASE_URL;
  if (!url) throw new Error('Set BENCH_URL (a running service) or BENCH_DATABASE_URL (a database to empty and use)');
  await recreateDatabase(url);
  const started = await startBuiltService({
    port: env.BENCH_PORT ?? '3100',
    databaseUrl: url,
    env: {
      DB_POOL_SIZE: '10',
      // Seeding and the heavy runs drive a few accounts far past their fair share: measure the service, not its limits.
      RATE_LIMIT_WRITES_PER_MINUTE: '100000000',
      RATE_LIMIT_WRITES_BURST: '1000000',
      DB_MAX_CONCURRENT_PER_USER: '100',
      ...(issuer && { TRUSTED_ISSUERS: JSON.stringify(issuer.config) }),
    },
  });
  server = started.server;
  return started.origin;
}

async function vacuumAnalyze(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('VACUUM ANALYZE');
  await client.end();
}

async function api(method, path, token, body) {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: body && JSON.stringify(body),
    });
    if ((response.status === 429 || response.status >= 500) && attempt < 5) {
      await sleep(1000 * Number(response.headers.get('retry-after') ?? 1));
      continue;
    }
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? undefined : response.json();
  }
}

async function register() {
  return { token: (await registerAccount(base, 'bench')).token, ids: [] };
}

/** A task like the wrk harness's: ~70% due, ~30% completed, half described, 0-3 tags. */
function taskBody(n) {
  const body = { title: `Task ${n} ${randomBytes(3).toString('hex')}`, priority: ['low', 'medium', 'high'][n % 3] };
  if (Math.random() < 0.7) body.dueAt = new Date(Date.now() + Math.random() * 90 * 86400e3).toISOString();
  if (Math.random() < 0.3) body.completed = true;
  if (Math.random() < 0.5) body.description = `Details of task ${n}`;
  body.tags = ['work', 'home', 'urgent'].slice(0, n % 4);
  return body;
}

async function inParallel(jobs, width) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) await jobs[next++]();
    }),
  );
}

async function seed() {
  const started = Date.now();
  const users = [];
  await inParallel(
    Array.from({ length: USERS }, () => async () => users.push(await register())),
    4,
  );
  const external = [];
  if (issuer) {
    // The first request of each provisions its user, as a frontend's first call would.
    for (let i = 0; i < USERS; i++)
      external.push({ token: await issuer.sign(`ext-${randomBytes(12).toString('hex')}`), ids: [] });
  }
  const heavy = await register();
  const jobs = [];
  for (const user of [...users, ...external]) {
    for (let n = 0; n < TASKS_PER_USER; n++) {
      jobs.push(async () => user.ids.push((await api('POST', '/api/tasks', user.token, taskBody(n))).data.id));
    }
  }
  // Interleaved with the others, so the heavy user's rows are spread over the table.
  for (let n = 0; n < HEAVY_TASKS; n++) {
    jobs.splice(Math.floor(Math.random() * jobs.length), 0, () => api('POST', '/api/tasks', heavy.token, taskBody(n)));
  }
  await inParallel(jobs, 32);
  let cursor;
  for (let page = 0; page < 20; page++) {
    const query = cursor ? `&cursor=${cursor}` : '';
    cursor = (await api('GET', `/api/tasks?limit=50${query}`, heavy.token)).meta.nextCursor;
  }
  console.log(
    `seeded ${USERS}${issuer ? ` + ${USERS} external` : ''} users × ${TASKS_PER_USER} + ${HEAVY_TASKS} tasks in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  return { users, external, heavy, deepCursor: cursor };
}

function mixedRequest(users) {
  const pick = (list) => list[Math.floor(Math.random() * list.length)];
  return () => {
    const user = pick(users);
    const headers = { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' };
    const r = Math.random() * 100;
    if (r < 55) return { method: 'GET', path: '/api/tasks?limit=20', headers };
    if (r < 65) return { method: 'GET', path: '/api/tasks?limit=20&status=pending&sort=dueAt&order=asc', headers };
    const id = pick(user.ids);
    if (r < 80) return { method: 'GET', path: `/api/tasks/${id}`, headers };
    if (r < 90) {
      const body = JSON.stringify({ title: `Bench ${Date.now()}`, priority: 'high', tags: ['bench'] });
      return { method: 'POST', path: '/api/tasks', headers, body };
    }
    if (r < 95)
      return { method: 'PATCH', path: `/api/tasks/${id}`, headers, body: JSON.stringify({ title: `Edited ${r}` }) };
    return { method: 'POST', path: `/api/tasks/${id}/toggle`, headers };
  };
}

/** Teams of SHARED_MEMBERS users: the first shares a list with the others, which gets TASKS_PER_USER tasks. */
async function shareLists(users) {
  const started = Date.now();
  const teams = [];
  for (let first = 0; first + SHARED_MEMBERS <= users.length; first += SHARED_MEMBERS) {
    const members = users.slice(first, first + SHARED_MEMBERS);
    const owner = members[0];
    const list = (await api('POST', '/api/lists', owner.token, { name: `Team ${teams.length + 1}` })).data;
    const invitation = (
      await api('POST', `/api/lists/${list.id}/invitations`, owner.token, { role: 'editor', maxUses: members.length })
    ).data;
    for (const member of members.slice(1)) {
      await api('POST', '/api/invitations/accept', member.token, { token: invitation.token });
    }
    const team = { listId: list.id, members, ids: [] };
    await inParallel(
      Array.from({ length: TASKS_PER_USER }, (_, n) => async () => {
        const author = members[n % members.length];
        team.ids.push((await api('POST', `/api/lists/${list.id}/tasks`, author.token, taskBody(n))).data.id);
      }),
      16,
    );
    for (const member of members) member.team = team;
    teams.push(team);
  }
  console.log(
    `shared ${teams.length} lists of ${SHARED_MEMBERS} members × ${TASKS_PER_USER} tasks in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  return teams;
}

/** Half of the requests as in mixed, half (of the team members) on their team's list. */
function sharedRequest(users, teams) {
  const solo = mixedRequest(users);
  const pick = (list) => list[Math.floor(Math.random() * list.length)];
  return () => {
    if (Math.random() < 0.5) return solo();
    const team = pick(teams);
    const user = pick(team.members);
    const base = `/api/lists/${team.listId}/tasks`;
    const headers = { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' };
    const r = Math.random() * 100;
    if (r < 55) return { method: 'GET', path: `${base}?limit=20`, headers };
    if (r < 65) return { method: 'GET', path: `${base}?limit=20&status=pending&sort=dueAt&order=asc`, headers };
    const id = pick(team.ids);
    if (r < 80) return { method: 'GET', path: `${base}/${id}`, headers };
    if (r < 90) {
      const body = JSON.stringify({ title: `Bench ${Date.now()}`, priority: 'high', tags: ['bench'] });
      return { method: 'POST', path: base, headers, body };
    }
    if (r < 95)
      return { method: 'PATCH', path: `${base}/${id}`, headers, body: JSON.stringify({ title: `Edited ${r}` }) };
    return { method: 'POST', path: `${base}/${id}/toggle`, headers };
  };
}

async function run(name, connections, duration, next) {
  const result = await autocannon({
    url: base,
    connections,
    duration,
    requests: [{ setupRequest: (request) => ({ ...request, ...next() }) }],
  });
  const row = {
    name,
    connections,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
  console.log(JSON.stringify(row));
  return row;
}
