import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { DataSource } from 'typeorm';
import { bearer, registerUser, type TestUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

type Method = 'get' | 'post' | 'patch' | 'delete';

describe('Lists (e2e)', () => {
  let app: INestApplication<App>;
  let owner: TestUser;
  let admin: TestUser;
  let editor: TestUser;
  let viewer: TestUser;
  let stranger: TestUser;

  const call = (user: TestUser | undefined, method: Method, path: string, body?: unknown) => {
    let req = request(app.getHttpServer())[method](path);
    if (user) req = req.set(bearer(user));
    return body === undefined ? req : req.send(body as object);
  };

  const createList = async (user: TestUser, name = 'Shared') =>
    (await call(user, 'post', '/api/lists', { name }).expect(201)).body.data as Record<string, any>;

  const invite = async (by: TestUser, listId: string, role: string, extra: Record<string, unknown> = {}) =>
    (await call(by, 'post', `/api/lists/${listId}/invitations`, { role, ...extra }).expect(201)).body.data as Record<
      string,
      any
    >;

  const join = async (user: TestUser, listId: string, role: string, by: TestUser = owner) => {
    const { token } = await invite(by, listId, role);
    await call(user, 'post', '/api/invitations/accept', { token }).expect(200);
  };

  /** A list with one member of each role. */
  const team = async () => {
    const list = await createList(owner);
    await join(admin, list.id, 'admin');
    await join(editor, list.id, 'editor');
    await join(viewer, list.id, 'viewer');
    return list;
  };

  const expectInsufficientRole = (body: Record<string, unknown>, requiredRole: string) =>
    expect(body).toMatchObject({ type: '/problems/insufficient-role', status: 403, requiredRole });

  beforeAll(async () => {
    app = await createTestApp();
    [owner, admin, editor, viewer, stranger] = await Promise.all(
      ['Owner', 'Admin', 'Editor', 'Viewer', 'Stranger'].map((name) => registerUser(app, name)),
    );
  });
  afterAll(async () => {
    await app.close();
  });

  describe('the default list', () => {
    it('is made with the account: "Inbox", owned by the user, alone', async () => {
      const fresh = await registerUser(app);
      const { body } = await call(fresh, 'get', '/api/lists').expect(200);
      expect(body.meta).toEqual({ total: 1, limit: 20, nextCursor: null });
      expect(body.data[0]).toMatchObject({
        name: 'Inbox',
        isDefault: true,
        ownerId: fresh.id,
        role: 'owner',
        memberCount: 1,
        color: null,
        version: 1,
      });
    });

    it('cannot be deleted, shared or invited to (409)', async () => {
      const fresh = await registerUser(app);
      const inbox = (await call(fresh, 'get', '/api/lists').expect(200)).body.data[0];
      const deleted = await call(fresh, 'delete', `/api/lists/${inbox.id}`).expect(409);
      expect(deleted.body.type).toBe('/problems/conflict');
      await call(fresh, 'post', `/api/lists/${inbox.id}/invitations`, { role: 'viewer' }).expect(409);
    });
  });

  describe('POST /api/lists', () => {
    it('creates a list the caller owns: 201, Location, ETag', async () => {
      const response = await call(owner, 'post', '/api/lists', { name: '  Groceries ', color: '#3B82F6' }).expect(201);
      const list = response.body.data;
      expect(list).toMatchObject({
        name: 'Groceries',
        color: '#3b82f6',
        isDefault: false,
        ownerId: owner.id,
        role: 'owner',
        memberCount: 1,
        version: 1,
      });
      expect(response.headers.location).toBe(`/api/lists/${list.id}`);
      expect(response.headers.etag).toBe('"1"');
    });

    it.each([
      [{}, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 'ok', color: 'blue' }, 'color'],
      [{ name: 'ok', isDefault: true }, 'isDefault'],
      [{ name: 'ok', ownerId: randomUUID() }, 'ownerId'],
    ])('rejects %j (400 on %s)', async (body, field) => {
      const response = await call(owner, 'post', '/api/lists', body).expect(400);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    });

    it('needs a token (401)', async () => {
      await call(undefined, 'post', '/api/lists', { name: 'x' }).expect(401);
    });

    it('counts 100 code points, not bytes', async () => {
      await call(owner, 'post', '/api/lists', { name: '😀'.repeat(100) }).expect(201);
    });
  });

  describe('GET /api/lists', () => {
    it('pages through the caller’s lists with a keyset cursor, total on every page', async () => {
      const user = await registerUser(app);
      for (const name of ['a', 'b', 'c', 'd']) await createList(user, name);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
        const { body } = await call(user, 'get', `/api/lists${query}`).expect(200);
        expect(body.meta.total).toBe(5);
        seen.push(...body.data.map((list: { name: string }) => list.name));
        cursor = body.meta.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['Inbox', 'a', 'b', 'c', 'd']);
    });

    it('shows lists the caller joined, and never a stranger’s', async () => {
      const list = await team();
      const names = async (user: TestUser) =>
        (await call(user, 'get', '/api/lists?limit=100').expect(200)).body.data.map((l: { id: string }) => l.id);
      expect(await names(viewer)).toContain(list.id);
      expect(await names(stranger)).not.toContain(list.id);
    });

    it.each([
      'limit=0',
      'limit=101',
      'limit=abc',
      'cursor=nope',
      `cursor=${Buffer.from('[1,2]').toString('base64url')}`,
    ])('rejects %s (400)', async (query) => {
      await call(owner, 'get', `/api/lists?${query}`).expect(400);
    });
  });

  describe('GET /api/lists/{listId}', () => {
    it('answers a member with the list, their role and an ETag', async () => {
      const list = await team();
      const response = await call(viewer, 'get', `/api/lists/${list.id}`).expect(200);
      expect(response.body.data).toMatchObject({ id: list.id, role: 'viewer', memberCount: 4, ownerId: owner.id });
      expect(response.headers.etag).toBe(`"${response.body.data.version}"`);
    });

    it('is 404 for a stranger and for no such list, 400 for a malformed id, 401 without a token', async () => {
      const list = await createList(owner);
      const hidden = await call(stranger, 'get', `/api/lists/${list.id}`).expect(404);
      expect(hidden.body.type).toBe('/problems/not-found');
      await call(owner, 'get', `/api/lists/${randomUUID()}`).expect(404);
      const malformed = await call(owner, 'get', '/api/lists/not-a-uuid').expect(400);
      expect(malformed.body.errors).toEqual([{ field: 'listId', message: 'must be a UUID' }]);
      await call(undefined, 'get', `/api/lists/${list.id}`).expect(401);
    });
  });

  describe('PATCH /api/lists/{listId}', () => {
    it('lets an admin rename and recolour; the version rises', async () => {
      const list = await team();
      const before = (await call(admin, 'get', `/api/lists/${list.id}`)).body.data;
      const response = await call(admin, 'patch', `/api/lists/${list.id}`, { name: 'Renamed', color: null })
        .set('If-Match', `"${before.version}"`)
        .expect(200);
      expect(response.body.data).toMatchObject({ name: 'Renamed', color: null, version: before.version + 1 });
      expect(response.headers.etag).toBe(`"${before.version + 1}"`);
    });

    it('is 403 insufficient-role for an editor, with requiredRole', async () => {
      const list = await team();
      const response = await call(editor, 'patch', `/api/lists/${list.id}`, { name: 'x' }).expect(403);
      expectInsufficientRole(response.body, 'admin');
    });

    it('is 412 for a stale If-Match and changes nothing', async () => {
      const list = await createList(owner);
      await call(owner, 'patch', `/api/lists/${list.id}`, { name: 'New' }).set('If-Match', '"99"').expect(412);
      expect((await call(owner, 'get', `/api/lists/${list.id}`)).body.data.name).toBe('Shared');
    });

    it('checks in order: 400 path, 404 not a member, 403 role, 412, then the body', async () => {
      const list = await team();
      const bad = { name: '' };
      const path = await call(stranger, 'patch', '/api/lists/nope', bad).expect(400);
      expect(path.body.errors[0].field).toBe('listId');
      await call(stranger, 'patch', `/api/lists/${list.id}`, bad).expect(404);
      expectInsufficientRole((await call(viewer, 'patch', `/api/lists/${list.id}`, bad).expect(403)).body, 'admin');
      await call(admin, 'patch', `/api/lists/${list.id}`, bad).set('If-Match', '"99"').expect(412);
      const body = await call(admin, 'patch', `/api/lists/${list.id}`, bad).expect(400);
      expect(body.body.errors[0].field).toBe('name');
      await call(admin, 'patch', `/api/lists/${list.id}`, {}).expect(400);
    });
  });

  describe('DELETE /api/lists/{listId}', () => {
    it('is the owner’s alone; the list and its invitations go', async () => {
      const list = await team();
      const { token } = await invite(owner, list.id, 'viewer');
      expectInsufficientRole((await call(admin, 'delete', `/api/lists/${list.id}`).expect(403)).body, 'owner');
      await call(owner, 'delete', `/api/lists/${list.id}`).set('If-Match', '"1"').expect(412);
      await call(owner, 'delete', `/api/lists/${list.id}`).expect(204);
      for (const user of [owner, admin, viewer]) await call(user, 'get', `/api/lists/${list.id}`).expect(404);
      await call(stranger, 'post', '/api/invitations/accept', { token }).expect(404);
    });
  });

  describe('members', () => {
    it('GET lists every member with email, name, role and joinedAt; 404 for a stranger', async () => {
      const list = await team();
      const { body } = await call(viewer, 'get', `/api/lists/${list.id}/members`).expect(200);
      expect(body.data.map((member: { userId: string; role: string }) => [member.userId, member.role])).toEqual([
        [owner.id, 'owner'],
        [admin.id, 'admin'],
        [editor.id, 'editor'],
        [viewer.id, 'viewer'],
      ]);
      expect(body.data[1]).toMatchObject({ email: admin.email, name: 'Admin', joinedAt: expect.any(String) });
      await call(stranger, 'get', `/api/lists/${list.id}/members`).expect(404);
    });

    it('an admin changes editors and viewers; only the owner grants or revokes admin', async () => {
      const list = await team();
      const lowered = await call(admin, 'patch', `/api/lists/${list.id}/members/${editor.id}`, { role: 'viewer' });
      expect(lowered.status).toBe(200);
      expect(lowered.body.data).toMatchObject({ userId: editor.id, role: 'viewer' });
      const grant = await call(admin, 'patch', `/api/lists/${list.id}/members/${viewer.id}`, { role: 'admin' });
      expectInsufficientRole(grant.body, 'owner');
      const revoke = await call(admin, 'patch', `/api/lists/${list.id}/members/${admin.id}`, { role: 'editor' });
      expectInsufficientRole(revoke.body, 'owner');
      await call(owner, 'patch', `/api/lists/${list.id}/members/${viewer.id}`, { role: 'admin' }).expect(200);
      await call(editor, 'patch', `/api/lists/${list.id}/members/${viewer.id}`, { role: 'viewer' }).expect(403);
      await call(owner, 'patch', `/api/lists/${list.id}/members/${owner.id}`, { role: 'admin' }).expect(409);
      await call(owner, 'patch', `/api/lists/${list.id}/members/${stranger.id}`, { role: 'viewer' }).expect(404);
      await call(owner, 'patch', `/api/lists/${list.id}/members/${viewer.id}`, { role: 'owner' }).expect(400);
    });

    it('a role change raises the version (members see roles)', async () => {
      const list = await team();
      const before = (await call(owner, 'get', `/api/lists/${list.id}`)).body.data.version;
      await call(owner, 'patch', `/api/lists/${list.id}/members/${viewer.id}`, { role: 'editor' }).expect(200);
      expect((await call(owner, 'get', `/api/lists/${list.id}`)).body.data.version).toBe(before + 1);
    });

    it('a viewer leaves, and is then a stranger to the list', async () => {
      const list = await team();
      await call(viewer, 'delete', `/api/lists/${list.id}/members/${viewer.id}`).expect(204);
      await call(viewer, 'get', `/api/lists/${list.id}`).expect(404);
      expect((await call(owner, 'get', `/api/lists/${list.id}`)).body.data.memberCount).toBe(3);
    });

    it('the owner cannot leave (409) nor be removed', async () => {
      const list = await team();
      const leave = await call(owner, 'delete', `/api/lists/${list.id}/members/${owner.id}`).expect(409);
      expect(leave.body.type).toBe('/problems/conflict');
      await call(admin, 'delete', `/api/lists/${list.id}/members/${owner.id}`).expect(409);
    });

    it('an admin removes lower roles only; an editor removes nobody', async () => {
      const list = await team();
      await call(editor, 'delete', `/api/lists/${list.id}/members/${viewer.id}`).expect(403);
      await call(admin, 'delete', `/api/lists/${list.id}/members/${viewer.id}`).expect(204);
      const other = await registerUser(app);
      await join(other, list.id, 'admin');
      expectInsufficientRole(
        (await call(admin, 'delete', `/api/lists/${list.id}/members/${other.id}`).expect(403)).body,
        'owner',
      );
      await call(owner, 'delete', `/api/lists/${list.id}/members/${other.id}`).expect(204);
      await call(owner, 'delete', `/api/lists/${list.id}/members/${stranger.id}`).expect(404);
    });

    it('a removed admin loses access and the invitations they made', async () => {
      const list = await team();
      const { token } = await invite(admin, list.id, 'editor');
      await call(owner, 'delete', `/api/lists/${list.id}/members/${admin.id}`).expect(204);
      await call(admin, 'get', `/api/lists/${list.id}`).expect(404);
      await call(admin, 'patch', `/api/lists/${list.id}`, { name: 'mine' }).expect(404);
      await call(admin, 'get', `/api/lists/${list.id}/invitations`).expect(404);
      await call(stranger, 'post', '/api/invitations/accept', { token }).expect(404);
    });

    it('an admin lowered to editor loses the invitations they made', async () => {
      const list = await team();
      const { token } = await invite(admin, list.id, 'viewer');
      await call(owner, 'patch', `/api/lists/${list.id}/members/${admin.id}`, { role: 'editor' }).expect(200);
      await call(admin, 'get', `/api/lists/${list.id}/invitations`).expect(403);
      await call(stranger, 'post', '/api/invitations/accept', { token }).expect(404);
    });
  });

  describe('POST /api/lists/{listId}/transfer', () => {
    it('hands the list to a member; the old owner becomes admin', async () => {
      const list = await team();
      const response = await call(owner, 'post', `/api/lists/${list.id}/transfer`, { userId: editor.id }).expect(200);
      expect(response.body.data).toMatchObject({ ownerId: editor.id, role: 'admin' });
      expect((await call(editor, 'get', `/api/lists/${list.id}`)).body.data.role).toBe('owner');
      expectInsufficientRole((await call(owner, 'delete', `/api/lists/${list.id}`).expect(403)).body, 'owner');
      await call(editor, 'delete', `/api/lists/${list.id}/members/${editor.id}`).expect(409);
    });

    it('is the owner’s alone, to a member only', async () => {
      const list = await team();
      expectInsufficientRole(
        (await call(admin, 'post', `/api/lists/${list.id}/transfer`, { userId: admin.id }).expect(403)).body,
        'owner',
      );
      const notMember = await call(owner, 'post', `/api/lists/${list.id}/transfer`, { userId: stranger.id });
      expect(notMember.status).toBe(400);
      expect(notMember.body.errors[0].field).toBe('userId');
      await call(owner, 'post', `/api/lists/${list.id}/transfer`, { userId: 'x' }).expect(400);
      await call(stranger, 'post', `/api/lists/${list.id}/transfer`, { userId: stranger.id }).expect(404);
    });
  });

  describe('invitations', () => {
    it('shows the token once, stores only its hash, and never lists it', async () => {
      const list = await createList(owner);
      const response = await call(owner, 'post', `/api/lists/${list.id}/invitations`, { role: 'editor' }).expect(201);
      const created = response.body.data;
      expect(created).toMatchObject({ role: 'editor', maxUses: 1, uses: 0, createdBy: owner.id });
      expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(response.headers.location).toBe(`/api/lists/${list.id}/invitations/${created.id}`);
      const hours = (Date.parse(created.expiresAt) - Date.now()) / 3_600_000;
      expect(hours).toBeGreaterThan(167.9);
      expect(hours).toBeLessThanOrEqual(168);
      const listed = (await call(owner, 'get', `/api/lists/${list.id}/invitations`).expect(200)).body.data;
      expect(listed).toHaveLength(1);
      expect(listed[0]).not.toHaveProperty('token');
      expect(JSON.stringify(listed)).not.toContain(created.token);
      const one = (await call(owner, 'get', `/api/lists/${list.id}/invitations/${created.id}`).expect(200)).body.data;
      expect(one).not.toHaveProperty('token');
    });

    it.each([
      [{ role: 'owner' }],
      [{ role: 'viewer', expiresInHours: 721 }],
      [{ role: 'viewer', expiresInHours: 0 }],
      [{ role: 'viewer', maxUses: 0 }],
      [{ role: 'viewer', maxUses: 1.5 }],
      [{ role: 'viewer', token: 'mine' }],
    ])('rejects %j (400)', async (body) => {
      const list = await createList(owner);
      await call(owner, 'post', `/api/lists/${list.id}/invitations`, body).expect(400);
    });

    it('needs admin+, and the owner for an admin invitation', async () => {
      const list = await team();
      expectInsufficientRole(
        (await call(editor, 'post', `/api/lists/${list.id}/invitations`, { role: 'viewer' }).expect(403)).body,
        'admin',
      );
      expectInsufficientRole(
        (await call(admin, 'post', `/api/lists/${list.id}/invitations`, { role: 'admin' }).expect(403)).body,
        'owner',
      );
      await call(admin, 'post', `/api/lists/${list.id}/invitations`, { role: 'editor' }).expect(201);
      await call(stranger, 'post', `/api/lists/${list.id}/invitations`, { role: 'viewer' }).expect(404);
      await call(viewer, 'get', `/api/lists/${list.id}/invitations`).expect(403);
      await call(stranger, 'get', `/api/lists/${list.id}/invitations`).expect(404);
    });

    it('accepting joins with the invitation’s role; a used-up token is 404', async () => {
      const list = await createList(owner);
      const { token } = await invite(owner, list.id, 'editor');
      const joined = await call(editor, 'post', '/api/invitations/accept', { token }).expect(200);
      expect(joined.body.data).toMatchObject({ id: list.id, role: 'editor', memberCount: 2 });
      const again = await call(stranger, 'post', '/api/invitations/accept', { token }).expect(404);
      expect(again.body.type).toBe('/problems/not-found');
    });

    it('counts uses up to maxUses', async () => {
      const list = await createList(owner);
      const { token, id } = await invite(owner, list.id, 'viewer', { maxUses: 2 });
      await call(viewer, 'post', '/api/invitations/accept', { token }).expect(200);
      await call(editor, 'post', '/api/invitations/accept', { token }).expect(200);
      await call(stranger, 'post', '/api/invitations/accept', { token }).expect(404);
      expect((await call(owner, 'get', `/api/lists/${list.id}/invitations/${id}`)).body.data.uses).toBe(2);
    });

    it('a member keeps the higher of the two roles', async () => {
      const list = await team();
      const { token } = await invite(owner, list.id, 'viewer');
      const kept = await call(editor, 'post', '/api/invitations/accept', { token }).expect(200);
      expect(kept.body.data.role).toBe('editor');
      const { token: higher } = await invite(owner, list.id, 'admin');
      expect(
        (await call(viewer, 'post', '/api/invitations/accept', { token: higher }).expect(200)).body.data.role,
      ).toBe('admin');
    });

    it.each([
      ['malformed', 'not a token'],
      ['unknown', randomBytes(32).toString('base64url')],
      ['empty', ''],
      ['huge', 'a'.repeat(5000)],
    ])('a %s token is 404', async (_, token) => {
      await call(stranger, 'post', '/api/invitations/accept', { token }).expect(404);
    });

    it('a token that is not a string is 400; without a token 401', async () => {
      await call(stranger, 'post', '/api/invitations/accept', { token: 5 }).expect(400);
      await call(undefined, 'post', '/api/invitations/accept', { token: 'x' }).expect(401);
    });

    it('a revoked invitation cannot be accepted, and is gone', async () => {
      const list = await createList(owner);
      const { token, id } = await invite(owner, list.id, 'viewer');
      await call(owner, 'delete', `/api/lists/${list.id}/invitations/${id}`).expect(204);
      await call(owner, 'get', `/api/lists/${list.id}/invitations/${id}`).expect(404);
      await call(owner, 'delete', `/api/lists/${list.id}/invitations/${id}`).expect(404);
      await call(stranger, 'post', '/api/invitations/accept', { token }).expect(404);
    });

    it('another list’s invitation is 404 under this list', async () => {
      const mine = await createList(owner);
      const theirs = await createList(stranger);
      const { id } = await invite(stranger, theirs.id, 'viewer');
      await call(owner, 'get', `/api/lists/${mine.id}/invitations/${id}`).expect(404);
      await call(owner, 'delete', `/api/lists/${mine.id}/invitations/${id}`).expect(404);
      await call(owner, 'get', `/api/lists/${mine.id}/invitations/nope`).expect(400);
    });
  });

  describe('account deletion', () => {
    const taskIn = async (listId: string, creator: TestUser, assignee: TestUser | null) => {
      const [task] = await app.get(DataSource).query<{ id: string }[]>(
        `INSERT INTO tasks (user_id, list_id, created_by, assignee_id, title) VALUES ($1, $2, $1, $3, 'shared')
         RETURNING id`,
        [creator.id, listId, assignee?.id ?? null],
      );
      return task.id;
    };
    const taskRow = async (id: string) =>
      (
        await app
          .get(DataSource)
          .query<{ assignee_id: string | null; version: number; list_id: string }[]>(
            `SELECT assignee_id, version, list_id FROM tasks WHERE id = $1`,
            [id],
          )
      )[0];

    it('hands a shared list to its earliest-joined admin; the leaver’s tasks stay', async () => {
      const leaving = await registerUser(app);
      const [first, second, anEditor] = await Promise.all([1, 2, 3].map(() => registerUser(app)));
      const list = await createList(leaving);
      await join(anEditor, list.id, 'editor', leaving);
      await join(first, list.id, 'admin', leaving);
      await join(second, list.id, 'admin', leaving);
      const created = await taskIn(list.id, leaving, null);
      const assigned = await taskIn(list.id, first, leaving);
      const before = (await call(first, 'get', `/api/lists/${list.id}`)).body.data.version;

      await call(leaving, 'delete', '/api/users/me').expect(204);

      const after = (await call(first, 'get', `/api/lists/${list.id}`).expect(200)).body.data;
      expect(after).toMatchObject({ ownerId: first.id, role: 'owner', memberCount: 3 });
      expect(after.version).toBeGreaterThan(before);
      expect(await taskRow(created)).toMatchObject({ list_id: list.id });
      // Unassigning the leaver is the tasks module's deletion hook (its own tests); the task stays.
      expect(await taskRow(assigned)).toMatchObject({ list_id: list.id });
      expect((await call(second, 'get', `/api/lists/${list.id}`)).body.data.role).toBe('admin');
    });

    it('hands it to the earliest editor when there is no admin, and deletes it when there is neither', async () => {
      const leaving = await registerUser(app);
      const [anEditor, aViewer] = await Promise.all([1, 2].map(() => registerUser(app)));
      const toEditor = await createList(leaving);
      await join(aViewer, toEditor.id, 'viewer', leaving);
      await join(anEditor, toEditor.id, 'editor', leaving);
      const viewersOnly = await createList(leaving);
      await join(aViewer, viewersOnly.id, 'viewer', leaving);
      const gone = await taskIn(viewersOnly.id, aViewer, null);

      await call(leaving, 'delete', '/api/users/me').expect(204);

      expect((await call(anEditor, 'get', `/api/lists/${toEditor.id}`).expect(200)).body.data.role).toBe('owner');
      await call(aViewer, 'get', `/api/lists/${viewersOnly.id}`).expect(404);
      expect(await taskRow(gone)).toBeUndefined();
    });

    it('a member who deletes their account leaves the lists they joined', async () => {
      const list = await createList(owner);
      const leaving = await registerUser(app);
      await join(leaving, list.id, 'editor');
      const before = (await call(owner, 'get', `/api/lists/${list.id}`)).body.data;
      await call(leaving, 'delete', '/api/users/me').expect(204);
      const after = (await call(owner, 'get', `/api/lists/${list.id}`)).body.data;
      expect(after).toMatchObject({ memberCount: before.memberCount - 1, version: before.version + 1 });
    });
  });

  describe('concurrency', () => {
    it('concurrent acceptances of a single-use invitation admit one member', async () => {
      const list = await createList(owner);
      const { token } = await invite(owner, list.id, 'viewer');
      const users = await Promise.all([1, 2, 3, 4].map(() => registerUser(app)));
      const statuses = await Promise.all(
        users.map(async (user) => (await call(user, 'post', '/api/invitations/accept', { token })).status),
      );
      expect(statuses.sort()).toEqual([200, 404, 404, 404]);
      expect((await call(owner, 'get', `/api/lists/${list.id}`)).body.data.memberCount).toBe(2);
    });

    it('an acceptance racing the removal of the admin who invited never fails: joined, or 404', async () => {
      const list = await createList(owner);
      for (let round = 0; round < 8; round += 1) {
        const [inviter, guest] = await Promise.all([registerUser(app), registerUser(app)]);
        await join(inviter, list.id, 'admin');
        const { token } = await invite(inviter, list.id, 'viewer');
        const [accepted, removed] = await Promise.all([
          call(guest, 'post', '/api/invitations/accept', { token }),
          call(owner, 'delete', `/api/lists/${list.id}/members/${inviter.id}`),
        ]);
        expect(removed.status).toBe(204);
        expect([200, 404]).toContain(accepted.status);
      }
    });
  });
});

