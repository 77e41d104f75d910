import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { type TestUser, bearer, createTask, registerUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

/** The expected form, as the 400 on a malformed If-Match shows it. */
const IF_MATCH_DETAIL = 'If-Match must be * or one or more quoted ETags, as in If-Match: "3"';

/**
 * Answers a frontend developer acts on without guessing: an unquoted If-Match is
 * a 400 that shows the form (not a 412 "the task has changed"), and an HTML
 * form's empty query values mean "not given".
 */
describe('Answers that do not mislead a client (e2e)', () => {
  let app: INestApplication<App>;
  let user: TestUser;
  let stranger: TestUser;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    [user, stranger] = [await registerUser(app), await registerUser(app)];
  });
  afterAll(async () => {
    await app.close();
  });

  describe('If-Match that is not a list of entity tags (RFC 9110 §13.1.1)', () => {
    /** Every write that honours If-Match, with a body the route accepts. */
    const WRITES: [string, (id: string) => request.Test][] = [
      ['PUT', (id) => http().put(`/api/tasks/${id}`).send({ title: 'replaced' })],
      ['PATCH', (id) => http().patch(`/api/tasks/${id}`).send({ title: 'patched' })],
      ['DELETE', (id) => http().delete(`/api/tasks/${id}`)],
      ['PATCH /complete', (id) => http().patch(`/api/tasks/${id}/complete`).send({ completed: true })],
      ['PATCH /complete (toggle)', (id) => http().patch(`/api/tasks/${id}/complete`)],
      ['POST /toggle', (id) => http().post(`/api/tasks/${id}/toggle`)],
    ];

    for (const [name, call] of WRITES) {
      it(`${name}: If-Match: 1 (unquoted) is a 400 on If-Match that shows the form, and changes nothing`, async () => {
        const task = await createTask(app, user, { title: 'kept' });
        const response = await call(task.id).set(bearer(user)).set('If-Match', '1');
        expect(response.status).toBe(400);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body).toMatchObject({
          type: '/problems/validation-error',
          detail: IF_MATCH_DETAIL,
          errors: [{ field: 'If-Match', message: 'must be * or one or more quoted ETags, as in If-Match: "3"' }],
        });
        const after = await http().get(`/api/tasks/${task.id}`).set(bearer(user)).expect(200);
        expect(after.body.data).toMatchObject({ title: 'kept', version: 1, completed: false });
      });
    }

    it.each([
      ['an unclosed quote', '"1'],
      ['two tags without a comma', '"1" "2"'],
      ['* in a list', '*, "1"'],
      ['a lower-case weak prefix', 'w/"1"'],
      ['only a comma', ','],
    ])('%s is a 400 too', async (_name, ifMatch) => {
      const task = await createTask(app, user);
      const response = await http().patch(`/api/tasks/${task.id}`).set(bearer(user)).set('If-Match', ifMatch);
      expect(response.status).toBe(400);
      expect(response.body.detail).toBe(IF_MATCH_DETAIL);
    });

    it('a weak tag of the current version is well-formed but never matches (strong comparison): 412', async () => {
      const task = await createTask(app, user);
      const weak = await http()
        .patch(`/api/tasks/${task.id}`)
        .set(bearer(user))
        .set('If-Match', 'W/"1"')
        .send({ title: 'x' });
      expect(weak.status).toBe(412);
      await http().post(`/api/tasks/${task.id}/toggle`).set(bearer(user)).set('If-Match', '"01"').expect(412);
    });

    it('a list of quoted tags, with an empty element, matches when one of them is current', async () => {
      const task = await createTask(app, user);
      await http()
        .patch(`/api/tasks/${task.id}`)
        .set(bearer(user))
        .set('If-Match', '"7", ,"1"')
        .send({ title: 'y' })
        .expect(200);
      await http().delete(`/api/tasks/${task.id}`).set(bearer(user)).set('If-Match', '*').expect(204);
    });

    describe('keeps the order of checks: 401, 400 path, 403, 404, then If-Match, then the body', () => {
      it('401 without a token', async () => {
        const task = await createTask(app, user);
        await http().patch(`/api/tasks/${task.id}`).set('If-Match', '1').send({ title: 'x' }).expect(401);
      });

      it('400 on the path id first', async () => {
        const response = await http().patch('/api/tasks/not-a-uuid').set(bearer(user)).set('If-Match', '1').send({});
        expect(response.status).toBe(400);
        expect(response.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
      });

      it("403 on another user's path", async () => {
        const task = await createTask(app, user);
        await http()
          .patch(`/api/${user.id}/tasks/${task.id}`)
          .set(bearer(stranger))
          .set('If-Match', '1')
          .send({ title: 'x' })
          .expect(403);
      });

      it("404 for another user's task, with a valid body or a rejected one, and on every write", async () => {
        const task = await createTask(app, user);
        for (const [, call] of WRITES) {
          await call(task.id).set(bearer(stranger)).set('If-Match', '1').expect(404);
        }
        await http()
          .patch(`/api/tasks/${task.id}`)
          .set(bearer(stranger))
          .set('If-Match', '1')
          .send({ title: '' })
          .expect(404);
        const after = await http().get(`/api/tasks/${task.id}`).set(bearer(user)).expect(200);
        expect(after.body.data.version).toBe(1);
      });

      it('the If-Match 400 before a body problem', async () => {
        const task = await createTask(app, user);
        const response = await http()
          .put(`/api/tasks/${task.id}`)
          .set(bearer(user))
          .set('If-Match', '1')
          .send({ title: '', unknown: true });
        expect(response.status).toBe(400);
        expect(response.body.errors).toEqual([expect.objectContaining({ field: 'If-Match' })]);
      });
    });
  });

  describe('empty query values mean "not given" (HTML forms send them)', () => {
    let lister: TestUser;
    const list = (query: string) => http().get(`/api/tasks?${query}`).set(bearer(lister));

    beforeAll(async () => {
      lister = await registerUser(app);
      await createTask(app, lister, { title: 'alpha', tags: ['work'], priority: 'high' });
      await createTask(app, lister, { title: 'beta', completed: true, dueAt: '2026-01-01T00:00:00Z' });
      await createTask(app, lister, { title: 'gamma', description: 'has spaces in it' });
    });

    it('every parameter empty answers what no parameter does', async () => {
      const all = await list('').expect(200);
      const empty = await list('status=&q=&priority=&tag=&dueBefore=&dueAfter=&sort=&order=&limit=&cursor=').expect(
        200,
      );
      expect(empty.body).toEqual(all.body);
      expect(empty.body.meta).toMatchObject({ total: 3, limit: 20 });
      expect(empty.body.data.map((task: { title: string }) => task.title)).toEqual(['gamma', 'beta', 'alpha']);
    });

    it('a parameter without "=" and a whitespace-only one are empty too (q of spaces is no search)', async () => {
      const bare = await list('q&tag').expect(200);
      expect(bare.body.meta.total).toBe(3);
      const spaces = await list('q=%20%20&tag=%09&limit=%20').expect(200);
      expect(spaces.body.meta).toMatchObject({ total: 3, limit: 20 });
    });

    it('an empty value leaves the other filters working', async () => {
      const tagged = await list('q=&tag=work&priority=').expect(200);
      expect(tagged.body.data.map((task: { title: string }) => task.title)).toEqual(['alpha']);
      const pending = await list('status=pending&sort=&order=&q=').expect(200);
      expect(pending.body.meta.total).toBe(2);
    });

    it('an empty cursor is the first page', async () => {
      const first = await list('limit=2&cursor=').expect(200);
      expect(first.body.data.map((task: { title: string }) => task.title)).toEqual(['gamma', 'beta']);
      expect(first.body.meta.nextCursor).toEqual(expect.any(String));
    });

    it('an empty parameter the list does not take is still a 400 naming it', async () => {
      const response = await list('q=&colour=').expect(400);
      expect(response.body.errors).toEqual([{ field: 'colour', message: 'is not an accepted field' }]);
    });

    it('a repeated empty parameter is still a 400', async () => {
      const response = await list('q=&q=').expect(400);
      expect(response.body.errors).toEqual([{ field: 'q', message: 'may appear once' }]);
    });

    it('the bulk completion reads its filters the same way', async () => {
      const owner = await registerUser(app);
      await createTask(app, owner, { title: 'one' });
      await createTask(app, owner, { title: 'two', tags: ['x'] });
      const response = await http()
        .post('/api/tasks/complete-all?status=&q=&tag=&priority=')
        .set(bearer(owner))
        .send({ completed: true })
        .expect(200);
      expect(response.body.data.changed).toBe(2);
    });
  });
});
