import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isCitusCoordinator } from './citus.js';

/**
 * Stored emails take the one normalized form the service now writes and
 * looks up: trimmed, NFKC, full case folding, NFKC (the service's
 * `normalizeEmail`, copied here as it is today: a migration must not change
 * when the service does).
 *
 * Two rows whose emails were distinct before and are equal now (`Straße@x.io`
 * and `strasse@x.io`, a fullwidth or dotless-i spelling of another address):
 * the older account (created first) keeps the address; each newer one gets a
 * marker that can never route mail or match a login, `<user id>@email-conflict.invalid`
 * (the `.invalid` top-level domain, RFC 6761 §6.4). A row whose normalized
 * email still holds a hidden character (a combining mark, a format or
 * default-ignorable character) could never be typed at login again: it gets
 * the same marker. Every changed row is recorded in `email_normalization_log`
 * (user, email before and after, why), and the number of marked accounts is
 * logged as a warning: those owners can still sign in with an identity
 * provider, or support gives them their address back from the log.
 */
export class NormalizeEmails1765100000000 implements MigrationInterface {
  name = 'NormalizeEmails1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE email_normalization_log (
        user_id      uuid PRIMARY KEY,
        email_before text NOT NULL,
        email_after  text NOT NULL,
        reason       text NOT NULL CHECK (reason IN ('normalized', 'collision', 'hidden-character')),
        migrated_at  timestamptz(3) NOT NULL DEFAULT now()
      )`);
    // On a Citus coordinator nothing of ours stays on the coordinator alone: a reference table, like users.
    if (await isCitusCoordinator(db)) await db.query(`SELECT create_reference_table('email_normalization_log')`);
    const rows = (await db.query(`SELECT id, email FROM users WHERE email IS NOT NULL ORDER BY created_at, id`)) as {
      id: string;
      email: string;
    }[];
    const taken = new Set<string>();
    const changes: { id: string; before: string; after: string; reason: string }[] = [];
    for (const { id, email } of rows) {
      const normalized = normalizeEmail(email);
      const marker = `${id}@email-conflict.invalid`;
      if (HIDDEN.test(normalized)) changes.push({ id, before: email, after: marker, reason: 'hidden-character' });
      else if (taken.has(normalized)) changes.push({ id, before: email, after: marker, reason: 'collision' });
      else {
        taken.add(normalized);
        if (normalized !== email) changes.push({ id, before: email, after: normalized, reason: 'normalized' });
      }
    }
    if (changes.length === 0) return;
    await db.query(
      `INSERT INTO email_normalization_log (user_id, email_before, email_after, reason)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])`,
      [
        changes.map((c) => c.id),
        changes.map((c) => c.before),
        changes.map((c) => c.after),
        changes.map((c) => c.reason),
      ],
    );
    await setEmails(
      db,
      changes.map(({ id, after }) => ({ id, email: after })),
    );
    const marked = changes.filter((c) => c.reason !== 'normalized').length;
    if (marked > 0) {
      db.connection.logger.log(
        'warn',
        `${marked} account(s) lost their email to normalization (an older account has it, or it holds a hidden ` +
          `character): see email_normalization_log WHERE reason <> 'normalized'`,
        db,
      );
    }
  }

  /**
   * Each email changed by `up` goes back to what it was, unless its owner has
   * changed it since or an account registered since holds the old address
   * (case-insensitively, the earlier rule): those stay as they are now.
   */
  async down(db: QueryRunner): Promise<void> {
    const moves = (await db.query(
      `SELECT l.user_id AS id, l.email_before AS email
         FROM email_normalization_log l JOIN users u ON u.id = l.user_id AND u.email = l.email_after
        WHERE NOT EXISTS (
          SELECT 1 FROM users o
           WHERE lower(o.email) = lower(l.email_before)
             AND o.id NOT IN (SELECT user_id FROM email_normalization_log))`,
    )) as { id: string; email: string }[];
    await setEmails(db, moves);
    await db.query(`DROP TABLE email_normalization_log`);
  }
}

/**
 * Gives each user its new email. Through a placeholder first: in one UPDATE,
 * a row may take an address that another row still holds until its own
 * turn, which the unique index refuses at once.
 */
async function setEmails(db: QueryRunner, moves: { id: string; email: string }[]): Promise<void> {
  if (moves.length === 0) return;
  const ids = moves.map((move) => move.id);
  await db.query(`UPDATE users SET email = id || '@migrating.invalid' WHERE id = ANY($1::uuid[])`, [ids]);
  await db.query(
    `UPDATE users u SET email = m.email FROM unnest($1::uuid[], $2::text[]) AS m (id, email) WHERE u.id = m.id`,
    [ids, moves.map((move) => move.email)],
  );
}

/** Combining marks, format and default-ignorable characters (Unicode Mn, Cf, Default_Ignorable_Code_Point). */
const HIDDEN = /[\p{Mn}\p{Cf}\p{Default_Ignorable_Code_Point}]/u;

function normalizeEmail(raw: string): string {
  const folded = raw.trim().normalize('NFKC').toLowerCase().toUpperCase().toLowerCase().replaceAll('ς', 'σ');
  return folded.normalize('NFKC').trim();
}