describe('List quotas (e2e)', () => {
  let app: INestApplication<App>;
  let owner: TestUser;

  beforeAll(async () => {
    app = await createTestApp({ LISTS_MAX_OWNED: '2', LISTS_MAX_MEMBERS: '2', LISTS_MAX_INVITATIONS: '1' });
    owner = await registerUser(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (user: TestUser, path: string, body: object) =>
    request(app.getHttpServer()).post(path).set(bearer(user)).send(body);

  it('lists owned (the default one counts), members and open invitations: 409 limit-reached', async () => {
    const list = (await post(owner, '/api/lists', { name: 'one' }).expect(201)).body.data;
    const tooMany = await post(owner, '/api/lists', { name: 'two' }).expect(409);
    expect(tooMany.body).toMatchObject({ type: '/problems/limit-reached', status: 409 });

    const { token } = (await post(owner, `/api/lists/${list.id}/invitations`, { role: 'viewer', maxUses: 5 })).body
      .data;
    const second = await post(owner, `/api/lists/${list.id}/invitations`, { role: 'viewer' }).expect(409);
    expect(second.body.type).toBe('/problems/limit-reached');

    await post(await registerUser(app), '/api/invitations/accept', { token }).expect(200);
    const full = await post(await registerUser(app), '/api/invitations/accept', { token }).expect(409);
    expect(full.body.type).toBe('/problems/limit-reached');
  });

  it('holds under concurrent creations: one more list, not five', async () => {
    const user = await registerUser(app);
    const statuses = await Promise.all(
      [1, 2, 3, 4, 5].map(async (i) => (await post(user, '/api/lists', { name: `race ${i}` })).status),
    );
    expect(statuses.sort()).toEqual([201, 409, 409, 409, 409]);
  });

  it('counts the new owner’s lists on a transfer', async () => {
    const from = await registerUser(app);
    const to = await registerUser(app);
    const list = (await post(from, '/api/lists', { name: 'given' }).expect(201)).body.data;
    const { token } = (await post(from, `/api/lists/${list.id}/invitations`, { role: 'editor' })).body.data;
    await post(to, '/api/invitations/accept', { token }).expect(200);
    await post(to, '/api/lists', { name: 'own' }).expect(201);
    const refused = await post(from, `/api/lists/${list.id}/transfer`, { userId: to.id }).expect(409);
    expect(refused.body.type).toBe('/problems/limit-reached');
  });
});
