import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { App } from 'supertest/types.js';
import { CursorCodec } from '../../src/changes/change-cursor.js';
import { EventStreams } from '../../src/changes/event-streams.js';
import { jwtConfig } from '../../src/config/jwt.config.js';
import { ChangeWrites } from '../helpers/change-writes.js';
import { bearer, registerUser, type TestUser } from '../helpers/fixtures.js';
import { sleep } from '../helpers/http.js';
import { openStream } from '../helpers/sse-client.js';
import { createTestApp } from '../helpers/test-app.js';

const FAST = {
  EVENTS_HEARTBEAT_MS: '200',
  EVENTS_RECHECK_MS: '100',
  EVENTS_MAX_STREAMS_PER_USER: '2',
  EVENTS_MAX_BATCH: '3',
};

async function listening(env: Record<string, string>): Promise<{ app: INestApplication<App>; base: string }> {
  const app = await createTestApp(env);
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as unknown as Server).address() as AddressInfo;
  return { app, base: `http://127.0.0.1:${port}` };
}

const auth = (user: TestUser) => bearer(user);
const taskIds = (data: string) => (JSON.parse(data) as { entity: string; id: string }[]).map((change) => change.id);

describe('GET /api/events (e2e)', () => {
  let app: INestApplication<App>;
  let base: string;
  let writes: ChangeWrites;

  beforeAll(async () => {
    ({ app, base } = await listening(FAST));
    writes = new ChangeWrites(app);
  });

  afterAll(async () => {
    await app.close();
  });

  const ownerWithList = async () => {
    const owner = await registerUser(app);
    const listId = await writes.createList(owner.id);
    return { owner, listId };
  };

  it('is 401 without a token, as a problem', async () => {
    const response = await request(app.getHttpServer()).get('/api/events').expect(401);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('flushes the headers and a first comment at once, then sends changes and keep-alive comments', async () => {
    const { owner, listId } = await ownerWithList();
    const stream = await openStream(`${base}/api/events`, auth(owner));
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(stream.headers['cache-control']).toBe('no-store');
      expect(stream.text()).toMatch(/^: connected\n/);

      const task = await writes.createTask(listId, owner.id, 'pushed');
      const event = await stream.nextEvent(1);
      expect(event.event).toBe('changes');
      expect(event.id).toEqual(expect.any(String));
      expect(JSON.parse(event.data)).toEqual([
        {
          entity: 'task',
          op: 'upsert',
          id: task.id,
          listId,
          version: 1,
          data: expect.objectContaining({ title: 'pushed' }),
        },
      ]);
      await sleep(450);
      expect(stream.comments.filter((comment) => comment === 'keep-alive').length).toBeGreaterThanOrEqual(1);
    } finally {
      stream.close();
    }
  });

  it('starts at now without Last-Event-ID, and resumes exactly after it', async () => {
    const { owner, listId } = await ownerWithList();
    await writes.createTask(listId, owner.id, 'old news');
    const first = await openStream(`${base}/api/events`, auth(owner));
    const seen = await writes.createTask(listId, owner.id, 'seen');
    const event = await first.nextEvent(1);
    expect(taskIds(event.data)).toEqual([seen.id]);
    first.close();
    await first.ended;

    const missed = [
      await writes.createTask(listId, owner.id, 'missed 1'),
      await writes.createTask(listId, owner.id, 'missed 2'),
    ];
    const resumed = await openStream(`${base}/api/events`, { ...auth(owner), 'Last-Event-ID': event.id as string });
    try {
      const replay = await resumed.nextEvent(1);
      expect(taskIds(replay.data)).toEqual(missed.map((task) => task.id));
    } finally {
      resumed.close();
    }
  });

  it('is 400 for a malformed Last-Event-ID and 410 for an expired one', async () => {
    const user = await registerUser(app);
    const bad = await openStream(`${base}/api/events`, { ...auth(user), 'Last-Event-ID': 'nonsense' });
    await bad.ended;
    expect(bad.status).toBe(400);
    const codec = new CursorCodec(app.get<{ secret: string }>(jwtConfig.KEY).secret);
    const old = codec.encode(user.id, { completeAt: Date.now() - 40 * 86_400_000, lists: new Map() });
    const expired = await openStream(`${base}/api/events`, { ...auth(user), 'Last-Event-ID': old });
    await expired.ended;
    expect(expired.status).toBe(410);
    expect(expired.json?.type).toMatch(/cursor-expired$/);
  });

  it('asks the client to pull when too many changes come at once', async () => {
    const { owner, listId } = await ownerWithList();
    const stream = await openStream(`${base}/api/events`, auth(owner));
    try {
      const ids = await writes.createTasks(listId, owner.id, 5);
      const event = await stream.nextEvent(1);
      expect(JSON.parse(event.data)).toEqual({ pull: true });
      // The event's id is where the feed has them all.
      const page = await request(app.getHttpServer())
        .get('/api/changes')
        .query({ cursor: event.id })
        .set(auth(owner))
        .expect(200);
      expect(page.body.data.map((change: { id: string }) => change.id)).toEqual(ids);
      // The stream went on past them.
      const next = await writes.createTask(listId, owner.id, 'after the pull');
      expect(taskIds((await stream.nextEvent(2)).data)).toEqual([next.id]);
    } finally {
      stream.close();
    }
  });

  it('stops a list’s events at once when the member is removed, and sends a joined list whole', async () => {
    const { owner, listId } = await ownerWithList();
    const member = await registerUser(app);
    const task = await writes.createTask(listId, owner.id, 'there before');
    const stream = await openStream(`${base}/api/events`, auth(member));
    try {
      await writes.addMember(listId, member.id, 'editor');
      // The list, two members and a task: more than EVENTS_MAX_BATCH, so a pull.
      const pull = await stream.nextEvent(1, 3000);
      expect(JSON.parse(pull.data)).toEqual({ pull: true });
      const joined = (
        await request(app.getHttpServer()).get('/api/changes').query({ cursor: pull.id }).set(auth(member)).expect(200)
      ).body.data as { entity: string; id: string }[];
      expect(joined.filter((change) => change.entity === 'task').map((change) => change.id)).toEqual([task.id]);
      expect(joined.some((change) => change.entity === 'list')).toBe(true);

      await writes.removeMember(listId, member.id);
      const revoked = JSON.parse((await stream.nextEvent(2)).data) as Record<string, unknown>[];
      expect(revoked).toEqual([
        { entity: 'list', op: 'delete', id: listId, listId, version: 0, reason: 'access_revoked' },
      ]);
      await writes.createTask(listId, owner.id, 'not for the removed member');
      await sleep(700);
      expect(stream.events).toHaveLength(2);
    } finally {
      stream.close();
    }
  });

  it('pushes the writes of the real routes: a task created, completed and moved away, a member removed', async () => {
    const call = (user: TestUser) => ({
      post: (path: string, body: object) => request(app.getHttpServer()).post(path).set(auth(user)).send(body),
      patch: (path: string, body: object) => request(app.getHttpServer()).patch(path).set(auth(user)).send(body),
      delete: (path: string) => request(app.getHttpServer()).delete(path).set(auth(user)),
    });
    const [owner, member] = [await registerUser(app), await registerUser(app)];
    const list = (await call(owner).post('/api/lists', { name: 'Streamed' }).expect(201)).body.data as { id: string };
    const other = (await call(owner).post('/api/lists', { name: 'Elsewhere' }).expect(201)).body.data as { id: string };
    const { token } = (await call(owner).post(`/api/lists/${list.id}/invitations`, { role: 'viewer' }).expect(201)).body
      .data;
    await call(member).post('/api/invitations/accept', { token }).expect(200);
    const stream = await openStream(`${base}/api/events`, auth(member));
    try {
      const task = (await call(owner).post(`/api/lists/${list.id}/tasks`, { title: 'live' }).expect(201)).body.data;
      expect(JSON.parse((await stream.nextEvent(1)).data)).toEqual([
        { entity: 'task', op: 'upsert', id: task.id, listId: list.id, version: 1, data: task },
      ]);
      await call(owner).patch(`/api/tasks/${task.id}`, { completed: true }).expect(200);
      expect(JSON.parse((await stream.nextEvent(2)).data)).toEqual([
        expect.objectContaining({ id: task.id, version: 2, data: expect.objectContaining({ completed: true }) }),
      ]);
      await call(owner).patch(`/api/tasks/${task.id}`, { listId: other.id }).expect(200);
      expect(JSON.parse((await stream.nextEvent(3)).data)).toEqual([
        { entity: 'task', op: 'delete', id: task.id, listId: list.id, version: 3, reason: 'moved' },
      ]);
      await call(owner).delete(`/api/lists/${list.id}/members/${member.id}`).expect(204);
      expect(JSON.parse((await stream.nextEvent(4)).data)).toEqual([
        { entity: 'list', op: 'delete', id: list.id, listId: list.id, version: 0, reason: 'access_revoked' },
      ]);
    } finally {
      stream.close();
    }
  });

  it('delivers every acknowledged write, whatever order concurrent writers commit in', async () => {
    const owner = await registerUser(app);
    const lists = [
      await writes.createList(owner.id),
      await writes.createList(owner.id),
      await writes.createList(owner.id),
    ];
    const stream = await openStream(`${base}/api/events`, auth(owner));
    try {
      // Writers in three lists, each holding its transaction open a different while after recording.
      const acknowledged = await Promise.all(
        Array.from({ length: 24 }, async (_, i) => {
          await sleep((i * 7) % 30);
          return (await writes.createTask(lists[i % 3], owner.id, `w${i}`, () => sleep((i * 13) % 40))).id;
        }),
      );
      const seen = new Set<string>();
      let read = 0;
      const deadline = Date.now() + 5000;
      while (acknowledged.some((id) => !seen.has(id)) && Date.now() < deadline) {
        while (read < stream.events.length) {
          const event = stream.events[read++];
          const data = JSON.parse(event.data) as { id: string }[] | { pull: true };
          if (!Array.isArray(data)) {
            // Too many at once: the feed from the event's id has them.
            let cursor = event.id;
            for (let more = true; more;) {
              const page = await request(app.getHttpServer()).get('/api/changes').query({ cursor }).set(auth(owner));
              for (const change of page.body.data as { id: string }[]) seen.add(change.id);
              [cursor, more] = [page.body.meta.cursor, page.body.meta.hasMore];
            }
          } else for (const change of data) seen.add(change.id);
        }
        await sleep(20);
      }
      expect(acknowledged.filter((id) => !seen.has(id))).toEqual([]);
    } finally {
      stream.close();
    }
  });

  it('ends the stream when its session is revoked', async () => {
    const user = await registerUser(app);
    const stream = await openStream(`${base}/api/events`, auth(user));
    await request(app.getHttpServer()).post('/api/auth/logout').send({ refreshToken: user.refreshToken }).expect(204);
    const ended = await Promise.race([stream.ended.then(() => true), sleep(3000).then(() => false)]);
    expect(ended).toBe(true);
  });

  it('is 429 with Retry-After past the per-user cap', async () => {
    const user = await registerUser(app);
    const open = [
      await openStream(`${base}/api/events`, auth(user)),
      await openStream(`${base}/api/events`, auth(user)),
    ];
    try {
      const third = await openStream(`${base}/api/events`, auth(user));
      await third.ended;
      expect(third.status).toBe(429);
      expect(third.headers['retry-after']).toBe('5');
      expect(third.json?.type).toMatch(/rate-limited$/);
      open[0].close();
      await sleep(100);
      const again = await openStream(`${base}/api/events`, auth(user));
      expect(again.status).toBe(200);
      again.close();
    } finally {
      for (const stream of open) stream.close();
    }
  });

  it('ends every stream cleanly when the instance shuts down', async () => {
    const user = await registerUser(app);
    const stream = await openStream(`${base}/api/events`, auth(user));
    const streams = app.get(EventStreams);
    expect(streams.open).toBeGreaterThanOrEqual(1);
    streams.closeAll();
    await stream.ended;
    expect(stream.text()).toMatch(/^: connected/);
  });

  describe('tickets', () => {
    it('opens a stream once with ?ticket=, and never twice', async () => {
      const user = await registerUser(app);
      const issued = await request(app.getHttpServer()).post('/api/events/tickets').set(auth(user)).expect(201);
      const { ticket, expiresAt } = issued.body.data;
      expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(50_000);
      expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);
      const stream = await openStream(`${base}/api/events?ticket=${ticket}`);
      expect(stream.status).toBe(200);
      stream.close();
      const again = await openStream(`${base}/api/events?ticket=${ticket}`);
      await again.ended;
      expect(again.status).toBe(401);
    });

    it('is 401 for an unknown ticket, a ticket elsewhere, and without a token', async () => {
      for (const ticket of ['x', 'A'.repeat(43), '']) {
        const response = await request(app.getHttpServer()).get('/api/events').query({ ticket });
        expect(response.status).toBe(401);
      }
      const user = await registerUser(app);
      const { ticket } = (await request(app.getHttpServer()).post('/api/events/tickets').set(auth(user)).expect(201))
        .body.data;
      // A ticket is good for the event stream only.
      await request(app.getHttpServer()).get('/api/changes').query({ ticket }).expect(401);
      await request(app.getHttpServer()).post('/api/events/tickets').expect(401);
    });
  });
});

