import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { DataSource } from 'typeorm';
import { bearer, registerUser } from '../helpers/fixtures.js';
import { recordStatements } from '../helpers/sql-statements.js';
import { createTestApp } from '../helpers/test-app.js';
import { describeWhen } from '../helpers/describe-when.js';

/**
 * On a Citus coordinator (docs/SCALING.md): tasks are distributed by list, what
 * a user owns by user, and lists and their members are reference tables; every
 * statement the service runs for a user with one list is a single-shard router
 * plan, and only the views that span several lists fan out. Elsewhere there is nothing to check; a run that must be on Citus sets
 * TEST_EXPECT_CITUS=1, and the global setup then fails if it is not.
 */
const onCitus = describeWhen(
  process.env.E2E_ON_CITUS === '1',
  'TEST_DATABASE_URL on a Citus coordinator with workers (as CI runs it)',
);

onCitus('Citus cluster (e2e)', () => {
  let app: INestApplication<App>;
  let db: DataSource;

  beforeAll(async () => {
    // Logins of many accounts at once, from one address.
    app = await createTestApp({ RATE_LIMIT_AUTH_PER_MINUTE: '100000' });
    db = app.get(DataSource);
  });
  afterAll(async () => {
    await app.close();
  });

  it('distributes tasks and list counters by list, what a user owns by user, and copies users and lists', async () => {
    const rows: { table_name: string; citus_table_type: string; distribution_column: string; colocation_id: number }[] =
      await db.query(
        `SELECT table_name::text, citus_table_type, distribution_column, colocation_id FROM citus_tables ORDER BY 1`,
      );
    const byName = new Map(rows.map((row) => [row.table_name, row]));
    expect(byName.get('tasks')).toMatchObject({ citus_table_type: 'distributed', distribution_column: 'list_id' });
    expect(byName.get('list_counters')).toMatchObject({
      citus_table_type: 'distributed',
      distribution_column: 'list_id',
      colocation_id: byName.get('tasks')!.colocation_id,
    });
    for (const table of ['task_counts', 'sessions', 'refresh_tokens', 'idempotency_keys']) {
      expect(byName.get(table)).toMatchObject({
        citus_table_type: 'distributed',
        distribution_column: 'user_id',
        colocation_id: byName.get('sessions')!.colocation_id,
      });
    }
    for (const table of ['users', 'user_identities', 'lists', 'list_members', 'list_invitations']) {
      expect(byName.get(table)).toMatchObject({ citus_table_type: 'reference' });
    }
    // Nothing of the application's is left only on the coordinator, but the migration bookkeeping.
    const local: { name: string }[] = await db.query(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND NOT EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = c.oid)
        ORDER BY 1`,
    );
    expect(local.map((row) => row.name)).toEqual(['migrations', 'typeorm_metadata']);
  });

  it('plans every statement of a user’s requests as a single-shard router query', async () => {
    const seen = await recordStatements(app, () => exerciseOneUser(app));

    // The one statement over every user, by design: the purge of expired idempotency keys, once a minute
    // per instance (this instance's first keyed creation is in this exercise).
    const perUser = seen.filter(({ text }) => !text.startsWith('DELETE FROM idempotency_keys WHERE created_at <'));
    expect(perUser.length).toBe(seen.length - 1);
    // Not a user's requests: the webhook dispatcher's sweep for lists with unread changes or due deliveries, once
    // per WEBHOOKS_POLL_MS per instance, across every shard by design (docs/SCALING.md, "Router plans only").
    const ofUser = perUser.filter(
      ({ text }) => !/^SELECT (w|d)\.list_id AS "listId" FROM webhook_(cursors|deliveries) /.test(text),
    );
    // A login's account lock (docs/SCALING.md, "Account lock"): an advisory lock on the coordinator, no table.
    const accountLocks = ofUser.filter(({ text }) => text.startsWith('SELECT pg_advisory_xact_lock'));
    expect(accountLocks.length).toBeGreaterThan(0);
    // The change log's batch of one bulk write: rows of one list from unnest(), which Citus evaluates on the
    // coordinator ("pull to coordinator") and then inserts on that list's one shard; EXPLAIN shows no router plan.
    const batches = ofUser.filter(({ text }) => /^INSERT INTO changes \([^)]*\)\s+SELECT /.test(text));
    expect(batches.length).toBeGreaterThan(0);
    // A create locks the list's counter row, inserts and records its change in one statement (the task
    // quota). Citus runs the CTE as a router subplan on the list's shard and then routes the inserts: two
    // hops, both to that one shard (docs/SCALING.md, "Task quota"). EXPLAIN cannot show it with parameters.
    const quotaInserts = ofUser.filter(({ text }) => text.startsWith('WITH position AS ('));
    expect(quotaInserts.length).toBeGreaterThan(0);
    const routable = ofUser.filter(
      (statement) => ![quotaInserts, batches, accountLocks].some((excepted) => excepted.includes(statement)),
    );
    const distinct = [...new Map(routable.map((statement) => [statement.text, statement])).values()];
    expect(distinct.length).toBeGreaterThan(20);
    // A task's edit or deletion records its change in the same statement (CTEs: the write, the list's
    // counter, the change). Citus runs each CTE as a subplan, in turn, each on the list's one shard: one
    // round trip from the service, several hops between the coordinator and that shard, none elsewhere
    // (docs/SCALING.md, "Router plans only").
    const recorded = distinct.filter(({ text }) => /^WITH .*position AS \(/s.test(text));
    expect(recorded.length).toBeGreaterThan(0);
    const notRouted: string[] = [];
    for (const { text, values } of distinct) {
      const plan: { 'QUERY PLAN': string }[] = await db.query(`EXPLAIN ${text}`, values);
      const lines = plan.map((row) => row['QUERY PLAN']);
      const taskCounts = lines.filter((line) => /Task Count: /.test(line));
      const oneShardEach = taskCounts.length > 0 && taskCounts.every((line) => line.trim() === 'Task Count: 1');
      const routed = recorded.some((statement) => statement.text === text)
        ? oneShardEach && !lines.some((line) => /Repartition|Router: false/.test(line))
        : lines.some((line) => line.includes('Custom Scan (Citus')) &&
          taskCounts.length === 1 &&
          oneShardEach &&
          !lines.some((line) => /Distributed Subplan|Repartition|Router: false/.test(line));
      if (!routed) notRouted.push(`${text}\n${lines.join('\n')}`);
    }
    expect(notRouted).toEqual([]);
  }, 60_000);

  it('fans out only where a request spans the caller’s lists on several shards', async () => {
    const http = () => request(app.getHttpServer());
    const user = await registerUser(app);
    const headers = bearer(user);
    const shardOf = async (listId: string) =>
      (
        await db.query<{ shard: string }[]>(`SELECT get_shard_id_for_distribution_column('tasks', $1::uuid) AS shard`, [
          listId,
        ])
      )[0].shard;
    const inbox = (await http().get('/api/lists').set(headers).expect(200)).body.data[0].id as string;
    let other = '';
    for (let i = 0; i < 20 && other === ''; i++) {
      const id = (
        await http()
          .post('/api/lists')
          .set(headers)
          .send({ name: `l${i}` })
          .expect(201)
      ).body.data.id;
      if ((await shardOf(id)) !== (await shardOf(inbox))) other = id;
    }
    expect(other).not.toBe('');
    const task = (await http().post('/api/tasks').set(headers).send({ title: 'here' }).expect(201)).body.data;
    const shardsOf = async (work: () => Promise<unknown>): Promise<number[]> => {
      const seen = await recordStatements(app, work);
      const counts: number[] = [];
      for (const { text, values } of seen.filter((statement) => /\btasks t\b/.test(statement.text))) {
        const plan: { 'QUERY PLAN': string }[] = await db.query(`EXPLAIN ${text}`, values);
        const line = plan.map((row) => row['QUERY PLAN']).find((l) => /Task Count: /.test(l));
        counts.push(Number(/Task Count: (\d+)/.exec(line ?? '')?.[1] ?? 0));
      }
      return counts;
    };
    // The families that span lists: the page, and a task by id, reach the shards of every list the caller is in.
    expect(Math.max(...(await shardsOf(() => http().get('/api/tasks').set(headers).expect(200))))).toBe(2);
    expect(Math.max(...(await shardsOf(() => http().get(`/api/tasks/${task.id}`).set(headers).expect(200))))).toBe(2);
    // One list named, by filter or by path: one shard.
    expect(await shardsOf(() => http().get(`/api/tasks?listId=${other}`).set(headers).expect(200))).toEqual([1]);
    expect(await shardsOf(() => http().get(`/api/lists/${inbox}/tasks/${task.id}`).set(headers).expect(200))).toEqual([
      1,
    ]);
    // A move is a delete on one shard and an insert on the other, in one distributed transaction.
    const moved = await http().patch(`/api/lists/${inbox}/tasks/${task.id}`).set(headers).send({ listId: other });
    expect(moved.status).toBe(200);
    expect(moved.body.data).toMatchObject({ id: task.id, listId: other, version: 2 });
  }, 60_000);

  it('lets logins of different accounts run at once without a deadlock (no row lock on a reference table)', async () => {
    // A row lock on a reference table locks its whole shard, and a login's session insert then upgrades
    // that lock: two logins of any two accounts deadlocked, and one lost its four tries now and then (503).
    const http = () => request(app.getHttpServer());
    const users = await Promise.all(Array.from({ length: 12 }, () => registerUser(app)));
    const before = await deadlocks();
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(
        users.map((user) => http().post('/api/auth/login').send({ email: user.email, password: user.password })),
      );
      expect(answers.map((answer) => answer.status)).toEqual(users.map(() => 200));
    }
    // A backend reports its counters within a second of going idle.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await deadlocks()).toBe(before);
  });

  /** Deadlocks PostgreSQL has detected in this database, on every node of the cluster. */
  async function deadlocks(): Promise<number> {
    const rows: { result: string }[] = await db.query(
      `SELECT result FROM run_command_on_all_nodes($$SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()$$)`,
    );
    return rows.reduce((sum, row) => sum + Number(row.result), 0);
  }
});

/** Every task route with every filter and sort, and the session routes, for one user. */
async function exerciseOneUser(app: INestApplication<App>): Promise<void> {
  const http = () => request(app.getHttpServer());
  const user = await registerUser(app);
  await http().post('/api/auth/login').send({ email: user.email, password: user.password }).expect(200);
  const refreshed = await http().post('/api/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
  await http().post('/api/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401); // replay
  const tokens = (refreshed.body as { data: { tokens: { refreshToken: string } } }).data.tokens;
  await http().post('/api/auth/logout').send({ refreshToken: tokens.refreshToken }).expect(204);

  const fresh = await registerUser(app);
  const headers = bearer(fresh);
  const ids: string[] = [];
  for (const [n, body] of [
    { title: 'alpha', tags: ['work'], priority: 'high', dueAt: '2026-12-01T00:00:00.000Z' },
    { title: 'beta', description: 'notes', completed: true },
    { title: 'gamma', tags: ['home'] },
  ].entries()) {
    const created = await http().post('/api/tasks').set(headers).send(body).expect(201);
    ids[n] = (created.body as { data: { id: string } }).data.id;
  }
  await http().get(`/api/tasks/${ids[0]}`).set(headers).expect(200);
  await http().get(`/api/${fresh.id}/tasks/${ids[0]}`).set(headers).expect(200);
  await http().patch(`/api/tasks/${ids[0]}`).set(headers).send({ title: 'alpha 2', completed: true }).expect(200);
  await http().patch(`/api/tasks/${ids[0]}`).set(headers).set('If-Match', '"999"').send({ title: 'x' }).expect(412);
  await http().put(`/api/tasks/${ids[1]}`).set(headers).send({ title: 'beta 2' }).expect(200);
  await http().patch(`/api/tasks/${ids[1]}/complete`).set(headers).send({ completed: true }).expect(200);
  await http().patch(`/api/tasks/${ids[1]}/complete`).set(headers).expect(200);
  await http().post(`/api/tasks/${ids[2]}/toggle`).set(headers).expect(200);
  const queries = [
    '',
    'status=pending',
    'status=completed',
    'q=alp',
    'priority=high',
    'tag=work',
    'dueBefore=2027-01-01T00:00:00Z',
    'dueAfter=2026-01-01T00:00:00Z',
    'dueAfter=2026-01-01T00:00:00Z&dueBefore=2027-01-01T00:00:00Z',
    ...['createdAt', 'updatedAt', 'dueAt', 'priority', 'title'].flatMap((sort) => [
      `sort=${sort}&order=asc`,
      `sort=${sort}&order=desc`,
    ]),
  ];
  for (const query of queries) {
    const page = await http().get(`/api/tasks?limit=1&${query}`).set(headers).expect(200);
    const cursor = (page.body as { meta: { nextCursor: string | null } }).meta.nextCursor;
    if (cursor) await http().get(`/api/tasks?limit=1&${query}&cursor=${cursor}`).set(headers).expect(200);
  }
  const key = `k-${fresh.id}`;
  await http().post('/api/tasks').set(headers).set('Idempotency-Key', key).send({ title: 'keyed' }).expect(201);
  await http().post('/api/tasks').set(headers).set('Idempotency-Key', key).send({ title: 'keyed' }).expect(201);
  await http().delete(`/api/tasks/${ids[2]}`).set(headers).expect(204);
  await http().delete(`/api/tasks/${ids[1]}`).set(headers).set('If-Match', '"999"').expect(412);
  await http().get('/api/users/me').set(headers).expect(200);
  await http().get('/api/auth/session').set(headers).expect(200);
  await http().post('/api/tasks/complete-all?tag=work').set(headers).send({ completed: true }).expect(200);
  await http().delete('/api/tasks/completed').set(headers).expect(200);
  // The same routes under the list's own path.
  const inbox = (await http().get('/api/lists').set(headers).expect(200)).body.data[0].id as string;
  const base = `/api/lists/${inbox}/tasks`;
  const task = (await http().post(base).set(headers).send({ title: 'in the list' }).expect(201)).body.data;
  await http().get(`${base}?assignee=me`).set(headers).expect(200);
  await http().get(`/api/tasks?listId=${inbox}&assignee=none`).set(headers).expect(200);
  await http().get(`${base}/${task.id}`).set(headers).expect(200);
  await http().patch(`${base}/${task.id}`).set(headers).send({ assigneeId: fresh.id }).expect(200);
  await http().post(`${base}/${task.id}/toggle`).set(headers).expect(200);
  await http().post(`${base}/complete-all`).set(headers).send({ completed: false }).expect(200);
  await http().delete(`${base}/${task.id}`).set(headers).expect(204);
}
