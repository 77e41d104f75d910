import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { bearer, registerUser, type TestUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

function expectLimitReached(response: request.Response, quota: RegExp): void {
  expect(response.status).toBe(409);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ type: '/problems/limit-reached', title: 'Limit reached', status: 409 });
  expect(response.body.detail).toMatch(quota);
}

/** An account that tries to hold more than its share: a clear 409, exact under concurrency, nobody else affected. */
describe('Quotas (e2e)', () => {
  let app: INestApplication<App>;
  const http = () => request(app.getHttpServer());
  const create = (user: TestUser, key?: string, title = 'quota') => {
    const call = http().post('/api/tasks').set(bearer(user));
    if (key) call.set('Idempotency-Key', key);
    return call.send({ title });
  };
  const totalOf = async (user: TestUser) =>
    (await http().get('/api/tasks').set(bearer(user)).expect(200)).body.meta.total as number;

  beforeAll(async () => {
    app = await createTestApp({ MAX_TASKS_PER_LIST: '5', MAX_IDEMPOTENCY_KEYS_PER_USER: '3' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('holds the task quota under 30 concurrent creates, with and without keys', async () => {
    const [attacker, bystander] = [await registerUser(app), await registerUser(app)];
    const flood = await Promise.all(
      Array.from({ length: 30 }, (_, i) => create(attacker, i % 3 === 0 ? `key-${i}` : undefined)),
    );
    const statuses = flood.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(5);
    expect(statuses.filter((status) => status === 409)).toHaveLength(25);
    expectLimitReached(
      flood.find((response, i) => response.status === 409 && i % 3 !== 0)!,
      /holds 5 tasks/,
    );
    expect(await totalOf(attacker)).toBe(5);

    // Another account has its own quota.
    expect((await Promise.all([create(bystander), create(bystander)])).map((response) => response.status)).toEqual([
      201, 201,
    ]);

    // Room again after a delete, exactly one task's worth.
    const first = (await http().get('/api/tasks').set(bearer(attacker)).expect(200)).body.data[0];
    await http().delete(`/api/tasks/${first.id}`).set(bearer(attacker)).expect(204);
    const again = await Promise.all([create(attacker), create(attacker)]);
    expect(again.map((response) => response.status).sort()).toEqual([201, 409]);
  });

  it('bounds the idempotency keys an account holds, exactly under concurrency; a replay still answers', async () => {
    const user = await registerUser(app);
    const flood = await Promise.all(Array.from({ length: 12 }, (_, i) => create(user, `k-${i}`, `keyed ${i}`)));
    const created = flood.filter((response) => response.status === 201);
    expect(created).toHaveLength(3);
    expectLimitReached(
      flood.find((response) => response.status === 409)!,
      /holds 3 idempotency keys.*expires 24 hours/,
    );

    // The first request of a held key replays; no new key, no new task.
    const title = created[0].body.data.title as string; // `keyed ${i}`, sent with key `k-${i}`
    const replay = await create(user, `k-${title.split(' ')[1]}`, title).expect(201);
    expect(replay.body.data.id).toBe(created[0].body.data.id);
    // Deleting tasks frees no key; a create without a key still works.
    await http().delete(`/api/tasks/${replay.body.data.id}`).set(bearer(user)).expect(204);
    expectLimitReached(await create(user, 'k-new'), /idempotency keys/);
    await create(user).expect(201);
    expect(await totalOf(user)).toBe(3);
  });
});
