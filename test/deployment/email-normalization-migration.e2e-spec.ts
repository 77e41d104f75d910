import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { NormalizeEmails1765100000000 } from '../../migrations/1765100000000-NormalizeEmails.js';
import { MIGRATIONS } from '../../src/database/migrations.js';

/** The migrations up to this one, and those before it: later ones (one-way, some) are not this test's. */
const THROUGH = MIGRATIONS.slice(0, MIGRATIONS.indexOf(NormalizeEmails1765100000000) + 1);
import { describeWhen } from '../helpers/describe-when.js';
import { scratchDatabase } from '../helpers/scratch-database.js';

const withServer = describeWhen(
  Boolean(process.env.TEST_DATABASE_URL),
  'TEST_DATABASE_URL (a scratch database on a PostgreSQL server)',
);

/**
 * The migration that normalizes stored emails, on rows written before it:
 * two that now collide (the older keeps the address), one with a hidden
 * character, one to fold, one already normal; then back down.
 */
withServer('NormalizeEmails migration (e2e)', () => {
  let scratch: { url: string; drop: () => Promise<void> };
  let db: DataSource;

  beforeAll(async () => {
    scratch = await scratchDatabase('email_migration');
    db = new DataSource({ type: 'postgres', url: scratch.url, migrations: THROUGH.slice(0, -1), logging: false });
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
  });
  afterAll(async () => {
    await db?.destroy();
    await scratch?.drop();
  });

  const insert = (email: string, createdAt: string) =>
    db
      .query<{ id: string }[]>(
        `INSERT INTO users (email, password_hash, created_at) VALUES ($1, 'x', $2) RETURNING id`,
        [email, createdAt],
      )
      .then((rows) => rows[0].id);
  const emailOf = async (id: string) =>
    (await db.query<{ email: string }[]>(`SELECT email FROM users WHERE id = $1`, [id]))[0].email;

  it('keeps the older of two colliding rows, marks the newer and the hidden one, logs each change, and goes back down', async () => {
    const older = await insert('Straße@Example.com', '2025-01-01T00:00:00Z');
    const newer = await insert('strasse@example.com', '2025-02-01T00:00:00Z');
    const hidden = await insert('al\u200Bice@example.com', '2025-01-15T00:00:00Z');
    const folded = await insert('ＢＯＢ@example.com', '2025-01-20T00:00:00Z');
    const normal = await insert('carol@example.com', '2025-01-21T00:00:00Z');

    const all = new DataSource({ type: 'postgres', url: scratch.url, migrations: THROUGH, logging: false });
    await all.initialize();
    try {
      await all.runMigrations({ transaction: 'each' });
      expect(await emailOf(older)).toBe('strasse@example.com');
      expect(await emailOf(newer)).toBe(`${newer}@email-conflict.invalid`);
      expect(await emailOf(hidden)).toBe(`${hidden}@email-conflict.invalid`);
      expect(await emailOf(folded)).toBe('bob@example.com');
      expect(await emailOf(normal)).toBe('carol@example.com');
      const log = await db.query<{ user_id: string; email_before: string; reason: string }[]>(
        `SELECT user_id, email_before, reason FROM email_normalization_log ORDER BY email_before`,
      );
      expect(log).toEqual(
        expect.arrayContaining([
          { user_id: older, email_before: 'Straße@Example.com', reason: 'normalized' },
          { user_id: newer, email_before: 'strasse@example.com', reason: 'collision' },
          { user_id: hidden, email_before: 'al\u200Bice@example.com', reason: 'hidden-character' },
          { user_id: folded, email_before: 'ＢＯＢ@example.com', reason: 'normalized' },
        ]),
      );
      expect(log).toHaveLength(4);

      await all.undoLastMigration({ transaction: 'each' });
      expect(await emailOf(older)).toBe('Straße@Example.com');
      expect(await emailOf(newer)).toBe('strasse@example.com');
      expect(await emailOf(hidden)).toBe('al\u200Bice@example.com');
      expect(await emailOf(folded)).toBe('ＢＯＢ@example.com');
      expect(await emailOf(normal)).toBe('carol@example.com');
      const left = await db.query<unknown[]>(`SELECT to_regclass('email_normalization_log') AS t`);
      expect(left).toEqual([{ t: null }]);
    } finally {
      await all.destroy();
    }
  });
});
