import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { GOOD_PASSWORD, registerUser } from '../helpers/fixtures.js';
import { TestRedis } from '../helpers/redis-server.js';
import { createTestApp } from '../helpers/test-app.js';

/** A stranger guessing an account's password must be stopped without locking its owner out. */
describe('Login lockout by a stranger (e2e)', () => {
  let app: INestApplication<App> | undefined;
  const http = () => request(app!.getHttpServer());

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const login = (email: string, password: string, ip: string) =>
    http().post('/api/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  it('stops the stranger after the per-client limit, while the owner elsewhere signs in', async () => {
    app = await createTestApp({ TRUST_PROXY: '1', RATE_LIMIT_LOGIN_FAILURES_PER_MINUTE: '5' });
    const owner = await registerUser(app);
    const stranger = '203.0.113.66';
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login(owner.email, `guess-${i}-password`, stranger)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]));
    // Another spelling of the address gets the stranger no fresh bucket.
    expect((await login(owner.email.toUpperCase(), 'guess-x-password', stranger)).status).toBe(429);

    const answer = await login(owner.email, GOOD_PASSWORD, '198.51.100.7');
    expect(answer.status).toBe(200);
  });

  it('still bounds guesses spread over many addresses (the hourly per-account bound)', async () => {
    app = await createTestApp({
      TRUST_PROXY: '1',
      RATE_LIMIT_AUTH_PER_MINUTE: '100000',
      RATE_LIMIT_LOGIN_FAILURES_PER_HOUR: '20',
    });
    const owner = await registerUser(app);
    for (let i = 0; i < 20; i++) {
      expect((await login(owner.email, 'wrong-password', `203.0.113.${i}`)).status).toBe(401);
    }
    const limited = await login(owner.email, 'wrong-password', '203.0.113.200');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(60);
  });

  it('holds both limits across instances that share Redis', async () => {
    const redis = await TestRedis.start();
    const env = {
      TRUST_PROXY: '1',
      RATE_LIMIT_LOGIN_FAILURES_PER_MINUTE: '3',
      RATE_LIMIT_LOGIN_FAILURES_PER_HOUR: '8',
      REDIS_URL: redis.url,
    };
    const instances = [await createTestApp(env), await createTestApp(env)];
    try {
      const on = (n: number, email: string, password: string, ip: string) =>
        request(instances[n].getHttpServer())
          .post('/api/auth/login')
          .set('X-Forwarded-For', ip)
          .send({ email, password });
      app = instances[0];
      const owner = await registerUser(app);
      // Per account and client: three failures over both instances, then 429 on either.
      for (let i = 0; i < 3; i++)
        expect((await on(i % 2, owner.email, 'wrong-password', '203.0.113.9')).status).toBe(401);
      expect((await on(0, owner.email, 'wrong-password', '203.0.113.9')).status).toBe(429);
      expect((await on(1, owner.email, 'wrong-password', '203.0.113.9')).status).toBe(429);
      expect((await on(1, owner.email, GOOD_PASSWORD, '198.51.100.9')).status).toBe(200);
      // Per account: the hourly bound counts the failures of every client on every instance.
      for (let i = 0; i < 5; i++) {
        expect((await on(i % 2, owner.email, 'wrong-password', `203.0.113.${20 + i}`)).status).toBe(401);
      }
      expect((await on(0, owner.email, GOOD_PASSWORD, '198.51.100.10')).status).toBe(429);
      expect((await on(1, owner.email, GOOD_PASSWORD, '198.51.100.11')).status).toBe(429);
    } finally {
      app = undefined;
      for (const instance of instances) await instance.close();
      await redis.stop();
    }
  });
});
