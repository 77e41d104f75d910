import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { type TestUser, bearer, createTask, registerUser } from './helpers/fixtures.js';
import { createTestApp } from './helpers/test-app.js';

/** Every task route, as [method, path under a family base, body]. */
const ROUTES: [string, (base: string, id: string) => string, Record<string, unknown> | undefined][] = [
  ['get', (base, id) => `${base}/${id}`, undefined],
  ['put', (base, id) => `${base}/${id}`, { title: 'stolen' }],
  ['patch', (base, id) => `${base}/${id}`, { title: 'stolen' }],
  ['delete', (base, id) => `${base}/${id}`, undefined],
  ['patch', (base, id) => `${base}/${id}/complete`, { completed: true }],
  ['post', (base, id) => `${base}/${id}/toggle`, undefined],
];

describe('Isolation between users (e2e)', () => {
  let app: INestApplication<App>;
  let alice: TestUser;
  let bob: TestUser;
  let aliceTask: Record<string, unknown>;
  const http = () => request(app.getHttpServer());

  const send = (method: string, path: string, user: TestUser, body?: Record<string, unknown>) => {
    const req = (http() as unknown as Record<string, (path: string) => request.Test>)[method](path).set(bearer(user));
    return body ? req.send(body) : req;
  };

  beforeAll(async () => {
    app = await createTestApp();
    alice = await registerUser(app, 'Alice');
    bob = await registerUser(app, 'Bob');
    aliceTask = await createTask(app, alice, { title: 'Alice only', tags: ['private'] });
  });
  afterAll(async () => {
    await app.close();
  });

  const expectAliceTaskUnchanged = async () => {
    const response = await http().get(`/api/tasks/${aliceTask.id as string}`).set(bearer(alice)).expect(200);
    expect(response.body.data).toEqual(aliceTask);
  };

  it.each(ROUTES)('%s /api/tasks/{A-task}%#: Bob gets 404, and the task is unchanged', async (method, path, body) => {
    const response = await send(method, path('/api/tasks', aliceTask.id as string), bob, body).expect(404);
    expect(response.body.type).toBe('/problems/not-found');
    await expectAliceTaskUnchanged();
  });

  it.each(ROUTES)('%s /api/{A}/tasks/{A-task}%#: Bob gets 403, and the task is unchanged', async (method, path, body) => {
    const response = await send(method, path(`/api/${alice.id}/tasks`, aliceTask.id as string), bob, body).expect(403);
    expect(response.body.type).toBe('/problems/forbidden');
    await expectAliceTaskUnchanged();
  });

  it.each(ROUTES)('%s /api/{B}/tasks/{A-task}%#: Bob gets 404 on his own path', async (method, path, body) => {
    await send(method, path(`/api/${bob.id}/tasks`, aliceTask.id as string), bob, body).expect(404);
    await expectAliceTaskUnchanged();
  });

  it('Bob cannot list or create under Alice’s path (403)', async () => {
    await http().get(`/api/${alice.id}/tasks`).set(bearer(bob)).expect(403);
    await http().post(`/api/${alice.id}/tasks`).set(bearer(bob)).send({ title: 'planted' }).expect(403);
    const list = await http().get('/api/tasks').set(bearer(alice)).expect(200);
    expect(list.body.meta.total).toBe(1);
  });

  it('Bob’s own list never shows Alice’s tasks', async () => {
    const response = await http().get('/api/tasks').set(bearer(bob)).expect(200);
    expect(response.body.data).toEqual([]);
  });

  it('checks a malformed path before ownership: 400 for a non-UUID user id', async () => {
    const response = await http().get('/api/not-a-uuid/tasks').set(bearer(bob)).expect(400);
    expect(response.body.errors).toEqual([{ field: 'userId', message: 'must be a UUID' }]);
    await http().get(`/api/${alice.id}/tasks/not-a-uuid`).set(bearer(bob)).expect(400);
  });

  it('checks authentication first: 401 without a token, even on another user’s path', async () => {
    await http().get(`/api/${alice.id}/tasks`).expect(401);
    await http().get('/api/not-a-uuid/tasks').expect(401);
  });
});
