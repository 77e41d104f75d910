import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { type TestUser, bearer, registerUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

const PROBLEM = /^application\/problem\+json/;

describe('Errors and cross-cutting headers (e2e)', () => {
  let app: INestApplication<App>;
  let user: TestUser;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    user = await registerUser(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers malformed JSON with a malformed-request problem', async () => {
    const response = await http()
      .post('/api/tasks')
      .set(bearer(user))
      .set('Content-Type', 'application/json')
      .send('{"title": ')
      .expect(400);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body).toEqual({
      type: '/problems/malformed-request',
      title: 'Malformed request',
      status: 400,
      detail: 'The request body is not valid JSON',
      instance: '/api/tasks',
      requestId: response.headers['x-request-id'],
    });
  });

  it('answers a NUL character anywhere in the body with a validation problem naming it', async () => {
    const response = await http()
      .post('/api/tasks')
      .set(bearer(user))
      .send({ title: 'ok', tags: ['fine', 'bad\u0000tag'] })
      .expect(400);
    expect(response.body.errors).toEqual([{ field: 'tags.1', message: 'must not contain NUL characters' }]);
  });

  it('answers a body over the limit with 413', async () => {
    const response = await http()
      .post('/api/tasks')
      .set(bearer(user))
      .send({ title: 'x', description: 'y'.repeat(110_000) })
      .expect(413);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body.type).toBe('/problems/payload-too-large');
  });

  it('answers a body that is not JSON with 415', async () => {
    const response = await http()
      .post('/api/tasks')
      .set(bearer(user))
      .set('Content-Type', 'text/plain')
      .send('title=x')
      .expect(415);
    expect(response.body.type).toBe('/problems/unsupported-media-type');
  });

  it.each([
    ['without a token', {}],
    ['with a token', null],
  ])('answers unknown routes with 404 %s', async (_case, headers) => {
    const response = await http()
      .get('/api/no-such-thing/at/all')
      .set(headers ?? bearer(user))
      .expect(404);
    expect(response.headers['content-type']).toMatch(PROBLEM);
    expect(response.body).toMatchObject({ type: '/problems/not-found', instance: '/api/no-such-thing/at/all' });
  });

  it('puts the path without the query string in instance', async () => {
    const response = await http().get('/api/tasks?limit=0').set(bearer(user)).expect(400);
    expect(response.body.instance).toBe('/api/tasks');
  });

  describe('X-Request-Id', () => {
    it('echoes a sane request id', async () => {
      const response = await http()
        .get('/api/tasks')
        .set(bearer(user))
        .set('X-Request-Id', 'abc.DEF_123-x')
        .expect(200);
      expect(response.headers['x-request-id']).toBe('abc.DEF_123-x');
    });

    it.each(['has spaces', 'x'.repeat(129), 'semi;colon'])('replaces an unsafe request id (%s)', async (id) => {
      const response = await http().get('/health/live').set('X-Request-Id', id).expect(200);
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('carries the request id in problems too', async () => {
      const response = await http().get('/api/users/me').set('X-Request-Id', 'trace-42').expect(401);
      expect(response.body.requestId).toBe('trace-42');
    });
  });

  it('sends security headers and no X-Powered-By', async () => {
    const response = await http().get('/health/live').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('marks authenticated responses no-store', async () => {
    const response = await http().get('/api/tasks').set(bearer(user)).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('serves the OpenAPI document and Swagger UI publicly', async () => {
    const document = await http().get('/docs/openapi.json').expect(200);
    expect(document.body.openapi).toMatch(/^3\./);
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining(['/api/tasks', '/api/{userId}/tasks/{id}/toggle', '/api/auth/register']),
    );
    await http().get('/docs').expect(200);
  });
});
