import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { type TestUser, bearer, createTask, registerUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

const MISSING_ID = '00000000-0000-4000-8000-000000000000';

/** docs/API.md, "Order of checks": 401, then malformed path values (400), 403, 404, 412, body (400). */
describe('Order of checks (e2e)', () => {
  let app: INestApplication<App>;
  let alice: TestUser;
  let bob: TestUser;
  let aliceTaskId: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    alice = await registerUser(app, 'Alice');
    bob = await registerUser(app, 'Bob');
    aliceTaskId = (await createTask(app, alice)).id as string;
  });
  afterAll(async () => {
    await app.close();
  });

  it('401 comes first, even on a malformed or foreign path', async () => {
    await http().get(`/api/${alice.id}/tasks`).expect(401);
    await http().get('/api/not-a-uuid/tasks').expect(401);
    await http().patch('/api/tasks/not-a-uuid').send({ title: '' }).expect(401);
  });

  it('400 for a malformed path comes before 403', async () => {
    const response = await http().get('/api/not-a-uuid/tasks').set(bearer(bob)).expect(400);
    expect(response.body.errors).toEqual([{ field: 'userId', message: 'must be a UUID' }]);
    await http().get(`/api/${alice.id}/tasks/not-a-uuid`).set(bearer(bob)).expect(400);
  });

  it('403 comes before 404 and before the body', async () => {
    await http().put(`/api/${alice.id}/tasks/${MISSING_ID}`).set(bearer(bob)).send({ title: '' }).expect(403);
  });

  it('404 comes before 412 and before the body', async () => {
    await http().patch(`/api/tasks/${aliceTaskId}`).set(bearer(bob)).set('If-Match', '"9"').send({}).expect(404);
  });

  it('412 comes before the body', async () => {
    await http().patch(`/api/tasks/${aliceTaskId}`).set(bearer(alice)).set('If-Match', '"9"').send({}).expect(412);
  });

  it('the body is checked last', async () => {
    await http().patch(`/api/tasks/${aliceTaskId}`).set(bearer(alice)).set('If-Match', '"1"').send({}).expect(400);
  });

  describe('a body that cannot be read comes last too', () => {
    const malformed = (call: request.Test) => call.set('Content-Type', 'application/json').send('{"title": ');
    const notJson = (call: request.Test) => call.set('Content-Type', 'text/plain').send('title');
    const tooLarge = (call: request.Test) => call.send({ title: 'x', description: 'y'.repeat(120_000) });
    const unknownField = (call: request.Test) => call.send({ foo: 1 });

    it.each([
      ['malformed JSON', malformed],
      ['a body that is not JSON', notJson],
      ['a body over the limit', tooLarge],
    ])('without a token, %s is a 401: the body is never read', async (_case, body) => {
      const response = await body(http().post('/api/tasks'));
      expect(response.status).toBe(401);
      expect(response.body.type).toBe('/problems/unauthorized');
      expect((await body(http().patch(`/api/${alice.id}/tasks/not-a-uuid`))).status).toBe(401);
    });

    it.each([
      ['malformed JSON', malformed, 'malformed-request'],
      ['a body that is not JSON', notJson, 'unsupported-media-type'],
      ['a body over the limit', tooLarge, 'payload-too-large'],
      ['an unknown field', unknownField, 'validation-error'],
    ])('with %s: 400 path, 403, 404 and 412 come first', async (_case, body, slug) => {
      expect((await body(http().patch(`/api/tasks/not-a-uuid`).set(bearer(alice)))).body.errors).toEqual([
        { field: 'id', message: 'must be a UUID' },
      ]);
      expect((await body(http().patch(`/api/${alice.id}/tasks/${aliceTaskId}`).set(bearer(bob)))).status).toBe(403);
      expect((await body(http().patch(`/api/tasks/${aliceTaskId}`).set(bearer(bob)))).status).toBe(404);
      const stale = await body(http().patch(`/api/tasks/${aliceTaskId}`).set(bearer(alice)).set('If-Match', '"9"'));
      expect(stale.status).toBe(412);
      const last = await body(http().patch(`/api/tasks/${aliceTaskId}`).set(bearer(alice)));
      expect(last.body.type).toBe(`/problems/${slug}`);
      expect(last.headers['cache-control']).toBe('no-store');
    });

    it.each([
      ['POST', 'toggle'],
      ['DELETE', ''],
    ])('on %s %s, which takes no body: 400 path, 404 and 412 come before its unknown field', async (method, suffix) => {
      const path = (user: TestUser, id: string) => `/api/${user.id}/tasks/${id}${suffix ? `/${suffix}` : ''}`;
      const call = (user: TestUser, id: string) =>
        http()[method.toLowerCase() as 'post'](path(user, id)).set(bearer(user));
      expect((await call(alice, 'not-a-uuid').send({ foo: 1 })).status).toBe(400);
      expect((await call(alice, MISSING_ID).send({ foo: 1 })).status).toBe(404);
      expect((await call(alice, aliceTaskId).set('If-Match', '"9"').send({ foo: 1 })).status).toBe(412);
      const last = await call(alice, aliceTaskId).send({ foo: 1 });
      expect(last.body.errors).toEqual([{ field: 'foo', message: 'is not an accepted field' }]);
    });
  });
});
