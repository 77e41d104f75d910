import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { CursorCodec, NIL_UUID } from '../../src/changes/change-cursor.js';
import { ChangesPurge } from '../../src/changes/changes-purge.js';
import { jwtConfig } from '../../src/config/jwt.config.js';
import { SqlRunner } from '../../src/database/sql-runner.js';
import { ChangeWrites, gate } from '../helpers/change-writes.js';
import { bearer, registerUser, type TestUser } from '../helpers/fixtures.js';
import { sleep } from '../helpers/http.js';
import { describeWhen } from '../helpers/describe-when.js';
import { createTestApp } from '../helpers/test-app.js';

const withServer = describeWhen(Boolean(process.env.TEST_DATABASE_URL), 'TEST_DATABASE_URL (a PostgreSQL server)');

interface Change {
  entity: string;
  op: string;
  id: string;
  listId: string;
  version: number;
  data?: Record<string, any>;
  reason?: string;
}

describe('GET /api/changes (e2e)', () => {
  let app: INestApplication<App>;
  let writes: ChangeWrites;
  const http = () => request(app.getHttpServer());

  const read = async (user: TestUser, cursor?: string, limit?: number) => {
    const response = await http()
      .get('/api/changes')
      .query({ ...(cursor !== undefined && { cursor }), ...(limit !== undefined && { limit }) })
      .set(bearer(user))
      .expect(200);
    return response.body as { data: Change[]; meta: { cursor: string; hasMore: boolean } };
  };

  /** Reads until `hasMore` is false: every change, and the cursor after them. */
  const drain = async (user: TestUser, cursor?: string, limit = 100) => {
    const changes: Change[] = [];
    for (;;) {
      const page = await read(user, cursor, limit);
      changes.push(...page.data);
      cursor = page.meta.cursor;
      if (!page.meta.hasMore) return { changes, cursor };
    }
  };

  beforeAll(async () => {
    app = await createTestApp();
    writes = new ChangeWrites(app);
  });

  afterAll(async () => {
    await app.close();
  });

  describe('refusals', () => {
    it('is 401 without a token', async () => {
      const response = await http().get('/api/changes').expect(401);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    });

    it.each([['0'], ['501'], ['abc'], ['1.5'], ['-1']])('is 400 for limit=%s', async (limit) => {
      const user = await registerUser(app);
      const response = await http().get('/api/changes').query({ limit }).set(bearer(user)).expect(400);
      expect(response.body.errors[0].field).toBe('limit');
    });

    it.each([['garbage'], ['AAAA'], ['!!!'], ['a'.repeat(5000)], ['a'.repeat(12_289)]])(
      'is 400 for a malformed cursor (%#)',
      async (cursor) => {
        const user = await registerUser(app);
        const response = await http().get('/api/changes').query({ cursor }).set(bearer(user)).expect(400);
        expect(response.body.type).toMatch(/validation-error$/);
      },
    );

    it('is 400 for another user’s cursor, and for an edited one', async () => {
      const [owner, stranger] = [await registerUser(app), await registerUser(app)];
      await writes.createList(owner.id);
      const { meta } = await read(owner);
      await http().get('/api/changes').query({ cursor: meta.cursor }).set(bearer(stranger)).expect(400);
      const bytes = Buffer.from(meta.cursor, 'base64url');
      bytes[12] ^= 1;
      await http()
        .get('/api/changes')
        .query({ cursor: bytes.toString('base64url') })
        .set(bearer(owner))
        .expect(400);
    });

    it('is 410 cursor-expired for a cursor older than the retention', async () => {
      const user = await registerUser(app);
      const codec = new CursorCodec(app.get<{ secret: string }>(jwtConfig.KEY).secret);
      const old = codec.encode(user.id, { completeAt: Date.now() - 31 * 86_400_000, lists: new Map() });
      const response = await http().get('/api/changes').query({ cursor: old }).set(bearer(user)).expect(410);
      expect(response.body.type).toMatch(/cursor-expired$/);
      expect(response.body.status).toBe(410);
      const fresh = codec.encode(user.id, { completeAt: Date.now() - 29 * 86_400_000, lists: new Map() });
      await http().get('/api/changes').query({ cursor: fresh }).set(bearer(user)).expect(200);
    });
  });

  describe('the first read and the changes after it', () => {
    it('starts with everything the caller sees, as upserts, then the changes', async () => {
      const owner = await registerUser(app);
      const listId = await writes.createList(owner.id, 'Groceries');
      const tasks = [];
      for (const title of ['milk', 'eggs', 'bread']) tasks.push(await writes.createTask(listId, owner.id, title));

      const first = await drain(owner);
      const list = first.changes.find((change) => change.entity === 'list');
      expect(list).toMatchObject({ op: 'upsert', id: listId, listId, data: { name: 'Groceries', role: 'owner' } });
      expect(first.changes.filter((change) => change.entity === 'member').map((change) => change.id)).toEqual([
        owner.id,
      ]);
      expect(
        first.changes
          .filter((change) => change.entity === 'task')
          .map((change) => change.id)
          .sort(),
      ).toEqual(tasks.map((task) => task.id).sort());
      expect(first.changes.find((change) => change.entity === 'task')?.data).toMatchObject({
        listId,
        completed: false,
      });

      // Nothing new: an empty page, same guarantee.
      const idle = await read(owner, first.cursor);
      expect(idle.data).toEqual([]);
      expect(idle.meta.hasMore).toBe(false);

      const added = await writes.createTask(listId, owner.id, 'butter');
      await writes.deleteTask(listId, tasks[0].id, owner.id);
      const next = await drain(owner, idle.meta.cursor);
      expect(next.changes).toEqual([
        {
          entity: 'task',
          op: 'upsert',
          id: added.id,
          listId,
          version: 1,
          data: expect.objectContaining({ title: 'butter' }),
        },
        { entity: 'task', op: 'delete', id: tasks[0].id, listId, version: 1, reason: 'deleted' },
      ]);
    });

    it('pages with any limit, losing nothing', async () => {
      const owner = await registerUser(app);
      const listId = await writes.createList(owner.id);
      const created = [];
      for (let i = 0; i < 7; i++) created.push((await writes.createTask(listId, owner.id, `t${i}`)).id);
      const snapshot = await drain(owner, undefined, 2);
      expect(
        snapshot.changes
          .filter((change) => change.entity === 'task')
          .map((change) => change.id)
          .sort(),
      ).toEqual([...created].sort());
      const more = [];
      for (let i = 0; i < 5; i++) more.push((await writes.createTask(listId, owner.id, `u${i}`)).id);
      const pages = [];
      let cursor = snapshot.cursor;
      for (;;) {
        const page = await read(owner, cursor, 2);
        expect(page.data.length).toBeLessThanOrEqual(2);
        pages.push(...page.data.map((change) => change.id));
        cursor = page.meta.cursor;
        if (!page.meta.hasMore) break;
      }
      expect(pages).toEqual(more);
    });

    it('never shows a list the caller is not a member of', async () => {
      const [owner, stranger] = [await registerUser(app), await registerUser(app)];
      const listId = await writes.createList(owner.id);
      await writes.createTask(listId, owner.id, 'secret');
      const { changes, cursor } = await drain(stranger);
      expect(changes).toEqual([]);
      await writes.createTask(listId, owner.id, 'still secret');
      expect((await drain(stranger, cursor)).changes).toEqual([]);
    });
  });

  describe('membership', () => {
    it('puts a joined list’s tasks and members into the joiner’s feed, and revokes it once on removal', async () => {
      const [owner, joiner] = [await registerUser(app), await registerUser(app)];
      const listId = await writes.createList(owner.id);
      const task = await writes.createTask(listId, owner.id, 'before joining');
      const start = await drain(joiner);
      expect(start.changes).toEqual([]);

      await writes.addMember(listId, joiner.id, 'viewer');
      const joined = await drain(joiner, start.cursor);
      expect(joined.changes.find((change) => change.entity === 'list')?.data).toMatchObject({ role: 'viewer' });
      expect(
        joined.changes
          .filter((change) => change.entity === 'member')
          .map((change) => change.id)
          .sort(),
      ).toEqual([owner.id, joiner.id].sort());
      expect(joined.changes.filter((change) => change.entity === 'task').map((change) => change.id)).toEqual([task.id]);

      const during = await writes.createTask(listId, owner.id, 'while a member');
      const seen = await drain(joiner, joined.cursor);
      expect(seen.changes.map((change) => change.id)).toEqual([during.id]);

      await writes.removeMember(listId, joiner.id);
      await writes.createTask(listId, owner.id, 'after removal');
      const removed = await drain(joiner, seen.cursor);
      expect(removed.changes).toEqual([
        { entity: 'list', op: 'delete', id: listId, listId, version: 0, reason: 'access_revoked' },
      ]);
      expect((await drain(joiner, removed.cursor)).changes).toEqual([]);
    });
  });

  // The embedded engine serves one connection: no two transactions overlap there.
  withServer('the guarantee', () => {
    it('gets a change whose transaction took its number first and committed last (two lists)', async () => {
      const owner = await registerUser(app);
      const [slow, fast] = [await writes.createList(owner.id), await writes.createList(owner.id)];
      const start = await drain(owner);

      const hold = gate();
      const recorded = gate();
      // A records first (in list `slow`) and holds its transaction open.
      const a = writes.createTask(slow, owner.id, 'A', async () => {
        recorded.open();
        await hold.opened;
      });
      await recorded.opened;
      // B records later (in list `fast`) and commits first; the reader moves past it.
      const b = await writes.createTask(fast, owner.id, 'B');
      const afterB = await drain(owner, start.cursor);
      expect(afterB.changes.map((change) => change.id)).toEqual([b.id]);

      hold.open();
      const taskA = await a;
      const afterA = await drain(owner, afterB.cursor);
      expect(afterA.changes.map((change) => change.id)).toEqual([taskA.id]);
    });

    it('orders the writers of one list by commit: the second waits for the first to end', async () => {
      const owner = await registerUser(app);
      const listId = await writes.createList(owner.id);
      const start = await drain(owner);

      const hold = gate();
      const recorded = gate();
      const a = writes.createTask(listId, owner.id, 'A', async () => {
        recorded.open();
        await hold.opened;
      });
      await recorded.opened;
      let bDone = false;
      const b = writes.createTask(listId, owner.id, 'B').then((task) => {
        bDone = true;
        return task;
      });
      await sleep(300);
      expect(bDone).toBe(false); // B waits for the list's counter row
      expect((await drain(owner, start.cursor)).changes).toEqual([]);

      hold.open();
      const [taskA, taskB] = await Promise.all([a, b]);
      expect((await drain(owner, start.cursor)).changes.map((change) => change.id)).toEqual([taskA.id, taskB.id]);
    });
  });

  describe('rollback', () => {
    it('rolls the change back with its write', async () => {
      const owner = await registerUser(app);
      const listId = await writes.createList(owner.id);
      const start = await drain(owner);
      await expect(
        writes.createTask(listId, owner.id, 'doomed', () => Promise.reject(new Error('roll back'))),
      ).rejects.toThrow('roll back');
      const kept = await writes.createTask(listId, owner.id, 'kept');
      expect((await drain(owner, start.cursor)).changes.map((change) => change.id)).toEqual([kept.id]);
    });
  });

  describe('retention', () => {
    it('purges changes older than CHANGES_RETENTION_DAYS', async () => {
      const owner = await registerUser(app);
      const listId = await writes.createList(owner.id);
      await writes.createTask(listId, owner.id, 'old');
      await writes.createTask(listId, owner.id, 'new');
      const sql = app.get(SqlRunner);
      // A literal time: Citus refuses a stable function of a column in an UPDATE of a distributed table.
      await sql.query(`UPDATE changes SET created_at = $2 WHERE list_id = $1 AND seq = 1`, [
        listId,
        new Date(Date.now() - 31 * 86_400_000).toISOString(),
      ]);
      await app.get(ChangesPurge).purge();
      const rows = await sql.query<{ seq: string }>(`SELECT seq FROM changes WHERE list_id = $1 ORDER BY seq`, [
        listId,
      ]);
      expect(rows.map((row) => Number(row.seq))).toEqual([2]);
    });
  });

  it('keeps its cursor codec honest about entries in a snapshot', () => {
    const codec = new CursorCodec('a secret of some length for the test');
    const lists = new Map([
      ['3b241101-e2bb-4255-8caf-4136c566a962', { seq: 42, stage: 0 as const, after: NIL_UUID }],
      [
        '9c4b1f4e-1f6e-4a43-9b9b-6a1d3f0e2b11',
        { seq: 7, stage: 3 as const, after: '1f0e2b11-9c4b-4a43-9b9b-6a1d3f0e2b11' },
      ],
    ]);
    const cursor = codec.encode('u1', { completeAt: 1_700_000_000_000, lists });
    expect(codec.decode('u1', cursor)).toEqual({ completeAt: 1_700_000_000_000, lists });
    expect(codec.decode('u2', cursor)).toBeUndefined();
  });
});
