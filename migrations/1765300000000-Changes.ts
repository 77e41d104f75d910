import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isCitusCoordinator } from './citus.js';

/**
 * The change log: every write to a list's tasks, the list itself or its
 * members records one row, in the writer's transaction, read by the change
 * feed (`GET /api/changes`), the event streams and (later) webhooks.
 *
 * - `list_counters.change_seq` is the list's last change number, taken by
 *   `UPDATE … SET change_seq = change_seq + 1 … RETURNING` under the counter's
 *   row lock: the writers of one list take their numbers one after the other,
 *   each only once the previous holder committed or rolled back, so in one
 *   list number order is commit order and a reader that has seen number n has
 *   seen everything before it (docs/SCALING.md, "The change log").
 * - `list_counters.change_at` is the time of the list's last change, never
 *   going back (`GREATEST` with the clock): the feed orders changes of
 *   several lists by time, and within one list time then follows the number.
 * - `changes` is keyed `(list_id, seq)` and, on Citus, distributed by
 *   `list_id` co-located with `tasks` and `list_counters`: recording a change
 *   stays on the shard of the write it records.
 * - `event_id` is the webhook event id (`webhook-id`), the same for every
 *   delivery of the change; `type` the webhook event type.
 * - No foreign key to `lists`: a list's deletion is itself a change
 *   (`list.deleted`) that must outlive the list until retention purges it.
 */
export class Changes1765300000000 implements MigrationInterface {
  name = 'Changes1765300000000';

  async up(db: QueryRunner): Promise<void> {
    const citus = await isCitusCoordinator(db);
    if (citus) await db.query(`SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`);

    await db.query(`ALTER TABLE list_counters
      ADD COLUMN change_seq bigint NOT NULL DEFAULT 0,
      ADD COLUMN change_at timestamptz(3) NOT NULL DEFAULT '-infinity'`);

    await db.query(`
      CREATE TABLE changes (
        list_id    uuid NOT NULL,
        seq        bigint NOT NULL,
        event_id   uuid NOT NULL DEFAULT gen_random_uuid(),
        entity     text NOT NULL,
        op         text NOT NULL,
        entity_id  uuid NOT NULL,
        version    integer NOT NULL,
        type       text NOT NULL,
        data       jsonb,
        reason     text,
        actor_id   uuid,
        created_at timestamptz(3) NOT NULL,
        CONSTRAINT changes_pkey PRIMARY KEY (list_id, seq),
        CONSTRAINT changes_entity_check CHECK (entity = ANY (ARRAY['task'::text, 'list'::text, 'member'::text])),
        CONSTRAINT changes_op_check CHECK (op = ANY (ARRAY['upsert'::text, 'delete'::text])),
        CONSTRAINT changes_reason_check
          CHECK (reason IS NULL OR reason = ANY (ARRAY['deleted'::text, 'moved'::text, 'access_revoked'::text])),
        CONSTRAINT changes_data_check CHECK ((op = 'upsert') = (data IS NOT NULL))
      )`);
    // The retention purge: everything older than CHANGES_RETENTION_DAYS.
    await db.query(`CREATE INDEX changes_created_idx ON changes (created_at)`);

    if (citus) await db.query(`SELECT create_distributed_table('changes', 'list_id', colocate_with => 'tasks')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE changes`);
    await db.query(`ALTER TABLE list_counters DROP COLUMN change_at, DROP COLUMN change_seq`);
  }
}
