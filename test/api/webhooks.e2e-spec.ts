import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { SqlRunner } from '../../src/database/sql-runner.js';
import { bearer, registerUser, type TestUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

type Method = 'get' | 'post' | 'patch' | 'delete';

const EVENTS = ['task.created', 'task.deleted'];

describe('Webhook endpoints (e2e)', () => {
  let app: INestApplication<App>;
  let owner: TestUser;
  let admin: TestUser;
  let editor: TestUser;
  let stranger: TestUser;
  let listId: string;

  const call = (user: TestUser | undefined, method: Method, path: string, body?: unknown) => {
    let req = request(app.getHttpServer())[method](path);
    if (user) req = req.set(bearer(user));
    return body === undefined ? req : req.send(body as object);
  };
  const hooks = (id = listId) => `/api/lists/${id}/webhooks`;
  const create = async (user: TestUser = admin, body: Record<string, unknown> = {}) =>
    (await call(user, 'post', hooks(), { url: 'https://example.com/hook', events: EVENTS, ...body }).expect(201)).body
      .data as Record<string, any>;

  const join = async (user: TestUser, role: string) => {
    const invitation = await call(owner, 'post', `/api/lists/${listId}/invitations`, { role }).expect(201);
    await call(user, 'post', '/api/invitations/accept', { token: invitation.body.data.token }).expect(200);
  };

  beforeAll(async () => {
    app = await createTestApp({ WEBHOOKS_MAX_PER_LIST: '3' });
    [owner, admin, editor, stranger] = await Promise.all(
      ['Owner', 'Admin', 'Editor', 'Stranger'].map((name) => registerUser(app, name)),
    );
    listId = (await call(owner, 'post', '/api/lists', { name: 'Hooks' }).expect(201)).body.data.id as string;
    await join(admin, 'admin');
    await join(editor, 'editor');
  });
  afterAll(async () => {
    await app.close();
  });

  describe('create', () => {
    it('answers 201 with Location and the secret shown this once, stored sealed', async () => {
      const response = await call(admin, 'post', hooks(), {
        url: 'https://example.com/a',
        events: EVENTS,
        description: 'CI',
      }).expect(201);
      const hook = response.body.data;
      expect(hook).toMatchObject({
        listId,
        url: 'https://example.com/a',
        events: EVENTS,
        description: 'CI',
        enabled: true,
        disabledReason: null,
        previousSecretExpiresAt: null,
      });
      expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(hook.secret.slice(6), 'base64')).toHaveLength(32);
      expect(response.headers.location).toBe(`/api/lists/${listId}/webhooks/${hook.id}`);

      const [stored] = await app
        .get(SqlRunner)
        .query<{ secret: string }>(`SELECT secret FROM webhooks WHERE list_id = $1 AND id = $2`, [listId, hook.id]);
      expect(stored.secret).not.toContain(hook.secret.slice(6));
      expect(stored.secret).toMatch(/^v1\./);

      const got = await call(admin, 'get', `${hooks()}/${hook.id}`).expect(200);
      expect(got.body.data).not.toHaveProperty('secret');
      const listed = await call(owner, 'get', hooks()).expect(200);
      expect(listed.body.data.map((h: { id: string }) => h.id)).toContain(hook.id);
      for (const item of listed.body.data) expect(item).not.toHaveProperty('secret');
      await call(owner, 'delete', `${hooks()}/${hook.id}`).expect(204);
    });

    it.each([
      [{ url: 'not a url', events: EVENTS }, 'url'],
      [{ url: 'ftp://example.com/x', events: EVENTS }, 'url'],
      [{ url: 'https://user:pw@example.com/x', events: EVENTS }, 'url'],
      [{ url: 42, events: EVENTS }, 'url'],
      [{ url: `https://example.com/${'x'.repeat(2100)}`, events: EVENTS }, 'url'],
      [{ url: 'https://example.com/x', events: [] }, 'events'],
      [{ url: 'https://example.com/x', events: ['task.exploded'] }, 'events'],
      [{ url: 'https://example.com/x', events: ['task.created', 'task.created'] }, 'events'],
      [{ url: 'https://example.com/x', events: 'task.created' }, 'events'],
      [{ url: 'https://example.com/x' }, 'events'],
      [{ events: EVENTS }, 'url'],
      [{ url: 'https://example.com/x', events: EVENTS, description: 7 }, 'description'],
      [{ url: 'https://example.com/x', events: EVENTS, secret: 'whsec_mine' }, 'secret'],
    ])('refuses %j with 400 on %s', async (body, field) => {
      const response = await call(admin, 'post', hooks(), body).expect(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    });

    it('is 409 limit-reached past WEBHOOKS_MAX_PER_LIST', async () => {
      const made = [await create(), await create(), await create()];
      const response = await call(admin, 'post', hooks(), { url: 'https://example.com/x', events: EVENTS }).expect(409);
      expect(response.body.type).toBe('/problems/limit-reached');
      for (const hook of made) await call(admin, 'delete', `${hooks()}/${hook.id}`).expect(204);
    });

    it('counts concurrent creations one after the other', async () => {
      const results = await Promise.all(
        Array.from({ length: 6 }, () => call(admin, 'post', hooks(), { url: 'https://example.com/x', events: EVENTS })),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(3);
      expect(results.filter((r) => r.status === 409)).toHaveLength(3);
      for (const r of results.filter((r) => r.status === 201)) {
        await call(admin, 'delete', `${hooks()}/${r.body.data.id}`).expect(204);
      }
    });
  });

  describe('access', () => {
    it('is 401 without a token', async () => {
      await call(undefined, 'get', hooks()).expect(401);
      await call(undefined, 'post', hooks(), { url: 'https://example.com/x', events: EVENTS }).expect(401);
    });

    it('is 403 insufficient-role for an editor, on every route, before a bad body', async () => {
      const hook = await create();
      const base = `${hooks()}/${hook.id}`;
      const cases: [Method, string, unknown?][] = [
        ['get', hooks()],
        ['post', hooks(), { url: 'https://example.com/x', events: EVENTS }],
        ['post', hooks(), { url: 'nope' }],
        ['get', base],
        ['patch', base, { enabled: false }],
        ['patch', base, { enabled: 'nope' }],
        ['delete', base],
        ['post', `${base}/rotate-secret`],
        ['get', `${base}/deliveries`],
        ['post', `${base}/deliveries/${randomUUID()}/retry`],
      ];
      for (const [method, path, body] of cases) {
        const response = await call(editor, method, path, body).expect(403);
        expect(response.body).toMatchObject({ type: '/problems/insufficient-role', requiredRole: 'admin' });
      }
      await call(admin, 'delete', base).expect(204);
    });

    it('is 404 for a stranger, and for another list’s endpoint', async () => {
      const hook = await create();
      await call(stranger, 'get', hooks()).expect(404);
      await call(stranger, 'get', `${hooks()}/${hook.id}`).expect(404);
      await call(stranger, 'post', hooks(), { url: 'nope' }).expect(404);
      await call(stranger, 'delete', `${hooks()}/${hook.id}`).expect(404);
      // The stranger's own list does not reach this list's endpoint.
      const own = (await call(stranger, 'post', '/api/lists', { name: 'Mine' }).expect(201)).body.data.id as string;
      await call(stranger, 'get', `${hooks(own)}/${hook.id}`).expect(404);
      await call(stranger, 'patch', `${hooks(own)}/${hook.id}`, { enabled: false }).expect(404);
      await call(stranger, 'delete', `${hooks(own)}/${hook.id}`).expect(404);
      await call(stranger, 'post', `${hooks(own)}/${hook.id}/rotate-secret`).expect(404);
      await call(stranger, 'get', `${hooks(own)}/${hook.id}/deliveries`).expect(404);
      await call(admin, 'get', `${hooks()}/${hook.id}`).expect(200);
      await call(admin, 'delete', `${hooks()}/${hook.id}`).expect(204);
    });

    it('is 400 for path values that are not UUIDs', async () => {
      const response = await call(admin, 'get', `/api/lists/nope/webhooks`).expect(400);
      expect(response.body.errors[0].field).toBe('listId');
      const hook = await call(admin, 'get', `${hooks()}/nope`).expect(400);
      expect(hook.body.errors[0].field).toBe('webhookId');
      await call(admin, 'post', `${hooks()}/${randomUUID()}/deliveries/nope/retry`).expect(400);
    });

    it('is 404 for an unknown endpoint or delivery', async () => {
      const missing = `${hooks()}/${randomUUID()}`;
      await call(admin, 'get', missing).expect(404);
      await call(admin, 'patch', missing, { enabled: false }).expect(404);
      await call(admin, 'delete', missing).expect(404);
      await call(admin, 'post', `${missing}/rotate-secret`).expect(404);
      await call(admin, 'get', `${missing}/deliveries`).expect(404);
      const hook = await create();
      await call(admin, 'post', `${hooks()}/${hook.id}/deliveries/${randomUUID()}/retry`).expect(404);
      await call(admin, 'delete', `${hooks()}/${hook.id}`).expect(204);
    });
  });

  describe('update, rotate, delete', () => {
    it('changes url, events, description and enabled; an empty body is 400', async () => {
      const hook = await create();
      const base = `${hooks()}/${hook.id}`;
      const updated = await call(admin, 'patch', base, {
        url: 'https://example.org/b',
        events: ['list.updated'],
        description: null,
        enabled: false,
      }).expect(200);
      expect(updated.body.data).toMatchObject({
        url: 'https://example.org/b',
        events: ['list.updated'],
        description: null,
        enabled: false,
      });
      expect(updated.body.data).not.toHaveProperty('secret');
      await call(admin, 'patch', base, {}).expect(400);
      await call(admin, 'patch', base, { secret: 'x' }).expect(400);
      await call(admin, 'patch', base, { enabled: 'yes' }).expect(400);
      await call(admin, 'patch', base, { events: ['nope'] }).expect(400);
      const enabled = await call(admin, 'patch', base, { enabled: true }).expect(200);
      expect(enabled.body.data.enabled).toBe(true);
      await call(admin, 'delete', base).expect(204);
      await call(admin, 'get', base).expect(404);
    });

    it('rotates: a new secret, the old one signing until 24 h from now', async () => {
      const hook = await create();
      const before = Date.now();
      const rotated = await call(admin, 'post', `${hooks()}/${hook.id}/rotate-secret`).expect(200);
      expect(rotated.body.data.secret).toMatch(/^whsec_/);
      expect(rotated.body.data.secret).not.toBe(hook.secret);
      const until = Date.parse(rotated.body.data.previousSecretExpiresAt);
      expect(until).toBeGreaterThanOrEqual(before + 24 * 3600_000 - 5000);
      expect(until).toBeLessThanOrEqual(Date.now() + 24 * 3600_000 + 5000);
      await call(admin, 'delete', `${hooks()}/${hook.id}`).expect(204);
    });

    it('lists deliveries as an empty page for a new endpoint; a bad cursor or limit is 400', async () => {
      const hook = await create();
      const page = await call(admin, 'get', `${hooks()}/${hook.id}/deliveries`).expect(200);
      expect(page.body).toEqual({ data: [], meta: { total: 0, limit: 20, nextCursor: null } });
      await call(admin, 'get', `${hooks()}/${hook.id}/deliveries?cursor=garbage`).expect(400);
      await call(admin, 'get', `${hooks()}/${hook.id}/deliveries?limit=0`).expect(400);
      await call(admin, 'get', `${hooks()}/${hook.id}/deliveries?limit=101`).expect(400);
      await call(admin, 'get', `${hooks()}/${hook.id}/deliveries?other=1`).expect(400);
      await call(admin, 'delete', `${hooks()}/${hook.id}`).expect(204);
    });
  });

  it('answers 404 on every webhook route when webhooks are off (WEBHOOKS_ENABLED=false)', async () => {
    const off = await createTestApp({ WEBHOOKS_ENABLED: 'false' });
    try {
      const http = () => request(off.getHttpServer());
      await http().get(hooks()).set(bearer(owner)).expect(404);
      await http().post(hooks()).set(bearer(owner)).send({ url: 'https://example.com/x', events: EVENTS }).expect(404);
      await http().get(`${hooks()}/${randomUUID()}/deliveries`).set(bearer(owner)).expect(404);
    } finally {
      await off.close();
    }
  });
});
