import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isCitusCoordinator } from './citus.js';

/**
 * Shared lists: a list has members with a role (`owner`, `admin`, `editor`,
 * `viewer`) and invitations by link; every task belongs to one list.
 *
 * - Every existing user gets a default list "Inbox", with themself as its
 *   `owner` member, and their tasks move into it (new accounts get theirs from
 *   the code that creates them, in the same transaction).
 * - The owner is a member row like any other (role `owner`), so one look-up of
 *   `(list_id, user_id)` answers both "is a member" and "which role";
 *   `lists.owner_id` repeats it for the per-owner quota and the default list.
 * - An invitation stores the SHA-256 of its token, never the token.
 * - `tasks.user_id` (the creator), `created_by`, `updated_by`, `completed_by`
 *   and `assignee_id` name users without a foreign key: a task outlives its
 *   creator in a list that remains. The code unassigns a deleted member.
 * - `list_counters` holds each list's number of tasks and of completed tasks
 *   (kept by triggers, as `task_counts` kept them per user): totals and the
 *   per-list quota in one key look-up. `task_counts` keeps only the per-user
 *   idempotency-key counter.
 * - Tasks are keyed by their list: primary key `(list_id, id)`, and the list
 *   indexes lead with `list_id`. A move is a delete and an insert (Citus
 *   cannot update a distribution column).
 *
 * On a Citus coordinator, `lists`, `list_members` and `list_invitations`
 * become reference tables (a copy on every node, like `users`: membership is
 * joined locally on every shard, and changes rarely), and `tasks` is
 * distributed again, by `list_id`, co-located with `list_counters`: every
 * statement on one list routes to one shard (docs/SCALING.md).
 */
export class SharedLists1765200000000 implements MigrationInterface {
  name = 'SharedLists1765200000000';

