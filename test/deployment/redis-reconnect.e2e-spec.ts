import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { registerUser } from '../helpers/fixtures.js';
import { call, type Instance, rolesOn, sharedList, within } from '../helpers/instances.js';
import { TestRedis } from '../helpers/redis-server.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { createTestApp } from '../helpers/test-app.js';

/** The network to Redis breaks and comes back; an instance renews its subscriptions itself. */
describe('Redis reconnects (e2e)', () => {
  let redis: TestRedis;
  let proxy: TcpProxy;
  const open: Instance[] = [];
  const env = () => ({ REDIS_KEY_PREFIX: `reconnect-${process.pid}-${Date.now()}:`, REDIS_TIMEOUT_MS: '500' });

  beforeAll(async () => {
    redis = await TestRedis.start();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((app) => app.close()));
    await proxy?.stop();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  async function start(redisUrl: string, shared: Record<string, string>): Promise<Instance> {
    const app = await createTestApp({ ...shared, REDIS_URL: redisUrl });
    open.push(app);
    return app;
  }

  it('shuts down within REDIS_TIMEOUT_MS while Redis renews nothing and answers nothing', async () => {
    proxy = await TcpProxy.inFrontOf(redis.url);
    const app = await start(proxy.rewrite(redis.url), env());
    // After the reconnect, Redis answers neither the renewed SUBSCRIBE nor the QUIT of the shutdown.
    const renewing = proxy.nextSent(/subscribe/i, { withhold: true });
    void proxy.nextSent(/quit/i, { withhold: true });
    proxy.drop();
    await renewing;

    open.splice(open.indexOf(app), 1);
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(2000);
    // The SUBSCRIBE still waiting was cut by the close: had nobody handled its rejection, it would
    // surface here and fail this test (and end a real process).
    await new Promise((resolve) => setTimeout(resolve, 200));
  });

  it('hears the other instances again after a reconnect: a member removed elsewhere is refused within 1 s', async () => {
    proxy = await TcpProxy.inFrontOf(redis.url);
    const shared = env();
    const [behindProxy, direct] = [await start(proxy.rewrite(redis.url), shared), await start(redis.url, shared)];
    const [owner, member] = [await registerUser(direct), await registerUser(direct)];
    const listId = await sharedList(direct, owner, member);

    const renewed = proxy.nextSent(/memberships/);
    proxy.drop();
    await renewed;
    // Remembered after the reconnect: only a message can make it forget.
    await call(behindProxy, member, 'get', `/api/lists/${listId}/members`).expect(200);
    expect((await rolesOn(behindProxy, member)).get(listId)).toBe('editor');

    await call(direct, owner, 'delete', `/api/lists/${listId}/members/${member.id}`).expect(204);
    await within(1000, async () => !(await rolesOn(behindProxy, member)).has(listId));
    await call(behindProxy, member, 'get', `/api/lists/${listId}`).expect(404);
  });
});
