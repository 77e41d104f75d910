import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { ChangesPurge } from '../../src/changes/changes-purge.js';
import { SqlRunner } from '../../src/database/sql-runner.js';
import { ChangeWrites } from '../helpers/change-writes.js';
import { bearer, registerUser, type TestUser } from '../helpers/fixtures.js';
import { eventually } from '../helpers/http.js';
import { createTestApp } from '../helpers/test-app.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

const RETENTION_DAYS = 30;

/**
 * Webhooks off (WEBHOOKS_ENABLED=false on every instance) for longer than CHANGES_RETENTION_DAYS:
 * the changes an enabled endpoint has not been sent yet must outlive the purge, or turning webhooks
 * back on would skip them.
 */
describe('Webhooks and the change log’s retention (e2e)', () => {
  let receiver: WebhookReceiver;
  let off: INestApplication<App>;
  let owner: TestUser;
  const on = () =>
    createTestApp({
      WEBHOOKS_ENABLED: 'true',
      WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOKS_TLS_CA_FILE: receiver.caFile,
      WEBHOOKS_POLL_MS: '100',
    });

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    off = await createTestApp({ WEBHOOKS_ENABLED: 'false' });
    owner = await registerUser(off, 'Owner');
  });
  afterAll(async () => {
    await off?.close();
    await receiver?.close();
  });

  it('keeps what an enabled endpoint was not sent past the retention, delivers it once webhooks are back, then purges it', async () => {
    // Three lists, set up while webhooks are on: one with an endpoint, one whose endpoint is off, one with none.
    const setup = await on();
    const http = request(setup.getHttpServer());
    const newList = async (name: string) =>
      (await http.post('/api/lists').set(bearer(owner)).send({ name }).expect(201)).body.data.id as string;
    const hook = async (listId: string, at: string) =>
      (
        await http
          .post(`/api/lists/${listId}/webhooks`)
          .set(bearer(owner))
          .send({ url: receiver.url(at), events: ['task.created'] })
          .expect(201)
      ).body.data.id as string;
    const hooked = await newList('Hooked');
    await hook(hooked, '/hooked');
    const switchedOff = await newList('Endpoint off');
    const offHook = await hook(switchedOff, '/off');
    await http
      .patch(`/api/lists/${switchedOff}/webhooks/${offHook}`)
      .set(bearer(owner))
      .send({ enabled: false })
      .expect(200);
    const plain = await newList('No endpoint');
    await setup.close();

    // Webhooks off everywhere: changes are recorded, nobody dispatches them, and they age past the retention.
    const writes = new ChangeWrites(off);
    const sql = off.get(SqlRunner);
    const lists = [hooked, switchedOff, plain];
    for (const listId of lists) await writes.createTask(listId, owner.id, 'While webhooks were off');
    const aged = new Date(Date.now() - (RETENTION_DAYS + 1) * 86_400_000).toISOString();
    for (const listId of lists) {
      // A literal time: Citus refuses a stable function of a column in an UPDATE of a distributed table.
      await sql.query(`UPDATE changes SET created_at = $2 WHERE list_id = $1`, [listId, aged]);
    }
    const types = async (listId: string) =>
      (await sql.query<{ type: string }>(`SELECT type FROM changes WHERE list_id = $1 ORDER BY seq`, [listId])).map(
        (row) => row.type,
      );
    expect(await types(hooked)).toContain('task.created');

    await off.get(ChangesPurge).purge();
    expect(await types(hooked)).toEqual(['task.created']); // after the endpoint's cursor: kept
    expect(await types(switchedOff)).toEqual([]); // an endpoint that is off holds nothing
    expect(await types(plain)).toEqual([]);

    // Webhooks back on: the kept change is delivered, and the next purge takes it.
    const back = await on();
    try {
      const [got] = await eventually(
        () => (receiver.at('/hooked').length > 0 ? receiver.at('/hooked') : undefined),
        8000,
        'the delivery',
      );
      expect(JSON.parse(got.body)).toMatchObject({
        type: 'task.created',
        data: { listId: hooked, title: 'While webhooks were off' },
      });
      // The cursor moved past the change when its delivery was queued, before it was sent.
      await back.get(ChangesPurge).purge();
      expect(await types(hooked)).toEqual([]);
      expect(receiver.at('/off')).toEqual([]);
    } finally {
      await back.close();
    }
  });
});
