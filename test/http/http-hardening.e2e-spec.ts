import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { bearer, registerUser, type TestUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

const ALLOWED_ORIGIN = 'https://app.example.com'; // CORS_ORIGINS in test/setup-env.ts

describe('HTTP hardening (e2e)', () => {
  let app: INestApplication<App>;
  let user: TestUser;

  beforeAll(async () => {
    app = await createTestApp();
    user = await registerUser(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const http = () => request(app.getHttpServer());

  function expectProblem(response: request.Response, status: number, slug: string): void {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: `/problems/${slug}`, status });
  }

  describe('security headers', () => {
    it.each([
      ['an authenticated response', '/api/users/me', true],
      ['a public response', '/health/live', false],
      ['an error', '/api/nowhere', false],
    ])('are on %s: nosniff, frames denied, no X-Powered-By', async (_what, path, authenticated) => {
      const call = http().get(path);
      const response = await (authenticated ? call.set(bearer(user)) : call);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['x-powered-by']).toBeUndefined();
    });

    it('marks authenticated responses, their 401s and token responses Cache-Control: no-store', async () => {
      expect((await http().get('/api/tasks').set(bearer(user))).headers['cache-control']).toBe('no-store');
      expect((await http().get('/api/tasks')).headers['cache-control']).toBe('no-store');
      const refreshed = await http().post('/api/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
      expect(refreshed.headers['cache-control']).toBe('no-store');
      user = { ...user, ...refreshed.body.data.tokens };
    });
  });

  describe('CORS', () => {
    it('answers a preflight from a configured origin', async () => {
      const response = await http()
        .options('/api/tasks')
        .set('Origin', ALLOWED_ORIGIN)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type');
      expect(response.status).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(response.headers['access-control-allow-methods']).toContain('POST');
    });

    it('lets a configured origin read responses, with the headers clients need', async () => {
      const response = await http().get('/api/tasks').set(bearer(user)).set('Origin', ALLOWED_ORIGIN).expect(200);
      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(response.headers['access-control-expose-headers']).toContain('ETag');
    });

    it('gives nothing to any other origin, preflight or not', async () => {
      const preflight = await http()
        .options('/api/tasks')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
      const simple = await http().get('/api/tasks').set(bearer(user)).set('Origin', 'https://evil.example');
      expect(simple.headers['access-control-allow-origin']).toBeUndefined();
      expect(simple.headers['access-control-allow-credentials']).toBeUndefined();
    });
  });

  describe('request bodies', () => {
    it('is 413 for a body over 100 kB', async () => {
      const response = await http()
        .post('/api/tasks')
        .set(bearer(user))
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ title: 'x', description: 'y'.repeat(101 * 1024) }));
      expectProblem(response, 413, 'payload-too-large');
      expect(response.body.detail).toBe('The request body is over the limit of 102400 bytes (100 KiB)');
    });

    it('is 415 for a body that is not JSON', async () => {
      const form = await http().post('/api/auth/login').type('form').send('email=a@example.com&password=x');
      expectProblem(form, 415, 'unsupported-media-type');
      const text = await http().post('/api/tasks').set(bearer(user)).set('Content-Type', 'text/plain').send('title');
      expectProblem(text, 415, 'unsupported-media-type');
    });
  });

  describe('405 Method Not Allowed', () => {
    it.each([
      ['PUT', '/api/tasks', 'GET, HEAD, POST'],
      ['POST', '/api/users/me', 'DELETE, GET, HEAD, PATCH'],
      ['GET', '/api/auth/login', 'POST'],
      ['DELETE', '/api/tasks/0b0a2b8e-6a0f-4d5e-9c1a-2f7a4b7f1c11/toggle', 'POST'],
      ['POST', '/health/live', 'GET, HEAD'],
    ])('%s %s is 405 with Allow: %s, with or without a token', async (method, path, allow) => {
      for (const withToken of [false, true]) {
        const call = http()[method.toLowerCase() as 'get'](path);
        const response = await (withToken ? call.set(bearer(user)) : call);
        expectProblem(response, 405, 'method-not-allowed');
        expect(response.headers.allow).toBe(allow);
      }
    });

    it('leaves unknown paths 404, and a missing task a 404', async () => {
      expectProblem(await http().put('/api/nowhere'), 404, 'not-found');
      const missing = await http().get('/api/tasks/0b0a2b8e-6a0f-4d5e-9c1a-2f7a4b7f1c11').set(bearer(user));
      expectProblem(missing, 404, 'not-found');
      expect(missing.headers.allow).toBeUndefined();
    });
  });
});
