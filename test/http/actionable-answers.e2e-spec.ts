import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { type TestUser, bearer, createTask, registerUser } from '../helpers/fixtures.js';
import { accessTokenLike, claimsOf } from '../helpers/jwt-forge.js';
import { createTestApp } from '../helpers/test-app.js';

/** Answers a client can act on: what to fix, whether to refresh or log in again, what CORS allows. */
describe('Answers a client can act on (e2e)', () => {
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

  describe('401 says why (RFC 6750)', () => {
    const invalid = (description: string) => `Bearer error="invalid_token", error_description="${description}"`;

    async function expect401(authorization: string | undefined, detail: string, challenge: string) {
      const call = http().get('/api/tasks');
      const response = await (authorization === undefined ? call : call.set('Authorization', authorization));
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ type: '/problems/unauthorized', detail });
      expect(response.headers['www-authenticate']).toBe(challenge);
      expect(response.headers['cache-control']).toBe('no-store');
    }

    it('a missing token: no error code, as RFC 6750 §3.1 asks', async () => {
      await expect401(undefined, 'An access token is required: Authorization: Bearer <accessToken>', 'Bearer');
    });

    it('a header that is not Bearer', async () => {
      const detail = 'The Authorization header must be Bearer <accessToken>';
      await expect401('Basic dXNlcjpwYXNz', detail, invalid(detail));
    });

    it('a malformed token', async () => {
      await expect401('Bearer not-a-jwt', 'The access token is malformed', invalid('The access token is malformed'));
    });

    it('a forged token', async () => {
      const forged = accessTokenLike(claimsOf(user.accessToken), {}, undefined, 'another-secret-of-32-bytes-or-more!!');
      await expect401(`Bearer ${forged}`, 'The access token is invalid', invalid('The access token is invalid'));
    });

    it('an expired token: refresh it', async () => {
      const now = Math.floor(Date.now() / 1000);
      const expired = accessTokenLike(claimsOf(user.accessToken), { iat: now - 1000, exp: now - 100 });
      const detail = 'The access token has expired; refresh it';
      await expect401(`Bearer ${expired}`, detail, invalid(detail));
    });

    it('a token whose session has ended: log in again', async () => {
      const ended = await registerUser(app);
      await http().get('/api/tasks').set(bearer(ended)).expect(200); // now a known, cached token
      await http().post('/api/auth/logout').send({ refreshToken: ended.refreshToken }).expect(204);
      const detail = 'The session has ended; log in again';
      await expect401(`Bearer ${ended.accessToken}`, detail, invalid(detail));
    });
  });

  describe('routes that take no body', () => {
    it.each(['/api/tasks', '/api/{userId}/tasks'])('%s: toggle and delete accept none, or {}', async (family) => {
      const base = family.replace('{userId}', user.id);
      const task = await createTask(app, user);
      await http().post(`${base}/${task.id}/toggle`).set(bearer(user)).expect(200);
      await http().post(`${base}/${task.id}/toggle`).set(bearer(user)).send({}).expect(200);
      await http().delete(`${base}/${task.id}`).set(bearer(user)).send({}).expect(204);
    });

    it.each([
      ['/api/tasks', { foo: 1 }],
      ['/api/tasks', { completed: true }],
      ['/api/{userId}/tasks', { foo: 1 }],
      ['/api/{userId}/tasks', { completed: true }],
    ])('%s: toggle and delete refuse any field (%j), and change nothing', async (family, body) => {
      const base = family.replace('{userId}', user.id);
      const task = await createTask(app, user);
      const field = Object.keys(body)[0];
      for (const call of [http().post(`${base}/${task.id}/toggle`), http().delete(`${base}/${task.id}`)]) {
        const response = await call.set(bearer(user)).send(body);
        expect(response.status).toBe(400);
        expect(response.body.errors).toEqual([{ field, message: 'is not an accepted field' }]);
      }
      const after = await http().get(`${base}/${task.id}`).set(bearer(user)).expect(200);
      expect(after.body.data).toMatchObject({ completed: false, version: 1 });
    });

    it('the same on every other module: DELETE /api/users/me and GET /api/auth/session', async () => {
      const other = await registerUser(app);
      const refused = await http().delete('/api/users/me').set(bearer(other)).send({ confirm: true });
      expect(refused.body.errors).toEqual([{ field: 'confirm', message: 'is not an accepted field' }]);
      await http().get('/api/users/me').set(bearer(other)).expect(200);
      await http().get('/api/auth/session').set(bearer(other)).send({ x: 1 }).expect(400);
    });
  });

  describe('validation messages', () => {
    it('says a missing field is required', async () => {
      const login = await http().post('/api/auth/login').send({ email: 'ada@example.com' }).expect(400);
      expect(login.body.errors).toEqual([{ field: 'password', message: 'is required' }]);
      const refresh = await http().post('/api/auth/refresh').send({}).expect(400);
      expect(refresh.body.errors).toEqual([{ field: 'refreshToken', message: 'is required' }]);
      const task = await http().post('/api/tasks').set(bearer(user)).send({ priority: 'high' }).expect(400);
      expect(task.body.errors).toEqual([{ field: 'title', message: 'is required' }]);
    });

    it('says a repeated query parameter may appear once', async () => {
      const response = await http().get('/api/tasks?tag=a&tag=b').set(bearer(user)).expect(400);
      expect(response.body.errors).toEqual([{ field: 'tag', message: 'may appear once' }]);
    });
  });

  describe('CORS preflight', () => {
    const preflight = (target: INestApplication<App>, origin: string) =>
      request(target.getHttpServer())
        .options('/api/tasks')
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type');
    const corsHeaders = (response: request.Response) =>
      Object.keys(response.headers).filter((name) => name.startsWith('access-control-'));

    it('from an origin not allowed: 204 without any CORS header, never 405', async () => {
      const response = await preflight(app, 'https://evil.example');
      expect(response.status).toBe(204);
      expect(corsHeaders(response)).toEqual([]);
      expect(response.headers['x-request-id']).toBeDefined();
    });

    it('with CORS off: the same', async () => {
      const closed = await createTestApp({ CORS_ORIGINS: '' });
      try {
        const response = await preflight(closed, 'https://app.example.com');
        expect(response.status).toBe(204);
        expect(corsHeaders(response)).toEqual([]);
      } finally {
        await closed.close();
      }
    });

    it('a plain OPTIONS (not a preflight) is still a 405 with Allow', async () => {
      const response = await http().options('/api/tasks').expect(405);
      expect(response.headers.allow).toBe('GET, HEAD, POST');
    });
  });
});
