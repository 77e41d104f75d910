import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { type TestUser, bearer, createTask, registerUser } from '../helpers/fixtures.js';
import { portOf, rawExchange, rawRequest } from '../helpers/raw-http.js';
import { createTestApp } from '../helpers/test-app.js';

const objects = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const arrays = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const inField = (levels: number) => `{"title":"x","tags":${arrays(levels)}}`;

/**
 * Bodies an attacker sends: nested far deeper than any DTO, prototype keys,
 * NUL characters. A body nested thousands of levels deep used to stop the
 * process (a recursive walk overflowed the stack); each case here is followed
 * by a check that the same server still answers.
 */
describe('Hostile request bodies (e2e)', () => {
  let app: INestApplication<App>;
  let bigBodies: INestApplication<App>;
  let user: TestUser;
  let taskId: string;
  let routes: [string, string][];

  beforeAll(async () => {
    app = await createTestApp();
    // A limit large enough that a body nested a million levels deep is read in full and judged on its depth.
    bigBodies = await createTestApp({ BODY_LIMIT: '10mb' });
    user = await registerUser(app);
    taskId = (await createTask(app, user)).id as string;
    routes = [
      ['POST', '/api/auth/login'],
      ['POST', '/api/auth/refresh'],
      ['POST', '/api/tasks'],
      ['PUT', `/api/tasks/${taskId}`],
      ['PATCH', `/api/tasks/${taskId}`],
      ['PATCH', `/api/${user.id}/tasks/${taskId}/complete`],
      ['POST', `/api/${user.id}/tasks/${taskId}/toggle`],
      ['DELETE', `/api/tasks/${taskId}`],
      ['PATCH', '/api/users/me'],
      ['POST', '/api/users/me/password'],
      ['GET', '/api/tasks'],
    ];
  });
  afterAll(async () => {
    await app.close();
    await bigBodies.close();
  });

  async function send(target: INestApplication<App>, method: string, path: string, body: string, token?: string) {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    };
    return rawExchange(await portOf(target.getHttpServer() as Server), [rawRequest(method, path, headers), body]);
  }

  async function expectAlive(target: INestApplication<App>): Promise<void> {
    await request(target.getHttpServer()).get('/health/live').expect(200);
    await request(target.getHttpServer()).get(`/api/tasks/${taskId}`).set(bearer(user)).expect(200);
  }

  describe.each([
    ['objects', objects],
    ['arrays', arrays],
  ])('nested %s', (_kind, nest) => {
    it.each([10_000, 1_000_000])('%d levels deep: 401 without a token, on every route family', async (levels) => {
      const unexpected: string[] = [];
      for (const [method, path] of routes) {
        const response = await send(app, method, path, nest(levels));
        // Public routes read the body: too large (413) or too deep (400). The others never read it: 401.
        const expected = path.startsWith('/api/auth/') ? [400, 413] : [401];
        const problem = /^application\/problem\+json/.test(response.headers['content-type'] ?? '');
        if (!expected.includes(response.status) || !problem) unexpected.push(`${method} ${path}: ${response.status}`);
      }
      expect(unexpected).toEqual([]);
      await expectAlive(app);
    });

    it('10,000 levels deep: a 400 naming the limit with a token, on every route family', async () => {
      for (const [method, path] of routes) {
        const response = await send(app, method, path, nest(10_000), user.accessToken);
        expect({ method, path, status: response.status }).toEqual({ method, path, status: 400 });
        expect(JSON.parse(response.body)).toMatchObject({
          type: '/problems/validation-error',
          errors: [{ field: 'body', message: 'must not nest objects or arrays deeper than 32 levels' }],
        });
        expect(response.headers['cache-control']).toBe('no-store');
      }
      await expectAlive(app);
    });

    it('1,000,000 levels deep: 413 over the limit, and 400 when the limit lets it in', async () => {
      const tooLarge = await send(app, 'POST', '/api/tasks', nest(1_000_000), user.accessToken);
      expect(tooLarge.status).toBe(413);
      const tooDeep = await send(bigBodies, 'POST', '/api/tasks', nest(1_000_000), user.accessToken);
      expect(tooDeep.status).toBe(400);
      expect(JSON.parse(tooDeep.body).errors).toEqual([
        { field: 'body', message: 'must not nest objects or arrays deeper than 32 levels' },
      ]);
      await expectAlive(app);
      await request(bigBodies.getHttpServer()).get('/health/live').expect(200);
    });
  });

  it('judges depth on the structure, not on brackets inside strings', async () => {
    const title = '['.repeat(150) + '{'.repeat(40);
    await request(app.getHttpServer()).post('/api/tasks').set(bearer(user)).send({ title }).expect(201);
  });

  it('lets a nested field through to its own rule, below the limit', async () => {
    const response = await send(app, 'POST', '/api/tasks', inField(30), user.accessToken);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).errors).toEqual([{ field: 'tags', message: 'each tag must be a string' }]);
  });

  describe('prototype keys', () => {
    it.each([
      ['__proto__ at the top', '{"title":"x","__proto__":{"admin":true}}', '__proto__'],
      ['constructor at the top', '{"title":"x","constructor":{"prototype":{}}}', 'constructor'],
      ['prototype at the top', '{"title":"x","prototype":1}', 'prototype'],
      ['__proto__ inside an array', '{"title":"x","tags":[{"__proto__":{}}]}', 'tags.0.__proto__'],
    ])('are unknown fields: %s', async (_case, body, field) => {
      const response = await send(app, 'POST', '/api/tasks', body, user.accessToken);
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body).errors).toEqual([{ field, message: 'is not an accepted field' }]);
    });

    it('are unknown fields on routes of every module, and change nothing', async () => {
      const before = await request(app.getHttpServer()).get('/api/users/me').set(bearer(user)).expect(200);
      const response = await send(app, 'PATCH', '/api/users/me', '{"__proto__":{"name":"Mallory"}}', user.accessToken);
      expect(response.status).toBe(400);
      const login = await send(app, 'POST', '/api/auth/login', '{"email":"a@b.io","password":"x","__proto__":{}}');
      expect(login.status).toBe(400);
      const after = await request(app.getHttpServer()).get('/api/users/me').set(bearer(user)).expect(200);
      expect(after.body).toEqual(before.body);
      expect(({} as { admin?: unknown }).admin).toBeUndefined();
    });
  });

  it('names the field that holds a NUL character, in a key too', async () => {
    const response = await send(app, 'POST', '/api/tasks', '{"title":"x","a\\u0000b":1}', user.accessToken);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).errors).toEqual([
      { field: 'a\u0000b', message: 'must not contain NUL characters' },
    ]);
  });

  it('refuses a body that is not UTF-8 (415)', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/tasks')
      .set(bearer(user))
      .set('Content-Type', 'application/json; charset=utf-16le')
      .send(Buffer.from('{"title":"x"}', 'utf16le'));
    expect(response.status).toBe(415);
    expect(response.body.type).toBe('/problems/unsupported-media-type');
  });
});