describe('GET /api/events across instances (Redis)', () => {
  const env = { ...FAST, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `tw-live-${process.pid}:` };
  let one: { app: INestApplication<App>; base: string };
  let two: { app: INestApplication<App>; base: string };

  beforeAll(async () => {
    one = await listening(env);
    two = await listening(env);
  });

  afterAll(async () => {
    await one.app.close();
    await two.app.close();
  });

  it('redeems a ticket on another instance, and fans a change out to a stream there', async () => {
    const owner = await registerUser(one.app);
    const writes = new ChangeWrites(one.app);
    const listId = await writes.createList(owner.id);
    const { ticket } = (
      await request(one.app.getHttpServer()).post('/api/events/tickets').set(bearer(owner)).expect(201)
    ).body.data;
    const stream = await openStream(`${two.base}/api/events?ticket=${ticket}`);
    try {
      expect(stream.status).toBe(200);
      await sleep(200); // the subscription of instance two is up
      const task = await writes.createTask(listId, owner.id, 'written on one');
      expect(taskIds((await stream.nextEvent(1, 3000)).data)).toEqual([task.id]);
    } finally {
      stream.close();
    }
  });

  it('ends a stream within 1 s when its session is revoked on another instance', async () => {
    const user = await registerUser(one.app);
    const stream = await openStream(`${two.base}/api/events`, auth(user));
    expect(stream.status).toBe(200);
    await sleep(200); // the subscriptions of both instances are up
    await request(one.app.getHttpServer())
      .post('/api/auth/logout')
      .send({ refreshToken: user.refreshToken })
      .expect(204);
    const ended = await Promise.race([stream.ended.then(() => true), sleep(1000).then(() => false)]);
    expect(ended).toBe(true);
  });
});

