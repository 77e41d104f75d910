import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { type TestUser, bearer, registerUser } from '../helpers/fixtures.js';
import { portOf, rawExchange, rawRequest } from '../helpers/raw-http.js';
import { createTestApp } from '../helpers/test-app.js';

const DETAIL = 'The request body is over the limit of 2048 bytes (2 KiB)';

/** A 413 says the configured limit, however the body came: announced, chunked, or found while parsing. */
describe('413 states the body limit (e2e)', () => {
  let app: INestApplication<App>;
  let user: TestUser;
  let port: number;

  beforeAll(async () => {
    app = await createTestApp({ BODY_LIMIT: '2kb' });
    user = await registerUser(app);
    port = await portOf(app.getHttpServer() as Server);
  });
  afterAll(async () => {
    await app.close();
  });

  const oversized = JSON.stringify({ title: 'x', description: 'y'.repeat(3000) });

  it('a Content-Length over the limit', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/tasks')
      .set(bearer(user))
      .set('Content-Type', 'application/json')
      .send(oversized);
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ type: '/problems/payload-too-large', detail: DETAIL });
  });

  it('a chunked body that passes the limit', async () => {
    const head = rawRequest('POST', '/api/tasks', {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      Authorization: `Bearer ${user.accessToken}`,
    });
    const chunk = `${oversized.length.toString(16)}\r\n${oversized}\r\n0\r\n\r\n`;
    const response = await rawExchange(port, [head, chunk]);
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ type: '/problems/payload-too-large', detail: DETAIL });
  });

  it('a public route reads the same limit', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'a@example.com', password: 'p'.repeat(3000) }));
    expect(response.status).toBe(413);
    expect(response.body.detail).toBe(DETAIL);
  });
});
