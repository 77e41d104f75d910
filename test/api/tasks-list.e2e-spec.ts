import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { bearer, createTask, registerUser, type TestUser } from '../helpers/fixtures.js';
import { listPage, walk } from '../helpers/list-walk.js';
import { DEFAULT_ORDER, expectedOrder } from '../helpers/task-order.js';
import { createTestApp } from '../helpers/test-app.js';

/** Varied on every sort key, with ties (same title, priority and due date) and tasks without a due date. */
const FIXTURES: Record<string, unknown>[] = [
  {
    title: 'banana',
    priority: 'low',
    dueAt: '2026-03-01T10:00:00.000Z',
    tags: ['work'],
  },
  {
    title: 'Apple',
    priority: 'high',
    dueAt: '2026-01-15T08:00:00+02:00',
    tags: ['home', 'work'],
  },
  {
    title: 'cherry',
    priority: 'medium',
    completed: true,
    description: 'costs 50% less',
  },
  {
    title: 'apple',
    priority: 'high',
    dueAt: '2026-03-01T10:00:00.000Z',
    tags: ['workshop'],
  },
  {
    title: 'Date',
    priority: 'medium',
    dueAt: '2026-02-10T00:00:00.000Z',
    description: 'a_c underscore',
  },
  { title: 'elder', priority: 'low', completed: true, tags: ['home'] },
  {
    title: 'fig',
    priority: 'medium',
    description: 'back\\slash here',
    dueAt: '2026-02-10T00:00:00.000Z',
  },
  {
    title: 'grape',
    priority: 'high',
    completed: true,
    dueAt: '2026-04-01T00:00:00.000Z',
    tags: ['Work'],
  },
  { title: 'banana', priority: 'medium', description: 'ABC mixed case' },
  {
    title: 'honeydew',
    priority: 'low',
    dueAt: '2025-12-31T23:59:59.999Z',
    tags: ['work'],
  },
  { title: 'kiwi', priority: 'high', description: 'plain abc' },
  {
    title: 'lime',
    priority: 'medium',
    completed: true,
    dueAt: '2026-01-01T00:00:00.000Z',
  },
];

