import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { bearer, createTask, registerUser, type TestUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

/** Both route families answer the bulk routes alike. */
const BASES: { name: string; base: (user: TestUser) => string }[] = [
  { name: '/api/tasks', base: () => '/api/tasks' },
  { name: '/api/{userId}/tasks', base: (user) => `/api/${user.id}/tasks` },
];

describe('bulk task routes', () => {
  let app: INestApplication<App>;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const http = () => request(app.getHttpServer());

  async function allTasks(user: TestUser): Promise<Record<string, any>[]> {
    const response = await http().get('/api/tasks?limit=100').set(bearer(user)).expect(200);
    return response.body.data;
  }

  describe.each(BASES)('POST $name/complete-all', ({ base }) => {
    it('completes every matching task, bumps only the changed ones and says how many changed', async () => {
      const user = await registerUser(app);
      const work = await createTask(app, user, { title: 'work 1', tags: ['work'] });
      const done = await createTask(app, user, { title: 'work 2', tags: ['work'], completed: true });
      const home = await createTask(app, user, { title: 'home', tags: ['home'] });

      const response = await http()
        .post(`${base(user)}/complete-all?tag=work`)
        .set(bearer(user))
        .send({ completed: true })
        .expect(200);
      expect(response.body).toEqual({ data: { changed: 1 } });

      const byId = new Map((await allTasks(user)).map((task) => [task.id, task]));
      expect(byId.get(work.id)).toMatchObject({ completed: true, version: 2 });
      expect(byId.get(work.id)?.completedAt).toEqual(expect.any(String));
      expect(byId.get(done.id)).toMatchObject({ completed: true, version: 1, completedAt: done.completedAt });
      expect(byId.get(home.id)).toMatchObject({ completed: false, version: 1 });
    });

    it('reopens every task with completed=false, clearing completedAt', async () => {
      const user = await registerUser(app);
      await createTask(app, user, { title: 'a', completed: true });
      await createTask(app, user, { title: 'b', completed: true });
      await createTask(app, user, { title: 'c' });

      const response = await http()
        .post(`${base(user)}/complete-all`)
        .set(bearer(user))
        .send({ completed: false })
        .expect(200);
      expect(response.body.data.changed).toBe(2);
      for (const task of await allTasks(user)) expect(task).toMatchObject({ completed: false, completedAt: null });
    });

    it('takes the list filters: search, priority, due range and status', async () => {
      const user = await registerUser(app);
      await createTask(app, user, { title: 'Pay 100% rent', priority: 'high', dueAt: '2026-12-01T00:00:00Z' });
      await createTask(app, user, { title: 'Pay rent', priority: 'high', dueAt: '2027-06-01T00:00:00Z' });
      await createTask(app, user, { title: 'Pay 100% tax', priority: 'low', dueAt: '2026-12-01T00:00:00Z' });

      const query = 'q=100%25&priority=high&dueBefore=2026-12-31T00:00:00Z&status=pending';
      const response = await http()
        .post(`${base(user)}/complete-all?${query}`)
        .set(bearer(user))
        .send({ completed: true })
        .expect(200);
      expect(response.body.data.changed).toBe(1);
      const completed = (await allTasks(user)).filter((task) => task.completed).map((task) => task.title);
      expect(completed).toEqual(['Pay 100% rent']);
    });

    it('never touches another user’s tasks', async () => {
      const [owner, other] = [await registerUser(app), await registerUser(app)];
      const theirs = await createTask(app, other, { title: 'theirs' });
      await createTask(app, owner, { title: 'mine' });

      await http()
        .post(`${base(owner)}/complete-all`)
        .set(bearer(owner))
        .send({ completed: true })
        .expect(200);
      expect(await allTasks(other)).toEqual([theirs]);
    });

    it('answers 0 when nothing matches', async () => {
      const user = await registerUser(app);
      const response = await http()
        .post(`${base(user)}/complete-all`)
        .set(bearer(user))
        .send({ completed: true })
        .expect(200);
      expect(response.body.data.changed).toBe(0);
    });

    it.each([
      ['no body value', {}, 'completed'],
      ['a string', { completed: 'yes' }, 'completed'],
      ['an unknown field', { completed: true, userId: 'x' }, 'userId'],
    ])('rejects %s with a validation problem', async (_name, body, field) => {
      const user = await registerUser(app);
      await createTask(app, user);
      const response = await http()
        .post(`${base(user)}/complete-all`)
        .set(bearer(user))
        .send(body)
        .expect(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
      expect((await allTasks(user))[0].completed).toBe(false);
    });

    it.each([
      ['an unknown filter', 'owner=someone', 'owner'],
      ['a bad status', 'status=done', 'status'],
      ['a NUL in the search', 'q=%00', 'q'],
      ['a bad due bound', 'dueBefore=tomorrow', 'dueBefore'],
    ])('rejects %s in the query', async (_name, query, field) => {
      const user = await registerUser(app);
      const response = await http()
        .post(`${base(user)}/complete-all?${query}`)
        .set(bearer(user))
        .send({ completed: true })
        .expect(400);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    });

    it('is 401 without a token', async () => {
      const user = await registerUser(app);
      await http()
        .post(`${base(user)}/complete-all`)
        .send({ completed: true })
        .expect(401);
    });
  });

  describe.each(BASES)('DELETE $name/completed', ({ base }) => {
    it('deletes every completed task of the caller, and only those, and says how many', async () => {
      const [owner, other] = [await registerUser(app), await registerUser(app)];
      await createTask(app, owner, { title: 'done 1', completed: true });
      await createTask(app, owner, { title: 'done 2', completed: true });
      const open = await createTask(app, owner, { title: 'open' });
      const theirs = await createTask(app, other, { title: 'their done', completed: true });

      const response = await http()
        .delete(`${base(owner)}/completed`)
        .set(bearer(owner))
        .expect(200);
      expect(response.body).toEqual({ data: { deleted: 2 } });
      expect(await allTasks(owner)).toEqual([open]);
      expect(await allTasks(other)).toEqual([theirs]);

      const again = await http()
        .delete(`${base(owner)}/completed`)
        .set(bearer(owner))
        .expect(200);
      expect(again.body.data.deleted).toBe(0);
    });

    it('keeps the counts behind meta.total right', async () => {
      const user = await registerUser(app);
      await createTask(app, user, { title: 'done', completed: true });
      await createTask(app, user, { title: 'open' });
      await http()
        .delete(`${base(user)}/completed`)
        .set(bearer(user))
        .expect(200);
      const list = await http().get('/api/tasks?status=pending').set(bearer(user)).expect(200);
      expect(list.body.meta.total).toBe(1);
      const all = await http().get('/api/tasks').set(bearer(user)).expect(200);
      expect(all.body.meta.total).toBe(1);
    });
  });

  it('refuses the {userId} family for another user (403) and a non-UUID (400)', async () => {
    const [owner, other] = [await registerUser(app), await registerUser(app)];
    await createTask(app, other, { title: 'theirs', completed: true });
    await http().delete(`/api/${other.id}/tasks/completed`).set(bearer(owner)).expect(403);
    await http().post(`/api/${other.id}/tasks/complete-all`).set(bearer(owner)).send({ completed: false }).expect(403);
    await http().delete(`/api/nope/tasks/completed`).set(bearer(owner)).expect(400);
    expect(await allTasks(other)).toHaveLength(1);
  });

  it('completes every task atomically while toggles run concurrently: none lost, counts agree', async () => {
    const user = await registerUser(app);
    const tasks = await Promise.all(Array.from({ length: 10 }, (_, i) => createTask(app, user, { title: `t${i}` })));
    const [bulk] = await Promise.all([
      http().post('/api/tasks/complete-all').set(bearer(user)).send({ completed: true }),
      ...tasks.slice(0, 5).map((task) => http().post(`/api/tasks/${task.id}/toggle`).set(bearer(user))),
    ]);
    expect(bulk.status).toBe(200);
    const after = await allTasks(user);
    // Every task was written once by the bulk update (if pending then) and once per toggle.
    const writes = after.reduce((sum, task) => sum + task.version - 1, 0);
    expect(writes).toBe(bulk.body.data.changed + 5);
    const counted = await http().get('/api/tasks?status=completed').set(bearer(user)).expect(200);
    expect(counted.body.meta.total).toBe(after.filter((task) => task.completed).length);
  });
});
