import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { registerUser } from '../helpers/fixtures.js';
import { call, type Instance, rolesOn, sharedList, within } from '../helpers/instances.js';
import { TestRedis } from '../helpers/redis-server.js';
import { createTestApp } from '../helpers/test-app.js';

describe('Memberships across instances that share Redis (e2e)', () => {
  let redis: TestRedis;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    redis = await TestRedis.start();
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: `lists-${process.pid}:` };
    [a, b] = [await createTestApp(env), await createTestApp(env)];
  }, 30_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('a member removed on one instance is refused on the other within 1 s', async () => {
    const [owner, member] = [await registerUser(a), await registerUser(a)];
    const listId = await sharedList(a, owner, member);
    // The other instance remembers the membership (read once, then from memory for up to a minute).
    await call(b, member, 'get', `/api/lists/${listId}/members`).expect(200);
    expect((await rolesOn(b, member)).get(listId)).toBe('editor');

    await call(a, owner, 'delete', `/api/lists/${listId}/members/${member.id}`).expect(204);

    expect((await rolesOn(a, member)).has(listId)).toBe(false); // this instance: at once
    const elapsed = await within(1000, async () => !(await rolesOn(b, member)).has(listId));
    expect(elapsed).toBeLessThan(1000);
    await call(b, member, 'get', `/api/lists/${listId}/members`).expect(404);
    await call(b, member, 'get', `/api/lists/${listId}`).expect(404);
  });

  it('a member who joins on one instance is let in on the other within 1 s (its remembered "not a member" goes)', async () => {
    const [owner, joiner] = [await registerUser(a), await registerUser(a)];
    const list = (await call(a, owner, 'post', '/api/lists', { name: 'Later' }).expect(201)).body.data;
    // The other instance remembers the joiner's memberships without this list: 404.
    await call(b, joiner, 'get', `/api/lists/${list.id}`).expect(404);

    const { token } = (await call(a, owner, 'post', `/api/lists/${list.id}/invitations`, { role: 'viewer' })).body.data;
    await call(a, joiner, 'post', '/api/invitations/accept', { token }).expect(200);

    await within(1000, async () => (await call(b, joiner, 'get', `/api/lists/${list.id}`)).status === 200);
  });

  it('a role change, a transfer and a deleted list reach the other instance within 1 s', async () => {
    const [owner, member] = [await registerUser(a), await registerUser(a)];
    const listId = await sharedList(a, owner, member, 'viewer');
    await call(b, member, 'get', `/api/lists/${listId}/invitations`).expect(403);

    await call(a, owner, 'patch', `/api/lists/${listId}/members/${member.id}`, { role: 'admin' }).expect(200);
    await within(1000, async () => (await call(b, member, 'get', `/api/lists/${listId}/invitations`)).status === 200);

    await call(a, owner, 'post', `/api/lists/${listId}/transfer`, { userId: member.id }).expect(200);
    await within(1000, async () => (await rolesOn(b, member)).get(listId) === 'owner');
    expect((await rolesOn(b, owner)).get(listId)).toBe('admin');

    await call(a, member, 'delete', `/api/lists/${listId}`).expect(204);
    await within(1000, async () => !(await rolesOn(b, owner)).has(listId) && !(await rolesOn(b, member)).has(listId));
  });
});

describe('Memberships across instances without Redis (e2e)', () => {
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    const env = { LISTS_MEMBERSHIP_CACHE_SECONDS: '3' };
    [a, b] = [await createTestApp(env), await createTestApp(env)];
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('the instance that made the change sees it at once; another within LISTS_MEMBERSHIP_CACHE_SECONDS', async () => {
    const [owner, member] = [await registerUser(a), await registerUser(a)];
    const listId = await sharedList(a, owner, member);
    await call(b, member, 'get', `/api/lists/${listId}`).expect(200);

    await call(a, owner, 'delete', `/api/lists/${listId}/members/${member.id}`).expect(204);

    await call(a, member, 'get', `/api/lists/${listId}`).expect(404);
    expect((await rolesOn(b, member)).has(listId)).toBe(true); // remembered: nobody told this instance
    // Read again once the entry is past its 3 s: the membership is gone.
    await within(5000, async () => !(await rolesOn(b, member)).has(listId));
  });
});
