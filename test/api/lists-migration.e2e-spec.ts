import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../src/database/migrations.js';
import { Lists1764800000000 } from '../../migrations/1764800000000-Lists.js';
import { scratchDatabase } from '../helpers/scratch-database.js';

const BEFORE_LISTS = MIGRATIONS.filter((migration) => migration !== Lists1764800000000);

function source(url: string, migrations: typeof MIGRATIONS): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    migrations,
    migrationsTransactionMode: 'each',
    installExtensions: false,
  });
}

const count = async (db: DataSource, sql: string, params: unknown[] = []): Promise<number> => {
  const [row] = await db.query<{ n: number }[]>(sql, params);
  return Number(row.n);
};

/** The Lists migration on a database with users and tasks of the earlier schema. */
describe('Migration Lists', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let db: DataSource;
  const users: string[] = [];

  beforeAll(async () => {
    scratch = await scratchDatabase('lists_migration');
    const before = source(scratch.url, BEFORE_LISTS);
    await before.initialize();
    await before.runMigrations();
    for (let i = 0; i < 3; i += 1) {
      const [user] = await before.query<{ id: string }[]>(
        `INSERT INTO users (email, name, password_hash) VALUES ($1, 'U', 'x') RETURNING id`,
        [`m${i}@example.com`],
      );
      users.push(user.id);
      // 0, 2 and 4 tasks; half of them completed.
      for (let t = 0; t < i * 2; t += 1) {
        await before.query(
          `INSERT INTO tasks (user_id, title, completed, completed_at) VALUES ($1, $2, $3, CASE WHEN $3 THEN now() END)`,
          [user.id, `task ${t}`, t % 2 === 0],
        );
      }
    }
    await before.destroy();
    db = source(scratch.url, MIGRATIONS);
    await db.initialize();
    await db.runMigrations();
  }, 60_000);

  afterAll(async () => {
    await db?.destroy();
    await scratch?.drop();
  });

  it('gives every existing user one default list "Inbox", owned, with them as its owner member', async () => {
    const lists = await db.query<
      { owner_id: string; name: string; is_default: boolean; user_id: string; role: string }[]
    >(
      `SELECT l.owner_id, l.name, l.is_default, m.user_id, m.role
         FROM lists l JOIN list_members m ON m.list_id = l.id ORDER BY l.owner_id`,
    );
    expect(lists).toHaveLength(3);
    for (const list of lists) {
      expect(list).toMatchObject({ name: 'Inbox', is_default: true, role: 'owner', user_id: list.owner_id });
    }
    expect(lists.map((list) => list.owner_id).sort()).toEqual([...users].sort());
  });

  it("moves each user's tasks into their default list: the counts are equal", async () => {
    for (const [i, user] of users.entries()) {
      const inList = await count(
        db,
        `SELECT count(*) AS n FROM tasks t JOIN lists l ON l.id = t.list_id
          WHERE l.owner_id = $1 AND l.is_default AND t.user_id = $1 AND t.created_by = $1`,
        [user],
      );
      expect(inList).toBe(i * 2);
    }
    expect(await count(db, `SELECT count(*) AS n FROM tasks WHERE list_id IS NULL`)).toBe(0);
    expect(await count(db, `SELECT count(*) AS n FROM tasks WHERE completed <> (completed_by IS NOT NULL)`)).toBe(0);
  });

  it('gives a new account its default list in the same statement', async () => {
    const [user] = await db.query<{ id: string }[]>(
      `INSERT INTO users (email, name, password_hash) VALUES ('new@example.com', 'N', 'x') RETURNING id`,
    );
    expect(
      await count(db, `SELECT count(*) AS n FROM lists WHERE owner_id = $1 AND is_default AND name = 'Inbox'`, [
        user.id,
      ]),
    ).toBe(1);
  });

  it('allows one default list per user', async () => {
    await expect(
      db.query(`INSERT INTO lists (owner_id, name, is_default) VALUES ($1, 'Second', true)`, [users[0]]),
    ).rejects.toThrow(/lists_owner_default_idx/);
  });

  it('goes back down, keeping every task, and up again', async () => {
    const tasks = await count(db, `SELECT count(*) AS n FROM tasks`);
    await db.undoLastMigration();
    expect(await count(db, `SELECT count(*) AS n FROM tasks`)).toBe(tasks);
    expect(await count(db, `SELECT count(*) AS n FROM pg_tables WHERE tablename LIKE 'list%'`)).toBe(0);
    await db.runMigrations();
    expect(await count(db, `SELECT count(*) AS n FROM tasks t JOIN lists l ON l.id = t.list_id`)).toBe(tasks);
  });
});
