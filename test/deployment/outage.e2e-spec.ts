import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { bearer, createTask, registerUser, type TestUser } from '../helpers/fixtures.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { createTestApp } from '../helpers/test-app.js';

/** The default DB_CONNECT_TIMEOUT_MS: the promise is a 503 within it. */
const CONNECT_TIMEOUT_MS = 2000;
/** Room for a loaded CI machine, and still less than a second connect timeout (a retry). */
const SLACK_MS = 1500;

/**
 * Breaks the network between the service and its database for real, through
 * a TCP proxy: works on the PostgreSQL server and on the embedded test engine
 * (whose socket server is TCP too).
 */
describe('Database outage (e2e)', () => {
  let proxy: TcpProxy;
  let app: INestApplication<App>;
  let user: TestUser;
  let taskId: string;

  beforeAll(async () => {
    const databaseUrl = process.env.E2E_DATABASE_URL!;
    proxy = await TcpProxy.inFrontOf(databaseUrl);
    app = await createTestApp({ DATABASE_URL: proxy.rewrite(databaseUrl) });
    user = await registerUser(app);
    taskId = (await createTask(app, user, { title: 'Written before the outage' })).id as string;
  });
  afterAll(async () => {
    await proxy.restore();
    await app.close();
    await proxy.stop();
  });

  const listTasks = () => request(app.getHttpServer()).get('/api/tasks').set(bearer(user));
  const ready = () => request(app.getHttpServer()).get('/health/ready');

  function expectUnavailable(response: request.Response): void {
    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(response.body).toMatchObject({ type: '/problems/service-unavailable', status: 503 });
  }

  it('answers 503 with Retry-After while the database refuses connections, and recovers when it is back', async () => {
    await listTasks().expect(200);
    await ready().expect(200);

    const cutAt = Date.now();
    await proxy.cut();
    const first = await listTasks();
    const firstUnavailableMs = Date.now() - cutAt;
    expectUnavailable(first);
    expect(firstUnavailableMs).toBeLessThan(CONNECT_TIMEOUT_MS);

    // A burst while it is down: every request ends, each as a 503, none as a 500.
    const started = Date.now();
    const burst = await Promise.all([
      ...Array.from({ length: 8 }, () => listTasks()),
      request(app.getHttpServer()).post('/api/tasks').set(bearer(user)).send({ title: 'During the outage' }),
      request(app.getHttpServer()).get(`/api/tasks/${taskId}`).set(bearer(user)),
    ]);
    burst.forEach(expectUnavailable);
    expect(Date.now() - started).toBeLessThan(CONNECT_TIMEOUT_MS + SLACK_MS);
    const readiness = await ready();
    expect(readiness.status).toBe(503);
    expect(readiness.headers['content-type']).toMatch(/^application\/problem\+json/);
    await request(app.getHttpServer()).get('/health/live').expect(200);

    const restoredAt = Date.now();
    await proxy.restore();
    const recoveryMs = await timeUntilOk(listTasks, restoredAt);
    await ready().expect(200);
    const tasks = await listTasks().expect(200);
    expect(tasks.body.data.map((task: { id: string }) => task.id)).toContain(taskId);
    await createTask(app, user, { title: 'Written after the outage' });

    report('refused', { firstUnavailableMs, recoveryMs });
  });

  it('answers 503 within the connect timeout while the database host does not answer at all', async () => {
    await listTasks().expect(200);
    const cutAt = Date.now();
    proxy.blackhole();
    const first = await listTasks();
    const firstUnavailableMs = Date.now() - cutAt;
    expectUnavailable(first);
    // The pool waits DB_CONNECT_TIMEOUT_MS for a connection that never completes, then gives up.
    expect(firstUnavailableMs).toBeLessThan(CONNECT_TIMEOUT_MS + SLACK_MS);
    expect((await ready()).status).toBe(503);

    const restoredAt = Date.now();
    await proxy.restore();
    const recoveryMs = await timeUntilOk(listTasks, restoredAt);
    report('unreachable', { firstUnavailableMs, recoveryMs });
  });
});

/** Polls until a 200 (never a 500 meanwhile); returns the time since `since`. */
async function timeUntilOk(send: () => request.Test, since: number): Promise<number> {
  for (;;) {
    const response = await send();
    if (response.status === 200) return Date.now() - since;
    expect(response.status).toBe(503);
    if (Date.now() - since > 10_000) throw new Error('no recovery within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function report(kind: string, figures: { firstUnavailableMs: number; recoveryMs: number }): void {
  process.stdout.write(
    `outage (${kind}, ${process.env.TEST_DATABASE_URL ? 'PostgreSQL server' : 'embedded engine'}): ` +
      `first 503 after ${figures.firstUnavailableMs} ms, recovered ${figures.recoveryMs} ms after the restore\n`,
  );
}
