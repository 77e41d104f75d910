import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { type TestUser, bearer, createTask, registerUser } from './helpers/fixtures.js';
import { createTestApp } from './helpers/test-app.js';

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
});
