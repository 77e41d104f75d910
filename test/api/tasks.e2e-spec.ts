import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { type TestUser, bearer, registerUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MISSING_ID = '00000000-0000-4000-8000-000000000000';

/** Both route families must behave identically (docs/API.md, "Tasks"). */
const families: [string, (user: TestUser) => string][] = [
  ['/api/tasks', () => '/api/tasks'],
  ['/api/{userId}/tasks', (user) => `/api/${user.id}/tasks`],
];

describe.each(families)('Tasks on %s (e2e)', (_family, baseOf) => {
  let app: INestApplication<App>;
  let user: TestUser;
  let base: string;
  const http = () => request(app.getHttpServer());

  const create = async (body: Record<string, unknown> = { title: 'A task' }) =>
    (await http().post(base).set(bearer(user)).send(body).expect(201)).body.data;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(async () => {
    user = await registerUser(app);
    base = baseOf(user);
  });

  describe('POST', () => {
    it('creates a task with defaults, Location and ETag', async () => {
      const response = await http().post(base).set(bearer(user)).send({ title: 'Write the report' }).expect(201);
      const task = response.body.data;
      expect(task).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        userId: user.id,
        // v1.2: the caller's default list, and who created, changed and completed it.
        listId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        assigneeId: null,
        createdBy: user.id,
        updatedBy: user.id,
        completedBy: null,
        title: 'Write the report',
        description: null,
        completed: false,
        completedAt: null,
        priority: 'medium',
        dueAt: null,
        tags: [],
        version: 1,
        createdAt: expect.stringMatching(ISO_MS),
        updatedAt: expect.stringMatching(ISO_MS),
      });
      expect(response.headers.location).toBe(`${base}/${task.id}`);
      expect(response.headers.etag).toBe('"1"');
    });

    it('trims the title and tags, removes duplicate tags, and converts dueAt to UTC', async () => {
      const task = await create({
        title: '  Plan  ',
        description: 'Details',
        priority: 'high',
        dueAt: '2026-12-01T10:00:00+02:00',
        tags: [' work', 'work', 'home ', 'home'],
      });
      expect(task).toMatchObject({
        title: 'Plan',
        description: 'Details',
        priority: 'high',
        dueAt: '2026-12-01T08:00:00.000Z',
        tags: ['work', 'home'],
      });
    });

    it('sets completedAt when created completed', async () => {
      const task = await create({ title: 'Done already', completed: true });
      expect(task.completed).toBe(true);
      expect(task.completedAt).toMatch(ISO_MS);
    });

    it('accepts 20 tags once duplicates are removed', async () => {
      const tags = [...Array.from({ length: 20 }, (_, i) => `t${i}`), 't0', ' t1'];
      const task = await create({ title: 'Tagged', tags });
      expect(task.tags).toHaveLength(20);
    });

    it('counts lengths in code points', async () => {
      await create({ title: '😀'.repeat(200), description: '❤'.repeat(2000), tags: ['🏷'.repeat(50)] });
    });

    it.each([
      ['a missing title', {}, 'title'],
      ['a blank title', { title: '   ' }, 'title'],
      ['a title over 200 characters', { title: 'x'.repeat(201) }, 'title'],
      ['a non-string title', { title: 42 }, 'title'],
      ['a null title', { title: null }, 'title'],
      ['a description over 2000 characters', { title: 't', description: 'd'.repeat(2001) }, 'description'],
      ['an unknown priority', { title: 't', priority: 'urgent' }, 'priority'],
      ['a non-boolean completed', { title: 't', completed: 'yes' }, 'completed'],
      ['a dueAt without a time zone', { title: 't', dueAt: '2026-12-01T10:00:00' }, 'dueAt'],
      ['an impossible dueAt', { title: 't', dueAt: '2026-02-30T10:00:00Z' }, 'dueAt'],
      ['more than 20 tags', { title: 't', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
      ['an empty tag', { title: 't', tags: ['  '] }, 'tags'],
      ['a tag over 50 characters', { title: 't', tags: ['x'.repeat(51)] }, 'tags'],
      ['a non-string tag', { title: 't', tags: [1] }, 'tags'],
      ['tags that are not an array', { title: 't', tags: 'work' }, 'tags'],
      ['an unknown field', { title: 't', colour: 'red' }, 'colour'],
      ['a read-only id', { title: 't', id: MISSING_ID }, 'id'],
      ['a read-only version', { title: 't', version: 7 }, 'version'],
      ['a read-only completedAt', { title: 't', completedAt: '2026-01-01T00:00:00Z' }, 'completedAt'],
    ])('is 400 for %s, naming the field', async (_case, body, field) => {
      const response = await http().post(base).set(bearer(user)).send(body).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ type: '/problems/validation-error', status: 400, instance: base });
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });

    it('is 400 for a JSON array body', async () => {
      const response = await http()
        .post(base)
        .set(bearer(user))
        .send([{ title: 't' }])
        .expect(400);
      expect(response.body.errors).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
    });
  });

  describe('GET list', () => {
    it('returns an empty page for a user with no tasks', async () => {
      const response = await http().get(base).set(bearer(user)).expect(200);
      expect(response.body).toEqual({ data: [], meta: { total: 0, limit: 20, nextCursor: null } });
    });

    it('lists newest first, limited, with the total', async () => {
      const titles = ['first', 'second', 'third'];
      for (const title of titles) await create({ title });
      const response = await http().get(`${base}?limit=2`).set(bearer(user)).expect(200);
      expect(response.body.data.map((task: { title: string }) => task.title)).toEqual(['third', 'second']);
      expect(response.body.meta).toMatchObject({ total: 3, limit: 2 });
    });

    it.each(['0', '101', 'abc', '1.5', '10abc'])('is 400 for limit=%s', async (limit) => {
      const response = await http().get(`${base}?limit=${limit}`).set(bearer(user)).expect(400);
      expect(response.body.errors[0].field).toBe('limit');
    });
  });

  describe('GET one', () => {
    it('returns the task with its ETag', async () => {
      const task = await create();
      const response = await http().get(`${base}/${task.id}`).set(bearer(user)).expect(200);
      expect(response.body.data).toEqual(task);
      expect(response.headers.etag).toBe('"1"');
    });

    it('is 404 for a missing task', async () => {
      const response = await http().get(`${base}/${MISSING_ID}`).set(bearer(user)).expect(404);
      expect(response.body).toMatchObject({ type: '/problems/not-found', status: 404 });
    });

    it('is 400 for an id that is not a UUID', async () => {
      const response = await http().get(`${base}/not-a-uuid`).set(bearer(user)).expect(400);
      expect(response.body.errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
    });
  });

  describe('PUT', () => {
    it('replaces every writable field, resetting omitted ones to defaults', async () => {
      const task = await create({
        title: 'Old',
        description: 'old',
        priority: 'high',
        dueAt: '2026-12-01T00:00:00Z',
        tags: ['a'],
        completed: true,
      });
      const response = await http().put(`${base}/${task.id}`).set(bearer(user)).send({ title: 'New' }).expect(200);
      expect(response.body.data).toMatchObject({
        id: task.id,
        title: 'New',
        description: null,
        priority: 'medium',
        dueAt: null,
        tags: [],
        completed: false,
        completedAt: null,
        version: 2,
        createdAt: task.createdAt,
      });
      expect(response.headers.etag).toBe('"2"');
      expect(Date.parse(response.body.data.updatedAt)).toBeGreaterThanOrEqual(Date.parse(task.updatedAt));
    });

    it('is 400 without a title', async () => {
      const task = await create();
      await http().put(`${base}/${task.id}`).set(bearer(user)).send({ description: 'x' }).expect(400);
    });

    it('is 404 before 400: a missing task with a bad body', async () => {
      await http().put(`${base}/${MISSING_ID}`).set(bearer(user)).send({ title: '' }).expect(404);
    });
  });

  describe('PATCH', () => {
    it('changes only the given fields and bumps the version', async () => {
      const task = await create({ title: 'Keep', description: 'desc', dueAt: '2026-12-01T00:00:00Z' });
      const response = await http()
        .patch(`${base}/${task.id}`)
        .set(bearer(user))
        .send({ priority: 'low', description: null, dueAt: null })
        .expect(200);
      expect(response.body.data).toMatchObject({
        title: 'Keep',
        priority: 'low',
        description: null,
        dueAt: null,
        version: 2,
      });
      expect(response.headers.etag).toBe('"2"');
    });

    it('bumps the version even when nothing changes', async () => {
      const task = await create({ title: 'Same' });
      const response = await http().patch(`${base}/${task.id}`).set(bearer(user)).send({ title: 'Same' }).expect(200);
      expect(response.body.data.version).toBe(2);
    });

    it('sets and clears completedAt with completed', async () => {
      const task = await create();
      const done = await http().patch(`${base}/${task.id}`).set(bearer(user)).send({ completed: true }).expect(200);
      expect(done.body.data.completedAt).toMatch(ISO_MS);
      const again = await http().patch(`${base}/${task.id}`).set(bearer(user)).send({ completed: true }).expect(200);
      expect(again.body.data.completedAt).toBe(done.body.data.completedAt);
      const undone = await http().patch(`${base}/${task.id}`).set(bearer(user)).send({ completed: false }).expect(200);
      expect(undone.body.data).toMatchObject({ completed: false, completedAt: null, version: 4 });
    });

    it.each([
      ['an empty body', {}],
      ['a null title', { title: null }],
      ['a null priority', { priority: null }],
      ['a null tags', { tags: null }],
      ['a read-only createdAt', { createdAt: '2026-01-01T00:00:00Z' }],
      ['a read-only userId', { userId: MISSING_ID }],
    ])('is 400 for %s', async (_case, body) => {
      const task = await create();
      await http().patch(`${base}/${task.id}`).set(bearer(user)).send(body).expect(400);
      const unchanged = await http().get(`${base}/${task.id}`).set(bearer(user)).expect(200);
      expect(unchanged.body.data.version).toBe(1);
    });
  });

  describe('DELETE', () => {
    it('deletes the task (204, no body), then it is 404', async () => {
      const task = await create();
      const response = await http().delete(`${base}/${task.id}`).set(bearer(user)).expect(204);
      expect(response.text).toBe('');
      await http().get(`${base}/${task.id}`).set(bearer(user)).expect(404);
      await http().delete(`${base}/${task.id}`).set(bearer(user)).expect(404);
    });
  });

  describe('PATCH /complete', () => {
    it('toggles without a body', async () => {
      const task = await create();
      const on = await http().patch(`${base}/${task.id}/complete`).set(bearer(user)).expect(200);
      expect(on.body.data).toMatchObject({ completed: true, version: 2 });
      expect(on.body.data.completedAt).toMatch(ISO_MS);
      const off = await http().patch(`${base}/${task.id}/complete`).set(bearer(user)).send({}).expect(200);
      expect(off.body.data).toMatchObject({ completed: false, completedAt: null, version: 3 });
      expect(off.headers.etag).toBe('"3"');
    });

    it('sets the given value, still bumping the version when unchanged', async () => {
      const task = await create();
      const first = await http()
        .patch(`${base}/${task.id}/complete`)
        .set(bearer(user))
        .send({ completed: true })
        .expect(200);
      const second = await http()
        .patch(`${base}/${task.id}/complete`)
        .set(bearer(user))
        .send({ completed: true })
        .expect(200);
      expect(second.body.data).toMatchObject({ completed: true, version: 3, completedAt: first.body.data.completedAt });
    });

    it('is 400 for a non-boolean value and 404 for a missing task', async () => {
      const task = await create();
      await http().patch(`${base}/${task.id}/complete`).set(bearer(user)).send({ completed: 'yes' }).expect(400);
      await http().patch(`${base}/${MISSING_ID}/complete`).set(bearer(user)).expect(404);
    });
  });

  describe('POST /toggle', () => {
    it('flips completed and bumps the version each time', async () => {
      const task = await create();
      const on = await http().post(`${base}/${task.id}/toggle`).set(bearer(user)).expect(200);
      expect(on.body.data).toMatchObject({ completed: true, version: 2 });
      expect(on.headers.etag).toBe('"2"');
      const off = await http().post(`${base}/${task.id}/toggle`).set(bearer(user)).expect(200);
      expect(off.body.data).toMatchObject({ completed: false, completedAt: null, version: 3 });
    });

    it('loses no toggle when two run concurrently', async () => {
      const task = await create();
      await Promise.all([
        http().post(`${base}/${task.id}/toggle`).set(bearer(user)).expect(200),
        http().post(`${base}/${task.id}/toggle`).set(bearer(user)).expect(200),
      ]);
      const after = await http().get(`${base}/${task.id}`).set(bearer(user)).expect(200);
      expect(after.body.data).toMatchObject({ completed: false, completedAt: null, version: 3 });
    });

    it('is 404 for a missing task', async () => {
      await http().post(`${base}/${MISSING_ID}/toggle`).set(bearer(user)).expect(404);
    });
  });

  describe('If-Match', () => {
    it('writes with the current ETag or *, and is 412 with a stale one, changing nothing', async () => {
      const task = await create();
      await http()
        .patch(`${base}/${task.id}`)
        .set(bearer(user))
        .set('If-Match', '"1"')
        .send({ title: 'v2' })
        .expect(200);
      const stale = await http()
        .patch(`${base}/${task.id}`)
        .set(bearer(user))
        .set('If-Match', '"1"')
        .send({ title: 'lost' })
        .expect(412);
      expect(stale.body.type).toBe('/problems/precondition-failed');
      await http().post(`${base}/${task.id}/toggle`).set(bearer(user)).set('If-Match', '*').expect(200);
      await http().delete(`${base}/${task.id}`).set(bearer(user)).set('If-Match', '"2"').expect(412);
      const current = await http().get(`${base}/${task.id}`).set(bearer(user)).expect(200);
      expect(current.body.data).toMatchObject({ title: 'v2', version: 3 });
      await http().delete(`${base}/${task.id}`).set(bearer(user)).set('If-Match', '"3"').expect(204);
    });

    it('checks If-Match before the body', async () => {
      const task = await create();
      await http().put(`${base}/${task.id}`).set(bearer(user)).set('If-Match', '"9"').send({ title: '' }).expect(412);
    });
  });
});
