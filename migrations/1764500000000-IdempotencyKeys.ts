import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `Idempotency-Key` on task creation (IETF httpapi idempotency-key draft):
 * one row per user and key, holding the request's fingerprint and the first
 * response. The primary key is what makes concurrent duplicates create one
 * task: the second insert waits for the first transaction and then finds its
 * row. Rows older than 24 hours are expired and purged.
 */
export class IdempotencyKeys1764500000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE idempotency_keys (
        user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        key         text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
        fingerprint text NOT NULL,
        response    jsonb,
        created_at  timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT idempotency_keys_pkey PRIMARY KEY (user_id, key)
      )`);
    await db.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE idempotency_keys`);
  }
}
