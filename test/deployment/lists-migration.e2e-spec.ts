import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { DataSource } from 'typeorm';
import { recreateDatabase } from '../../scripts/recreate-database.mjs';
import { SharedLists1765200000000 } from '../../migrations/1765200000000-SharedLists.js';
import { migrateOnce } from '../../src/database/migrate-once.js';
import { MIGRATIONS } from '../../src/database/migrations.js';
import { describeWhen } from '../helpers/describe-when.js';
import { accessTokenLike } from '../helpers/jwt-forge.js';
import { createTestApp } from '../helpers/test-app.js';

const withServer = describeWhen(
  Boolean(process.env.TEST_DATABASE_URL),
  'TEST_DATABASE_URL (a scratch database on a PostgreSQL server or a Citus coordinator)',
);

// The schema before shared lists: every migration up to it (the later ones build on it).
const BEFORE_LISTS = MIGRATIONS.slice(0, MIGRATIONS.indexOf(SharedLists1765200000000));

interface Seeded {
  id: string;
  tasks: string[];
  completed: number;
  token: string;
}

/**
 * The shared-lists migration on a database of the previous schema holding users, tasks and
 * sessions: the service boots on it (and migrates it, as a deployment does), every task is in its
 * owner's Inbox, the per-list counters equal the counts, and a token issued before still works. On a
 * Citus coordinator the run also checks the new distribution (tasks by list, lists as reference tables).
 */
