import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { bearer, registerUser, type TestUser } from '../helpers/fixtures.js';
import { TestRedis } from '../helpers/redis-server.js';
import { createTestApp } from '../helpers/test-app.js';

/**
 * A burst of 5, then one write every 10 s: a flood on a slow engine on a busy machine cannot outlast a
 * refill (with one a second, it did, and drew a sixth write).
 */
const SLOW_REFILL = { RATE_LIMIT_WRITES_PER_MINUTE: '6', RATE_LIMIT_WRITES_BURST: '5' };

function expectWriteLimited(response: request.Response, maxRetryAfter = 2): void {
  expect(response.status).toBe(429);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ type: '/problems/rate-limited', status: 429 });
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxRetryAfter);
  // The detail says when, in the same words as the header.
  expect(response.body.detail).toMatch(new RegExp(`try again in ${retryAfter} seconds?$`));
}

/** One account floods writes; it is held to its bucket, and nobody else notices. */
describe('Write flood (e2e)', () => {
  let app: INestApplication<App> | undefined;
  const http = () => request(app!.getHttpServer());
  const create = (user: TestUser, title = 'flood') => http().post('/api/tasks').set(bearer(user)).send({ title });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('lets an account write a burst, then answers 429 with Retry-After; a second account is unaffected', async () => {
    app = await createTestApp(SLOW_REFILL);
    const [attacker, bystander] = [await registerUser(app), await registerUser(app)];
    const flood = await Promise.all(Array.from({ length: 20 }, () => create(attacker)));
    const statuses = flood.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15);
    expectWriteLimited(
      flood.find((response) => response.status === 429)!,
      10,
    );

    // Nothing over the limit was stored.
    const list = await http().get('/api/tasks').set(bearer(attacker)).expect(200);
    expect(list.body.meta.total).toBe(5);
    // Reads are not writes: the flooding account can still read.
    expect(list.headers['ratelimit']).toBeUndefined();

    const answers = await Promise.all([
      create(bystander),
      create(bystander),
      http().get('/api/tasks').set(bearer(bystander)),
    ]);
    expect(answers.map((response) => response.status)).toEqual([201, 201, 200]);
  });

  it('counts every state-changing route: PATCH, PUT, DELETE, /toggle, bulk and account writes', async () => {
    // A refill of one write every 10 s: the nine requests below, one after the other, took longer than a
    // refill of one a second on the embedded engine in a newcomer's run, and the seventh found a token.
    app = await createTestApp({ RATE_LIMIT_WRITES_PER_MINUTE: '6', RATE_LIMIT_WRITES_BURST: '2' });
    const user = await registerUser(app);
    const task = (await create(user).expect(201)).body.data;
    await http().patch(`/api/tasks/${task.id}`).set(bearer(user)).send({ title: 'renamed' }).expect(200);
    const writes = [
      http().put(`/api/tasks/${task.id}`).set(bearer(user)).send({ title: 'x' }),
      http().delete(`/api/tasks/${task.id}`).set(bearer(user)),
      http().post(`/api/tasks/${task.id}/toggle`).set(bearer(user)),
      http().post('/api/tasks/complete-all').set(bearer(user)).send({}),
      http().delete('/api/tasks/completed').set(bearer(user)),
      http().patch('/api/users/me').set(bearer(user)).send({ name: 'New name' }),
      // Invalid bodies count too: validation runs after the limit.
      http().post('/api/tasks').set(bearer(user)).send({ title: '' }),
    ];
    for (const write of writes) expectWriteLimited(await write, 10);
    await http().get(`/api/tasks/${task.id}`).set(bearer(user)).expect(200);
  });

  it('refills at the sustained rate', async () => {
    // One token every 2 s: far longer than a create takes, even on the embedded engine on a busy machine,
    // so the second create finds the bucket still empty.
    app = await createTestApp({ RATE_LIMIT_WRITES_PER_MINUTE: '30', RATE_LIMIT_WRITES_BURST: '1' });
    const user = await registerUser(app);
    await create(user).expect(201);
    expectWriteLimited(await create(user));
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await create(user).expect(201);
  });

  describe('with REDIS_URL', () => {
    let redis: TestRedis;

    beforeAll(async () => {
      redis = await TestRedis.start();
    });

    afterAll(async () => {
      await redis.stop();
    });

    it('shares one bucket per account between instances', async () => {
      const env = { ...SLOW_REFILL, REDIS_URL: redis.url, REDIS_KEY_PREFIX: `write-flood-${Date.now()}:` };
      app = await createTestApp(env);
      // Closed here, while its Redis is up: the next test takes Redis away.
      const second = await createTestApp(env);
      try {
        const user = await registerUser(app);
        const servers = [app.getHttpServer(), second.getHttpServer()];
        const flood = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            request(servers[i % 2])
              .post('/api/tasks')
              .set(bearer(user))
              .send({ title: `shared ${i}` }),
          ),
        );
        expect(flood.filter((response) => response.status === 201)).toHaveLength(5);
        expectWriteLimited(
          flood.find((response) => response.status === 429)!,
          10,
        );
      } finally {
        await second.close();
      }
    });

    it('keeps limiting in this process while Redis is away', async () => {
      app = await createTestApp({ ...SLOW_REFILL, REDIS_URL: redis.url, REDIS_TIMEOUT_MS: '200' });
      const user = await registerUser(app);
      await redis.stop();
      try {
        const flood = [];
        for (let i = 0; i < 7; i++) flood.push(await create(user));
        expect(flood.map((response) => response.status)).toEqual([201, 201, 201, 201, 201, 429, 429]);
      } finally {
        await redis.restart();
      }
    });
  });
});
