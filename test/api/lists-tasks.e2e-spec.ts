import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { DataSource } from 'typeorm';
import { bearer, createTask, registerUser, type TestUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

interface Stored {
  list_id: string;
  created_by: string;
  updated_by: string | null;
  completed_by: string | null;
}

/** The list and the authorship columns of tasks written through the existing task routes. */
describe('Tasks in lists (e2e)', () => {
  let app: INestApplication<App>;
  let user: TestUser;
  let inbox: string;

  const stored = async (id: string): Promise<Stored> =>
    (
      await app
        .get(DataSource)
        .query<Stored[]>(`SELECT list_id, created_by, updated_by, completed_by FROM tasks WHERE id = $1`, [id])
    )[0];
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    user = await registerUser(app);
    inbox = (await http().get('/api/lists').set(bearer(user)).expect(200)).body.data[0].id;
  });
  afterAll(async () => {
    await app.close();
  });

  it('a task created through /api/tasks goes to the default list, created and updated by the caller', async () => {
    const task = await createTask(app, user);
    expect(await stored(task.id)).toEqual({
      list_id: inbox,
      created_by: user.id,
      updated_by: user.id,
      completed_by: null,
    });
    const done = await createTask(app, user, { title: 'done', completed: true });
    expect((await stored(done.id)).completed_by).toBe(user.id);
  });

  it('completed_by follows completed through toggle, /complete, PATCH and complete-all', async () => {
    const task = await createTask(app, user);
    await http().post(`/api/tasks/${task.id}/toggle`).set(bearer(user)).expect(200);
    expect((await stored(task.id)).completed_by).toBe(user.id);
    await http().post(`/api/tasks/${task.id}/toggle`).set(bearer(user)).expect(200);
    expect((await stored(task.id)).completed_by).toBeNull();
    await http().patch(`/api/tasks/${task.id}/complete`).set(bearer(user)).send({ completed: true }).expect(200);
    expect((await stored(task.id)).completed_by).toBe(user.id);
    await http().patch(`/api/tasks/${task.id}`).set(bearer(user)).send({ completed: false }).expect(200);
    expect((await stored(task.id)).completed_by).toBeNull();
    await http().post('/api/tasks/complete-all').set(bearer(user)).send({ completed: true }).expect(200);
    expect(await stored(task.id)).toMatchObject({ completed_by: user.id, updated_by: user.id });
  });

  it('deleting the default list is refused, so the tasks in it stay', async () => {
    const task = await createTask(app, user);
    await http().delete(`/api/lists/${inbox}`).set(bearer(user)).expect(409);
    await http().get(`/api/tasks/${task.id}`).set(bearer(user)).expect(200);
  });
});
