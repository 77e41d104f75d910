import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isCitusCoordinator } from './citus.js';

/**
 * Everything a user owns is keyed by the user first (docs/SCALING.md), so that on a
 * Citus cluster it can be distributed by `user_id`, co-located, and every
 * per-user statement routes to one shard. The same keys serve a single
 * server: `(user_id, id)` leads with the owner that every statement names.
 *
 * - Primary keys become `(user_id, id)`; a refresh token is unique per user
 *   (`(user_id, token_hash)`) and points at its session by `(user_id,
 *   session_id)`; one issued before names no user, and is found by its hash. Citus requires unique and foreign keys between distributed
 *   tables to contain the distribution column.
 * - The `task_counts` triggers on insert and delete become row-level: Citus
 *   refuses statement-level triggers with transition tables. Counters stay
 *   exact and a list reads its total in one key look-up (docs/SCALING.md
 *   compares this with counting the owner's rows).
 *
 * On a Citus coordinator (the `citus` extension is installed and
 * `citus_is_coordinator()`), `users` becomes a reference table (a copy on
 * every node: login by email and the foreign keys stay local to each shard)
 * and `tasks`, `task_counts`, `sessions`, `refresh_tokens` and
 * `idempotency_keys` are distributed by `user_id` in one co-location group. Elsewhere the tables stay local.
 */
export class DistributeByUser1764700000000 implements MigrationInterface {
  name = 'DistributeByUser1764700000000';

  async up(db: QueryRunner): Promise<void> {
    const citus = await isCitusCoordinator(db);
    // Citus: DDL and the copies of existing rows over one connection per node, so the
    // statements of this transaction see each other's changes.
    if (citus) {
      await db.query(`SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`);
      // Triggers on distributed tables: they run on the shard's node, and touch only the co-located counter row.
      await db.query(`SET LOCAL citus.enable_unsafe_triggers TO on`);
    }

    // The statement-level triggers go first: created after the tables are distributed, the new ones
    // do not fire while Citus copies existing rows into the shards (the counters already hold them).
    await db.query(`DROP TRIGGER tasks_counts_delete ON tasks`);
    await db.query(`DROP TRIGGER tasks_counts_insert ON tasks`);
    // Citus refuses a non-immutable function inside CASE or COALESCE in an UPDATE (it must evaluate now() on
    // the coordinator): the choice moves into an immutable function, with now() as an argument.
    await db.query(`
      CREATE FUNCTION task_completed_at(completed boolean, completed_at timestamptz, now timestamptz)
      RETURNS timestamptz LANGUAGE plpgsql IMMUTABLE AS $$
      BEGIN
        RETURN CASE WHEN completed THEN COALESCE(completed_at, now) END;
      END $$`);

    await db.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_pkey, ADD CONSTRAINT tasks_pkey PRIMARY KEY (user_id, id)`);

    await db.query(`ALTER TABLE refresh_tokens DROP CONSTRAINT refresh_tokens_session_id_fkey`);
    await db.query(
      `ALTER TABLE sessions DROP CONSTRAINT sessions_pkey, ADD CONSTRAINT sessions_pkey PRIMARY KEY (user_id, id)`,
    );
    await db.query(`DROP INDEX sessions_user_idx`); // the primary key leads with user_id
    await db.query(`ALTER TABLE refresh_tokens
      DROP CONSTRAINT refresh_tokens_pkey, ADD CONSTRAINT refresh_tokens_pkey PRIMARY KEY (user_id, id),
      DROP CONSTRAINT refresh_tokens_token_hash_key,
      ADD CONSTRAINT refresh_tokens_user_token_hash_key UNIQUE (user_id, token_hash)`);
    await db.query(`DROP INDEX refresh_tokens_user_idx`);
    await db.query(`DROP INDEX refresh_tokens_session_idx`);
    await db.query(`CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (user_id, session_id)`);
    // A token issued before this migration names no user: it is found by its hash alone, through this
    // index (on Citus, one index look-up per shard), not by a scan of every token.
    await db.query(`CREATE INDEX refresh_tokens_token_hash_idx ON refresh_tokens (token_hash)`);
    await db.query(`ALTER TABLE refresh_tokens ADD CONSTRAINT refresh_tokens_session_id_fkey
      FOREIGN KEY (user_id, session_id) REFERENCES sessions (user_id, id) ON DELETE CASCADE`);

    if (citus) await distribute(db);
    await rowLevelCounters(db);
  }

  async down(db: QueryRunner): Promise<void> {
    if ((await isCitusCoordinator(db)) && (await isDistributed(db, 'tasks'))) {
      await db.query(`SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`);
      // Brings every table linked to tasks by foreign keys (users, sessions, refresh_tokens) back to the coordinator.
      await db.query(`SELECT undistribute_table('tasks', cascade_via_foreign_keys => true)`);
    }
    await db.query(`ALTER TABLE refresh_tokens DROP CONSTRAINT refresh_tokens_session_id_fkey`);
    await db.query(`DROP INDEX refresh_tokens_token_hash_idx`);
    await db.query(`DROP INDEX refresh_tokens_session_idx`);
    await db.query(`CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id)`);
    await db.query(`CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id)`);
    await db.query(`ALTER TABLE refresh_tokens
      DROP CONSTRAINT refresh_tokens_user_token_hash_key, ADD CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash),
      DROP CONSTRAINT refresh_tokens_pkey, ADD CONSTRAINT refresh_tokens_pkey PRIMARY KEY (id)`);
    await db.query(`CREATE INDEX sessions_user_idx ON sessions (user_id)`);
    await db.query(`ALTER TABLE sessions DROP CONSTRAINT sessions_pkey, ADD CONSTRAINT sessions_pkey PRIMARY KEY (id)`);
    await db.query(`ALTER TABLE refresh_tokens ADD CONSTRAINT refresh_tokens_session_id_fkey
      FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE`);
    await db.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_pkey, ADD CONSTRAINT tasks_pkey PRIMARY KEY (id)`);
    await db.query(`DROP FUNCTION task_completed_at(boolean, timestamptz, timestamptz)`);
    await statementLevelCounters(db);
  }
}

