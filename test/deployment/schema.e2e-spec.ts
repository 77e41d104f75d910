import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { bin, ensureBuilt, ROOT, run } from '../helpers/built-app.js';
import { createTestApp } from '../helpers/test-app.js';

/** What TypeORM would change to make the database match the entities: nothing, on a migrated database. */
async function pendingChanges(app: INestApplication): Promise<string[]> {
  const sql = await app.get(DataSource).driver.createSchemaBuilder().log();
  return sql.upQueries.map((query) => query.query);
}

/**
 * The entities describe the schema the migrations build (issue: `migration:generate` must find
 * nothing on an up-to-date database), on both engines: their index sets differ (extensions).
 */
describe('Entities and migrations agree', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'taskwell-schema-'));
  beforeAll(ensureBuilt, 180_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('on the test database', async () => {
    const app = await createTestApp();
    try {
      expect(await pendingChanges(app)).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('so `migration:generate` (the documented command, on the built code) finds no changes', async () => {
    const app = await createTestApp(); // migrates the test database
    await app.close();
    const generate = run(
      bin('typeorm'),
      ['-d', 'dist/src/database/data-source.js', 'migration:generate', '--dryrun', 'x'],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL },
      },
    );
    // TypeORM exits 1 when there is nothing to generate, and writes no file.
    await expect(generate).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringContaining('No changes in database schema were found'),
    });
  }, 60_000);

  it('on the embedded engine', async () => {
    const app = await createTestApp({ DATABASE_URL: '', DATA_DIR: dataDir });
    try {
      expect(await pendingChanges(app)).toEqual([]);
    } finally {
      await app.close();
    }
  }, 60_000);
});
