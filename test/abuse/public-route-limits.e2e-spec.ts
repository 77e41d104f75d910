import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { createTestApp } from '../helpers/test-app.js';

const LIMIT = 3;

/** Every route a caller reaches without a token is rate limited per client IP, except the health probes. */
describe('Public routes are rate limited (e2e)', () => {
  let app: INestApplication<App>;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp({ RATE_LIMIT_AUTH_PER_MINUTE: String(LIMIT) });
  });
  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['/api/auth/register', { email: 'x', password: 'x' }],
    ['/api/auth/login', { email: 'nobody@example.com', password: 'x' }],
    ['/api/auth/refresh', { refreshToken: 'unknown' }],
    ['/api/auth/logout', { refreshToken: 'unknown' }],
  ])('POST %s: 429 with Retry-After after the limit', async (path, body) => {
    for (let i = 0; i < LIMIT; i++) expect((await http().post(path).send(body)).status).not.toBe(429);
    const limited = await http().post(path).send(body);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('leaves the health probes unlimited', async () => {
    for (let i = 0; i < LIMIT * 4; i++) expect((await http().get('/health/live')).status).toBe(200);
  });
});
