import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { DataSource } from 'typeorm';
import { bearer, registerUser, type TestUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

type Method = 'get' | 'post' | 'patch' | 'delete';
type ListRoleName = 'owner' | 'admin' | 'editor' | 'viewer';

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

  const createListWith = async (body: object) =>
    (await call(owner, 'post', '/api/lists', body).expect(201)).body.data as Record<string, any>;

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

    it('an expired invitation is 404 to accept, and still listed (its expiresAt says why)', async () => {
      const list = await createList(owner);
      const { token, id } = await invite(owner, list.id, 'viewer');
      await app
        .get(DataSource)
        .query(`UPDATE list_invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
      await call(stranger, 'post', '/api/invitations/accept', { token }).expect(404);
      const listed = (await call(owner, 'get', `/api/lists/${list.id}/invitations`).expect(200)).body.data;
      expect(listed.map((invitation: { id: string }) => invitation.id)).toEqual([id]);
    });

    it('an admin who leaves loses the invitations they made; joining and leaving raise the version', async () => {
      const list = await createList(owner);
      const leaver = await registerUser(app);
      const v1 = (await call(owner, 'get', `/api/lists/${list.id}`)).body.data.version;
      await join(leaver, list.id, 'admin');
      const v2 = (await call(owner, 'get', `/api/lists/${list.id}`)).body.data;
      expect(v2).toMatchObject({ version: v1 + 1, memberCount: 2 });
      const { token } = await invite(leaver, list.id, 'viewer');
      await call(leaver, 'delete', `/api/lists/${list.id}/members/${leaver.id}`).expect(204);
      expect((await call(owner, 'get', `/api/lists/${list.id}`)).body.data).toMatchObject({
        version: v2.version + 1,
        memberCount: 1,
      });
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

  describe('roles matrix', () => {
    type Who = 'owner' | 'admin' | 'editor' | 'viewer' | 'stranger' | 'exMember' | 'removedAdmin';
    const WHO: Who[] = ['owner', 'admin', 'editor', 'viewer', 'stranger', 'exMember', 'removedAdmin'];
    let list: Record<string, any>;
    let users: Record<Who, TestUser>;
    let invitationId: string;

    beforeAll(async () => {
      list = await team();
      const [exMember, removedAdmin] = await Promise.all([registerUser(app), registerUser(app)]);
      await join(exMember, list.id, 'editor');
      await call(exMember, 'delete', `/api/lists/${list.id}/members/${exMember.id}`).expect(204);
      await join(removedAdmin, list.id, 'admin');
      await call(owner, 'delete', `/api/lists/${list.id}/members/${removedAdmin.id}`).expect(204);
      users = { owner, admin, editor, viewer, stranger, exMember, removedAdmin };
      invitationId = (await invite(owner, list.id, 'viewer')).id;
    });

    /** Each route with the lowest role that may use it, and what that role gets (a harmless request). */
    const routes: [string, ListRoleName, (as: TestUser) => request.Test, number][] = [
      ['GET list', 'viewer', (as) => call(as, 'get', `/api/lists/${list.id}`), 200],
      ['PATCH list', 'admin', (as) => call(as, 'patch', `/api/lists/${list.id}`, { name: 'Team' }), 200],
      // A stale If-Match: the role check passes first, then 412 (nothing is deleted).
      ['DELETE list', 'owner', (as) => call(as, 'delete', `/api/lists/${list.id}`).set('If-Match', '"0"'), 412],
      ['GET members', 'viewer', (as) => call(as, 'get', `/api/lists/${list.id}/members`), 200],
      [
        'PATCH member',
        'admin',
        (as) => call(as, 'patch', `/api/lists/${list.id}/members/${viewer.id}`, { role: 'viewer' }),
        200,
      ],
      // No such member: past the role check, 404.
      ['DELETE member', 'admin', (as) => call(as, 'delete', `/api/lists/${list.id}/members/${randomUUID()}`), 404],
      // The owner hands the list to themself: nothing changes.
      ['POST transfer', 'owner', (as) => call(as, 'post', `/api/lists/${list.id}/transfer`, { userId: as.id }), 200],
      [
        'POST invitation',
        'admin',
        (as) => call(as, 'post', `/api/lists/${list.id}/invitations`, { role: 'viewer' }),
        201,
      ],
      ['GET invitations', 'admin', (as) => call(as, 'get', `/api/lists/${list.id}/invitations`), 200],
      ['GET invitation', 'admin', (as) => call(as, 'get', `/api/lists/${list.id}/invitations/${invitationId}`), 200],
      // No such invitation: past the role check, 404.
      [
        'DELETE invitation',
        'admin',
        (as) => call(as, 'delete', `/api/lists/${list.id}/invitations/${randomUUID()}`),
        404,
      ],
    ];
    const RANK: Record<ListRoleName, number> = { owner: 4, admin: 3, editor: 2, viewer: 1 };

    it.each(routes)('%s needs %s', async (_, required, send, success) => {
      for (const who of WHO) {
        const response = await send(users[who]);
        const role = who in RANK ? (who as ListRoleName) : undefined;
        const expected = role === undefined ? 404 : RANK[role] >= RANK[required] ? success : 403;
        expect({ who, status: response.status }).toEqual({ who, status: expected });
        if (expected === 403) expectInsufficientRole(response.body, required);
      }
    });
  });

  describe('order of checks on every list route with a body', () => {
    const bodyRoutes: [string, 'patch' | 'post', (listId: string, userId: string) => string, object][] = [
      ['PATCH list', 'patch', (listId) => `/api/lists/${listId}`, { name: 5 }],
      ['PATCH member', 'patch', (listId, userId) => `/api/lists/${listId}/members/${userId}`, { role: 'boss' }],
      ['POST transfer', 'post', (listId) => `/api/lists/${listId}/transfer`, { userId: 42 }],
      ['POST invitation', 'post', (listId) => `/api/lists/${listId}/invitations`, { role: 'owner' }],
    ];

    it.each(bodyRoutes)(
      '%s: 401, 400 path, 404 not a member, 403 role, then the body',
      async (_, method, path, bad) => {
        const list = await team();
        await call(undefined, method, path('nope', 'nope'), bad).expect(401);
        const malformed = await call(stranger, method, path('nope', viewer.id), bad).expect(400);
        expect(malformed.body.errors.map((error: { field: string }) => error.field)).toEqual(['listId']);
        await call(stranger, method, path(list.id, viewer.id), bad).expect(404);
        expectInsufficientRole(
          (await call(viewer, method, path(list.id, viewer.id), bad).expect(403)).body,
          expect.any(String) as never,
        );
        const body = await call(owner, method, path(list.id, viewer.id), bad).expect(400);
        expect(body.body.type).toBe('/problems/validation-error');
        // Not JSON at all: the same order.
        await request(app.getHttpServer())
          [method](path(list.id, viewer.id))
          .set(bearer(stranger))
          .set('Content-Type', 'application/json')
          .send('{"name":')
          .expect(404);
      },
    );

    it('a malformed member id is a 400 on userId after the list id; unknown fields are 400', async () => {
      const list = await team();
      const malformed = await call(owner, 'patch', `/api/lists/${list.id}/members/nope`, { role: 'viewer' }).expect(
        400,
      );
      expect(malformed.body.errors[0].field).toBe('userId');
      await call(owner, 'delete', `/api/lists/${list.id}/members/nope`).expect(400);
      const unknown = await call(owner, 'patch', `/api/lists/${list.id}`, { name: 'x', version: 9 }).expect(400);
      expect(unknown.body.errors[0].field).toBe('version');
      await call(owner, 'delete', `/api/lists/${list.id}`, { force: true }).expect(400);
      await call(stranger, 'delete', `/api/lists/${list.id}`, { force: true }).expect(404);
    });

    it('an If-Match that is not a list of quoted tags is a 400 after the role check; a weak tag is 412', async () => {
      const list = await team();
      await call(editor, 'patch', `/api/lists/${list.id}`, { name: 'x' }).set('If-Match', '2').expect(403);
      const bad = await call(owner, 'patch', `/api/lists/${list.id}`, { name: 'x' }).set('If-Match', '2').expect(400);
      expect(bad.body.errors[0].field).toBe('If-Match');
      await call(owner, 'patch', `/api/lists/${list.id}`, { name: 'x' }).set('If-Match', 'W/"1"').expect(412);
      await call(owner, 'patch', `/api/lists/${list.id}`, { name: 'x' }).set('If-Match', '*').expect(200);
    });
  });

  describe('hostile input', () => {
    it.each([
      ['a number for name', { name: 5 }],
      ['an array for name', { name: ['a'] }],
      ['an object for name', { name: { toString: 'x' } }],
      ['null for name', { name: null }],
      ['a name of 10,000 characters', { name: 'x'.repeat(10_000) }],
      ['a name of 101 emoji', { name: '😀'.repeat(101) }],
      ['a number for color', { name: 'ok', color: 123 }],
      ['the short form #fff', { name: 'ok', color: '#fff' }],
      ['non-hex digits', { name: 'ok', color: '#gggggg' }],
      ['a colour name', { name: 'ok', color: 'red' }],
      ['a trailing space', { name: 'ok', color: '#3b82f6 ' }],
      ['rgb()', { name: 'ok', color: 'rgb(1,2,3)' }],
      ['a trailing newline', { name: 'ok', color: '#3b82f6\n' }],
      ['a version', { name: 'ok', version: 3 }],
    ])('POST /api/lists with %s is a 400', async (_, body) => {
      const response = await call(owner, 'post', '/api/lists', body).expect(400);
      expect(response.body.type).toBe('/problems/validation-error');
    });

    it.each([
      ['a NUL character', 'a\u0000b'],
      ['a lone surrogate', 'a\ud800b'],
      ['right-to-left override', '\u202egnp.exe'],
      ['zero-width characters', 'a\u200b\u200d'],
      ['combining marks', 'e\u0301'.repeat(50)],
    ])('a name with %s is stored or refused, never a 500', async (_, name) => {
      const response = await call(owner, 'post', '/api/lists', { name });
      expect([201, 400]).toContain(response.status);
      if (response.status === 201) {
        const stored = (await call(owner, 'get', `/api/lists/${response.body.data.id}`).expect(200)).body.data.name;
        expect(typeof stored).toBe('string');
      }
    });

    it.each([
      [
        'PATCH',
        '',
        [{}, { name: null }, { name: 7 }, { name: ' ' }, { color: '#fff' }, { color: 5 }, { isDefault: false }],
      ],
      [
        'PATCH',
        '/members/{member}',
        [{}, { role: null }, { role: 3 }, { role: 'owner' }, { role: 'viewer', userId: 'x' }],
      ],
      ['POST', '/transfer', [{}, { userId: null }, { userId: 'x' }, { userId: 12 }, { userId: ['a'] }]],
    ])(
      '%s /api/lists/{listId}%s refuses every wrong body with a 400, the list unchanged',
      async (method, suffix, bodies) => {
        const list = await team();
        const path = `/api/lists/${list.id}${suffix.replace('{member}', viewer.id)}`;
        for (const body of bodies as object[]) {
          const response = await call(owner, method.toLowerCase() as Method, path, body);
          expect({ body, status: response.status }).toEqual({ body, status: 400 });
        }
        const after = (await call(owner, 'get', `/api/lists/${list.id}`)).body.data;
        expect(after).toMatchObject({ name: 'Shared', ownerId: owner.id, version: list.version + 3 });
      },
    );

    it('a "__proto__" field is an unknown field (400), never a way to set isDefault', async () => {
      const response = await request(app.getHttpServer())
        .post('/api/lists')
        .set(bearer(owner))
        .set('Content-Type', 'application/json')
        .send('{"name":"ok","__proto__":{"isDefault":true}}');
      expect(response.status).toBe(400);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual(['__proto__']);
    });

    it('a colour is stored in lower case, and null or absent means none', async () => {
      expect((await createListWith({ name: 'c', color: '#ABCDEF' })).color).toBe('#abcdef');
      expect((await createListWith({ name: 'c', color: null })).color).toBeNull();
      expect((await createListWith({ name: 'c' })).color).toBeNull();
    });

    it.each([
      [{ role: 5 }],
      [{ role: 'Viewer' }],
      [{ role: 'viewer', expiresInHours: '5' }],
      [{ role: 'viewer', expiresInHours: 1e10 }],
      [{ role: 'viewer', maxUses: -1 }],
      [{ role: 'viewer', maxUses: 1001 }],
      [{ role: 'viewer', maxUses: '2' }],
      [{ role: ['viewer'] }],
    ])('POST invitations %j is a 400', async (body) => {
      const list = await createList(owner);
      await call(owner, 'post', `/api/lists/${list.id}/invitations`, body).expect(400);
    });

    it.each([[{ token: null }], [{ token: ['x'] }], [{ token: {} }], [{}], [{ token: 'x', role: 'owner' }]])(
      'accept %j is a 400',
      async (body) => {
        await call(stranger, 'post', '/api/invitations/accept', body).expect(400);
      },
    );

    it.each(['limit=-1', 'limit=1.5', 'limit=1e3', `cursor=${'a'.repeat(2000)}`, 'limit=2&limit=3'])(
      'GET /api/lists?%s is a 400',
      async (query) => {
        await call(owner, 'get', `/api/lists?${query}`).expect(400);
      },
    );

    it('another user’s ids: their list, their member, their invitation are 404 or 400, never theirs to touch', async () => {
      const mine = await createList(owner);
      const theirs = await team();
      const outsider = await registerUser(app);
      const outsiders = await createList(outsider);
      const { id: theirInvitation } = await invite(outsider, outsiders.id, 'viewer');
      // A member of another list is no member of mine.
      await call(owner, 'patch', `/api/lists/${mine.id}/members/${viewer.id}`, { role: 'editor' }).expect(404);
      await call(owner, 'delete', `/api/lists/${mine.id}/members/${viewer.id}`).expect(404);
      const transfer = await call(owner, 'post', `/api/lists/${mine.id}/transfer`, { userId: outsider.id }).expect(400);
      expect(transfer.body.errors[0].field).toBe('userId');
      await call(owner, 'get', `/api/lists/${mine.id}/invitations/${theirInvitation}`).expect(404);
      await call(owner, 'get', `/api/lists/${outsiders.id}/invitations/${theirInvitation}`).expect(404);
      await call(outsider, 'delete', `/api/lists/${theirs.id}/members/${viewer.id}`).expect(404);
      await call(outsider, 'get', `/api/lists/${theirs.id}/members`).expect(404);
      expect((await call(viewer, 'get', `/api/lists/${theirs.id}`)).body.data.memberCount).toBe(4);
    });

    it('a cursor made for another user reveals nothing of theirs', async () => {
      const other = await registerUser(app);
      for (const name of ['p', 'q', 'r']) await createList(other, name);
      const page = (await call(other, 'get', '/api/lists?limit=1').expect(200)).body.meta.nextCursor as string;
      const mine = (await call(stranger, 'get', `/api/lists?cursor=${page}`).expect(200)).body.data;
      for (const list of mine) expect(list.ownerId === other.id).toBe(false);
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

    it('hands a shared list to its earliest-joined admin; the leaver’s tasks stay, unassigned', async () => {
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
      // The tasks module's deletion hook unassigns the leaver, with a new version; the task stays.
      expect(await taskRow(assigned)).toMatchObject({ list_id: list.id, assignee_id: null, version: 2 });
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

    it('concurrent acceptances of an invitation with maxUses 3 admit exactly three', async () => {
      const list = await createList(owner);
      const { token, id } = await invite(owner, list.id, 'editor', { maxUses: 3 });
      const users = await Promise.all([1, 2, 3, 4, 5, 6, 7].map(() => registerUser(app)));
      const statuses = await Promise.all(
        users.map(async (user) => (await call(user, 'post', '/api/invitations/accept', { token })).status),
      );
      expect(statuses.sort()).toEqual([200, 200, 200, 404, 404, 404, 404]);
      expect((await call(owner, 'get', `/api/lists/${list.id}`)).body.data).toMatchObject({ memberCount: 4 });
      expect((await call(owner, 'get', `/api/lists/${list.id}/invitations/${id}`)).body.data.uses).toBe(3);
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

  it('holds the member quota under concurrent acceptances: one joins a list of one, not four', async () => {
    const host = await registerUser(app);
    const list = (await post(host, '/api/lists', { name: 'crowded' }).expect(201)).body.data;
    const { token } = (await post(host, `/api/lists/${list.id}/invitations`, { role: 'viewer', maxUses: 10 })).body
      .data;
    const guests = await Promise.all([1, 2, 3, 4].map(() => registerUser(app)));
    const statuses = await Promise.all(
      guests.map(async (guest) => (await post(guest, '/api/invitations/accept', { token })).status),
    );
    expect(statuses.sort()).toEqual([200, 409, 409, 409]);
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
