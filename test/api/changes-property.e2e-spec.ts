import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { ChangeWrites } from '../helpers/change-writes.js';
import { bearer, registerUser, type TestUser } from '../helpers/fixtures.js';
import { sleep } from '../helpers/http.js';
import { createTestApp } from '../helpers/test-app.js';

/**
 * The feed's guarantee as a property: concurrent writers in a few lists, each
 * holding its transaction open for a random while after recording (so commits
 * come in another order than numbers were taken, across lists), and a reader
 * following the feed all along. Whenever the reader has drained the feed
 * (`hasMore: false`), every write acknowledged before that drain began must
 * have come: a change skipped once never comes back, so this fails on a skip.
 */
describe('The change feed never skips a committed change (property)', () => {
  let app: INestApplication<App>;
  let writes: ChangeWrites;

  beforeAll(async () => {
    app = await createTestApp();
    writes = new ChangeWrites(app);
  });

  afterAll(async () => {
    await app.close();
  });

  const drain = async (user: TestUser, cursor: string | undefined, limit: number, seen: Set<string>) => {
    for (;;) {
      const response = await request(app.getHttpServer())
        .get('/api/changes')
        .query({ ...(cursor && { cursor }), limit })
        .set(bearer(user))
        .expect(200);
      for (const change of response.body.data as { entity: string; id: string }[]) {
        if (change.entity === 'task') seen.add(change.id);
      }
      cursor = response.body.meta.cursor as string;
      if (!response.body.meta.hasMore) return cursor;
    }
  };

  it('holds for concurrent writers with random commit delays', async () => {
    // Each writer starts its transaction, waits `waitMs` before taking its number (so numbers are
    // taken in another order than transactions started), records, holds `holdMs`, commits.
    const writer = fc.record({
      list: fc.nat(2),
      startMs: fc.nat(60),
      waitMs: fc.integer({ min: 0, max: 30 }),
      holdMs: fc.integer({ min: 0, max: 40 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(writer, { minLength: 2, maxLength: 12 }),
        fc.integer({ min: 1, max: 7 }),
        // How long the reader rests between drains: a slow reader finds several commits at once.
        fc.integer({ min: 0, max: 50 }),
        async (plan, limit, restMs) => {
          const owner = await registerUser(app);
          const lists = [
            await writes.createList(owner.id),
            await writes.createList(owner.id),
            await writes.createList(owner.id),
          ];
          const seen = new Set<string>();
          let cursor = await drain(owner, undefined, limit, seen);
          const acknowledged: { id: string; at: number }[] = [];
          let writing = true;

          const writers = Promise.all(
            plan.map(async ({ list, startMs, waitMs, holdMs }, i) => {
              await sleep(startMs);
              const task = await writes.createTask(
                lists[list],
                owner.id,
                `w${i}`,
                () => sleep(holdMs),
                () => sleep(waitMs),
              );
              acknowledged.push({ id: task.id, at: Date.now() });
            }),
          ).finally(() => (writing = false));

          const reader = (async () => {
            while (writing) {
              const startedAt = Date.now();
              cursor = await drain(owner, cursor, limit, seen);
              for (const write of acknowledged) {
                if (write.at < startedAt) expect(seen.has(write.id)).toBe(true);
              }
              await sleep(restMs);
            }
          })();

          await Promise.all([writers, reader]);
          await drain(owner, cursor, limit, seen);
          for (const write of acknowledged) expect(seen.has(write.id)).toBe(true);
        },
      ),
      { numRuns: 15, seed: 20261207 },
    );
  });
});
