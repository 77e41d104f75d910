import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isCitusCoordinator } from './citus.js';

/**
 * Outgoing webhooks, built on the change log (`changes`, 1765300000000):
 *
 * - `webhooks`: a list's endpoints. The signing secret is stored encrypted
 *   (AES-256-GCM), never hashed: it must sign. `previous_secret` keeps
 *   signing beside the new one until `previous_secret_until` (a rotation).
 *   `from_seq` is the list's change number when the endpoint was made: only
 *   later changes are its events. `deleting`: the list is gone, the endpoint
 *   stays until its `list.deleted` delivery is done.
 * - `webhook_cursors`: per list, the last change turned into deliveries. The
 *   dispatcher reads the changes after it in number order, which is commit
 *   order in a list (the counter's row lock), so it never passes one.
 * - `webhook_deliveries`: one per endpoint and event (`event_id` is the
 *   change's, sent as `webhook-id`), with the exact body every attempt signs.
 *   A due delivery is claimed with `FOR UPDATE SKIP LOCKED` and leased by
 *   moving `next_attempt_at` past the attempt's time-out (`lease` names the
 *   claim): an attempt lost with its instance is due again when the lease ends.
 *
 * On Citus all three are distributed by `list_id`, co-located with `tasks`
 * and `changes`: turning a list's changes into deliveries, claiming a list's
 * due deliveries and settling one are single-shard transactions
 * (docs/SCALING.md, "Webhooks"). No foreign key to `lists`: the endpoints
 * must outlive their list until `list.deleted` is delivered.
 */
export class Webhooks1765400000000 implements MigrationInterface {
  name = 'Webhooks1765400000000';

  async up(db: QueryRunner): Promise<void> {
    const citus = await isCitusCoordinator(db);
    if (citus) await db.query(`SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`);

    await db.query(`
      CREATE TABLE webhooks (
        list_id               uuid NOT NULL,
        id                    uuid NOT NULL,
        url                   text NOT NULL,
        description           text,
        events                text[] NOT NULL,
        enabled               boolean NOT NULL DEFAULT true,
        disabled_reason       text,
        secret                text NOT NULL,
        previous_secret       text,
        previous_secret_until timestamptz(3),
        from_seq              bigint NOT NULL,
        deleting              boolean NOT NULL DEFAULT false,
        created_by            uuid,
        created_at            timestamptz(3) NOT NULL DEFAULT now(),
        updated_at            timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT webhooks_pkey PRIMARY KEY (list_id, id),
        CONSTRAINT webhooks_disabled_reason_check
          CHECK (disabled_reason IS NULL OR disabled_reason = ANY (ARRAY['gone'::text, 'failing'::text]))
      )`);
    await db.query(`
      CREATE TABLE webhook_cursors (
        list_id uuid NOT NULL,
        seq     bigint NOT NULL,
        CONSTRAINT webhook_cursors_pkey PRIMARY KEY (list_id)
      )`);
    await db.query(`
      CREATE TABLE webhook_deliveries (
        list_id          uuid NOT NULL,
        id               uuid NOT NULL DEFAULT gen_random_uuid(),
        webhook_id       uuid NOT NULL,
        event_id         uuid NOT NULL,
        seq              bigint NOT NULL,
        type             text NOT NULL,
        payload          text NOT NULL,
        status           text NOT NULL DEFAULT 'pending',
        attempts         integer NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz(3),
        lease            uuid,
        manual           boolean NOT NULL DEFAULT false,
        last_status_code integer,
        last_response    text,
        last_error       text,
        last_attempt_at  timestamptz(3),
        created_at       timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (list_id, id),
        CONSTRAINT webhook_deliveries_event_key UNIQUE (list_id, webhook_id, event_id),
        CONSTRAINT webhook_deliveries_status_check
          CHECK (status = ANY (ARRAY['pending'::text, 'succeeded'::text, 'failed'::text, 'refused'::text]))
      )`);
    // The claim: due deliveries, soonest first.
    await db.query(`CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
      WHERE status = 'pending'`);
    // The delivery log of one endpoint, newest first.
    await db.query(`CREATE INDEX webhook_deliveries_log_idx
      ON webhook_deliveries (list_id, webhook_id, created_at DESC, id DESC)`);

    if (citus) {
      for (const table of ['webhooks', 'webhook_cursors', 'webhook_deliveries']) {
        await db.query(`SELECT create_distributed_table('${table}', 'list_id', colocate_with => 'tasks')`);
      }
    }
    // Co-located tables may refer to each other when the key includes the distribution column.
    await db.query(`ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_webhook_fkey
      FOREIGN KEY (list_id, webhook_id) REFERENCES webhooks (list_id, id) ON DELETE CASCADE`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE webhook_deliveries`);
    await db.query(`DROP TABLE webhook_cursors`);
    await db.query(`DROP TABLE webhooks`);
  }
}
