import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { bearer, createTask, registerUser, type TestUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Every task route, as [method, path under {base}, body]. */
const TASK_ROUTES: [Method, string, Record<string, unknown> | undefined][] = [
  ['get', '/:id', undefined],
  ['put', '/:id', { title: 'Taken over' }],
  ['patch', '/:id', { title: 'Taken over' }],
  ['delete', '/:id', undefined],
  ['patch', '/:id/complete', { completed: true }],
  ['post', '/:id/toggle', undefined],
];

describe('Object-level authorization, BOLA (e2e)', () => {
  let app: INestApplication<App>;
  let ada: TestUser;
  let bob: TestUser;
  let adaTask: Record<string, any>;

  beforeAll(async () => {
    app = await createTestApp();
    ada = await registerUser(app, 'Ada');
    bob = await registerUser(app, 'Bob');
    adaTask = await createTask(app, ada, { title: 'Ada’s task', tags: ['private'] });
  });
  afterAll(async () => {
    await app.close();
  });

  const send = (user: TestUser, method: Method, path: string, body?: Record<string, unknown>) => {
    const call = request(app.getHttpServer())[method](path).set(bearer(user));
    return body ? call.send(body) : call;
  };

  async function expectAdaTaskUnchanged(): Promise<void> {
    const response = await send(ada, 'get', `/api/tasks/${adaTask.id}`).expect(200);
    expect(response.body.data).toEqual(adaTask);
  }

  describe('/api/tasks/{id}: another user’s task is 404, and stays unchanged', () => {
    it.each(TASK_ROUTES)('%s %s', async (method, suffix, body) => {
      const response = await send(bob, method, `/api/tasks${suffix.replace(':id', adaTask.id)}`, body);
      expect(response.status).toBe(404);
      expect(response.body.type).toBe('/problems/not-found');
      await expectAdaTaskUnchanged();
    });
  });

  describe('/api/{userId}/tasks/{id}: B with A’s user id is 403, and A’s task stays unchanged', () => {
    it.each(TASK_ROUTES)('%s %s', async (method, suffix, body) => {
      const response = await send(bob, method, `/api/${ada.id}/tasks${suffix.replace(':id', adaTask.id)}`, body);
      expect(response.status).toBe(403);
      expect(response.body.type).toBe('/problems/forbidden');
      await expectAdaTaskUnchanged();
    });
  });

  describe('/api/{userId}/tasks/{id}: B with B’s own user id and A’s task is 404', () => {
    it.each(TASK_ROUTES)('%s %s', async (method, suffix, body) => {
      const response = await send(bob, method, `/api/${bob.id}/tasks${suffix.replace(':id', adaTask.id)}`, body);
      expect(response.status).toBe(404);
      await expectAdaTaskUnchanged();
    });
  });

  describe('collections', () => {
    it('GET and POST /api/{userId}/tasks with another user’s id are 403', async () => {
      expect((await send(bob, 'get', `/api/${ada.id}/tasks`)).status).toBe(403);
      expect((await send(bob, 'post', `/api/${ada.id}/tasks`, { title: 'Planted' })).status).toBe(403);
      const list = await send(ada, 'get', '/api/tasks').expect(200);
      expect(list.body.data.map((task: { id: string }) => task.id)).toEqual([adaTask.id]);
    });

    it('GET /api/tasks never lists another user’s tasks', async () => {
      const list = await send(bob, 'get', '/api/tasks').expect(200);
      expect(list.body.data.map((task: { id: string }) => task.id)).not.toContain(adaTask.id);
    });
  });
});

describe('Mass assignment (e2e)', () => {
  let app: INestApplication<App>;
  let ada: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    app = await createTestApp();
    ada = await registerUser(app);
    bob = await registerUser(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const READ_ONLY: [string, unknown][] = [
    ['id', '0b0a2b8e-6a0f-4d5e-9c1a-2f7a4b7f1c11'],
    ['userId', 'BOB'],
    ['version', 99],
    ['createdAt', '2020-01-01T00:00:00.000Z'],
    ['updatedAt', '2020-01-01T00:00:00.000Z'],
    ['completedAt', '2020-01-01T00:00:00.000Z'],
  ];

  const BODIES: [Method, string, Record<string, unknown>][] = [
    ['post', '/api/tasks', { title: 'New' }],
    ['put', '/api/tasks/:id', { title: 'Replaced' }],
    ['patch', '/api/tasks/:id', { title: 'Changed' }],
    ['patch', '/api/tasks/:id/complete', { completed: true }],
  ];

  describe.each(BODIES)('%s %s', (method, path, body) => {
    it.each(READ_ONLY)('is 400 when the body sets %s, and changes nothing', async (field, value) => {
      const task = await createTask(app, ada, { title: 'Mine' });
      const resolved = path.replace(':id', task.id);
      const response = await request(app.getHttpServer())
        [method](resolved)
        .set(bearer(ada))
        .send({ ...body, [field]: value === 'BOB' ? bob.id : value });
      expect(response.status).toBe(400);
      expect(response.body.type).toBe('/problems/validation-error');
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));

      const after = await request(app.getHttpServer()).get(`/api/tasks/${task.id}`).set(bearer(ada)).expect(200);
      expect(after.body.data).toEqual(task);
      const bobs = await request(app.getHttpServer()).get('/api/tasks').set(bearer(bob)).expect(200);
      expect(bobs.body.meta.total).toBe(0);
    });
  });

  it.each([['id'], ['userId'], ['passwordHash'], ['createdAt']])(
    'POST /api/auth/register is 400 with %s',
    async (field) => {
      const response = await request(app.getHttpServer())
        .post('/api/auth/register')
        .send({ email: `mass-${field}@example.com`, password: 'plausible-Tortoise-42', [field]: 'x' });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field })]);
    },
  );
});