describe('GET /api/tasks (listing)', () => {
  let app: INestApplication<App>;
  let user: TestUser;
  let tasks: Record<string, any>[];

  beforeAll(async () => {
    app = await createTestApp();
    user = await registerUser(app);
    tasks = [];
    for (const body of FIXTURES) tasks.push(await createTask(app, user, body));
    // Moves a few updatedAt values away from createdAt order.
    for (const index of [0, 5, 9]) {
      const response = await request(app.getHttpServer())
        .patch(`/api/tasks/${tasks[index].id}`)
        .set(bearer(user))
        .send({ title: tasks[index].title })
        .expect(200);
      tasks[index] = response.body.data;
    }
  });
  afterAll(async () => {
    await app.close();
  });

  const server = () => app.getHttpServer();
  const ids = (filter: (task: Record<string, any>) => boolean) =>
    tasks
      .filter(filter)
      .map((task) => task.id)
      .sort();

  describe('sorting', () => {
    for (const sort of ['createdAt', 'updatedAt', 'dueAt', 'priority', 'title']) {
      for (const order of ['asc', 'desc'] as const) {
        it(`sort=${sort}&order=${order} follows the contract's order across pages`, async () => {
          const seen = await walk(app, user, { sort, order, limit: 5 });
          expect(seen).toEqual(expectedOrder(tasks, sort, order));
        });
      }
      it(`sort=${sort} defaults to ${DEFAULT_ORDER[sort]}`, async () => {
        const page = await listPage(app, user, { sort, limit: 100 });
        expect(page.data.map((task) => task.id)).toEqual(expectedOrder(tasks, sort, DEFAULT_ORDER[sort]));
      });
    }

    it('defaults to newest first, 20 per page', async () => {
      const page = await listPage(app, user, {});
      expect(page.data.map((task) => task.id)).toEqual(expectedOrder(tasks, 'createdAt', 'desc'));
      expect(page.meta).toEqual({
        total: tasks.length,
        limit: 20,
        nextCursor: null,
      });
    });

    it('serves the same order under /api/{userId}/tasks', async () => {
      const seen = await walk(app, user, { sort: 'dueAt', order: 'desc', limit: 4 }, { base: `/api/${user.id}/tasks` });
      expect(seen).toEqual(expectedOrder(tasks, 'dueAt', 'desc'));
    });
  });

  describe('filters and meta.total', () => {
    it('status=pending and status=completed', async () => {
      const pending = await listPage(app, user, {
        status: 'pending',
        limit: 100,
      });
      expect(pending.data.map((task) => task.id).sort()).toEqual(ids((task) => !task.completed));
      expect(pending.meta.total).toBe(ids((task) => !task.completed).length);
      const completed = await listPage(app, user, {
        status: 'completed',
        limit: 2,
      });
      expect(completed.meta.total).toBe(ids((task) => task.completed).length);
      expect(completed.data).toHaveLength(2);
      const all = await listPage(app, user, { status: 'all', limit: 1 });
      expect(all.meta.total).toBe(tasks.length);
    });

    it('priority', async () => {
      const page = await listPage(app, user, { priority: 'high', limit: 100 });
      expect(page.data.map((task) => task.id).sort()).toEqual(ids((task) => task.priority === 'high'));
      expect(page.meta.total).toBe(4);
    });

    it('tag is an exact, case-sensitive match (trimmed)', async () => {
      const page = await listPage(app, user, { tag: ' work ', limit: 100 });
      expect(page.data.map((task) => task.id).sort()).toEqual(ids((task) => task.tags.includes('work')));
      expect(page.meta.total).toBe(3);
    });

    it('q is a case-insensitive substring of the title or the description', async () => {
      const page = await listPage(app, user, { q: 'APPL', limit: 100 });
      expect(page.data.map((task) => task.title).sort()).toEqual(['Apple', 'apple']);
      const described = await listPage(app, user, { q: 'abc', limit: 100 });
      expect(described.data.map((task) => task.title).sort()).toEqual(['banana', 'kiwi']);
      expect(described.meta.total).toBe(2);
    });

    it('q matches %, _ and \\ literally', async () => {
      expect((await listPage(app, user, { q: '50%' })).data.map((task) => task.title)).toEqual(['cherry']);
      expect((await listPage(app, user, { q: '%' })).data.map((task) => task.title)).toEqual(['cherry']);
      expect((await listPage(app, user, { q: 'a_c' })).data.map((task) => task.title)).toEqual(['Date']);
      expect((await listPage(app, user, { q: '_' })).data.map((task) => task.title)).toEqual(['Date']);
      expect((await listPage(app, user, { q: 'k\\s' })).data.map((task) => task.title)).toEqual(['fig']);
      expect((await listPage(app, user, { q: 'no such text' })).meta.total).toBe(0);
    });

    it('q does not search tags', async () => {
      expect((await listPage(app, user, { q: 'workshop' })).meta.total).toBe(0);
    });

    it('dueAfter and dueBefore are inclusive, accept offsets and exclude tasks without dueAt', async () => {
      const page = await listPage(app, user, {
        dueAfter: '2026-01-15T06:00:00.000Z',
        dueBefore: '2026-03-01T12:00:00+02:00',
        limit: 100,
      });
      const from = Date.parse('2026-01-15T06:00:00.000Z');
      const to = Date.parse('2026-03-01T10:00:00.000Z');
      const inRange = (task: Record<string, any>) =>
        task.dueAt !== null && Date.parse(task.dueAt) >= from && Date.parse(task.dueAt) <= to;
      expect(page.data.map((task) => task.id).sort()).toEqual(ids(inRange));
      expect(page.meta.total).toBe(5);
      const after = await listPage(app, user, {
        dueAfter: '2026-03-01T10:00:00.000Z',
        limit: 100,
      });
      expect(after.meta.total).toBe(ids((task) => task.dueAt !== null && Date.parse(task.dueAt) >= to).length);
      const before = await listPage(app, user, {
        dueBefore: '2100-01-01T00:00:00Z',
        limit: 100,
      });
      expect(before.meta.total).toBe(ids((task) => task.dueAt !== null).length);
    });

    it('combines filters; the total counts every match, not the page', async () => {
      const query = {
        status: 'pending',
        priority: 'medium',
        sort: 'title',
        limit: 1,
      };
      const expected = tasks.filter((task) => !task.completed && task.priority === 'medium');
      const seen = await walk(app, user, query);
      expect(seen).toEqual(expectedOrder(expected, 'title', 'asc'));
      expect((await listPage(app, user, query)).meta.total).toBe(expected.length);
    });

    it('filters under /api/{userId}/tasks too', async () => {
      const page = await listPage(app, user, { tag: 'home', status: 'pending' }, `/api/${user.id}/tasks`);
      expect(page.data.map((task) => task.title)).toEqual(['Apple']);
      expect(page.meta.total).toBe(1);
    });
  });

  describe('paging', () => {
    it('nextCursor is null on the last page, also when it is exactly full', async () => {
      const first = await listPage(app, user, { limit: 6 });
      expect(first.meta.nextCursor).toEqual(expect.any(String));
      const second = await listPage(app, user, {
        limit: 6,
        cursor: first.meta.nextCursor!,
      });
      expect(second.data).toHaveLength(6);
      expect(second.meta).toEqual({
        total: tasks.length,
        limit: 6,
        nextCursor: null,
      });
    });

    it('a user with no tasks gets an empty page', async () => {
      const other = await registerUser(app);
      expect(await listPage(app, other, {})).toEqual({
        data: [],
        meta: { total: 0, limit: 20, nextCursor: null },
      });
    });

    it('sees every task exactly once while tasks are created and deleted between pages', async () => {
      const walker = await registerUser(app);
      const original: Record<string, any>[] = [];
      for (let index = 0; index < 10; index++) {
        original.push(
          await createTask(app, walker, {
            title: `t${String(index).padStart(2, '0')}`,
          }),
        );
      }
      const doomed = original[7];
      for (const sort of ['createdAt', 'title']) {
        const seen = await walk(
          app,
          walker,
          { sort, limit: 3 },
          {
            between: async (pageIndex) => {
              // Titles that sort before and after the cursor, and one deleted task not yet reached.
              await createTask(app, walker, { title: `t0${pageIndex}5` });
              await createTask(app, walker, { title: `zz${pageIndex}` });
            },
          },
        );
        const kept = original.filter((task) => task.id !== doomed.id || sort === 'createdAt');
        for (const task of kept) expect(seen.filter((id) => id === task.id)).toHaveLength(1);
        expect(new Set(seen).size).toBe(seen.length);
        if (sort === 'createdAt') {
          await request(server()).delete(`/api/tasks/${doomed.id}`).set(bearer(walker)).expect(204);
        }
      }
    });

    it('a cursor stays valid after its last task is deleted', async () => {
      const owner = await registerUser(app);
      const made: Record<string, any>[] = [];
      for (let index = 0; index < 5; index++) made.push(await createTask(app, owner, { title: `p${index}` }));
      const first = await listPage(app, owner, { sort: 'title', limit: 2 });
      await request(server()).delete(`/api/tasks/${first.data[1].id}`).set(bearer(owner)).expect(204);
      const rest = await listPage(app, owner, {
        sort: 'title',
        limit: 10,
        cursor: first.meta.nextCursor!,
      });
      expect(rest.data.map((task) => task.title)).toEqual(['p2', 'p3', 'p4']);
      expect(rest.meta.total).toBe(4);
    });
  });

  describe('validation', () => {
    const invalid: [string, Record<string, string>][] = [
      ['status', { status: 'done' }],
      ['q', { q: 'x'.repeat(201) }],
      ['q', { q: 'nul\u0000byte' }],
      ['priority', { priority: 'urgent' }],
      ['tag', { tag: 't'.repeat(51) }],
      ['dueBefore', { dueBefore: 'tomorrow' }],
      ['dueBefore', { dueBefore: '2026-01-01T00:00:00' }],
      ['dueAfter', { dueAfter: '2026-02-30T00:00:00Z' }],
      ['sort', { sort: 'name' }],
      ['sort', { sort: 'id' }],
      ['order', { order: 'up' }],
      ['limit', { limit: '0' }],
      ['limit', { limit: '101' }],
      ['limit', { limit: '10abc' }],
      ['limit', { limit: '1e1' }],
      ['cursor', { cursor: 'garbage!' }],
      ['cursor', { cursor: 'x'.repeat(1025) }],
      ['unknown', { unknown: '1' }],
    ];
    for (const [field, query] of invalid) {
      it(`rejects ${JSON.stringify(query).slice(0, 60)} naming ${field}`, async () => {
        const response = await request(server()).get('/api/tasks').query(query).set(bearer(user)).expect(400);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body.type).toBe('/problems/validation-error');
        expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      });
    }

    it.each([
      ['limit=abc', 'limit', 'must be an integer'],
      ['limit=1.5', 'limit', 'must be an integer'],
      ['limit=500', 'limit', 'must not be greater than 100'],
      ['q=a&q=b', 'q', 'may appear once'],
      ['tag=a&tag=b', 'tag', 'may appear once'],
      ['cursor=a&cursor=b', 'cursor', 'may appear once'],
    ])('says what is wrong with %s: repetition, then the type, then the range', async (query, field, message) => {
      const response = await request(server()).get(`/api/tasks?${query}`).set(bearer(user)).expect(400);
      expect(response.body.errors).toEqual([{ field, message }]);
    });

    it('rejects a repeated parameter', async () => {
      const response = await request(server()).get('/api/tasks?status=pending&status=completed').set(bearer(user));
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: 'status', message: 'may appear once' }]);
    });

    it('validates under /api/{userId}/tasks too', async () => {
      const response = await request(server()).get(`/api/${user.id}/tasks?sort=nope`).set(bearer(user)).expect(400);
      expect(response.body.errors[0].field).toBe('sort');
    });
  });

  describe('garbage cursors', () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const id = '5f0c7c39-6f35-4b43-9d33-0e4ab1b3a3f1';
    const garbage: [string, string, Record<string, string>?][] = [
      ['not base64 JSON', 'bm90IGpzb24'],
      ['a JSON object', encode({ s: 'createdAt' })],
      ['a wrong version', encode([2, 'createdAt', 'desc', '2026-01-01T00:00:00.000Z', id])],
      ['a key that is not a timestamp', encode([1, 'createdAt', 'desc', 'yesterday', id])],
      ['an impossible date', encode([1, 'createdAt', 'desc', '2026-02-30T00:00:00.000Z', id])],
      ['an id that is not a UUID', encode([1, 'createdAt', 'desc', '2026-01-01T00:00:00.000Z', 'x'])],
      ['a rank out of range', encode([1, 'priority', 'desc', 9, id]), { sort: 'priority' }],
      ['a text key with NUL', encode([1, 'title', 'asc', 'a\u0000b', id]), { sort: 'title' }],
      ['another sort', encode([1, 'title', 'asc', 'a', id])],
      ['another order', encode([1, 'createdAt', 'asc', '2026-01-01T00:00:00.000Z', id])],
    ];
    for (const [what, cursor, query] of garbage) {
      it(`is a 400 for ${what}`, async () => {
        const response = await request(server())
          .get('/api/tasks')
          .query({ ...query, cursor })
          .set(bearer(user))
          .expect(400);
        expect(response.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
      });
    }

    it('is a 400 for a cursor of the same sort in the other order', async () => {
      const first = await listPage(app, user, { sort: 'dueAt', limit: 2 });
      await request(server())
        .get('/api/tasks')
        .query({ sort: 'dueAt', order: 'desc', cursor: first.meta.nextCursor! })
        .set(bearer(user))
        .expect(400);
    });
  });
});