withServer('SharedLists migration (e2e)', () => {
  let url: string;
  let onCitus: boolean;
  let app: INestApplication<App>;
  let db: DataSource;
  const seeded: Seeded[] = [];

  beforeAll(async () => {
    const base = new URL(process.env.TEST_DATABASE_URL!);
    url = Object.assign(new URL(base), { pathname: `${base.pathname}_lists_migration` }).toString();
    onCitus = await recreateDatabase(url);

    const before = new DataSource({ type: 'postgres', url, migrations: BEFORE_LISTS, logging: false });
    await before.initialize();
    try {
      await migrateOnce(before, () => undefined); // as the service applies them
      // 0, 3 and 6 tasks (every other one completed); each user with a live session.
      for (let i = 0; i < 3; i += 1) {
        const [user] = await before.query<{ id: string }[]>(
          `INSERT INTO users (email, name, password_hash, created_at) VALUES ($1, 'U', 'x', now() - interval '1 day')
           RETURNING id`,
          [`migrated-${i}-${randomUUID()}@example.com`],
        );
        const [session] = await before.query<{ id: string }[]>(
          `INSERT INTO sessions (user_id, expires_at) VALUES ($1, now() + interval '1 day') RETURNING id`,
          [user.id],
        );
        const tasks: string[] = [];
        for (let t = 0; t < i * 3; t += 1) {
          const [task] = await before.query<{ id: string }[]>(
            `INSERT INTO tasks (user_id, title, completed, completed_at) VALUES ($1, $2, $3, CASE WHEN $3 THEN now() END)
             RETURNING id`,
            [user.id, `task ${t}`, t % 2 === 0],
          );
          tasks.push(task.id);
        }
        seeded.push({
          id: user.id,
          tasks,
          completed: Math.ceil(tasks.length / 2),
          token: accessTokenLike({ sub: user.id, sid: session.id }),
        });
      }
    } finally {
      await before.destroy();
    }

    app = await createTestApp({ DATABASE_URL: url });
    db = app.get(DataSource);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it('gives each user one default list "Inbox" they own, as its only member', async () => {
    for (const user of seeded) {
      const lists = await db.query<{ id: string; name: string; is_default: boolean; version: number }[]>(
        `SELECT id, name, is_default, version FROM lists WHERE owner_id = $1`,
        [user.id],
      );
      expect(lists).toEqual([{ id: expect.any(String), name: 'Inbox', is_default: true, version: 1 }]);
      const members = await db.query(`SELECT user_id, role FROM list_members WHERE list_id = $1`, [lists[0].id]);
      expect(members).toEqual([{ user_id: user.id, role: 'owner' }]);
    }
  });

  it('moves every task into its owner’s Inbox, keeping its id and version, creator set', async () => {
    for (const user of seeded) {
      const rows = await db.query<{ id: string; in_inbox: boolean; created_by: string; version: number }[]>(
        `SELECT t.id, l.is_default AND l.owner_id = $1 AS in_inbox, t.created_by, t.version
           FROM tasks t JOIN lists l ON l.id = t.list_id WHERE t.user_id = $1`,
        [user.id],
      );
      expect(rows.map((row) => row.id).sort()).toEqual([...user.tasks].sort());
      for (const row of rows) expect(row).toMatchObject({ in_inbox: true, created_by: user.id, version: 1 });
    }
    const [orphans] = await db.query<{ n: string }[]>(`SELECT count(*) AS n FROM tasks WHERE list_id IS NULL`);
    expect(Number(orphans.n)).toBe(0);
  });

  it('counts each list’s tasks and completed tasks in list_counters, and the triggers keep them', async () => {
    for (const user of seeded) {
      const [counter] = await db.query<{ tasks: number; completed: number; list_id: string }[]>(
        `SELECT c.list_id, c.tasks, c.completed FROM list_counters c JOIN lists l ON l.id = c.list_id
          WHERE l.owner_id = $1 AND l.is_default`,
        [user.id],
      );
      expect(counter).toMatchObject({ tasks: user.tasks.length, completed: user.completed });
    }
    const busiest = seeded[2];
    await db.query(`UPDATE tasks SET completed = false, completed_at = NULL WHERE id = $1`, [busiest.tasks[0]]);
    await db.query(`DELETE FROM tasks WHERE id = $1`, [busiest.tasks[1]]);
    const [after] = await db.query<{ tasks: number; completed: number }[]>(
      `SELECT c.tasks, c.completed FROM list_counters c JOIN lists l ON l.id = c.list_id
        WHERE l.owner_id = $1 AND l.is_default`,
      [busiest.id],
    );
    // Task 0 was completed (now pending), task 1 pending (now gone).
    expect(after).toEqual({ tasks: busiest.tasks.length - 1, completed: busiest.completed - 1 });
  });

  it('keeps an access token issued before the migration valid, and shows the Inbox through the API', async () => {
    const user = seeded[1];
    const auth = { Authorization: `Bearer ${user.token}` };
    const session = await request(app.getHttpServer()).get('/api/auth/session').set(auth).expect(200);
    expect(session.body.data.user.id).toBe(user.id);
    const lists = await request(app.getHttpServer()).get('/api/lists').set(auth).expect(200);
    expect(lists.body.meta.total).toBe(1);
    expect(lists.body.data[0]).toMatchObject({ name: 'Inbox', isDefault: true, ownerId: user.id, role: 'owner' });
  });

  it('is one-way: down() refuses, saying why', async () => {
    await expect(new SharedLists1765200000000().down()).rejects.toThrow(/cannot be reverted/);
  });

  it('on Citus: tasks distributed by list_id with their counters, lists and memberships as reference tables', async () => {
    expect(onCitus).toBe(process.env.E2E_ON_CITUS === '1'); // TEST_EXPECT_CITUS=1 runs this part for real
    if (!onCitus) return; // a plain server has no distribution to check
    const rows = await db.query<
      { table_name: string; citus_table_type: string; distribution_column: string; colocation_id: number }[]
    >(`SELECT table_name::text, citus_table_type, distribution_column, colocation_id FROM citus_tables`);
    const byName = new Map(rows.map((row) => [row.table_name, row]));
    expect(byName.get('tasks')).toMatchObject({ citus_table_type: 'distributed', distribution_column: 'list_id' });
    expect(byName.get('list_counters')).toMatchObject({
      citus_table_type: 'distributed',
      distribution_column: 'list_id',
      colocation_id: byName.get('tasks')!.colocation_id,
    });
    for (const table of ['lists', 'list_members', 'list_invitations']) {
      expect(byName.get(table)).toMatchObject({ citus_table_type: 'reference' });
    }
  });
});
