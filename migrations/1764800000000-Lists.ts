import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shared lists: a list has members with a role (`owner`, `admin`, `editor`,
 * `viewer`) and invitations by link; every task belongs to one list.
 *
 * - Every user gets a default list "Inbox" (here for existing users, through
 *   the `users_default_list` trigger for new ones), with themself as its
 *   `owner` member, and their tasks move into it.
 * - The owner is a member row like any other (role `owner`), so one look-up
 *   of `(list_id, user_id)` answers both "is a member" and "which role";
 *   `lists.owner_id` repeats it for the per-owner quota and the default list.
 * - `version` rises on every change a member can see; `change_seq` counts
 *   every change in the list, its tasks included, and is taken with
 *   `UPDATE lists ... RETURNING change_seq` inside the writing transaction:
 *   the row lock orders the writers of one list, so a change feed can later
 *   read the list's changes in commit order.
 * - An invitation stores the SHA-256 of its token, never the token.
 * - `user_id` (the creator), `created_by`, `updated_by` and `completed_by`
 *   name users without a foreign key: they keep the id after the account is
 *   deleted, and the task stays in its list.
 * - Deleting an account (`users_hand_off_lists`) hands each shared list the
 *   user owned to its earliest-joined admin, else editor; the others go, with
 *   their tasks. Tasks assigned to the user become unassigned (a new version).
 *
 * On Citus these tables stay local for now: docs/SCALING.md has the plan
 * (distribution by list id).
 */
export class Lists1764800000000 implements MigrationInterface {
  name = 'Lists1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE lists (
        id         uuid NOT NULL DEFAULT gen_random_uuid(),
        owner_id   uuid NOT NULL,
        name       varchar(100) NOT NULL,
        color      varchar(7),
        is_default boolean NOT NULL DEFAULT false,
        version    integer NOT NULL DEFAULT 1,
        change_seq bigint NOT NULL DEFAULT 0,
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

    await db.query(`ALTER TABLE tasks
      ADD COLUMN list_id uuid,
      ADD COLUMN assignee_id uuid,
      ADD COLUMN created_by uuid,
      ADD COLUMN updated_by uuid,
      ADD COLUMN completed_by uuid`);

    await db.query(`
      INSERT INTO lists (owner_id, name, is_default, created_at, updated_at)
      SELECT id, 'Inbox', true, created_at, created_at FROM users`);
    await db.query(`
      INSERT INTO list_members (list_id, user_id, role, joined_at)
      SELECT id, owner_id, 'owner', created_at FROM lists`);
    // updated_at and version stay: moving into the new default list is not an edit of the task.
    await db.query(`
      UPDATE tasks t
         SET list_id = l.id, created_by = t.user_id, updated_by = t.user_id,
             completed_by = CASE WHEN t.completed THEN t.user_id END
        FROM lists l
       WHERE l.owner_id = t.user_id AND l.is_default`);

    await db.query(`ALTER TABLE tasks
      ALTER COLUMN list_id SET NOT NULL,
      ALTER COLUMN created_by SET NOT NULL,
      ADD CONSTRAINT tasks_list_id_fkey FOREIGN KEY (list_id) REFERENCES lists (id) ON DELETE CASCADE,
      ADD CONSTRAINT tasks_assignee_id_fkey FOREIGN KEY (assignee_id) REFERENCES users (id) ON DELETE SET NULL`);
    // A list's tasks, newest first (the list-scoped route family); also what a list's deletion cascades through.
    await db.query(`CREATE INDEX tasks_list_created_id_idx ON tasks (list_id, created_at, id)`);
    await db.query(`CREATE INDEX tasks_assignee_idx ON tasks (assignee_id)`);

    // A new account gets its default list in the transaction that creates it, whichever way it is created
    // (registration, an identity provider's first token).
    await db.query(`
      CREATE FUNCTION users_default_list() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        list uuid;
      BEGIN
        INSERT INTO lists (owner_id, name, is_default) VALUES (NEW.id, 'Inbox', true) RETURNING id INTO list;
        INSERT INTO list_members (list_id, user_id, role) VALUES (list, NEW.id, 'owner');
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER users_default_list AFTER INSERT ON users
      FOR EACH ROW EXECUTE FUNCTION users_default_list()`);

    // A task outlives its creator when it is in a list that remains; it goes with its list otherwise.
    await db.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_user_id_fkey`);
    await db.query(`
      CREATE FUNCTION users_hand_off_lists() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        owned record;
        heir uuid;
      BEGIN
        FOR owned IN SELECT id FROM lists WHERE owner_id = OLD.id AND NOT is_default ORDER BY id FOR UPDATE LOOP
          SELECT user_id INTO heir FROM list_members
           WHERE list_id = owned.id AND role IN ('admin', 'editor')
           ORDER BY role = 'editor', joined_at, user_id
           LIMIT 1;
          IF heir IS NOT NULL THEN
            UPDATE list_members SET role = 'owner' WHERE list_id = owned.id AND user_id = heir;
            UPDATE lists SET owner_id = heir WHERE id = owned.id;
          END IF;
        END LOOP;
        -- Every list they stay a member of until now loses a member: a change its members see.
        UPDATE lists SET version = version + 1, change_seq = change_seq + 1, updated_at = now()
         WHERE id IN (SELECT list_id FROM list_members WHERE user_id = OLD.id) AND owner_id <> OLD.id;
        UPDATE tasks SET assignee_id = NULL, version = version + 1, updated_at = now()
         WHERE assignee_id = OLD.id;
        -- The lists left without an heir (the default list among them) go by the owner_id cascade.
        RETURN OLD;
      END $$`);
    await db.query(`CREATE TRIGGER users_hand_off_lists BEFORE DELETE ON users
      FOR EACH ROW EXECUTE FUNCTION users_hand_off_lists()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER users_hand_off_lists ON users`);
    await db.query(`DROP FUNCTION users_hand_off_lists()`);
    // Tasks whose creator's account is gone had no owner before this migration.
    await db.query(`DELETE FROM tasks t WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = t.user_id)`);
    await db.query(`ALTER TABLE tasks ADD CONSTRAINT tasks_user_id_fkey
      FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE`);
    await db.query(`DROP TRIGGER users_default_list ON users`);
    await db.query(`DROP FUNCTION users_default_list()`);
    // A task keeps its creator (user_id); tasks of lists created after this migration go back to that user.
    await db.query(`DROP INDEX tasks_assignee_idx`);
    await db.query(`DROP INDEX tasks_list_created_id_idx`);
    await db.query(`ALTER TABLE tasks
      DROP CONSTRAINT tasks_assignee_id_fkey,
      DROP CONSTRAINT tasks_list_id_fkey,
      DROP COLUMN completed_by,
      DROP COLUMN updated_by,
      DROP COLUMN created_by,
      DROP COLUMN assignee_id,
      DROP COLUMN list_id`);
    await db.query(`DROP TABLE list_invitations`);
    await db.query(`DROP TABLE list_members`);
    await db.query(`DROP TABLE lists`);
  }
}
