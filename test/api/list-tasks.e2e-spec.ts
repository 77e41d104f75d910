import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { bearer, registerUser, type TestUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Json = Record<string, any>;

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Tasks in shared lists (docs/API.md, "Tasks"): the third route family `/api/lists/{listId}/tasks`,
 * the lists the two other families span, roles, moves, assignees, bulk scoping, idempotency keys
 * across families and the per-list quota. Sharing is set up through the lists routes.
 */
describe('Tasks in shared lists (e2e)', () => {
  let app: INestApplication<App>;
  let owner: TestUser;
  let editor: TestUser;
  let viewer: TestUser;
  let stranger: TestUser;

  const call = (user: TestUser | undefined, method: Method, path: string, body?: unknown) => {
    let req = request(app.getHttpServer())[method](path);
    if (user) req = req.set(bearer(user));
    return body === undefined ? req : req.send(body as object);
  };
  const inboxOf = async (user: TestUser): Promise<string> =>
    ((await call(user, 'get', '/api/lists').expect(200)).body.data as Json[]).find((list) => list.isDefault)!.id;
  const createList = async (user: TestUser, name = 'Shared'): Promise<string> =>
    (await call(user, 'post', '/api/lists', { name }).expect(201)).body.data.id;
  const join = async (user: TestUser, listId: string, role: string, by: TestUser = owner) => {
    const { token } = (await call(by, 'post', `/api/lists/${listId}/invitations`, { role }).expect(201)).body.data;
    await call(user, 'post', '/api/invitations/accept', { token }).expect(200);
  };
  /** A list of `owner` that `editor` edits and `viewer` reads. */
  const team = async (): Promise<string> => {
    const listId = await createList(owner);
    await join(editor, listId, 'editor');
    await join(viewer, listId, 'viewer');
    return listId;
  };
  const tasksOf = (listId: string) => `/api/lists/${listId}/tasks`;
  const create = async (user: TestUser, listId: string, body: Json = { title: 'A task' }): Promise<Json> =>
    (await call(user, 'post', tasksOf(listId), body).expect(201)).body.data;
  const expectRole = (response: request.Response, requiredRole = 'editor') => {
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: '/problems/insufficient-role', status: 403, requiredRole });
  };
  const expectNotFound = (response: request.Response, detail: RegExp) => {
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ type: '/problems/not-found', status: 404 });
    expect(response.body.detail).toMatch(detail);
  };
  const expectInvalid = (response: request.Response, field: string) => {
    expect(response.status).toBe(400);
    expect(response.body.type).toBe('/problems/validation-error');
    expect(response.body.errors.map((error: Json) => error.field)).toContain(field);
  };

  beforeAll(async () => {
    app = await createTestApp();
    [owner, editor, viewer, stranger] = await Promise.all(
      ['Owner', 'Editor', 'Viewer', 'Stranger'].map((name) => registerUser(app, name)),
    );
  });
  afterAll(async () => {
    await app.close();
  });

  describe('/api/lists/{listId}/tasks: every route for an editor', () => {
    it('creates, lists, reads, replaces, changes, completes, toggles and deletes in the list', async () => {
      const listId = await team();
      const created = await call(editor, 'post', tasksOf(listId), { title: 'Buy milk', tags: ['shop'] }).expect(201);
      const task = created.body.data;
      expect(task).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        userId: editor.id,
        listId,
        assigneeId: null,
        createdBy: editor.id,
        updatedBy: editor.id,
        completedBy: null,
        title: 'Buy milk',
        description: null,
        completed: false,
        completedAt: null,
        priority: 'medium',
        dueAt: null,
        tags: ['shop'],
        version: 1,
        createdAt: expect.stringMatching(ISO_MS),
        updatedAt: expect.stringMatching(ISO_MS),
      });
      expect(created.headers.location).toBe(`${tasksOf(listId)}/${task.id}`);
      expect(created.headers.etag).toBe('"1"');

      const page = await call(viewer, 'get', tasksOf(listId)).expect(200);
      expect(page.body.data.map((t: Json) => t.id)).toEqual([task.id]);
      expect(page.body.meta).toEqual({ total: 1, limit: 20, nextCursor: null });

      const got = await call(viewer, 'get', `${tasksOf(listId)}/${task.id}`).expect(200);
      expect(got.headers.etag).toBe('"1"');

      const replaced = await call(editor, 'put', `${tasksOf(listId)}/${task.id}`, { title: 'Buy oat milk' }).expect(
        200,
      );
      expect(replaced.body.data).toMatchObject({ title: 'Buy oat milk', tags: [], listId, version: 2 });

      const patched = await call(owner, 'patch', `${tasksOf(listId)}/${task.id}`, { priority: 'high' }).expect(200);
      expect(patched.body.data).toMatchObject({ priority: 'high', updatedBy: owner.id, userId: editor.id, version: 3 });

      const completed = await call(editor, 'patch', `${tasksOf(listId)}/${task.id}/complete`, { completed: true });
      expect(completed.status).toBe(200);
      expect(completed.body.data).toMatchObject({ completed: true, completedBy: editor.id, version: 4 });
      const toggled = await call(owner, 'patch', `${tasksOf(listId)}/${task.id}/complete`).expect(200);
      expect(toggled.body.data).toMatchObject({ completed: false, completedBy: null, version: 5 });
      const flipped = await call(owner, 'post', `${tasksOf(listId)}/${task.id}/toggle`).expect(200);
      expect(flipped.body.data).toMatchObject({ completed: true, completedBy: owner.id, version: 6 });
      expect(flipped.headers.etag).toBe('"6"');

      await call(editor, 'delete', `${tasksOf(listId)}/${task.id}`)
        .set('If-Match', '"6"')
        .expect(204);
      await call(editor, 'get', `${tasksOf(listId)}/${task.id}`).expect(404);
    });

    it('completes all and clears the completed tasks of that list only', async () => {
      const listId = await team();
      const inbox = await inboxOf(editor);
      await create(editor, listId, { title: 'one' });
      await create(editor, listId, { title: 'two', priority: 'high' });
      const outside = await create(editor, inbox, { title: 'elsewhere' });
      const all = await call(editor, 'post', `${tasksOf(listId)}/complete-all?priority=high`, { completed: true });
      expect(all.status).toBe(200);
      expect(all.body).toEqual({ data: { changed: 1 } });
      expect(
        (await call(editor, 'post', `${tasksOf(listId)}/complete-all`, { completed: true })).body.data.changed,
      ).toBe(1);
      expect((await call(editor, 'delete', `${tasksOf(listId)}/completed`).expect(200)).body).toEqual({
        data: { deleted: 2 },
      });
      const left = await call(editor, 'get', `/api/tasks/${outside.id}`).expect(200);
      expect(left.body.data.completed).toBe(false);
      expect((await call(viewer, 'get', tasksOf(listId)).expect(200)).body.meta.total).toBe(0);
    });

    it('refuses a body or query listId other than the path’s (400); the path’s own is accepted', async () => {
      const listId = await team();
      const other = await createList(owner, 'Other');
      expectInvalid(await call(owner, 'post', tasksOf(listId), { title: 'x', listId: other }), 'listId');
      expectInvalid(
        await call(owner, 'post', `${tasksOf(listId)}/complete-all`, { completed: true, listId: other }),
        'listId',
      );
      expectInvalid(await call(owner, 'delete', `${tasksOf(listId)}/completed?listId=${other}`), 'listId');
      expectInvalid(await call(owner, 'get', `${tasksOf(listId)}?listId=${other}`), 'listId');
      const same = await create(owner, listId, { title: 'x', listId });
      expect(same.listId).toBe(listId);
      expect((await call(owner, 'get', `${tasksOf(listId)}?listId=${listId}`).expect(200)).body.meta.total).toBe(1);
    });
  });

  describe('roles', () => {
    it('lets a viewer read, and answers every write with 403 insufficient-role', async () => {
      const listId = await team();
      const task = await create(editor, listId);
      const path = `${tasksOf(listId)}/${task.id}`;
      await call(viewer, 'get', tasksOf(listId)).expect(200);
      await call(viewer, 'get', path).expect(200);
      await call(viewer, 'get', `/api/tasks/${task.id}`).expect(200);
      expectRole(await call(viewer, 'post', tasksOf(listId), { title: 'no' }));
      expectRole(await call(viewer, 'put', path, { title: 'no' }));
      expectRole(await call(viewer, 'patch', path, { title: 'no' }));
      expectRole(await call(viewer, 'patch', `${path}/complete`));
      expectRole(await call(viewer, 'post', `${path}/toggle`));
      expectRole(await call(viewer, 'delete', path));
      expectRole(await call(viewer, 'post', `${tasksOf(listId)}/complete-all`, { completed: true }));
      expectRole(await call(viewer, 'delete', `${tasksOf(listId)}/completed`));
      // The same through the families that span lists: the task's list decides.
      expectRole(await call(viewer, 'patch', `/api/tasks/${task.id}`, { title: 'no' }));
      expectRole(await call(viewer, 'post', `/api/${viewer.id}/tasks/${task.id}/toggle`));
      expectRole(await call(viewer, 'delete', `/api/tasks/${task.id}`));
      expectRole(await call(viewer, 'post', '/api/tasks', { title: 'no', listId }));
      expectRole(await call(viewer, 'post', '/api/tasks/complete-all', { completed: true, listId }));
      expectRole(await call(viewer, 'delete', `/api/tasks/completed?listId=${listId}`));
      expect((await call(owner, 'get', path).expect(200)).body.data).toMatchObject({ title: 'A task', version: 1 });
    });

    it('answers a stranger 404 on every route, the list’s and the task’s', async () => {
      const listId = await team();
      const task = await create(editor, listId);
      const path = `${tasksOf(listId)}/${task.id}`;
      const answers = [
        await call(stranger, 'get', tasksOf(listId)),
        await call(stranger, 'post', tasksOf(listId), { title: 'no' }),
        await call(stranger, 'get', path),
        await call(stranger, 'put', path, { title: 'no' }),
        await call(stranger, 'patch', path, { title: 'no' }),
        await call(stranger, 'patch', `${path}/complete`),
        await call(stranger, 'post', `${path}/toggle`),
        await call(stranger, 'delete', path),
        await call(stranger, 'post', `${tasksOf(listId)}/complete-all`, { completed: true }),
        await call(stranger, 'delete', `${tasksOf(listId)}/completed`),
      ];
      for (const answer of answers) expectNotFound(answer, /List not found/);
      for (const answer of [
        await call(stranger, 'get', `/api/tasks/${task.id}`),
        await call(stranger, 'patch', `/api/tasks/${task.id}`, { title: 'no' }),
        await call(stranger, 'delete', `/api/${stranger.id}/tasks/${task.id}`),
      ]) {
        expectNotFound(answer, /Task not found/);
      }
      expectNotFound(await call(stranger, 'post', '/api/tasks', { title: 'no', listId }), /List not found/);
      expectNotFound(await call(stranger, 'get', `/api/tasks?listId=${listId}`), /List not found/);
      expectNotFound(
        await call(stranger, 'post', '/api/tasks/complete-all', { completed: true, listId }),
        /List not found/,
      );
      expect((await call(stranger, 'get', '/api/tasks').expect(200)).body.meta.total).toBe(0);
      expect((await call(owner, 'get', path).expect(200)).body.data.version).toBe(1);
    });

    it('a removed member is a stranger at once; their tasks stay in the list', async () => {
      const listId = await team();
      const task = await create(editor, listId, { title: 'by the editor' });
      await call(owner, 'delete', `/api/lists/${listId}/members/${editor.id}`).expect(204);
      expectNotFound(await call(editor, 'get', tasksOf(listId)), /List not found/);
      expectNotFound(await call(editor, 'post', `${tasksOf(listId)}/${task.id}/toggle`), /List not found/);
      expectNotFound(await call(editor, 'patch', `/api/tasks/${task.id}`, { title: 'mine' }), /Task not found/);
      const spanned = (await call(editor, 'get', '/api/tasks').expect(200)).body;
      expect(spanned.data.map((t: Json) => t.id)).not.toContain(task.id);
      await join(editor, listId, 'editor'); // back for the other tests' sake is not needed; rejoining works
      expect((await call(editor, 'get', `/api/tasks/${task.id}`).expect(200)).body.data.createdBy).toBe(editor.id);
    });
  });

  describe('order of checks under /api/lists/{listId}/tasks', () => {
    it('401, 400 path, 404 not a member, 403 role, 404 task, 412, then the body', async () => {
      const listId = await team();
      const other = await team();
      const task = await create(editor, listId);
      const elsewhere = await create(editor, other);
      const bad = { title: '' };
      // No token: 401, whatever the path.
      expect((await call(undefined, 'patch', `/api/lists/nope/tasks/nope`, bad)).status).toBe(401);
      // Malformed path values: 400 naming them, before membership.
      expectInvalid(await call(stranger, 'patch', `/api/lists/nope/tasks/${task.id}`, bad), 'listId');
      expectInvalid(await call(editor, 'patch', `${tasksOf(listId)}/nope`, bad), 'id');
      // Not a member: 404 before the role, the task and the body.
      expectNotFound(await call(stranger, 'patch', `${tasksOf(listId)}/${task.id}`, bad), /List not found/);
      expectNotFound(await call(stranger, 'patch', `${tasksOf(randomUUID())}/${task.id}`, bad), /List not found/);
      // Role too low: 403 before the task and the body.
      expectRole(await call(viewer, 'patch', `${tasksOf(listId)}/${randomUUID()}`, bad));
      expectRole(await call(viewer, 'post', tasksOf(listId), bad));
      // A task of another list, or none: 404 before If-Match and the body.
      expectNotFound(await call(editor, 'patch', `${tasksOf(listId)}/${elsewhere.id}`, bad), /Task not found/);
      expectNotFound(
        await call(editor, 'patch', `${tasksOf(listId)}/${randomUUID()}`, bad).set('If-Match', '"9"'),
        /Task not found/,
      );
      // A stale If-Match: 412 before the body.
      const stale = await call(editor, 'patch', `${tasksOf(listId)}/${task.id}`, bad).set('If-Match', '"9"');
      expect(stale.status).toBe(412);
      // Then the body.
      expectInvalid(await call(editor, 'patch', `${tasksOf(listId)}/${task.id}`, bad).set('If-Match', '"1"'), 'title');
      expectInvalid(await call(editor, 'patch', `${tasksOf(listId)}/${task.id}`, { listId: 'nope' }), 'listId');
      expectInvalid(await call(editor, 'patch', `${tasksOf(listId)}/${task.id}`, { assigneeId: 7 }), 'assigneeId');
      expectInvalid(await call(editor, 'patch', `${tasksOf(listId)}/${task.id}`, { createdBy: owner.id }), 'createdBy');
      expectInvalid(await call(editor, 'post', tasksOf(listId), { title: 'x', completedBy: owner.id }), 'completedBy');
      expect((await call(editor, 'get', `${tasksOf(listId)}/${task.id}`).expect(200)).body.data.version).toBe(1);
    });

    it('answers a body that is not JSON, or too large, after membership and role', async () => {
      const listId = await team();
      const task = await create(editor, listId);
      const text = (user: TestUser, path: string) =>
        call(user, 'post', path).set('Content-Type', 'text/plain').send('title=x');
      expectNotFound(await text(stranger, tasksOf(listId)), /List not found/);
      expectRole(await text(viewer, tasksOf(listId)));
      expect((await text(editor, tasksOf(listId))).status).toBe(415);
      const huge = { title: 'x', description: 'y'.repeat(200_000) };
      expectNotFound(await call(stranger, 'put', `${tasksOf(listId)}/${task.id}`, huge), /List not found/);
      expectRole(await call(viewer, 'put', `${tasksOf(listId)}/${task.id}`, huge));
      expect((await call(editor, 'put', `${tasksOf(listId)}/${task.id}`, huge)).status).toBe(413);
      const malformed = await call(editor, 'post', tasksOf(listId)).set('Content-Type', 'application/json').send('{');
      expect(malformed.status).toBe(400);
      expect(malformed.body.type).toBe('/problems/malformed-request');
    });

    it('reaches a task only under its own list', async () => {
      const a = await team();
      const b = await team();
      const task = await create(owner, a);
      expectNotFound(await call(owner, 'get', `${tasksOf(b)}/${task.id}`), /Task not found/);
      expectNotFound(await call(owner, 'delete', `${tasksOf(b)}/${task.id}`), /Task not found/);
      expectNotFound(await call(owner, 'post', `${tasksOf(b)}/${task.id}/toggle`), /Task not found/);
      await call(owner, 'get', `${tasksOf(a)}/${task.id}`).expect(200);
    });

    it('rejects malformed filters, If-Match and assignee values with a 400', async () => {
      const listId = await team();
      const task = await create(editor, listId);
      expectInvalid(await call(editor, 'get', `${tasksOf(listId)}?assignee=someone`), 'assignee');
      expectInvalid(await call(editor, 'get', `/api/tasks?listId=nope`), 'listId');
      expectInvalid(await call(editor, 'delete', `/api/tasks/completed?listId=nope`), 'listId');
      expectInvalid(await call(editor, 'delete', `/api/tasks/completed?other=1`), 'other');
      expectInvalid(
        await call(editor, 'post', `/api/tasks/complete-all?listId=${listId}`, { completed: true }),
        'listId',
      );
      const malformed = await call(editor, 'post', `${tasksOf(listId)}/${task.id}/toggle`).set('If-Match', '1');
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors[0].field).toBe('If-Match');
    });
  });

  describe('/api/tasks and /api/{userId}/tasks span the caller’s lists', () => {
    it('lists every list’s tasks, filters by listId and assignee, and totals from the counters', async () => {
      const member = await registerUser(app, 'Member');
      const listId = await createList(owner, 'Span');
      await join(member, listId, 'editor');
      const inbox = await inboxOf(member);
      const own = await create(member, inbox, { title: 'own' });
      const shared = await create(owner, listId, { title: 'shared', assigneeId: member.id });
      const mine = await create(member, listId, { title: 'mine', completed: true });
      for (const base of ['/api/tasks', `/api/${member.id}/tasks`]) {
        const all = (await call(member, 'get', base).expect(200)).body;
        expect(all.data.map((t: Json) => t.id)).toEqual([mine.id, shared.id, own.id]);
        expect(all.meta.total).toBe(3);
        const inList = (await call(member, 'get', `${base}?listId=${listId}`).expect(200)).body;
        expect(inList.data.map((t: Json) => t.id)).toEqual([mine.id, shared.id]);
        expect(inList.meta.total).toBe(2);
        expect((await call(member, 'get', `${base}?status=completed`).expect(200)).body.meta.total).toBe(1);
        expect((await call(member, 'get', `${base}?status=pending`).expect(200)).body.meta.total).toBe(2);
        const assigned = (await call(member, 'get', `${base}?assignee=me`).expect(200)).body;
        expect(assigned.data.map((t: Json) => t.id)).toEqual([shared.id]);
        expect(assigned.meta.total).toBe(1);
        const byId = (await call(member, 'get', `${base}?assignee=${member.id}`).expect(200)).body;
        expect(byId.data.map((t: Json) => t.id)).toEqual([shared.id]);
        const none = (await call(member, 'get', `${base}?assignee=none&listId=${listId}`).expect(200)).body;
        expect(none.data.map((t: Json) => t.id)).toEqual([mine.id]);
        expect(none.meta.total).toBe(1);
      }
      // The owner sees the shared list's tasks, not the member's inbox.
      const seen = (await call(owner, 'get', `/api/tasks?listId=${listId}`).expect(200)).body;
      expect(seen.meta.total).toBe(2);
      await call(owner, 'get', `/api/tasks/${own.id}`).expect(404);
      expectNotFound(await call(member, 'get', `/api/tasks?listId=${randomUUID()}`), /List not found/);
    });

    it('creates in the default list, or in the list named (editor there)', async () => {
      const listId = await team();
      const inbox = await inboxOf(editor);
      const plain = (await call(editor, 'post', '/api/tasks', { title: 'plain' }).expect(201)).body.data;
      expect(plain.listId).toBe(inbox);
      const named = await call(editor, 'post', `/api/${editor.id}/tasks`, { title: 'named', listId }).expect(201);
      expect(named.body.data.listId).toBe(listId);
      expect(named.headers.location).toBe(`/api/${editor.id}/tasks/${named.body.data.id}`);
      expect((await call(owner, 'get', `${tasksOf(listId)}/${named.body.data.id}`).expect(200)).body.data.userId).toBe(
        editor.id,
      );
    });

    it('acts in bulk on the default list unless a listId is given', async () => {
      // A fresh editor: their default list holds only this test's tasks.
      const member = await registerUser(app, 'Bulk');
      const listId = await team();
      await join(member, listId, 'editor');
      const inbox = await inboxOf(member);
      const home = await create(member, inbox, { title: 'home' });
      const away = await create(member, listId, { title: 'away' });
      expect(
        (await call(member, 'post', '/api/tasks/complete-all', { completed: true }).expect(200)).body.data,
      ).toEqual({
        changed: 1,
      });
      expect((await call(member, 'get', `/api/tasks/${away.id}`).expect(200)).body.data.completed).toBe(false);
      expect(
        (await call(member, 'post', '/api/tasks/complete-all', { completed: true, listId }).expect(200)).body.data,
      ).toEqual({ changed: 1 });
      expect((await call(member, 'delete', '/api/tasks/completed').expect(200)).body.data).toEqual({ deleted: 1 });
      await call(member, 'get', `/api/tasks/${home.id}`).expect(404);
      await call(member, 'get', `/api/tasks/${away.id}`).expect(200);
      expect((await call(member, 'delete', `/api/tasks/completed?listId=${listId}`).expect(200)).body.data).toEqual({
        deleted: 1,
      });
      await call(member, 'get', `/api/tasks/${away.id}`).expect(404);
    });
  });

  describe('moves', () => {
    it('PATCH { listId } moves the task: same id, creator and creation time, a new version', async () => {
      const listId = await team();
      const inbox = await inboxOf(editor);
      const task = await create(editor, inbox, { title: 'to share', completed: true });
      const inboxTotal = (await call(editor, 'get', `/api/tasks?listId=${inbox}`).expect(200)).body.meta
        .total as number;
      const moved = await call(editor, 'patch', `/api/tasks/${task.id}`, { listId, priority: 'low' }).expect(200);
      expect(moved.body.data).toMatchObject({
        id: task.id,
        listId,
        userId: editor.id,
        createdBy: editor.id,
        createdAt: task.createdAt,
        completedAt: task.completedAt,
        completedBy: editor.id,
        priority: 'low',
        version: 2,
      });
      expect(moved.headers.etag).toBe('"2"');
      await call(editor, 'get', `${tasksOf(inbox)}/${task.id}`).expect(404);
      await call(viewer, 'get', `${tasksOf(listId)}/${task.id}`).expect(200);
      expect((await call(editor, 'get', `/api/tasks?listId=${inbox}`).expect(200)).body.meta.total).toBe(
        inboxTotal - 1,
      );
      expect((await call(viewer, 'get', tasksOf(listId)).expect(200)).body.meta).toMatchObject({ total: 1 });
      expect((await call(viewer, 'get', `${tasksOf(listId)}?status=completed`).expect(200)).body.meta.total).toBe(1);

      // Back again through the list family, and a PUT that omits listId keeps it.
      const back = await call(editor, 'patch', `${tasksOf(listId)}/${task.id}`, { listId: inbox }).expect(200);
      expect(back.body.data).toMatchObject({ listId: inbox, version: 3 });
      const put = await call(editor, 'put', `/api/tasks/${task.id}`, { title: 'kept' }).expect(200);
      expect(put.body.data).toMatchObject({ listId: inbox, version: 4, completed: false });
      const putMove = await call(editor, 'put', `/api/tasks/${task.id}`, { title: 'moved', listId }).expect(200);
      expect(putMove.body.data).toMatchObject({ listId, version: 5, title: 'moved' });
      // A move to the list it is in is a plain change.
      const same = await call(editor, 'patch', `/api/tasks/${task.id}`, { listId }).expect(200);
      expect(same.body.data).toMatchObject({ listId, version: 6 });
    });

    it('needs editor on both lists: 404 for a target the caller is not in, 403 for one they only read', async () => {
      const listId = await team();
      const readOnly = await createList(stranger, 'Read only');
      await join(editor, readOnly, 'viewer', stranger);
      const foreign = await createList(stranger, 'Foreign');
      const task = await create(editor, listId);
      expectNotFound(await call(editor, 'patch', `/api/tasks/${task.id}`, { listId: foreign }), /List not found/);
      expectNotFound(await call(editor, 'patch', `/api/tasks/${task.id}`, { listId: randomUUID() }), /List not found/);
      expectRole(await call(editor, 'patch', `/api/tasks/${task.id}`, { listId: readOnly }));
      // A viewer of the source cannot move it out either.
      expectRole(await call(viewer, 'patch', `/api/tasks/${task.id}`, { listId: await inboxOf(viewer) }));
      const stale = await call(editor, 'patch', `/api/tasks/${task.id}`, { listId: await inboxOf(editor) });
      expect(stale.status).toBe(200);
      const again = await call(editor, 'patch', `/api/tasks/${stale.body.data.id}`, { listId }).set('If-Match', '"1"');
      expect(again.status).toBe(412);
      expect((await call(editor, 'get', `/api/tasks/${task.id}`).expect(200)).body.data.listId).not.toBe(listId);
    });

    it('loses no toggle and duplicates no task when moves and toggles race', async () => {
      const listId = await team();
      const inbox = await inboxOf(editor);
      const task = await create(editor, inbox);
      const toggles = 8;
      const moves = 4;
      const answers = await Promise.all([
        ...Array.from({ length: toggles }, () => call(editor, 'post', `/api/tasks/${task.id}/toggle`)),
        ...Array.from({ length: moves }, (_, i) =>
          call(editor, 'patch', `/api/tasks/${task.id}`, { listId: i % 2 === 0 ? listId : inbox }),
        ),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual(Array(toggles + moves).fill(200));
      const after = (await call(editor, 'get', `/api/tasks/${task.id}`).expect(200)).body.data;
      expect(after.version).toBe(1 + toggles + moves);
      expect(after.completed).toBe(toggles % 2 === 1);
      const everywhere = (await call(editor, 'get', '/api/tasks?limit=100').expect(200)).body.data;
      expect(everywhere.filter((t: Json) => t.id === task.id)).toHaveLength(1);
    });
  });

  describe('assignees', () => {
    it('takes null or a current member of the task’s list, else a 400 on assigneeId', async () => {
      const listId = await team();
      const task = await create(editor, listId, { title: 'assign me', assigneeId: viewer.id });
      expect(task.assigneeId).toBe(viewer.id);
      expectInvalid(await call(editor, 'post', tasksOf(listId), { title: 'x', assigneeId: stranger.id }), 'assigneeId');
      expectInvalid(
        await call(editor, 'post', tasksOf(listId), { title: 'x', assigneeId: randomUUID() }),
        'assigneeId',
      );
      expectInvalid(await call(editor, 'patch', `/api/tasks/${task.id}`, { assigneeId: stranger.id }), 'assigneeId');
      expectInvalid(
        await call(editor, 'put', `${tasksOf(listId)}/${task.id}`, { title: 'x', assigneeId: stranger.id }),
        'assigneeId',
      );
      expect((await call(editor, 'get', `/api/tasks/${task.id}`).expect(200)).body.data).toMatchObject({
        assigneeId: viewer.id,
        version: 1,
      });
      const cleared = await call(editor, 'patch', `/api/tasks/${task.id}`, { assigneeId: null }).expect(200);
      expect(cleared.body.data).toMatchObject({ assigneeId: null, version: 2 });
      const owned = await call(editor, 'patch', `/api/tasks/${task.id}`, { assigneeId: owner.id }).expect(200);
      expect(owned.body.data.assigneeId).toBe(owner.id);
      // A move keeps the assignee only if they are a member of the target list.
      expectInvalid(
        await call(editor, 'patch', `/api/tasks/${task.id}`, { listId: await inboxOf(editor) }),
        'assigneeId',
      );
      const moved = await call(editor, 'patch', `/api/tasks/${task.id}`, {
        listId: await inboxOf(editor),
        assigneeId: editor.id,
      });
      expect(moved.status).toBe(200);
      expect(moved.body.data).toMatchObject({ assigneeId: editor.id, version: 4 });
      // PUT without assigneeId unassigns (an omitted field returns to its default).
      expect(
        (await call(editor, 'put', `/api/tasks/${task.id}`, { title: 'again' }).expect(200)).body.data.assigneeId,
      ).toBeNull();
    });

    it('a deleted account’s tasks stay in the lists that remain; tasks assigned to it become unassigned', async () => {
      const leaver = await registerUser(app, 'Leaver');
      const listId = await createList(owner, 'Stays');
      await join(leaver, listId, 'editor');
      const theirs = await create(leaver, listId, { title: 'made by the leaver' });
      const assigned = await create(owner, listId, { title: 'for the leaver', assigneeId: leaver.id });
      await call(leaver, 'delete', '/api/users/me').expect(204);
      const kept = (await call(owner, 'get', `${tasksOf(listId)}/${theirs.id}`).expect(200)).body.data;
      expect(kept).toMatchObject({ userId: leaver.id, createdBy: leaver.id, version: 1 });
      const unassigned = (await call(owner, 'get', `${tasksOf(listId)}/${assigned.id}`).expect(200)).body.data;
      expect(unassigned).toMatchObject({ assigneeId: null, version: 2 });
      expect(unassigned.updatedAt > assigned.updatedAt).toBe(true);
    });
  });

  describe('Idempotency-Key', () => {
    it('is the caller’s across the three families; the resolved list is part of the request', async () => {
      const listId = await team();
      const inbox = await inboxOf(editor);
      const key = `"${randomUUID()}"`;
      const body = { title: 'once' };
      const first = await call(editor, 'post', '/api/tasks', body).set('Idempotency-Key', key).expect(201);
      // The same request through another family: same list (the default one), same body: the first answer.
      const replay = await call(editor, 'post', tasksOf(inbox), body).set('Idempotency-Key', key).expect(201);
      expect(replay.body.data.id).toBe(first.body.data.id);
      const viaUser = await call(editor, 'post', `/api/${editor.id}/tasks`, body).set('Idempotency-Key', key);
      expect(viaUser.status).toBe(201);
      expect(viaUser.body.data.id).toBe(first.body.data.id);
      // Another list under the same key: 422, nothing created.
      for (const other of [
        call(editor, 'post', tasksOf(listId), body),
        call(editor, 'post', '/api/tasks', { ...body, listId }),
      ]) {
        const reused = await other.set('Idempotency-Key', key);
        expect(reused.status).toBe(422);
        expect(reused.body.type).toBe('/problems/idempotency-key-reused');
      }
      expect((await call(editor, 'get', tasksOf(listId)).expect(200)).body.meta.total).toBe(0);
      // Another user's same key is theirs alone.
      await call(owner, 'post', tasksOf(listId), body).set('Idempotency-Key', key).expect(201);
    });

    it('keeps a keyed create to the roles and the assignee rules', async () => {
      const listId = await team();
      expectRole(await call(viewer, 'post', tasksOf(listId), { title: 'k' }).set('Idempotency-Key', 'k-viewer'));
      expectNotFound(
        await call(stranger, 'post', '/api/tasks', { title: 'k', listId }).set('Idempotency-Key', 'k-stranger'),
        /List not found/,
      );
      const unassignable = await call(editor, 'post', tasksOf(listId), { title: 'k', assigneeId: stranger.id }).set(
        'Idempotency-Key',
        'k-assignee',
      );
      expectInvalid(unassignable, 'assigneeId');
      // The refused request did not use the key up.
      await call(editor, 'post', tasksOf(listId), {
        title: 'k',
        assigneeId: stranger.id === owner.id ? null : owner.id,
      })
        .set('Idempotency-Key', 'k-assignee')
        .expect(201);
    });
  });
});

