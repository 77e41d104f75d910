import { afterAll, beforeAll, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { App } from 'supertest/types.js';
import { SqlRunner } from '../../src/database/sql-runner.js';
import { BASE_ENV, BuiltService, ensureBuilt } from '../helpers/built-service.js';
import { ChangeWrites } from '../helpers/change-writes.js';
import { describeWhen } from '../helpers/describe-when.js';
import { registerUser, type TestUser } from '../helpers/fixtures.js';
import { postJson, sleep } from '../helpers/http.js';
import { LIFTED_LIMITS } from '../helpers/lifted-limits.js';
import { createTestApp } from '../helpers/test-app.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

const BURST = 300;
const WRITERS = 8;
/** SIGKILL the first instance once this many changes were committed and it has attempts in flight. */
const KILL_AFTER = 100;

jest.setTimeout(180_000);

/**
 * Two built instances deliver; one is SIGKILLed in the middle of a burst,
 * with attempts in flight. Every committed change still reaches the
 * receiver (at least once), the lost attempts within 30 s of their start
 * (the lease), and nothing rolled back is ever sent.
 */
describeWhen(Boolean(process.env.TEST_DATABASE_URL), 'a PostgreSQL server (TEST_DATABASE_URL)')(
  'Webhooks after an instance is SIGKILLed (e2e, built service)',
  () => {
    let receiver: WebhookReceiver;
    let writer: INestApplication<App>;
    let writes: ChangeWrites;
    let owner: TestUser;
    const services: BuiltService[] = [];

    beforeAll(async () => {
      ensureBuilt();
      receiver = await WebhookReceiver.start();
      // The writer records changes as the API's writes do; webhooks are off in it, so only the built instances deliver.
      writer = await createTestApp({ WEBHOOKS_ENABLED: 'false' });
      writes = new ChangeWrites(writer);
      owner = await registerUser(writer, 'Owner');
    });
    afterAll(async () => {
      for (const service of services) await service.dispose();
      await writer.close();
      await receiver.close();
    });

    it('delivers every committed change, the lost attempts again within 30 s', async () => {
      const env: Record<string, string> = {
        ...BASE_ENV,
        ...LIFTED_LIMITS,
        DATABASE_URL: process.env.E2E_DATABASE_URL!,
        DB_POOL_SIZE: '10',
        WEBHOOKS_ENABLED: 'true',
        WEBHOOKS_SECRET_KEY: 'a-webhook-key-long-enough-for-production-0123456789',
        WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
        // A spawned service trusts the receiver as any Node program would: no test-only option in production.
        NODE_EXTRA_CA_CERTS: receiver.caFile,
        WEBHOOKS_POLL_MS: '200',
      };
      const [first, second] = await Promise.all([BuiltService.start(env, 60_000), BuiltService.start(env, 60_000)]);
      services.push(first, second);

      const auth = { Authorization: `Bearer ${owner.accessToken}` };
      const list = await postJson(`${first.baseUrl}/api/lists`, { name: 'Crash' }, auth);
      expect(list.status).toBe(201);
      const listId = list.body.data.id as string;
      const hook = await postJson(
        `${first.baseUrl}/api/lists/${listId}/webhooks`,
        { url: receiver.url('/crash'), events: ['task.created'] },
        auth,
      );
      expect(hook.status).toBe(201);

      // Slow answers until the kill: both instances have their slots full of attempts in flight when one dies.
      receiver.reply = () => ({ status: 204, delayMs: 3000 });
      const committed = new Set<string>();
      const rolledBack = new Set<string>();
      let sent = 0;
      let killedAt = 0;
      const worker = async () => {
        while (sent < BURST) {
          const n = sent++;
          if (n % 25 === 24) {
            await writes
              .createTask(listId, owner.id, `rolled back ${n}`, () => Promise.reject(new Error('no')))
              .catch(() => rolledBack.add(`rolled back ${n}`));
            continue;
          }
          const task = await writes.createTask(listId, owner.id, `burst ${n}`);
          committed.add(task.id);
          if (!killedAt && committed.size >= KILL_AFTER && receiver.received.length >= 20) kill();
        }
      };
      const kill = () => {
        killedAt = Date.now();
        first.signal('SIGKILL');
        receiver.reply = () => ({ status: 204 });
      };
      await Promise.all(Array.from({ length: WRITERS }, worker));
      while (!killedAt && receiver.received.length < 20) await sleep(50);
      if (!killedAt) kill();
      expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

      const deliveredIds = () => new Set(receiver.at('/crash').map((got) => JSON.parse(got.body).data.id as string));
      const deadline = Date.now() + 60_000;
      while ([...committed].some((id) => !deliveredIds().has(id)) && Date.now() < deadline) await sleep(200);
      const delivered = deliveredIds();
      expect([...committed].filter((id) => !delivered.has(id))).toEqual([]);
      expect(delivered.size).toBe(committed.size);
      const titles = receiver.at('/crash').map((got) => JSON.parse(got.body).data.title as string);
      expect(titles.filter((title) => rolledBack.has(title))).toEqual([]);

      // The attempts lost with the first instance (received, never settled) are made again when their
      // lease ends: every delivery ends succeeded.
      const sql = writer.get(SqlRunner);
      const unsettled = async () =>
        (
          await sql.query<{ count: number }>(
            `SELECT count(*)::int AS count FROM webhook_deliveries WHERE list_id = $1 AND status <> 'succeeded'`,
            [listId],
          )
        )[0].count;
      const settleBy = Date.now() + 60_000;
      while ((await unsettled()) > 0 && Date.now() < settleBy) await sleep(250);
      expect(await unsettled()).toBe(0);

      // An event received twice was an attempt lost with the first instance: sent again within 30 s.
      const byEvent = new Map<string, number[]>();
      for (const got of receiver.at('/crash')) {
        const id = String(got.headers['webhook-id']);
        byEvent.set(id, [...(byEvent.get(id) ?? []), got.at]);
      }
      const repeated = [...byEvent.values()].filter((times) => times.length > 1);
      expect(repeated.length).toBeGreaterThan(0);
      for (const times of repeated) expect(times[1] - times[0]).toBeLessThan(30_000);
    });
  },
);
