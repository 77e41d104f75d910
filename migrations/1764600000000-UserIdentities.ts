import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * External identities (docs/IDENTITY-PROVIDERS.md): a user provisioned from an identity
 * provider's token is linked to its `(issuer, subject)` and may have no
 * password and, when the provider's email is not trusted, no email.
 * The unique pair is what makes concurrent first requests create one user
 * (INSERT ... ON CONFLICT); deleting the user deletes its identities.
 */
export class UserIdentities1764600000000 implements MigrationInterface {
  name = 'UserIdentities1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE user_identities (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id    uuid NOT NULL CONSTRAINT user_identities_user_id_fkey REFERENCES users (id) ON DELETE CASCADE,
        issuer     text NOT NULL,
        subject    text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT user_identities_issuer_check CHECK (char_length(issuer) >= 1 AND char_length(issuer) <= 2048),
        CONSTRAINT user_identities_subject_check CHECK (char_length(subject) >= 1 AND char_length(subject) <= 255),
        CONSTRAINT user_identities_issuer_subject_key UNIQUE (issuer, subject)
      )`);
    await db.query(`CREATE INDEX user_identities_user_idx ON user_identities (user_id)`);
    await db.query(`ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL`);
    await db.query(`ALTER TABLE users ALTER COLUMN email DROP NOT NULL`);
  }

  /**
   * Users that exist only through an identity (no password or no email)
   * cannot sign in without it, and the old schema cannot hold them: they go,
   * with their tasks and sessions.
   */
  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM users WHERE password_hash IS NULL OR email IS NULL`);
    await db.query(`ALTER TABLE users ALTER COLUMN email SET NOT NULL`);
    await db.query(`ALTER TABLE users ALTER COLUMN password_hash SET NOT NULL`);
    await db.query(`DROP TABLE user_identities`);
  }
}
