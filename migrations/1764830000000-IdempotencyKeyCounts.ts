import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each user's number of idempotency keys (held until the purge deletes them), next to
 * their task counters in `task_counts`, kept by triggers in the same
 * transaction as the change: the per-user key quota is then one look-up of a
 * row the create locks anyway, never a count over the user's keys. Row-level
 * triggers, like the task counters since DistributeByUser: on Citus they run
 * on the shard of the key, next to the user's counter row.
 */
export class IdempotencyKeyCounts1764830000000 implements MigrationInterface {
  name = 'IdempotencyKeyCounts1764830000000';

  async up(db: QueryRunner): Promise<void> {
    const installed = (await db.query(`SELECT 1 FROM pg_extension WHERE extname = 'citus'`)) as unknown[];
    // Triggers on distributed tables: they touch only the co-located counter row.
    if (installed.length > 0) await db.query(`SET LOCAL citus.enable_unsafe_triggers TO on`);
    await db.query(`ALTER TABLE task_counts ADD COLUMN idempotency_keys integer NOT NULL DEFAULT 0`);
    await db.query(`
      INSERT INTO task_counts AS c (user_id, idempotency_keys)
      SELECT user_id, count(*) FROM idempotency_keys GROUP BY user_id
      ON CONFLICT (user_id) DO UPDATE SET idempotency_keys = EXCLUDED.idempotency_keys`);
    await db.query(`
      CREATE FUNCTION idempotency_key_counts_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO task_counts AS c (user_id, idempotency_keys) VALUES (NEW.user_id, 1)
        ON CONFLICT (user_id) DO UPDATE SET idempotency_keys = c.idempotency_keys + 1;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE FUNCTION idempotency_key_counts_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE task_counts SET idempotency_keys = idempotency_keys - 1 WHERE user_id = OLD.user_id;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER idempotency_keys_counts_insert AFTER INSERT ON idempotency_keys
      FOR EACH ROW EXECUTE FUNCTION idempotency_key_counts_on_insert()`);
    await db.query(`CREATE TRIGGER idempotency_keys_counts_delete AFTER DELETE ON idempotency_keys
      FOR EACH ROW EXECUTE FUNCTION idempotency_key_counts_on_delete()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER idempotency_keys_counts_delete ON idempotency_keys`);
    await db.query(`DROP TRIGGER idempotency_keys_counts_insert ON idempotency_keys`);
    await db.query(`DROP FUNCTION idempotency_key_counts_on_delete()`);
    await db.query(`DROP FUNCTION idempotency_key_counts_on_insert()`);
    await db.query(`ALTER TABLE task_counts DROP COLUMN idempotency_keys`);
  }
}
