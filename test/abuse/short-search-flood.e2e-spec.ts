import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { bearer, createTask, registerUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';
import { behaveWell, pause, seedHeavyTasks, slowestOf } from './heavy-account.js';

/**
 * Searches of one or two characters: no trigram narrows them, so each one
 * reads all of the searcher's tasks. They stay substring matches (what a
 * search box expects from its first keystroke), cost the searcher's own rows
 * only, and a flood of them holds only the searcher's share of the pool.
 */
describe('Short-search flood (e2e)', () => {
  let app: INestApplication<App> | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('keeps a short search a case-insensitive substring match, `%` and `_` included', async () => {
    app = await createTestApp();
    const user = await registerUser(app);
    const titles = ['Éclair', 'plain', '50% off', 'snake_case', 'x'];
    for (const title of titles) await createTask(app, user, { title });
    await createTask(app, user, { title: 'described', description: 'has ÉT inside' });
    const search = async (q: string) => {
      const response = await request(app!.getHttpServer()).get('/api/tasks').query({ q }).set(bearer(user)).expect(200);
      return {
        titles: response.body.data.map((task: { title: string }) => task.title),
        total: response.body.meta.total,
      };
    };
    expect(await search('é')).toEqual({ titles: ['described', 'Éclair'].sort(), total: 2 });
    expect(await search('%')).toEqual({ titles: ['50% off'], total: 1 });
    expect(await search('_')).toEqual({ titles: ['snake_case'], total: 1 });
    expect(await search('AI')).toEqual({ titles: ['Éclair', 'plain'].sort(), total: 2 });
    expect(await search('X')).toEqual({ titles: ['x'], total: 1 });
    expect(await search('zq')).toEqual({ titles: [], total: 0 });
  });

  it("holds a flood of one-letter searches to the searcher's share: another account sees no 5xx", async () => {
    app = await createTestApp();
    const [attacker, bystander] = [await registerUser(app), await registerUser(app)];
    await seedHeavyTasks(app, attacker, 3000);
    const terms = ['e', 'zq', 'a', '%', 'q', 'ü'];
    const search = (i: number) =>
      request(app!.getHttpServer())
        .get('/api/tasks')
        .query({ q: terms[i % terms.length] })
        .set(bearer(attacker));
    const slow = await slowestOf(3, () => search(1)); // no match: every row is read
    await app.close();

    // The pool's acquire timeout between one search and the whole flood (see pool-exhaustion.e2e-spec.ts).
    app = await createTestApp({
      DB_POOL_SIZE: '4',
      DB_CONNECT_TIMEOUT_MS: String(Math.max(100, Math.round(2.5 * slow))),
      DB_MAX_CONCURRENT_PER_USER: '',
    });
    const flood = Promise.all(Array.from({ length: 24 }, (_, i) => search(i)));
    await pause(20);
    const calm = await behaveWell(app, bystander);
    const attack = await flood;

    expect(calm.filter((status) => status >= 500)).toEqual([]);
    expect(attack.map((response) => response.status).filter((status) => status !== 200 && status !== 429)).toEqual([]);
    const answered = attack.find((response) => response.status === 200 && response.request.url.includes('q=e'));
    if (answered) expect(answered.body.meta.total).toBe(3000);
  }, 60_000);
});
