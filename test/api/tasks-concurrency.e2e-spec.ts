import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { bearer, createTask, registerUser, type TestUser } from '../helpers/fixtures.js';
import { listPage } from '../helpers/list-walk.js';
import { createTestApp } from '../helpers/test-app.js';

/** Every write route that honours If-Match, with its success status. */
const WRITES: {
  name: string;
  method: 'put' | 'patch' | 'delete' | 'post';
  path: string;
  body?: object;
  ok: number;
}[] = [
  {
    name: 'PUT',
    method: 'put',
    path: '',
    body: { title: 'replaced' },
    ok: 200,
  },
  {
    name: 'PATCH',
    method: 'patch',
    path: '',
    body: { title: 'patched' },
    ok: 200,
  },
  {
    name: 'PATCH /complete (set)',
    method: 'patch',
    path: '/complete',
    body: { completed: true },
    ok: 200,
  },
  {
    name: 'PATCH /complete (toggle)',
    method: 'patch',
    path: '/complete',
    ok: 200,
  },
  { name: 'POST /toggle', method: 'post', path: '/toggle', ok: 200 },
  { name: 'DELETE', method: 'delete', path: '', ok: 204 },
];

describe('Tasks: If-Match and concurrent writes', () => {
  let app: INestApplication<App>;
  let user: TestUser;

  beforeAll(async () => {
    app = await createTestApp();
    user = await registerUser(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const server = () => app.getHttpServer();
  const fetchTask = (id: string) => request(server()).get(`/api/tasks/${id}`).set(bearer(user));

  for (const family of ['/api/tasks', 'user']) {
    const baseOf = () => (family === 'user' ? `/api/${user.id}/tasks` : family);
    for (const write of WRITES) {
      describe(`${write.name} ${family === 'user' ? '/api/{userId}/tasks' : family}/{id}`, () => {
        const send = (id: string, ifMatch?: string): request.Test => {
          let req = request(server())[write.method](`${baseOf()}/${id}${write.path}`).set(bearer(user));
          if (ifMatch !== undefined) req = req.set('If-Match', ifMatch);
          return write.body ? req.send(write.body) : req;
        };

        it('is 412 on a stale ETag and changes nothing', async () => {
          const task = await createTask(app, user, { title: 'original' });
          await request(server()).patch(`/api/tasks/${task.id}`).set(bearer(user)).send({ title: 'v2' }).expect(200);
          const response = await send(task.id, '"1"').expect(412);
          expect(response.body.type).toBe('/problems/precondition-failed');
          const after = await fetchTask(task.id).expect(200);
          expect(after.body.data).toMatchObject({
            title: 'v2',
            version: 2,
            completed: false,
          });
          expect(after.headers.etag).toBe('"2"');
        });

        it('succeeds on the current ETag (among several listed)', async () => {
          const task = await createTask(app, user, { title: 'original' });
          const response = await send(task.id, '"7", "1"').expect(write.ok);
          if (write.ok === 200) {
            expect(response.body.data.version).toBe(2);
            expect(response.headers.etag).toBe('"2"');
          } else {
            await fetchTask(task.id).expect(404);
          }
        });

        it('succeeds on If-Match: *', async () => {
          const task = await createTask(app, user, { title: 'original' });
          await send(task.id, '*').expect(write.ok);
        });

        it('is 404 (not 412) for a task that does not exist, even with If-Match: *', async () => {
          await send('0b7a3c52-3c7e-4f7e-9a51-1f1f1f1f1f1f', '*').expect(404);
        });
      });
    }
  }

  describe('order of checks on routes with a body: 400 path, 404, 412, then 400 body', () => {
    const missing = '0b7a3c52-3c7e-4f7e-9a51-1f1f1f1f1f1f';
    const bodyRoutes: [string, 'put' | 'patch', string, object][] = [
      ['PUT', 'put', '', { title: '' }],
      ['PATCH', 'patch', '', { title: 42 }],
      ['PATCH (empty body)', 'patch', '', {}],
      ['PATCH /complete', 'patch', '/complete', { completed: 'yes' }],
    ];
    for (const [name, method, suffix, badBody] of bodyRoutes) {
      it(`${name}: 404 before a bad body, 412 before a bad body, then 400`, async () => {
        const task = await createTask(app, user);
        const send = (id: string, ifMatch?: string) => {
          const req = request(server())[method](`/api/tasks/${id}${suffix}`).set(bearer(user));
          return (ifMatch ? req.set('If-Match', ifMatch) : req).send(badBody);
        };
        await send(missing).expect(404);
        await send(task.id, '"9"').expect(412);
        const invalid = await send(task.id, '"1"').expect(400);
        expect(invalid.body.type).toBe('/problems/validation-error');
        const badId = await send('not-a-uuid').expect(400);
        expect(badId.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
        expect((await fetchTask(task.id)).body.data.version).toBe(1);
      });
    }

    it("403 comes before all of them under another user's /api/{userId}/tasks", async () => {
      const other = await registerUser(app);
      await request(server())
        .patch(`/api/${other.id}/tasks/${missing}`)
        .set(bearer(user))
        .set('If-Match', '"9"')
        .send({ title: '' })
        .expect(403);
    });
  });

  it('a weak tag never matches (strong comparison)', async () => {
    const task = await createTask(app, user);
    await request(server()).post(`/api/tasks/${task.id}/toggle`).set(bearer(user)).set('If-Match', 'W/"1"').expect(412);
  });

  describe('concurrency', () => {
    it('N concurrent toggles flip exactly N times and raise the version by exactly N', async () => {
      const task = await createTask(app, user, { title: 'toggled' });
      const n = 15;
      const responses = await Promise.all(
        Array.from({ length: n }, () => request(server()).post(`/api/tasks/${task.id}/toggle`).set(bearer(user))),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(n).fill(200));
      // Each toggle saw a distinct version: none was lost or applied twice.
      expect(new Set(responses.map((response) => response.body.data.version)).size).toBe(n);
      const after = (await fetchTask(task.id).expect(200)).body.data;
      expect(after.version).toBe(1 + n);
      expect(after.completed).toBe(n % 2 === 1);
      expect(after.completedAt === null).toBe(!after.completed);
    });

    it('two concurrent toggles leave the task as it was', async () => {
      const task = await createTask(app, user);
      await Promise.all(
        [0, 1].map(() => request(server()).post(`/api/tasks/${task.id}/toggle`).set(bearer(user)).expect(200)),
      );
      expect((await fetchTask(task.id)).body.data).toMatchObject({
        completed: false,
        completedAt: null,
        version: 3,
      });
    });

    it('concurrent edits with the same If-Match: exactly one wins, the others get 412', async () => {
      const task = await createTask(app, user);
      const responses = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          request(server())
            .patch(`/api/tasks/${task.id}`)
            .set(bearer(user))
            .set('If-Match', '"1"')
            .send({ title: `edit ${index}` }),
        ),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([200, 412, 412, 412, 412, 412, 412, 412]);
      const winner = responses.find((response) => response.status === 200)!;
      expect((await fetchTask(task.id)).body.data).toMatchObject({
        title: winner.body.data.title,
        version: 2,
      });
    });

    it('concurrent edits without If-Match are all applied, one version each', async () => {
      const task = await createTask(app, user);
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          request(server())
            .patch(`/api/tasks/${task.id}`)
            .set(bearer(user))
            .send({ priority: index % 2 ? 'high' : 'low' }),
        ),
      );
      expect(responses.every((response) => response.status === 200)).toBe(true);
      expect((await fetchTask(task.id)).body.data.version).toBe(11);
    });

    it('a delete racing updates never resurrects the task and never errors', async () => {
      for (let round = 0; round < 5; round++) {
        const task = await createTask(app, user);
        const path = `/api/tasks/${task.id}`;
        const racers: Promise<request.Response>[] = [
          request(server()).patch(path).set(bearer(user)).send({ title: 'racing' }),
          request(server()).post(`${path}/toggle`).set(bearer(user)),
          request(server()).delete(path).set(bearer(user)),
          request(server()).put(path).set(bearer(user)).send({ title: 'racing too' }),
          request(server()).patch(`${path}/complete`).set(bearer(user)),
        ];
        const statuses = (await Promise.all(racers)).map((response) => response.status);
        expect(statuses[2]).toBe(204);
        for (const status of statuses) expect([200, 204, 404]).toContain(status);
        await fetchTask(task.id).expect(404);
      }
    });

    it('keeps meta.total exact under concurrent creates, toggles and deletes', async () => {
      const owner = await registerUser(app);
      const made = await Promise.all(Array.from({ length: 12 }, (_, i) => createTask(app, owner, { title: `c${i}` })));
      await Promise.all([
        ...made.slice(0, 4).map((task) => request(server()).delete(`/api/tasks/${task.id}`).set(bearer(owner))),
        ...made.slice(4, 9).map((task) => request(server()).post(`/api/tasks/${task.id}/toggle`).set(bearer(owner))),
        ...Array.from({ length: 3 }, () => createTask(app, owner)),
      ]);
      expect((await listPage(app, owner, {})).meta.total).toBe(11);
      expect((await listPage(app, owner, { status: 'completed' })).meta.total).toBe(5);
      expect((await listPage(app, owner, { status: 'pending' })).meta.total).toBe(6);
      // The counted totals agree with a count over the rows (a filter forces one).
      expect((await listPage(app, owner, { q: 'c', status: 'completed' })).meta.total).toBe(5);
    });
  });
});
