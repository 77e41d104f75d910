import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { ChangeLog } from '../../src/changes/change-log.js';
import { SqlRunner } from '../../src/database/sql-runner.js';
import { ChangeWrites } from '../helpers/change-writes.js';
import { bearer, registerUser, type TestUser } from '../helpers/fixtures.js';
import { sleep } from '../helpers/http.js';
import { createTestApp } from '../helpers/test-app.js';
import { type Received, WebhookReceiver } from '../helpers/webhook-receiver.js';

/** Polls an async check until it returns a value. */
async function until<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 8000, what = 'condition') {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const headersOf = (got: Received) => ({
  'webhook-id': String(got.headers['webhook-id']),
  'webhook-timestamp': String(got.headers['webhook-timestamp']),
  'webhook-signature': String(got.headers['webhook-signature']),
});

describe('Webhook deliveries (e2e, a real HTTPS receiver)', () => {
  let receiver: WebhookReceiver;
  let app: INestApplication<App>;
  let writes: ChangeWrites;
  let owner: TestUser;
  let path = 0;

  const env = () => ({
    WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOKS_TLS_CA_FILE: receiver.caFile,
    WEBHOOKS_POLL_MS: '100',
    WEBHOOKS_RETRY_SCHEDULE: '300ms,300ms',
    WEBHOOKS_TIMEOUT_MS: '1000',
  });
  const http = () => request(app.getHttpServer());
  const newList = async () =>
    (await http().post('/api/lists').set(bearer(owner)).send({ name: 'Hooked' }).expect(201)).body.data.id as string;
  /** An endpoint on a fresh path of the receiver. */
  const hook = async (listId: string, events = ['task.created']) => {
    const at = `/hook-${++path}`;
    const response = await http()
      .post(`/api/lists/${listId}/webhooks`)
      .set(bearer(owner))
      .send({ url: receiver.url(at), events })
      .expect(201);
    return {
      ...(response.body.data as { id: string; secret: string }),
      at,
      base: `/api/lists/${listId}/webhooks/${response.body.data.id}`,
    };
  };
  const deliveries = async (base: string) =>
    (await http().get(`${base}/deliveries`).set(bearer(owner)).expect(200)).body.data as Record<string, any>[];
  const received = (at: string, count: number, timeoutMs?: number) =>
    until(
      () => (receiver.at(at).length >= count ? receiver.at(at) : undefined),
      timeoutMs,
      `${count} requests at ${at}`,
    );

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    app = await createTestApp(env());
    writes = new ChangeWrites(app);
    owner = await registerUser(app, 'Owner');
  });
  afterEach(() => {
    receiver.reply = () => ({ status: 204 });
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  it('delivers a committed change, signed per Standard Webhooks, with the change’s event id', async () => {
    const listId = await newList();
    const endpoint = await hook(listId);
    const task = await writes.createTask(listId, owner.id, 'Ship it');
    const [got] = await received(endpoint.at, 1);

    const verified = new Webhook(endpoint.secret).verify(got.body, headersOf(got)) as Record<string, any>;
    expect(verified).toMatchObject({ type: 'task.created', data: { listId, id: task.id, title: 'Ship it' } });
    expect(Date.parse(verified.timestamp)).not.toBeNaN();
    expect(got.headers['content-type']).toBe('application/json');
    const [change] = await app
      .get(SqlRunner)
      .query<{ eventId: string }>(`SELECT event_id AS "eventId" FROM changes WHERE list_id = $1 AND entity_id = $2`, [
        listId,
        task.id,
      ]);
    expect(got.headers['webhook-id']).toBe(change.eventId);
    // A forged body does not verify.
    expect(() =>
      new Webhook(endpoint.secret).verify(got.body.replace('Ship it', 'Ship nothing'), headersOf(got)),
    ).toThrow();

    const [delivery] = await until(async () => {
      const log = await deliveries(endpoint.base);
      return log[0]?.status === 'succeeded' ? log : undefined;
    });
    expect(delivery).toMatchObject({
      eventId: change.eventId,
      type: 'task.created',
      status: 'succeeded',
      attempts: 1,
      lastStatusCode: 204,
      nextAttemptAt: null,
    });
  });

  it('delivers what the real routes record: a task created, completed, deleted; a 412 sends nothing', async () => {
    const listId = await newList();
    const endpoint = await hook(listId, ['task.created', 'task.completed', 'task.deleted', 'task.updated']);
    const task = (
      await http().post(`/api/lists/${listId}/tasks`).set(bearer(owner)).send({ title: 'Routed' }).expect(201)
    ).body.data;
    await http()
      .patch(`/api/tasks/${task.id}`)
      .set(bearer(owner))
      .set('If-Match', '"9"')
      .send({ title: 'x' })
      .expect(412);
    await http().patch(`/api/tasks/${task.id}`).set(bearer(owner)).send({ completed: true }).expect(200);
    await http().delete(`/api/tasks/${task.id}`).set(bearer(owner)).expect(204);
    await received(endpoint.at, 3);
    await sleep(500);
    const got = receiver.at(endpoint.at).map((r) => new Webhook(endpoint.secret).verify(r.body, headersOf(r)) as any);
    expect(got.map((event) => event.type).sort()).toEqual(['task.completed', 'task.created', 'task.deleted']);
    expect(got.find((event) => event.type === 'task.completed').data).toMatchObject({ id: task.id, completed: true });
  });

  it('sends nothing for a rolled-back change, nor for an event the endpoint did not choose', async () => {
    const listId = await newList();
    const endpoint = await hook(listId);
    await expect(
      writes.createTask(listId, owner.id, 'Never', () => Promise.reject(new Error('rolled back'))),
    ).rejects.toThrow('rolled back');
    const kept = await writes.createTask(listId, owner.id, 'Kept');
    await writes.deleteTask(listId, kept.id, owner.id);
    const after = await writes.createTask(listId, owner.id, 'After');
    const got = await received(endpoint.at, 2);
    await sleep(500);
    // Attempts run side by side: events may arrive in any order.
    expect(
      receiver
        .at(endpoint.at)
        .map((r) => JSON.parse(r.body).data.title as string)
        .sort(),
    ).toEqual(['After', 'Kept']);
    expect(got.map((r) => JSON.parse(r.body).type)).toEqual(['task.created', 'task.created']);
    expect(got.map((r) => JSON.parse(r.body).data.id)).toContain(after.id);
  });

  it('signs with both secrets for 24 h after a rotation', async () => {
    const listId = await newList();
    const endpoint = await hook(listId);
    const rotated = await http().post(`${endpoint.base}/rotate-secret`).set(bearer(owner)).expect(200);
    const secret = rotated.body.data.secret as string;
    await writes.createTask(listId, owner.id, 'Rotated');
    const [got] = await received(endpoint.at, 1);
    expect(String(got.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(new Webhook(secret).verify(got.body, headersOf(got))).toMatchObject({ type: 'task.created' });
    expect(new Webhook(endpoint.secret).verify(got.body, headersOf(got))).toMatchObject({ type: 'task.created' });
    // Past the overlap, only the new one signs.
    await app
      .get(SqlRunner)
      .query(`UPDATE webhooks SET previous_secret_until = now() - interval '1 second' WHERE id = $1`, [endpoint.id]);
    await writes.createTask(listId, owner.id, 'Later');
    const [, later] = await received(endpoint.at, 2);
    expect(String(later.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(new Webhook(secret).verify(later.body, headersOf(later))).toBeTruthy();
    expect(() => new Webhook(endpoint.secret).verify(later.body, headersOf(later))).toThrow();
  });

  it('retries after 500s and a time-out, with the same webhook-id, each attempt signed afresh', async () => {
    const listId = await newList();
    const endpoint = await hook(listId);
    let calls = 0;
    receiver.reply = () => {
      calls++;
      if (calls === 1) return { status: 500, body: 'x'.repeat(5000) };
      if (calls === 2) return 'hang';
      return { status: 200 };
    };
    await writes.createTask(listId, owner.id, 'Flaky');
    const attempts = await received(endpoint.at, 3, 10_000);
    expect(new Set(attempts.map((r) => r.headers['webhook-id'])).size).toBe(1);
    for (const attempt of attempts) {
      expect(new Webhook(endpoint.secret).verify(attempt.body, headersOf(attempt))).toBeTruthy();
      expect(Math.abs(Number(attempt.headers['webhook-timestamp']) - attempt.at / 1000)).toBeLessThan(2);
    }
    // The waits of the schedule (300 ms) and the time-out (1 s) lie between the attempts.
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(250);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(1250);
    const [delivery] = await until(async () => {
      const log = await deliveries(endpoint.base);
      return log[0]?.status === 'succeeded' ? log : undefined;
    });
    expect(delivery).toMatchObject({ attempts: 3, lastStatusCode: 200 });
  });

  it('keeps 1 KB of a failed response, and does not follow a redirect', async () => {
    const listId = await newList();
    const endpoint = await hook(listId);
    receiver.reply = (got) =>
      got.path === endpoint.at
        ? { status: 302, body: 'y'.repeat(3000), headers: { location: receiver.url('/elsewhere') } }
        : { status: 204 };
    await writes.createTask(listId, owner.id, 'Redirected');
    await received(endpoint.at, 1);
    const [delivery] = await until(async () => {
      const log = await deliveries(endpoint.base);
      return log[0]?.lastStatusCode === 302 ? log : undefined;
    });
    expect(delivery.lastResponseBody).toHaveLength(1024);
    expect(delivery.status).toBe('pending');
    await sleep(200);
    expect(receiver.at('/elsewhere')).toHaveLength(0);
  });

  it('turns an endpoint off on 410 Gone, and sends it nothing more', async () => {
    const listId = await newList();
    const endpoint = await hook(listId);
    receiver.reply = () => ({ status: 410 });
    await writes.createTask(listId, owner.id, 'Gone');
    await received(endpoint.at, 1);
    const off = await until(async () => {
      const got = await http().get(endpoint.base).set(bearer(owner)).expect(200);
      return got.body.data.enabled === false ? got.body.data : undefined;
    });
    expect(off.disabledReason).toBe('gone');
    expect((await deliveries(endpoint.base))[0]).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 410 });
    await writes.createTask(listId, owner.id, 'Unheard');
    await sleep(800);
    expect(receiver.at(endpoint.at)).toHaveLength(1);
  });

  it('fails the delivery and turns the endpoint off after the whole schedule; a manual retry sends it again (202)', async () => {
    const listId = await newList();
    const endpoint = await hook(listId);
    receiver.reply = () => ({ status: 503 });
    await writes.createTask(listId, owner.id, 'Doomed');
    await received(endpoint.at, 3);
    const [failed] = await until(async () => {
      const log = await deliveries(endpoint.base);
      return log[0]?.status === 'failed' ? log : undefined;
    });
    expect(failed).toMatchObject({ attempts: 3, lastStatusCode: 503, nextAttemptAt: null });
    const off = await http().get(endpoint.base).set(bearer(owner)).expect(200);
    expect(off.body.data).toMatchObject({ enabled: false, disabledReason: 'failing' });
    await sleep(500);
    expect(receiver.at(endpoint.at)).toHaveLength(3);

    receiver.reply = () => ({ status: 204 });
    await http().patch(endpoint.base).set(bearer(owner)).send({ enabled: true }).expect(200);
    await http().post(`${endpoint.base}/deliveries/${failed.id}/retry`).set(bearer(owner)).expect(202);
    const attempts = await received(endpoint.at, 4);
    expect(attempts[3].headers['webhook-id']).toBe(failed.eventId);
    await until(async () => {
      const log = await deliveries(endpoint.base);
      return log[0]?.status === 'succeeded' ? log : undefined;
    });
  });

  it('delivers list.deleted to the list’s endpoints, which then go', async () => {
    const listId = await newList();
    const endpoint = await hook(listId, ['list.deleted', 'task.created']);
    const sql = app.get(SqlRunner);
    await sql.transaction(async (tx) => {
      await app.get(ChangeLog).record(tx, {
        listId,
        entity: 'list',
        op: 'delete',
        id: listId,
        version: 1,
        type: 'list.deleted',
        actorId: owner.id,
      });
      await tx.query(`DELETE FROM lists WHERE id = $1`, [listId]);
    });
    const [got] = await received(endpoint.at, 1);
    expect(new Webhook(endpoint.secret).verify(got.body, headersOf(got))).toMatchObject({
      type: 'list.deleted',
      data: { listId, id: listId, version: 1 },
    });
    await until(async () => {
      const rows = await sql.query(`SELECT 1 FROM webhooks WHERE list_id = $1`, [listId]);
      return rows.length === 0 ? true : undefined;
    });
    expect(await sql.query(`SELECT 1 FROM webhook_deliveries WHERE list_id = $1`, [listId])).toHaveLength(0);
    expect(await sql.query(`SELECT 1 FROM webhook_cursors WHERE list_id = $1`, [listId])).toHaveLength(0);
  });

  it('gives every endpoint of the list the same event id; none gets what came before it, or while it was off', async () => {
    const listId = await newList();
    const first = await hook(listId, ['task.created', 'member.removed']);
    await writes.createTask(listId, owner.id, 'Before the second');
    await received(first.at, 1);
    const second = await hook(listId, ['task.created', 'member.removed']);
    const member = await registerUser(app, 'Member');
    await writes.addMember(listId, member.id);
    await writes.removeMember(listId, member.id);
    await writes.createTask(listId, owner.id, 'Both');
    // Attempts run side by side: events may arrive in any order.
    const byType = (got: Received[], type: string) => got.find((r) => JSON.parse(r.body).type === type)!;
    const byTitle = (got: Received[], title: string) => got.find((r) => JSON.parse(r.body).data.title === title)!;
    const atFirst = await received(first.at, 3);
    const atSecond = await received(second.at, 2);
    const removed = byType(atFirst, 'member.removed');
    expect(JSON.parse(removed.body)).toMatchObject({ type: 'member.removed', data: { listId, userId: member.id } });
    expect(byType(atSecond, 'member.removed').headers['webhook-id']).toBe(removed.headers['webhook-id']);
    expect(byTitle(atSecond, 'Both').headers['webhook-id']).toBe(byTitle(atFirst, 'Both').headers['webhook-id']);
    expect(atSecond.map((r) => JSON.parse(r.body).data.title)).not.toContain('Before the second');

    await http().patch(second.base).set(bearer(owner)).send({ enabled: false }).expect(200);
    await writes.createTask(listId, owner.id, 'While off');
    await received(first.at, 4);
    await http().patch(second.base).set(bearer(owner)).send({ enabled: true }).expect(200);
    await writes.createTask(listId, owner.id, 'On again');
    await received(first.at, 5);
    await received(second.at, 3);
    await sleep(300);
    const titles = receiver.at(second.at).map((got) => String(JSON.parse(got.body).data.title));
    expect(titles.sort()).toEqual(['Both', 'On again', 'undefined']);
  });

  it('two instances share a burst: every change delivered, no attempt sent twice', async () => {
    const second = await createTestApp(env());
    try {
      const listId = await newList();
      const endpoint = await hook(listId);
      const count = 60;
      await Promise.all(Array.from({ length: count }, (_, i) => writes.createTask(listId, owner.id, `Burst ${i}`)));
      const got = await received(endpoint.at, count, 15_000);
      await sleep(500);
      const ids = receiver.at(endpoint.at).map((r) => r.headers['webhook-id']);
      expect(ids).toHaveLength(count);
      expect(new Set(ids).size).toBe(count);
      expect(new Set(got.map((r) => JSON.parse(r.body).data.title)).size).toBe(count);
    } finally {
      await second.close();
    }
  });

  it('a slow receiver does not slow the API', async () => {
    const listId = await newList();
    const endpoint = await hook(listId);
    receiver.reply = () => ({ status: 204, delayMs: 900 });
    await Promise.all(Array.from({ length: 40 }, (_, i) => writes.createTask(listId, owner.id, `Slow ${i}`)));
    await received(endpoint.at, 10);
    const started = Date.now();
    await http().get('/api/lists').set(bearer(owner)).expect(200);
    await http().get(`${endpoint.base}/deliveries`).set(bearer(owner)).expect(200);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('pages the delivery log newest first', async () => {
    const listId = await newList();
    const endpoint = await hook(listId);
    for (let i = 0; i < 5; i++) await writes.createTask(listId, owner.id, `Page ${i}`);
    await received(endpoint.at, 5);
    const first = await http().get(`${endpoint.base}/deliveries?limit=2`).set(bearer(owner)).expect(200);
    expect(first.body.meta).toMatchObject({ total: 5, limit: 2 });
    const seen = first.body.data.map((d: { id: string }) => d.id);
    let cursor = first.body.meta.nextCursor as string | null;
    while (cursor) {
      const page = await http()
        .get(`${endpoint.base}/deliveries`)
        .query({ limit: 2, cursor })
        .set(bearer(owner))
        .expect(200);
      seen.push(...page.body.data.map((d: { id: string }) => d.id));
      cursor = page.body.meta.nextCursor;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });
});