  async up(db: QueryRunner): Promise<void> {
    const citus = await isCitusCoordinator(db);
    if (citus) {
      await db.query(`SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`);
      await db.query(`SET LOCAL citus.enable_unsafe_triggers TO on`);
    }

    await db.query(`
      CREATE TABLE lists (
        id         uuid NOT NULL DEFAULT gen_random_uuid(),
        owner_id   uuid NOT NULL,
        name       varchar(100) NOT NULL,
        color      varchar(7),
        is_default boolean NOT NULL DEFAULT false,
        version    integer NOT NULL DEFAULT 1,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT lists_pkey PRIMARY KEY (id),
        CONSTRAINT lists_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT lists_name_check CHECK (char_length(name::text) >= 1 AND char_length(name::text) <= 100),
        CONSTRAINT lists_color_check CHECK (color::text ~ '^#[0-9a-f]{6}$'),
        CONSTRAINT lists_version_check CHECK (version >= 1)
      )`);
    await db.query(`CREATE INDEX lists_owner_idx ON lists (owner_id)`);
    // One default list per user: the target of a task created without a list.
    await db.query(`CREATE UNIQUE INDEX lists_owner_default_idx ON lists (owner_id) WHERE is_default`);

    await db.query(`
      CREATE TABLE list_members (
        list_id   uuid NOT NULL,
        user_id   uuid NOT NULL,
        role      text NOT NULL,
        joined_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT list_members_pkey PRIMARY KEY (list_id, user_id),
        CONSTRAINT list_members_list_id_fkey FOREIGN KEY (list_id) REFERENCES lists (id) ON DELETE CASCADE,
        CONSTRAINT list_members_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT list_members_role_check
          CHECK (role = ANY (ARRAY['owner'::text, 'admin'::text, 'editor'::text, 'viewer'::text]))
      )`);
    // The caller's lists, and every membership check that starts from the user.
    await db.query(`CREATE INDEX list_members_user_idx ON list_members (user_id, list_id)`);

    await db.query(`
      CREATE TABLE list_invitations (
        id         uuid NOT NULL DEFAULT gen_random_uuid(),
        list_id    uuid NOT NULL,
        token_hash text NOT NULL,
        role       text NOT NULL,
        expires_at timestamptz(3) NOT NULL,
        max_uses   integer NOT NULL DEFAULT 1,
        uses       integer NOT NULL DEFAULT 0,
        created_by uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        revoked_at timestamptz(3),
        CONSTRAINT list_invitations_pkey PRIMARY KEY (id),
        CONSTRAINT list_invitations_token_hash_key UNIQUE (token_hash),
        CONSTRAINT list_invitations_list_id_fkey FOREIGN KEY (list_id) REFERENCES lists (id) ON DELETE CASCADE,
        CONSTRAINT list_invitations_created_by_fkey FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT list_invitations_role_check
          CHECK (role = ANY (ARRAY['admin'::text, 'editor'::text, 'viewer'::text])),
        CONSTRAINT list_invitations_max_uses_check CHECK (max_uses >= 1),
        CONSTRAINT list_invitations_uses_check CHECK (uses >= 0 AND uses <= max_uses)
      )`);
    await db.query(`CREATE INDEX list_invitations_list_idx ON list_invitations (list_id, created_at)`);

    if (citus) {
      await db.query(`SELECT create_reference_table('lists')`);
      await db.query(`SELECT create_reference_table('list_members')`);
      await db.query(`SELECT create_reference_table('list_invitations')`);
    }

    await db.query(`
      INSERT INTO lists (owner_id, name, is_default, created_at, updated_at)
      SELECT id, 'Inbox', true, created_at, created_at FROM users`);
    await db.query(`
      INSERT INTO list_members (list_id, user_id, role, joined_at)
      SELECT id, owner_id, 'owner', created_at FROM lists`);

    // The per-user task counters and their triggers go; the idempotency-key counter stays.
    await db.query(`DROP TRIGGER tasks_counts_insert ON tasks`);
    await db.query(`DROP TRIGGER tasks_counts_delete ON tasks`);
    await db.query(`DROP TRIGGER IF EXISTS tasks_counts_update ON tasks`);
    await db.query(`DROP FUNCTION task_counts_on_insert()`);
    await db.query(`DROP FUNCTION task_counts_on_delete()`);
    await db.query(`DROP FUNCTION IF EXISTS task_counts_on_update()`);
    await db.query(`ALTER TABLE task_counts DROP COLUMN total, DROP COLUMN completed`);

    // Citus cannot change a distribution column in place: tasks come back to the coordinator, are
    // re-keyed, and are distributed again by list.
    if (citus) {
      await db.query(`ALTER TABLE tasks DROP CONSTRAINT IF EXISTS tasks_user_id_fkey`);
      await db.query(`SELECT undistribute_table('tasks')`);
    } else {
      await db.query(`ALTER TABLE tasks DROP CONSTRAINT IF EXISTS tasks_user_id_fkey`);
    }

    await db.query(`ALTER TABLE tasks
      ADD COLUMN list_id uuid,
      ADD COLUMN assignee_id uuid,
      ADD COLUMN created_by uuid,
      ADD COLUMN updated_by uuid,
      ADD COLUMN completed_by uuid`);
    // updated_at and version stay: moving into the new default list is not an edit of the task.
    await db.query(`
      UPDATE tasks t
         SET list_id = l.id, created_by = t.user_id, updated_by = t.user_id,
             completed_by = CASE WHEN t.completed THEN t.user_id END
        FROM lists l
       WHERE l.owner_id = t.user_id AND l.is_default`);
    // Tasks of an account deleted before this migration had no list to go to (the cascade removed them).
    await db.query(`DELETE FROM tasks WHERE list_id IS NULL`);
    await db.query(`ALTER TABLE tasks
      ALTER COLUMN list_id SET NOT NULL,
      ALTER COLUMN created_by SET NOT NULL,
      DROP CONSTRAINT tasks_pkey,
      ADD CONSTRAINT tasks_pkey PRIMARY KEY (list_id, id)`);

    for (const index of ['created_id', 'updated_id', 'due_asc', 'due_desc', 'priority', 'title', 'tags']) {
      await db.query(`DROP INDEX IF EXISTS tasks_user_${index}_idx`);
    }
    const searchIndexed = await indexExists(db, 'tasks_user_search_idx');
    await db.query(`DROP INDEX IF EXISTS tasks_user_search_idx`);
    await db.query(`CREATE INDEX tasks_list_created_id_idx ON tasks (list_id, created_at, id)`);
    await db.query(`CREATE INDEX tasks_list_updated_id_idx ON tasks (list_id, updated_at, id)`);
    await db.query(
      `CREATE INDEX tasks_list_due_asc_idx ON tasks (list_id, (COALESCE(due_at, 'infinity'::timestamptz)), id)`,
    );
    await db.query(
      `CREATE INDEX tasks_list_due_desc_idx ON tasks (list_id, (COALESCE(due_at, '-infinity'::timestamptz)), id)`,
    );
    await db.query(`CREATE INDEX tasks_list_priority_idx ON tasks (list_id, priority_rank, id)`);
    await db.query(`CREATE INDEX tasks_list_title_idx ON tasks (list_id, (lower(title COLLATE "C")), id)`);
    if (await extensionInstalled(db, 'btree_gin')) {
      await db.query(`CREATE INDEX tasks_list_tags_idx ON tasks USING gin (list_id, tags)`);
      if (searchIndexed) {
        await db.query(`CREATE INDEX tasks_list_search_idx ON tasks
          USING gin (list_id, title gin_trgm_ops, description gin_trgm_ops)`);
      }
    } else {
      await db.query(`CREATE INDEX tasks_list_tags_idx ON tasks USING gin (tags)`);
    }
    // Tasks assigned to someone: unassigned when that account goes.
    await db.query(`CREATE INDEX tasks_assignee_idx ON tasks (assignee_id) WHERE assignee_id IS NOT NULL`);

    await db.query(`
      CREATE TABLE list_counters (
        list_id   uuid NOT NULL,
        tasks     integer NOT NULL DEFAULT 0,
        completed integer NOT NULL DEFAULT 0,
        CONSTRAINT list_counters_pkey PRIMARY KEY (list_id)
      )`);
    await db.query(`
      INSERT INTO list_counters (list_id, tasks, completed)
      SELECT l.id, count(t.id), count(t.id) FILTER (WHERE t.completed)
        FROM lists l LEFT JOIN tasks t ON t.list_id = l.id
       GROUP BY l.id`);

    if (citus) {
      await db.query(`SELECT create_distributed_table('tasks', 'list_id', colocate_with => 'none')`);
      await db.query(`SELECT create_distributed_table('list_counters', 'list_id', colocate_with => 'tasks')`);
    }
    await db.query(`ALTER TABLE tasks ADD CONSTRAINT tasks_list_id_fkey
      FOREIGN KEY (list_id) REFERENCES lists (id) ON DELETE CASCADE`);
    await db.query(`ALTER TABLE list_counters ADD CONSTRAINT list_counters_list_id_fkey
      FOREIGN KEY (list_id) REFERENCES lists (id) ON DELETE CASCADE`);

    // One counter change per row: on Citus these run on the shard of the task, next to its list's counter.
    await db.query(`
      CREATE FUNCTION list_counters_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO list_counters AS c (list_id, tasks, completed) VALUES (NEW.list_id, 1, NEW.completed::int)
        ON CONFLICT (list_id) DO UPDATE SET tasks = c.tasks + 1, completed = c.completed + EXCLUDED.completed;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE FUNCTION list_counters_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE list_counters SET tasks = tasks - 1, completed = completed - OLD.completed::int
         WHERE list_id = OLD.list_id;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE FUNCTION list_counters_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE list_counters SET completed = completed + CASE WHEN NEW.completed THEN 1 ELSE -1 END
         WHERE list_id = NEW.list_id;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER tasks_list_counters_insert AFTER INSERT ON tasks
      FOR EACH ROW EXECUTE FUNCTION list_counters_on_insert()`);
    await db.query(`CREATE TRIGGER tasks_list_counters_delete AFTER DELETE ON tasks
      FOR EACH ROW EXECUTE FUNCTION list_counters_on_delete()`);
    await db.query(`CREATE TRIGGER tasks_list_counters_update AFTER UPDATE OF completed ON tasks
      FOR EACH ROW WHEN (OLD.completed IS DISTINCT FROM NEW.completed) EXECUTE FUNCTION list_counters_on_update()`);
  }

  down(): Promise<void> {
    // Tasks of shared lists have no single owner to return to, and a task whose creator is gone none
    // at all: going back would lose data, so this migration is one-way (restore a backup instead).
    return Promise.reject(
      new Error('SharedLists1765200000000 cannot be reverted: restore the backup taken before the upgrade'),
    );
  }
}

async function extensionInstalled(db: QueryRunner, extension: string): Promise<boolean> {
  const rows = (await db.query(`SELECT 1 FROM pg_extension WHERE extname = $1`, [extension])) as unknown[];
  return rows.length > 0;
}

async function indexExists(db: QueryRunner, name: string): Promise<boolean> {
  const rows = (await db.query(`SELECT 1 FROM pg_class WHERE relname = $1 AND relkind = 'i'`, [name])) as unknown[];
  return rows.length > 0;
}
