import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { SqlRunner } from '../../src/database/sql-runner.js';
import { bearer, registerUser, type TestUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface Change {
  entity: string;
  op: string;
  id: string;
  listId: string;
  version: number;
  data?: Record<string, any>;
  reason?: string;
}

/** A recorded change as the log holds it: with its webhook event type and actor. */
interface Logged {
  entity: string;
  op: string;
  id: string;
  version: number;
  type: string;
  reason: string | null;
  actorId: string | null;
  data: Record<string, any> | null;
}

/**
 * The change log fed by the real routes: every task and list write records its change, in its
 * transaction, and the feed (`GET /api/changes`) shows it to the members who can see it.
 */
describe('Changes recorded by the task and list routes (e2e)', () => {
  let app: INestApplication<App>;
  let sql: SqlRunner;

  const call = (user: TestUser, method: Method, path: string, body?: unknown) => {
    const req = request(app.getHttpServer())[method](path).set(bearer(user));
    return body === undefined ? req : req.send(body as object);
  };

  const createList = async (user: TestUser, name = 'Shared') =>
    (await call(user, 'post', '/api/lists', { name }).expect(201)).body.data as { id: string; version: number };

  const join = async (user: TestUser, listId: string, role: string, by: TestUser) => {
    const { token } = (await call(by, 'post', `/api/lists/${listId}/invitations`, { role }).expect(201)).body.data;
    await call(user, 'post', '/api/invitations/accept', { token }).expect(200);
  };

  const createTask = async (user: TestUser, listId: string, title: string) =>
    (await call(user, 'post', `/api/lists/${listId}/tasks`, { title }).expect(201)).body.data as {
      id: string;
      version: number;
    };

  /** Every change after `cursor` (everything the caller sees, without one), and the cursor after them. */
  const drain = async (user: TestUser, cursor?: string) => {
    const changes: Change[] = [];
    for (;;) {
      const response = await request(app.getHttpServer())
        .get('/api/changes')
        .query(cursor === undefined ? {} : { cursor })
        .set(bearer(user))
        .expect(200);
      changes.push(...response.body.data);
      cursor = response.body.meta.cursor as string;
      if (!response.body.meta.hasMore) return { changes, cursor };
    }
  };

  /** What the log holds for the list after `afterSeq`, in order. */
  const logged = (listId: string, afterSeq = 0) =>
    sql.query<Logged & { seq: string }>(
      `SELECT seq, entity, op, entity_id AS id, version, type, reason, actor_id AS "actorId", data
         FROM changes WHERE list_id = $1 AND seq > $2 ORDER BY seq`,
      [listId, afterSeq],
    );

  const lastSeq = async (listId: string) =>
    Number(
      (await sql.query<{ seq: string }>(`SELECT change_seq AS seq FROM list_counters WHERE list_id = $1`, [listId]))[0]
        ?.seq ?? 0,
    );

  beforeAll(async () => {
    app = await createTestApp({ MAX_TASKS_PER_LIST: '4' });
    sql = app.get(SqlRunner);
  });

  afterAll(async () => {
    await app.close();
  });

  describe('tasks', () => {
    it('records create, edit, complete, reopen, toggle, replace and delete on /api/tasks, each with its type', async () => {
      const owner = await registerUser(app);
      const list = await createList(owner);
      const start = await drain(owner);
      const before = await lastSeq(list.id);

      const task = (await call(owner, 'post', '/api/tasks', { title: 'a', listId: list.id }).expect(201)).body.data;
      await call(owner, 'patch', `/api/tasks/${task.id}`, { title: 'b' }).expect(200);
      await call(owner, 'patch', `/api/tasks/${task.id}`, { completed: true }).expect(200);
      await call(owner, 'patch', `/api/tasks/${task.id}`, { completed: true }).expect(200); // already: an edit
      await call(owner, 'patch', `/api/tasks/${task.id}/complete`, { completed: false }).expect(200);
      await call(owner, 'patch', `/api/tasks/${task.id}`, { completed: false }).expect(200); // already: an edit
      await call(owner, 'post', `/api/tasks/${task.id}/toggle`).expect(200);
      const replaced = (await call(owner, 'put', `/api/tasks/${task.id}`, { title: 'c' }).expect(200)).body.data;
      await call(owner, 'delete', `/api/tasks/${task.id}`).expect(204);

      const log = await logged(list.id, before);
      expect(log.map((change) => change.type)).toEqual([
        'task.created',
        'task.updated',
        'task.completed',
        'task.updated',
        'task.reopened',
        'task.updated',
        'task.completed',
        'task.reopened', // PUT without `completed` returns it to its default
        'task.deleted',
      ]);
      expect(log.map((change) => change.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 8]);
      expect(log.every((change) => change.actorId === owner.id && change.id === task.id)).toBe(true);
      expect(log[7].data).toEqual(replaced);

      const feed = await drain(owner, start.cursor);
      expect(feed.changes.map((change) => [change.op, change.version, change.data?.title])).toEqual([
        ['upsert', 1, 'a'],
        ['upsert', 2, 'b'],
        ['upsert', 3, 'b'],
        ['upsert', 4, 'b'],
        ['upsert', 5, 'b'],
        ['upsert', 6, 'b'],
        ['upsert', 7, 'b'],
        ['upsert', 8, 'c'],
        ['delete', 8, undefined],
      ]);
      expect(feed.changes.at(-1)).toEqual({
        entity: 'task',
        op: 'delete',
        id: task.id,
        listId: list.id,
        version: 8,
        reason: 'deleted',
      });
    });

    it('records one change per task for complete-all and clear-completed under /api/lists/{listId}/tasks', async () => {
      const owner = await registerUser(app);
      const list = await createList(owner);
      const tasks = [await createTask(owner, list.id, 'x'), await createTask(owner, list.id, 'y')];
      const before = await lastSeq(list.id);
      const completed = await call(owner, 'post', `/api/lists/${list.id}/tasks/complete-all`, { completed: true });
      expect(completed.status).toBe(200);
      await call(owner, 'delete', `/api/lists/${list.id}/tasks/completed`).expect(200);

      const log = await logged(list.id, before);
      expect(log.map((change) => [change.type, change.op])).toEqual([
        ['task.completed', 'upsert'],
        ['task.completed', 'upsert'],
        ['task.deleted', 'delete'],
        ['task.deleted', 'delete'],
      ]);
      const ids = tasks.map((task) => task.id).sort();
      expect(
        log
          .slice(0, 2)
          .map((change) => change.id)
          .sort(),
      ).toEqual(ids);
      expect(
        log
          .slice(2)
          .map((change) => change.id)
          .sort(),
      ).toEqual(ids);
      expect(log.slice(0, 2).every((change) => change.data?.completed === true && change.version === 2)).toBe(true);
      expect(log.slice(2).every((change) => change.reason === 'deleted' && change.version === 2)).toBe(true);
    });

    it('records a keyed create once, not its replay', async () => {
      const owner = await registerUser(app);
      const list = await createList(owner);
      const before = await lastSeq(list.id);
      const send = () =>
        call(owner, 'post', `/api/lists/${list.id}/tasks`, { title: 'once' }).set('Idempotency-Key', 'key-1');
      const first = await send().expect(201);
      await send().expect(201);
      const log = await logged(list.id, before);
      expect(log.map((change) => [change.type, change.id])).toEqual([['task.created', first.body.data.id]]);
    });

    it('a move is a delete (moved) in the old list and a create in the new one; a reader of the old only sees it go', async () => {
      const [owner, reader] = [await registerUser(app), await registerUser(app)];
      const [from, to] = [await createList(owner, 'From'), await createList(owner, 'To')];
      await join(reader, from.id, 'viewer', owner);
      const task = await createTask(owner, from.id, 'travelling');
      const [ownerStart, readerStart] = [await drain(owner), await drain(reader)];

      const moved = (await call(owner, 'patch', `/api/tasks/${task.id}`, { listId: to.id }).expect(200)).body.data;
      expect(moved.version).toBe(2);

      expect((await drain(reader, readerStart.cursor)).changes).toEqual([
        { entity: 'task', op: 'delete', id: task.id, listId: from.id, version: 2, reason: 'moved' },
      ]);
      const seen = (await drain(owner, ownerStart.cursor)).changes;
      expect(seen).toEqual(
        expect.arrayContaining([
          { entity: 'task', op: 'delete', id: task.id, listId: from.id, version: 2, reason: 'moved' },
          { entity: 'task', op: 'upsert', id: task.id, listId: to.id, version: 2, data: moved },
        ]),
      );
      expect(seen).toHaveLength(2);
      expect((await logged(to.id)).map((change) => change.type)).toEqual(['task.created']);
    });
  });

  describe('lists and members', () => {
    it('joining puts the list, its members and tasks in the joiner’s feed; the others see member.added', async () => {
      const [owner, joiner] = [await registerUser(app, 'Owner'), await registerUser(app, 'Joiner')];
      const list = await createList(owner, 'Team');
      const task = await createTask(owner, list.id, 'shared work');
      const [ownerStart, joinerStart] = [await drain(owner), await drain(joiner)];
      const before = await lastSeq(list.id);

      await join(joiner, list.id, 'editor', owner);

      const joined = (await drain(joiner, joinerStart.cursor)).changes.filter((change) => change.listId === list.id);
      expect(joined.find((change) => change.entity === 'list')?.data).toMatchObject({
        name: 'Team',
        role: 'editor',
        memberCount: 2,
      });
      expect(
        joined
          .filter((change) => change.entity === 'member')
          .map((change) => change.id)
          .sort(),
      ).toEqual([owner.id, joiner.id].sort());
      expect(joined.filter((change) => change.entity === 'task').map((change) => change.id)).toEqual([task.id]);

      const ownerSees = (await drain(owner, ownerStart.cursor)).changes;
      expect(ownerSees).toEqual([
        expect.objectContaining({
          entity: 'member',
          op: 'upsert',
          id: joiner.id,
          data: expect.objectContaining({ userId: joiner.id, role: 'editor', name: 'Joiner' }),
        }),
        expect.objectContaining({
          entity: 'list',
          op: 'upsert',
          data: expect.objectContaining({ memberCount: 2, role: 'owner' }),
        }),
      ]);
      expect((await logged(list.id, before)).map((change) => [change.type, change.actorId])).toEqual([
        ['member.added', joiner.id],
        ['list.updated', joiner.id],
      ]);
    });

    it('records renames, role changes, transfers, removals and leaving; a removed member gets access_revoked once', async () => {
      const [owner, admin, editor] = [await registerUser(app), await registerUser(app), await registerUser(app)];
      const list = await createList(owner, 'Before');
      await join(admin, list.id, 'admin', owner);
      await join(editor, list.id, 'editor', owner);
      const editorStart = await drain(editor);
      const before = await lastSeq(list.id);

      const renamed = await call(owner, 'patch', `/api/lists/${list.id}`, { name: 'After', color: '#00aa11' }).expect(
        200,
      );
      await call(owner, 'patch', `/api/lists/${list.id}/members/${editor.id}`, { role: 'viewer' }).expect(200);
      await call(owner, 'post', `/api/lists/${list.id}/transfer`, { userId: admin.id }).expect(200);
      const editorMid = await drain(editor, editorStart.cursor);
      await call(admin, 'delete', `/api/lists/${list.id}/members/${editor.id}`).expect(204);
      await call(owner, 'delete', `/api/lists/${list.id}/members/${owner.id}`).expect(204); // leaves

      const log = await logged(list.id, before);
      expect(log.map((change) => [change.type, change.op, change.id])).toEqual([
        ['list.updated', 'upsert', list.id],
        ['member.role_changed', 'upsert', editor.id],
        ['list.updated', 'upsert', list.id],
        ['member.role_changed', 'upsert', admin.id],
        ['member.role_changed', 'upsert', owner.id],
        ['list.updated', 'upsert', list.id],
        ['member.removed', 'delete', editor.id],
        ['list.updated', 'upsert', list.id],
        ['member.removed', 'delete', owner.id],
        ['list.updated', 'upsert', list.id],
      ]);
      expect(log[0].data).toMatchObject({ name: 'After', color: '#00aa11', version: renamed.body.data.version });
      expect(log[0].data).not.toHaveProperty('role');
      expect(log[1].data).toMatchObject({ role: 'viewer' });
      expect(log[5].data).toMatchObject({ ownerId: admin.id });
      expect(log.at(-1)?.data).toMatchObject({ memberCount: 1, ownerId: admin.id });
      // Members' versions are the list's.
      expect(log[1].version).toBe(log[2].version);

      expect(editorMid.changes.map((change) => change.entity)).toEqual([
        'list',
        'member',
        'list',
        'member',
        'member',
        'list',
      ]);
      expect(editorMid.changes.at(-1)?.data).toMatchObject({ role: 'viewer', name: 'After' });
      const revoked = await drain(editor, editorMid.cursor);
      expect(revoked.changes).toEqual([
        { entity: 'list', op: 'delete', id: list.id, listId: list.id, version: 0, reason: 'access_revoked' },
      ]);
      await createTask(admin, list.id, 'after the removal');
      expect((await drain(editor, revoked.cursor)).changes).toEqual([]);
    });

    it('records list.deleted before the list goes', async () => {
      const owner = await registerUser(app);
      const list = await createList(owner);
      await createTask(owner, list.id, 'goes with it');
      const before = await lastSeq(list.id);
      await call(owner, 'delete', `/api/lists/${list.id}`).expect(204);
      expect(await logged(list.id, before)).toEqual([
        expect.objectContaining({ entity: 'list', op: 'delete', id: list.id, type: 'list.deleted', actorId: owner.id }),
      ]);
    });

    it('an account deletion hands its shared list on and unassigns its tasks, as changes without an actor', async () => {
      const [leaving, heir, other] = [await registerUser(app), await registerUser(app), await registerUser(app)];
      const owned = await createList(leaving, 'Handed on');
      await join(heir, owned.id, 'editor', leaving);
      const joined = await createList(other, 'Joined');
      await join(leaving, joined.id, 'editor', other);
      const assigned = (
        await call(other, 'post', `/api/lists/${joined.id}/tasks`, { title: 'theirs', assigneeId: leaving.id }).expect(
          201,
        )
      ).body.data;
      const [ownedBefore, joinedBefore] = [await lastSeq(owned.id), await lastSeq(joined.id)];

      await call(leaving, 'delete', '/api/users/me').expect(204);

      expect((await logged(owned.id, ownedBefore)).map((change) => [change.type, change.id, change.actorId])).toEqual([
        ['member.role_changed', heir.id, null],
        ['member.removed', leaving.id, null],
        ['list.updated', owned.id, null],
      ]);
      const joinedLog = await logged(joined.id, joinedBefore);
      expect(joinedLog.map((change) => [change.type, change.id, change.actorId]).sort()).toEqual(
        [
          ['task.updated', assigned.id, null],
          ['member.removed', leaving.id, null],
          ['list.updated', joined.id, null],
        ].sort(),
      );
      expect(joinedLog.find((change) => change.type === 'task.updated')?.data).toMatchObject({
        assigneeId: null,
        version: 2,
      });
    });
  });

  describe('a refused write records nothing', () => {
    it('412 on a stale If-Match, 409 past the list’s task quota, 403 for a viewer', async () => {
      const [owner, viewer] = [await registerUser(app), await registerUser(app)];
      const list = await createList(owner);
      await join(viewer, list.id, 'viewer', owner);
      const task = await createTask(owner, list.id, 'one');
      for (const title of ['two', 'three', 'four']) await createTask(owner, list.id, title);
      const before = await lastSeq(list.id);

      await call(owner, 'patch', `/api/tasks/${task.id}`, { title: 'x' }).set('If-Match', '"9"').expect(412);
      await call(owner, 'delete', `/api/tasks/${task.id}`).set('If-Match', '"9"').expect(412);
      await call(owner, 'patch', `/api/lists/${list.id}`, { name: 'x' }).set('If-Match', '"99"').expect(412);
      await call(owner, 'post', `/api/lists/${list.id}/tasks`, { title: 'five' }).expect(409);
      await call(owner, 'post', `/api/lists/${list.id}/tasks`, { title: 'five' })
        .set('Idempotency-Key', 'k')
        .expect(409);
      await call(viewer, 'patch', `/api/tasks/${task.id}`, { title: 'x' }).expect(403);
      await call(viewer, 'patch', `/api/lists/${list.id}/members/${owner.id}`, { role: 'viewer' }).expect(403);

      expect(await lastSeq(list.id)).toBe(before);
      expect(await logged(list.id, before)).toEqual([]);
    });
  });
});
