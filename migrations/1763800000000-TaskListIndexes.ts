import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for every list shape (docs/LISTING.md), each led by `user_id` so a list
 * never reads other users' rows, plus per-user counters that make
 * `meta.total` exact without counting the user's rows on every page.
 *
 * Keyset order is `(key, id)` in one direction, so one plain B-tree per sort
 * key serves both orders (forward or backward scan) and row comparisons
 * `(key, id) < ($1, $2)` become index bounds. `dueAt` puts tasks without a
 * date last in either order, hence one index per order on
 * `COALESCE(due_at, ±infinity)`.
 *
 * Search (pg_trgm) and owner-scoped GIN (btree_gin) need extensions that the
 * embedded engine (PGlite) does not ship: there tags get a plain GIN index
 * and search scans the owner's rows through the B-trees.
 */
export class TaskListIndexes1763800000000 implements MigrationInterface {
  name = 'TaskListIndexes1763800000000';

  async up(db: QueryRunner): Promise<void> {
    // High > medium > low by rank, not alphabet.
    await db.query(`ALTER TABLE tasks ADD COLUMN priority_rank smallint NOT NULL
      GENERATED ALWAYS AS (CASE priority WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END) STORED`);

    await db.query(`DROP INDEX tasks_user_created_idx`);
    await db.query(`CREATE INDEX tasks_user_created_id_idx ON tasks (user_id, created_at, id)`);
    await db.query(`CREATE INDEX tasks_user_updated_id_idx ON tasks (user_id, updated_at, id)`);
    await db.query(
      `CREATE INDEX tasks_user_due_asc_idx ON tasks (user_id, (COALESCE(due_at, 'infinity'::timestamptz)), id)`,
    );
    await db.query(
      `CREATE INDEX tasks_user_due_desc_idx ON tasks (user_id, (COALESCE(due_at, '-infinity'::timestamptz)), id)`,
    );
    await db.query(`CREATE INDEX tasks_user_priority_idx ON tasks (user_id, priority_rank, id)`);
    // Byte order ("C"): the same order on every engine and locale; ASCII case folded.
    await db.query(`CREATE INDEX tasks_user_title_idx ON tasks (user_id, (lower(title COLLATE "C")), id)`);

    if (await this.available(db, 'btree_gin')) {
      await db.query(`CREATE EXTENSION IF NOT EXISTS btree_gin`);
      await db.query(`CREATE INDEX tasks_user_tags_idx ON tasks USING gin (user_id, tags)`);
      if (await this.available(db, 'pg_trgm')) {
        await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
        await db.query(`CREATE INDEX tasks_user_search_idx ON tasks
          USING gin (user_id, title gin_trgm_ops, description gin_trgm_ops)`);
      }
    } else {
      await db.query(`CREATE INDEX tasks_user_tags_idx ON tasks USING gin (tags)`);
    }

    await this.createCounters(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER tasks_counts_update ON tasks`);
    await db.query(`DROP TRIGGER tasks_counts_delete ON tasks`);
    await db.query(`DROP TRIGGER tasks_counts_insert ON tasks`);
    await db.query(`DROP FUNCTION task_counts_on_update()`);
    await db.query(`DROP FUNCTION task_counts_on_delete()`);
    await db.query(`DROP FUNCTION task_counts_on_insert()`);
    await db.query(`DROP TABLE task_counts`);
    // The extensions stay: other objects may depend on them, and they are harmless.
    await db.query(`DROP INDEX IF EXISTS tasks_user_search_idx`);
    for (const index of ['tags', 'title', 'priority', 'due_desc', 'due_asc', 'updated_id', 'created_id']) {
      await db.query(`DROP INDEX tasks_user_${index}_idx`);
    }
    await db.query(`CREATE INDEX tasks_user_created_idx ON tasks (user_id, created_at DESC, id)`);
    await db.query(`ALTER TABLE tasks DROP COLUMN priority_rank`);
  }

  private async available(db: QueryRunner, extension: string): Promise<boolean> {
    const rows = (await db.query(`SELECT 1 FROM pg_available_extensions WHERE name = $1`, [extension])) as unknown[];
    return rows.length > 0;
  }

  /**
   * `task_counts` holds each user's number of tasks and of completed tasks,
   * kept in the same transaction as the change, so a list statement reads a
   * total consistent with its page. Insert and delete triggers work per
   * statement on transition tables (a cascade delete of 100,000 tasks is one
   * update, not 100,000); `completed` flips are per row, and only when the
   * value changes. `user_id` is never updated by the service.
   */
  private async createCounters(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE task_counts (
        user_id   uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        total     integer NOT NULL DEFAULT 0,
        completed integer NOT NULL DEFAULT 0
      )`);
    await db.query(`
      INSERT INTO task_counts (user_id, total, completed)
      SELECT user_id, count(*), count(*) FILTER (WHERE completed) FROM tasks GROUP BY user_id`);

    await db.query(`
      CREATE FUNCTION task_counts_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO task_counts AS c (user_id, total, completed)
        SELECT user_id, count(*), count(*) FILTER (WHERE completed) FROM new_rows GROUP BY user_id ORDER BY user_id
        ON CONFLICT (user_id) DO UPDATE
          SET total = c.total + EXCLUDED.total, completed = c.completed + EXCLUDED.completed;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE FUNCTION task_counts_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE task_counts c SET total = c.total - d.total, completed = c.completed - d.completed
          FROM (SELECT user_id, count(*) AS total, count(*) FILTER (WHERE completed) AS completed
                  FROM old_rows GROUP BY user_id) d
         WHERE c.user_id = d.user_id;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE FUNCTION task_counts_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE task_counts SET completed = completed + CASE WHEN NEW.completed THEN 1 ELSE -1 END
         WHERE user_id = NEW.user_id;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER tasks_counts_insert AFTER INSERT ON tasks
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION task_counts_on_insert()`);
    await db.query(`CREATE TRIGGER tasks_counts_delete AFTER DELETE ON tasks
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION task_counts_on_delete()`);
    await db.query(`CREATE TRIGGER tasks_counts_update AFTER UPDATE OF completed ON tasks
      FOR EACH ROW WHEN (OLD.completed IS DISTINCT FROM NEW.completed) EXECUTE FUNCTION task_counts_on_update()`);
  }
}