describe('GET /api/events: what no message announces', () => {
  it('asks nothing while idle, and ends a stream whose session lapsed at the next sweep of all sessions', async () => {
    // The per-stream re-check of old (EVENTS_RECHECK_MS: 100) would end the stream at once; only the sweep may.
    const { app, base } = await listening({ ...FAST, SESSION_CACHE_SECONDS: '0', EVENTS_SESSION_SWEEP_SECONDS: '3' });
    try {
      const user = await registerUser(app);
      const stream = await openStream(`${base}/api/events`, auth(user));
      expect(stream.status).toBe(200);
      // The session reaches its absolute end: nothing is revoked, so no message tells anyone.
      await app.get(DataSource).query(`UPDATE sessions SET expires_at = now() WHERE user_id = $1`, [user.id]);
      const early = await Promise.race([stream.ended.then(() => true), sleep(1000).then(() => false)]);
      expect(early).toBe(false);
      const ended = await Promise.race([stream.ended.then(() => true), sleep(4000).then(() => false)]);
      expect(ended).toBe(true);
    } finally {
      await app.close();
    }
  });
});

describe('GET /api/events: the instance cap', () => {
  it('is 503 with Retry-After when the instance holds its cap', async () => {
    const { app, base } = await listening({ ...FAST, EVENTS_MAX_STREAMS: '1' });
    try {
      const [a, b] = [await registerUser(app), await registerUser(app)];
      const held = await openStream(`${base}/api/events`, bearer(a));
      const refused = await openStream(`${base}/api/events`, bearer(b));
      await refused.ended;
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
      held.close();
    } finally {
      await app.close();
    }
  });
});
