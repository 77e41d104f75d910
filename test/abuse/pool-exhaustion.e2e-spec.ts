import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { bearer, registerUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';
import { behaveWell, pause, seedHeavyTasks, slowestOf } from './heavy-account.js';

/**
 * One account sends many slow requests at once. Without a per-account share
 * they take every connection of the pool, and another account's request
 * waits for one longer than the pool's acquire timeout (DB_CONNECT_TIMEOUT_MS),
 * then gets a 503. That timeout is set here to 4 times one slow request:
 * more than a request waits behind one of the attacker's (with room for a
 * slow engine's jitter), far less than it waits behind the whole flood of 24.
 */
describe('Pool exhaustion (e2e)', () => {
  let app: INestApplication<App> | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('holds one account to its share of the pool: the others see no 5xx, it sees 200 or 429', async () => {
    // Measure one slow request first, on an app with the default timeouts.
    app = await createTestApp();
    const [attacker, bystander] = [await registerUser(app), await registerUser(app)];
    await seedHeavyTasks(app, attacker, 3000);
    const heavyPage = () => request(app!.getHttpServer()).get('/api/tasks?limit=100&q=lorem').set(bearer(attacker));
    const slow = await slowestOf(3, heavyPage);
    await app.close();

    app = await createTestApp({
      DB_POOL_SIZE: '4',
      DB_CONNECT_TIMEOUT_MS: String(Math.max(100, Math.round(4 * slow))),
      // The default share: a quarter of the pool (of 4 here; of 1 on the embedded engine), so 1.
      DB_MAX_CONCURRENT_PER_USER: '',
    });
    const flood = Promise.all(Array.from({ length: 24 }, heavyPage));
    await pause(20);
    const calm = await behaveWell(app, bystander);
    const attack = await flood;

    expect(calm.filter((status) => status >= 500)).toEqual([]);
    expect(calm.every((status) => status === 200 || status === 201)).toBe(true);
    const attackStatuses = attack.map((response) => response.status);
    expect(attackStatuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
    const limited = attack.find((response) => response.status === 429);
    if (limited) {
      expect(limited.headers['retry-after']).toBe('1');
      expect(limited.body).toMatchObject({ type: '/problems/rate-limited', status: 429 });
      expect(limited.body.detail).toBe(
        'Too many requests of this account at once (at most 1 served together); try again in 1 second',
      );
    }
  }, 60_000);

  it('turns away at once what is over the line, with Retry-After, rather than queue without bound', async () => {
    app = await createTestApp({ DB_MAX_CONCURRENT_PER_USER: '1', DB_QUEUE_WAIT_MS: '0' });
    const [attacker, bystander] = [await registerUser(app), await registerUser(app)];
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => request(app!.getHttpServer()).get('/api/tasks').set(bearer(attacker))),
    );
    const statuses = burst.map((response) => response.status);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
    // Requests without a caller are not the account's: public routes answer as before.
    await request(app.getHttpServer()).get('/health/live').expect(200);
    await request(app.getHttpServer()).get('/api/tasks').set(bearer(bystander)).expect(200);
  });
});