describe('MAX_TASKS_PER_LIST (e2e)', () => {
  let app: INestApplication<App>;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp({ MAX_TASKS_PER_LIST: '3' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('holds per list under concurrent creates and moves; other lists keep their room', async () => {
    const user = await registerUser(app);
    const shared = (await http().post('/api/lists').set(bearer(user)).send({ name: 'Full' }).expect(201)).body.data.id;
    const flood = await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const call = http().post(`/api/lists/${shared}/tasks`).set(bearer(user));
        if (i % 3 === 0) call.set('Idempotency-Key', `quota-${i}`);
        return call.send({ title: `t${i}` });
      }),
    );
    const statuses = flood.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(3);
    expect(statuses.filter((status) => status === 409)).toHaveLength(9);
    const refused = flood.find((response) => response.status === 409)!;
    expect(refused.body).toMatchObject({ type: '/problems/limit-reached', status: 409 });
    expect(refused.body.detail).toMatch(/list holds 3 tasks/);
    expect((await http().get(`/api/lists/${shared}/tasks`).set(bearer(user)).expect(200)).body.meta.total).toBe(3);

    // The default list has its own room; a move into the full list is refused and changes nothing.
    const home = (await http().post('/api/tasks').set(bearer(user)).send({ title: 'home' }).expect(201)).body.data;
    const move = await http().patch(`/api/tasks/${home.id}`).set(bearer(user)).send({ listId: shared });
    expect(move.status).toBe(409);
    expect(move.body.type).toBe('/problems/limit-reached');
    expect((await http().get(`/api/tasks/${home.id}`).set(bearer(user)).expect(200)).body.data).toMatchObject({
      listId: home.listId,
      version: 1,
    });
  });
});
