import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { SqlRunner } from '../../src/database/sql-runner.js';
import { BASE_ENV, BuiltService, ensureBuilt } from '../helpers/built-service.js';
import { bearer, registerUser, type TestUser } from '../helpers/fixtures.js';
import { type PgBouncer, startPgBouncer } from '../helpers/pgbouncer.mjs';
import { createTestApp } from '../helpers/test-app.js';
import { describeWhen } from '../helpers/describe-when.js';

const serverUrl = process.env.TEST_DATABASE_URL;
const withServer = describeWhen(Boolean(serverUrl), 'TEST_DATABASE_URL (a PostgreSQL server for PgBouncer to pool)');
const STATEMENT_TIMEOUT_MS = 300;

/**
 * The service behind a real PgBouncer (Debian's 1.18, no prepared-statement
 * support) in transaction mode, where a session is not the client's between
 * transactions. Needs a PostgreSQL server (TEST_DATABASE_URL).
 */
withServer('Through PgBouncer in transaction mode (e2e)', () => {
  let pgbouncer: PgBouncer;
  let pooledUrl: string;
  let app: INestApplication<App>;
  let user: TestUser;
  let afterThis: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    pgbouncer = await startPgBouncer(serverUrl!, 'transaction');
    pooledUrl = pgbouncer.rewrite(serverUrl!);
    app = await createTestApp({
      DATABASE_URL: pooledUrl,
      DB_POOL_MODE: 'transaction',
      // 200 requests queue for 10 connections: on a busy machine waiting may take seconds, and this
      // test is about what PgBouncer does to statements, not about giving up on a full pool.
      DB_CONNECT_TIMEOUT_MS: '20000',
    });
    user = await registerUser(app);
  }, 30_000);
  afterEach(async () => {
    await afterThis?.();
    afterThis = undefined;
  });
  afterAll(async () => {
    await app?.close();
    await pgbouncer?.stop();
  });

  it('serves 200 concurrent task requests without a failure', async () => {
    const http = () => request(app.getHttpServer());
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        index % 2 === 0
          ? http()
              .post('/api/tasks')
              .set(bearer(user))
              .send({ title: `Pooled ${index}`, tags: ['pooled'] })
          : http().get('/api/tasks').query({ tag: 'pooled', sort: 'title' }).set(bearer(user)),
      ),
    );
    expect(
      responses.filter((response) => response.status >= 300).map((response) => [response.status, response.body.detail]),
    ).toEqual([]);
    const list = await http().get('/api/tasks').query({ tag: 'pooled', limit: 1 }).set(bearer(user)).expect(200);
    expect(list.body.meta.total).toBe(100);
  }, 60_000);

  it('still enforces the statement timeout on every server connection', async () => {
    const timed = await createTestApp({
      DATABASE_URL: pooledUrl,
      DB_POOL_MODE: 'transaction',
      DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    });
    afterThis = () => timed.close();
    const sql = timed.get(SqlRunner);
    // More than the pool's connections, so several server connections run them.
    const attempts = await Promise.allSettled(
      Array.from({ length: 12 }, () => sql.query('SELECT pg_sleep($1::float8 / 1000)', [STATEMENT_TIMEOUT_MS * 5])),
    );
    for (const attempt of attempts) {
      expect(attempt).toMatchObject({ status: 'rejected', reason: { code: '57014' } }); // query_canceled
    }
    // A statement under the limit runs, and the connections are fine afterwards.
    await expect(sql.query('SELECT 1 AS one', [])).resolves.toEqual([{ one: 1 }]);
  }, 30_000);

  it('refuses to boot in session mode through it, saying which setting to use', async () => {
    ensureBuilt();
    const service = BuiltService.spawn({ ...BASE_ENV, DATABASE_URL: pooledUrl, DB_POOL_MODE: 'session' });
    try {
      expect(await service.exited).toEqual({ code: 1, signal: null });
    } finally {
      await service.dispose();
    }
    const fatal = service.logs().find((line) => line.level === 60);
    expect(String(fatal?.msg)).toMatch(
      /unsupported startup parameter: statement_timeout.*set DB_POOL_MODE=transaction/,
    );
  }, 60_000);
});
