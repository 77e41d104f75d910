import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { bearer, registerUser, type TestUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

const BASES: { name: string; base: (user: TestUser) => string }[] = [
  { name: '/api/tasks', base: () => '/api/tasks' },
  { name: '/api/{userId}/tasks', base: (user) => `/api/${user.id}/tasks` },
];

const newKey = () => `"${randomUUID()}"`;

describe('POST {base} with Idempotency-Key', () => {
  let app: INestApplication<App>;
  let db: DataSource;

  beforeAll(async () => {
    app = await createTestApp();
    db = app.get(DataSource);
  });
  afterAll(async () => {
    await app.close();
  });

  const http = () => request(app.getHttpServer());

  async function taskCount(user: TestUser): Promise<number> {
    const response = await http().get('/api/tasks').set(bearer(user)).expect(200);
    return response.body.meta.total;
  }

  describe.each(BASES)('$name', ({ base }) => {
    it('returns the first response to a retry with the same key and body, and creates nothing', async () => {
      const user = await registerUser(app);
      const key = newKey();
      const body = { title: 'Pay rent', tags: ['home'], priority: 'high' };
      const first = await http().post(base(user)).set(bearer(user)).set('Idempotency-Key', key).send(body).expect(201);
      const again = await http()
        .post(base(user))
        .set(bearer(user))
        .set('Idempotency-Key', key)
        .send({ priority: 'high', tags: ['home'], title: 'Pay rent' }) // same body, other key order
        .expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers.location).toBe(first.headers.location);
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(await taskCount(user)).toBe(1);
    });

    it('replays the first response even after the task changed', async () => {
      const user = await registerUser(app);
      const key = newKey();
      const first = await http().post(base(user)).set(bearer(user)).set('Idempotency-Key', key).send({ title: 'a' });
      await http().patch(`/api/tasks/${first.body.data.id}`).set(bearer(user)).send({ title: 'b' }).expect(200);
      const again = await http()
        .post(base(user))
        .set(bearer(user))
        .set('Idempotency-Key', key)
        .send({ title: 'a' })
        .expect(201);
      expect(again.body.data).toMatchObject({ id: first.body.data.id, title: 'a', version: 1 });
    });

    it('is a 422 problem when the key comes back with another body, and creates nothing', async () => {
      const user = await registerUser(app);
      const key = newKey();
      await http().post(base(user)).set(bearer(user)).set('Idempotency-Key', key).send({ title: 'a' }).expect(201);
      const response = await http()
        .post(base(user))
        .set(bearer(user))
        .set('Idempotency-Key', key)
        .send({ title: 'b' })
        .expect(422);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: 422, type: '/problems/idempotency-key-reused' });
      expect(response.body.detail).toMatch(/different request body/);
      expect(await taskCount(user)).toBe(1);
    });

    it('creates one task from concurrent duplicates', async () => {
      const user = await registerUser(app);
      const key = newKey();
      const responses = await Promise.all(
        Array.from({ length: 8 }, () =>
          http().post(base(user)).set(bearer(user)).set('Idempotency-Key', key).send({ title: 'once' }),
        ),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(8).fill(201));
      expect(new Set(responses.map((response) => response.body.data.id)).size).toBe(1);
      expect(await taskCount(user)).toBe(1);
    });

    it('creates a task per request without a key, and per distinct key', async () => {
      const user = await registerUser(app);
      await http().post(base(user)).set(bearer(user)).send({ title: 'x' }).expect(201);
      await http().post(base(user)).set(bearer(user)).send({ title: 'x' }).expect(201);
      await http().post(base(user)).set(bearer(user)).set('Idempotency-Key', newKey()).send({ title: 'x' }).expect(201);
      await http().post(base(user)).set(bearer(user)).set('Idempotency-Key', newKey()).send({ title: 'x' }).expect(201);
      expect(await taskCount(user)).toBe(4);
    });
  });

  it('keeps keys per user: the same key from two users creates two tasks', async () => {
    const [ada, bob] = [await registerUser(app), await registerUser(app)];
    const key = newKey();
    const a = await http().post('/api/tasks').set(bearer(ada)).set('Idempotency-Key', key).send({ title: 't' });
    const b = await http().post('/api/tasks').set(bearer(bob)).set('Idempotency-Key', key).send({ title: 't' });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.data.id).not.toBe(a.body.data.id);
    expect(b.body.data.userId).toBe(bob.id);
    // Another body under the same key is fine for the other user too.
    await http().post('/api/tasks').set(bearer(bob)).set('Idempotency-Key', key).send({ title: 'other' }).expect(422);
  });

  it('shares a key between the two route families of one user', async () => {
    const user = await registerUser(app);
    const key = newKey();
    const first = await http().post('/api/tasks').set(bearer(user)).set('Idempotency-Key', key).send({ title: 'x' });
    const again = await http()
      .post(`/api/${user.id}/tasks`)
      .set(bearer(user))
      .set('Idempotency-Key', key)
      .send({ title: 'x' })
      .expect(201);
    expect(again.body.data.id).toBe(first.body.data.id);
    expect(await taskCount(user)).toBe(1);
  });

  it('accepts a bare token as the key', async () => {
    const user = await registerUser(app);
    const key = randomUUID();
    await http().post('/api/tasks').set(bearer(user)).set('Idempotency-Key', key).send({ title: 'x' }).expect(201);
    await http().post('/api/tasks').set(bearer(user)).set('Idempotency-Key', key).send({ title: 'x' }).expect(201);
    expect(await taskCount(user)).toBe(1);
  });

  it.each([
    ['empty', ''],
    ['too long', `"${'k'.repeat(256)}"`],
    ['non-ASCII', '"clé"'],
    ['two values', '"a", "b"'],
    ['an escape', '"a\\"b"'],
  ])('rejects a key that is %s with a validation problem, creating nothing', async (_name, value) => {
    const user = await registerUser(app);
    const response = await http()
      .post('/api/tasks')
      .set(bearer(user))
      .set('Idempotency-Key', value)
      .send({ title: 'x' })
      .expect(400);
    expect(response.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
    expect(await taskCount(user)).toBe(0);
  });

  it('does not spend the key on an invalid body: the corrected retry creates the task', async () => {
    const user = await registerUser(app);
    const key = newKey();
    await http().post('/api/tasks').set(bearer(user)).set('Idempotency-Key', key).send({ title: '' }).expect(400);
    await http().post('/api/tasks').set(bearer(user)).set('Idempotency-Key', key).send({ title: 'ok' }).expect(201);
    expect(await taskCount(user)).toBe(1);
  });

  it('expires a key after 24 hours: the key creates again, and old keys are purged', async () => {
    const user = await registerUser(app);
    const other = await registerUser(app);
    const key = newKey();
    await http().post('/api/tasks').set(bearer(user)).set('Idempotency-Key', key).send({ title: 'x' }).expect(201);
    await http().post('/api/tasks').set(bearer(other)).set('Idempotency-Key', newKey()).send({ title: 'y' });
    const age = (who: TestUser, interval: string) =>
      db.query(`UPDATE idempotency_keys SET created_at = now() - $2::interval WHERE user_id = $1`, [who.id, interval]);
    await age(other, '25 hours');
    await age(user, '24 hours 1 second');
    const keysLeft = () =>
      db.query(`SELECT user_id FROM idempotency_keys WHERE user_id = ANY($1)`, [[user.id, other.id]]);

    // A new instance purges on its first keyed creation (this file's instance did, a while ago).
    const fresh = await createTestApp();
    try {
      const post = (who: TestUser, idempotencyKey: string) =>
        request(fresh.getHttpServer()).post('/api/tasks').set(bearer(who)).set('Idempotency-Key', idempotencyKey);
      await post(user, key).send({ title: 'x' }).expect(201);
      expect(await taskCount(user)).toBe(2);
      expect(await keysLeft()).toEqual([{ user_id: user.id }]); // the other user's expired key was purged; this one is fresh

      // Then at most once a minute: a key that expires now stays until the next purge, and is taken over meanwhile.
      const again = newKey();
      await post(other, again).send({ title: 'z' }).expect(201);
      await age(other, '25 hours');
      await post(user, newKey()).send({ title: 'w' }).expect(201);
      expect(await keysLeft()).toHaveLength(3);
      await post(other, again).send({ title: 'z' }).expect(201);
      expect(await taskCount(other)).toBe(3);
    } finally {
      await fresh.close();
    }
  });

  it('forgets a user’s keys with the account', async () => {
    const user = await registerUser(app);
    await http().post('/api/tasks').set(bearer(user)).set('Idempotency-Key', newKey()).send({ title: 'x' });
    await http().delete('/api/users/me').set(bearer(user)).expect(204);
    expect(await db.query(`SELECT 1 FROM idempotency_keys WHERE user_id = $1`, [user.id])).toEqual([]);
  });
});
