import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { GOOD_PASSWORD, registerUser, uniqueEmail } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

/** Each test builds its own app with low limits (fresh counters), closed afterwards. */
describe('Rate limits (e2e)', () => {
  let app: INestApplication<App> | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const http = () => request(app!.getHttpServer());

  function expectRateLimited(response: request.Response): void {
    expect(response.status).toBe(429);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: '/problems/rate-limited', status: 429 });
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
    // The detail says the same wait as the header, for a person reading it.
    const seconds = Number(response.headers['retry-after']);
    expect(response.body.detail).toBe(
      `Too many requests; try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}`,
    );
  }

  it('limits login per client IP, with Retry-After', async () => {
    app = await createTestApp({ RATE_LIMIT_AUTH_PER_MINUTE: '3' });
    for (let i = 0; i < 3; i++) {
      await http().post('/api/auth/login').send({ email: uniqueEmail(), password: 'wrong-password' }).expect(401);
    }
    expectRateLimited(await http().post('/api/auth/login').send({ email: uniqueEmail(), password: 'x' }));
  });

  it('limits register and refresh per client IP, each on its own counter', async () => {
    app = await createTestApp({ RATE_LIMIT_AUTH_PER_MINUTE: '2' });
    const user = await registerUser(app);
    await registerUser(app);
    expectRateLimited(await http().post('/api/auth/register').send({ email: uniqueEmail(), password: GOOD_PASSWORD }));

    await http().post('/api/auth/refresh').send({ refreshToken: 'unknown' }).expect(401);
    await http().post('/api/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
    expectRateLimited(await http().post('/api/auth/refresh').send({ refreshToken: 'unknown' }));
  });

  it('is not reset by a spoofed X-Forwarded-For when no proxy is trusted', async () => {
    app = await createTestApp({ RATE_LIMIT_AUTH_PER_MINUTE: '2' });
    for (let i = 0; i < 2; i++) {
      await http()
        .post('/api/auth/login')
        .set('X-Forwarded-For', `203.0.113.${i}`)
        .send({ email: uniqueEmail(), password: 'wrong-password' })
        .expect(401);
    }
    const response = await http()
      .post('/api/auth/login')
      .set('X-Forwarded-For', '198.51.100.77')
      .send({ email: uniqueEmail(), password: 'wrong-password' });
    expectRateLimited(response);
  });

  it('follows X-Forwarded-For only when TRUST_PROXY is configured', async () => {
    app = await createTestApp({ RATE_LIMIT_AUTH_PER_MINUTE: '1', TRUST_PROXY: '1' });
    const login = (ip: string) =>
      http()
        .post('/api/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ email: uniqueEmail(), password: 'wrong-password' });
    expect((await login('203.0.113.1')).status).toBe(401);
    expectRateLimited(await login('203.0.113.1'));
    expect((await login('203.0.113.2')).status).toBe(401);
  });

  it('limits failed logins per account and client IP, and counts unknown emails alike', async () => {
    app = await createTestApp({ RATE_LIMIT_LOGIN_FAILURES_PER_MINUTE: '3', TRUST_PROXY: '1' });
    const user = await registerUser(app);
    const login = (email: string, password: string, ip: string) =>
      http().post('/api/auth/login').set('X-Forwarded-For', ip).send({ email, password });

    for (let i = 0; i < 3; i++) expect((await login(user.email, 'wrong-password', '203.0.113.1')).status).toBe(401);
    // Locked for this account from that IP even with the right password, however the email is written.
    expectRateLimited(await login(` ${user.email.toUpperCase()} `, GOOD_PASSWORD, '203.0.113.1'));
    // The owner, elsewhere, still signs in.
    expect((await login(user.email, GOOD_PASSWORD, '198.51.100.1')).status).toBe(200);

    const unknown = uniqueEmail('nobody');
    for (let i = 0; i < 3; i++) expect((await login(unknown, 'wrong-password', '203.0.113.1')).status).toBe(401);
    expectRateLimited(await login(unknown, 'wrong-password', '203.0.113.1'));

    // Another account is not affected.
    const other = await registerUser(app);
    expect((await login(other.email, GOOD_PASSWORD, '203.0.113.1')).status).toBe(200);
  });

  it('limits failed logins per account across all IPs with the hourly bound', async () => {
    app = await createTestApp({ RATE_LIMIT_LOGIN_FAILURES_PER_HOUR: '4', TRUST_PROXY: '1' });
    const user = await registerUser(app);
    const login = (password: string, ip: string) =>
      http().post('/api/auth/login').set('X-Forwarded-For', ip).send({ email: user.email, password });
    for (let i = 0; i < 4; i++) expect((await login('wrong-password', `203.0.113.${i}`)).status).toBe(401);
    const limited = await login(GOOD_PASSWORD, '198.51.100.1');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(60);
  });

  it('does not count successful logins against the account', async () => {
    app = await createTestApp({ RATE_LIMIT_LOGIN_FAILURES_PER_MINUTE: '2' });
    const user = await registerUser(app);
    for (let i = 0; i < 4; i++) {
      await http().post('/api/auth/login').send({ email: user.email, password: GOOD_PASSWORD }).expect(200);
    }
  });
});