/**
 * Citus refuses a foreign key between a local table and a distributed one at
 * every step in between, so the keys among these tables are taken off, the
 * tables distributed, and the same keys put back (checked against the rows).
 */
async function distribute(db: QueryRunner): Promise<void> {
  const keys = (await db.query(
    `SELECT conrelid::regclass::text AS "table", conname AS name, pg_get_constraintdef(oid) AS definition
       FROM pg_constraint WHERE contype = 'f' AND confrelid = ANY($1::regclass[])`,
    [['users', 'user_identities', 'tasks', 'task_counts', 'sessions', 'refresh_tokens', 'idempotency_keys']],
  )) as { table: string; name: string; definition: string }[];
  for (const key of keys) await db.query(`ALTER TABLE ${key.table} DROP CONSTRAINT ${key.name}`);
  await db.query(`SELECT create_reference_table('users')`);
  // Found by (issuer, subject) on every request with a provider's token, before the user is known.
  await db.query(`SELECT create_reference_table('user_identities')`);
  await db.query(`SELECT create_distributed_table('tasks', 'user_id')`);
  await db.query(`SELECT create_distributed_table('task_counts', 'user_id', colocate_with => 'tasks')`);
  await db.query(`SELECT create_distributed_table('sessions', 'user_id', colocate_with => 'tasks')`);
  await db.query(`SELECT create_distributed_table('refresh_tokens', 'user_id', colocate_with => 'tasks')`);
  await db.query(`SELECT create_distributed_table('idempotency_keys', 'user_id', colocate_with => 'tasks')`);
  for (const key of keys) await db.query(`ALTER TABLE ${key.table} ADD CONSTRAINT ${key.name} ${key.definition}`);
}

/** False for a table restored onto a coordinator from a single server: still local (docs/SCALING.md). */
async function isDistributed(db: QueryRunner, table: string): Promise<boolean> {
  const rows = (await db.query(`SELECT 1 FROM pg_dist_partition WHERE logicalrelid = $1::regclass`, [
    table,
  ])) as unknown[];
  return rows.length > 0;
}

/** One counter change per row: Citus runs these on the shard of the row, next to the user's counter row. */
async function rowLevelCounters(db: QueryRunner): Promise<void> {
  await db.query(`
    CREATE OR REPLACE FUNCTION task_counts_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO task_counts AS c (user_id, total, completed) VALUES (NEW.user_id, 1, NEW.completed::int)
      ON CONFLICT (user_id) DO UPDATE SET total = c.total + 1, completed = c.completed + EXCLUDED.completed;
      RETURN NULL;
    END $$`);
  await db.query(`
    CREATE OR REPLACE FUNCTION task_counts_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE task_counts SET total = total - 1, completed = completed - OLD.completed::int
       WHERE user_id = OLD.user_id;
      RETURN NULL;
    END $$`);
  await db.query(`CREATE TRIGGER tasks_counts_insert AFTER INSERT ON tasks
    FOR EACH ROW EXECUTE FUNCTION task_counts_on_insert()`);
  await db.query(`CREATE TRIGGER tasks_counts_delete AFTER DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION task_counts_on_delete()`);
}

/** The statement-level triggers of TaskListIndexes (a cascade delete of many tasks is one counter update). */
async function statementLevelCounters(db: QueryRunner): Promise<void> {
  await db.query(`DROP TRIGGER tasks_counts_delete ON tasks`);
  await db.query(`DROP TRIGGER tasks_counts_insert ON tasks`);
  await db.query(`
    CREATE OR REPLACE FUNCTION task_counts_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO task_counts AS c (user_id, total, completed)
      SELECT user_id, count(*), count(*) FILTER (WHERE completed) FROM new_rows GROUP BY user_id ORDER BY user_id
      ON CONFLICT (user_id) DO UPDATE
        SET total = c.total + EXCLUDED.total, completed = c.completed + EXCLUDED.completed;
      RETURN NULL;
    END $$`);
  await db.query(`
    CREATE OR REPLACE FUNCTION task_counts_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE task_counts c SET total = c.total - d.total, completed = c.completed - d.completed
        FROM (SELECT user_id, count(*) AS total, count(*) FILTER (WHERE completed) AS completed
                FROM old_rows GROUP BY user_id) d
       WHERE c.user_id = d.user_id;
      RETURN NULL;
    END $$`);
  await db.query(`CREATE TRIGGER tasks_counts_insert AFTER INSERT ON tasks
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task_counts_on_insert()`);
  await db.query(`CREATE TRIGGER tasks_counts_delete AFTER DELETE ON tasks
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION task_counts_on_delete()`);
}
