import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { bearer, registerUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

/** The zero-setup default: no DATABASE_URL, PostgreSQL embedded in the process, data in DATA_DIR. */
describe('Embedded database (e2e)', () => {
  let dataDir: string;
  const saved = { DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: process.env.DATA_DIR };

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'taskwell-embedded-'));
    delete process.env.DATABASE_URL;
    process.env.DATA_DIR = dataDir;
  });
  afterAll(() => {
    process.env.DATABASE_URL = saved.DATABASE_URL;
    process.env.DATA_DIR = saved.DATA_DIR;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrates a new data folder, serves the API, and keeps the data across a restart', async () => {
    let app = await createTestApp();
    const user = await registerUser(app);
    const created = await request(app.getHttpServer())
      .post('/api/tasks')
      .set(bearer(user))
      .send({ title: 'Persisted' })
      .expect(201);
    await app.close();

    app = await createTestApp();
    try {
      const found = await request(app.getHttpServer())
        .get(`/api/tasks/${created.body.data.id}`)
        .set(bearer(user))
        .expect(200);
      expect(found.body.data.title).toBe('Persisted');
    } finally {
      await app.close();
    }
  }, 60_000);

  it('refuses a second engine on a folder in use, with a clear message', async () => {
    const engine = await EmbeddedPostgres.start(dataDir);
    try {
      await expect(EmbeddedPostgres.start(dataDir)).rejects.toThrow(/in use by another process \(PID \d+\)/);
    } finally {
      await engine.stop();
    }
  }, 60_000);

  it('takes over a stale lock left by a process that died', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(join(dataDir, 'pglite.lock'), dead.stdout.toString());
    const engine = await EmbeddedPostgres.start(dataDir);
    await engine.stop();
  }, 60_000);
});
