import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { type TestUser, bearer, createTask, registerUser } from '../helpers/fixtures.js';
import { portOf, rawExchange, rawRequest } from '../helpers/raw-http.js';
import { createTestApp } from '../helpers/test-app.js';

/** `count` distinct short keys as JSON members (`"0":0,"1":0,…`). */
const members = (count: number) => Array.from({ length: count }, (_, i) => `"${i.toString(36)}":0`).join(',');

/** Names of Object.prototype members: class-transformer skipped such fields, so the whitelist never saw them. */
const PROTOTYPE_NAMES = [
  'hasOwnProperty',
  'toString',
  'valueOf',
  'constructor',
  '__proto__',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupSetter__',
];

/**
 * Requests an attacker sends at the HTTP edge: bodies built to cost work
 * (a key bomb, a wide array), fields named like prototype members, a request
 * target naming another host, unknown expectations, and bodies still arriving
 * when the answer is already known.
 */
describe('Abuse at the HTTP edge (e2e)', () => {
  let app: INestApplication<App>;
  let port: number;
  let user: TestUser;

  beforeAll(async () => {
    app = await createTestApp();
    port = await portOf(app.getHttpServer() as Server);
    user = await registerUser(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (path: string, body: string) =>
    request(app.getHttpServer()).post(path).set('Content-Type', 'application/json').send(body);

  describe('bodies built to cost work', () => {
    it('refuses a key bomb on a public route with a short answer', async () => {
      const body = `{${members(12_000)}}`; // 92 KB, under the 100 KB limit
      const response = await post('/api/auth/login', body).expect(400);
      expect(response.text.length).toBeLessThan(2000);
      expect(response.body.errors).toEqual([{ field: 'body', message: expect.stringMatching(/1000 members/) }]);
    });

    it('refuses the same keys wrapped in one unknown field', async () => {
      const response = await post('/api/auth/login', `{"wrap":{${members(12_000)}}}`).expect(400);
      // Refused on its bytes, before parsing: not after copying every key, as an unknown field.
      expect(response.body.errors).toEqual([{ field: 'body', message: expect.stringMatching(/1000 members/) }]);
    });

    it('refuses a wide array in a known field', async () => {
      const tags = JSON.stringify(Array.from({ length: 1200 }, () => 'a'));
      await request(app.getHttpServer())
        .post('/api/tasks')
        .set(bearer(user))
        .set('Content-Type', 'application/json')
        .send(`{"title":"x","tags":${tags}}`)
        .expect(400);
    });

    it('lists at most 20 unknown fields, and counts the rest', async () => {
      const response = await post('/api/auth/login', `{${members(900)}}`).expect(400);
      expect(response.body.errors).toHaveLength(20);
      expect(response.body.errors[0]).toEqual({ field: '0', message: 'is not an accepted field' });
      expect(response.body.detail).toMatch(/and 880 more$/);
    });

    it('accepts a body just under the limits', async () => {
      const tags = JSON.stringify(Array.from({ length: 20 }, (_, i) => `t${i}`));
      const response = await request(app.getHttpServer())
        .post('/api/tasks')
        .set(bearer(user))
        .set('Content-Type', 'application/json')
        .send(`{"title":"x","tags":${tags}}`)
        .expect(201);
      expect(response.body.data.tags).toHaveLength(20);
    });
  });

  describe('fields named like Object.prototype members are unknown fields', () => {
    let routes: [string, string, Record<string, unknown>, boolean][];
    let user: TestUser; // its own: an accepted body here could log it out or change its password
    let taskId: string;
    beforeAll(async () => {
      user = await registerUser(app);
      taskId = (await createTask(app, user)).id as string;
      // method, path, an otherwise valid body, whether it needs the token
      routes = [
        ['POST', '/api/auth/register', { email: 'p@example.com', password: 'plausible-Tortoise-42', name: 'P' }, false],
        ['POST', '/api/auth/login', { email: user.email, password: user.password }, false],
        ['POST', '/api/auth/refresh', { refreshToken: user.refreshToken }, false],
        ['POST', '/api/auth/logout', { refreshToken: user.refreshToken }, false],
        ['POST', '/api/tasks', { title: 'ok' }, true],
        ['POST', '/api/tasks/complete-all', { completed: true }, true],
        ['PUT', `/api/tasks/${taskId}`, { title: 'ok' }, true],
        ['PATCH', `/api/tasks/${taskId}`, { title: 'ok' }, true],
        ['PATCH', `/api/tasks/${taskId}/complete`, { completed: true }, true],
        ['POST', `/api/tasks/${taskId}/toggle`, {}, true],
        ['PATCH', '/api/users/me', { name: 'ok' }, true],
        [
          'POST',
          '/api/users/me/password',
          { currentPassword: user.password, newPassword: 'another-Tortoise-43' },
          true,
        ],
        ['POST', '/api/users/me/identities', { token: 'x' }, true],
      ];
    });

    it('on every route that takes a body', async () => {
      const accepted: string[] = [];
      for (const [method, path, valid, authenticated] of routes) {
        for (const name of PROTOTYPE_NAMES) {
          // Written out by hand: JSON.stringify of an object literal would drop or misplace `__proto__`.
          const body = `${JSON.stringify(valid).slice(0, -1)}${Object.keys(valid).length ? ',' : ''}"${name}":1}`;
          const call = request(app.getHttpServer())
            [method.toLowerCase() as 'post'](path)
            .set('Content-Type', 'application/json');
          if (authenticated) void call.set(bearer(user));
          const response = await call.send(body);
          const refused =
            response.status === 400 &&
            (response.body.errors as { field: string }[] | undefined)?.some((error) => error.field === name);
          if (!refused) accepted.push(`${method} ${path} ${name}: ${response.status}`);
        }
      }
      expect(accepted).toEqual([]);
    });

    it('in a query', async () => {
      for (const name of PROTOTYPE_NAMES) {
        const response = await request(app.getHttpServer()).get(`/api/tasks?${name}=1`).set(bearer(user)).expect(400);
        expect(response.body.errors).toEqual([{ field: name, message: 'is not an accepted field' }]);
      }
    });
  });

  describe('the request target', () => {
    it('gives Location the path only, whatever host an absolute-form target names', async () => {
      const body = '{"title":"from afar"}';
      const response = await rawExchange(port, [
        rawRequest(
          'POST',
          'http://evil.example/api/tasks',
          { 'Content-Type': 'application/json', 'Content-Length': String(body.length), ...bearer(user) },
          body,
        ),
      ]);
      expect(response.status).toBe(201);
      expect(response.headers.location).toMatch(/^\/api\/tasks\/[0-9a-f-]{36}$/);
    });

    it('keeps a problem instance to the path as well', async () => {
      const response = await rawExchange(port, [rawRequest('GET', 'http://evil.example/api/nowhere?x=1', {})]);
      expect(response.status).toBe(404);
      expect(JSON.parse(response.body).instance).toBe('/api/nowhere');
    });
  });

  describe('Expect', () => {
    it('answers an expectation other than 100-continue with a 417 problem', async () => {
      const response = await rawExchange(port, [
        rawRequest('GET', '/api/tasks', { Expect: 'teapot', ...bearer(user) }),
      ]);
      expect(response.status).toBe(417);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['x-request-id']).toBeDefined();
      expect(JSON.parse(response.body)).toMatchObject({
        status: 417,
        type: expect.stringMatching(/expectation-failed$/),
      });
    });

    it('still takes 100-continue, in any case', async () => {
      const body = '{"title":"x"}';
      const response = await rawExchange(port, [
        rawRequest('POST', '/api/tasks', {
          'Content-Type': 'application/json',
          'Content-Length': String(body.length),
          Expect: '100-Continue',
          ...bearer(user),
        }),
        body,
      ]);
      expect(response.status).toBe(100);
      expect(response.body).toMatch(/^HTTP\/1\.1 201 Created\r\n/);
    });
  });

  describe('an answer given while the body is still arriving reaches the client', () => {
    /**
     * A client still sending its body when the answer comes: it reads the answer, goes on sending
     * (as a client that writes its whole request before it reads does), then closes. Closed at once,
     * the server's side resets the connection on the bytes that follow, and such a client, or its
     * system, may lose the answer; lingering, the server reads and drops them, and closes cleanly.
     */
    function sendOnAfterAnswer(path: string, size: number, headers: Record<string, string> = {}) {
      return new Promise<{ status: number; body: string; reset?: string; sent: number; clientGaveUp: boolean }>(
        (resolve, reject) => {
          // Half-open allowed: the server's FIN after its answer does not end the client's sending.
          const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
          const received: Buffer[] = [];
          let reset: string | undefined;
          let sent = 0;
          // Whether the client gave up waiting (the server neither closed nor reset by then).
          let clientGaveUp = false;
          const timer = setTimeout(() => {
            clientGaveUp = true;
            socket.destroy();
          }, 8000);
          const answered = new Promise((next) => socket.once('data', next));
          socket.on('data', (data) => received.push(data));
          socket.on('error', (error: Error & { code?: string }) => (reset ??= error.code));
          socket.on('close', () => {
            clearTimeout(timer);
            const text = Buffer.concat(received).toString('utf8');
            const end = text.indexOf('\r\n\r\n');
            if (end < 0) reject(new Error(`no answer read (${reset ?? 'closed'})`));
            else resolve({ status: Number(text.split(' ')[1]), body: text.slice(end + 4), reset, sent, clientGaveUp });
          });
          socket.on('connect', () => {
            void (async () => {
              const chunk = Buffer.alloc(16 * 1024, 0x20);
              const write = (data: string | Buffer) =>
                new Promise<boolean>((done) => socket.write(data, (error) => done(!error)));
              const head = rawRequest('POST', path, {
                'Content-Type': 'application/json',
                'Content-Length': String(size),
                ...headers,
              });
              await write(head + ' ');
              await answered;
              await new Promise((next) => setTimeout(next, 100)); // a server that closed at once has by now
              let ok = true;
              for (sent = 1; ok && sent < size; sent += chunk.length) {
                ok = await write(chunk.subarray(0, Math.min(chunk.length, size - sent)));
              }
              if (ok) socket.end();
            })();
          });
        },
      );
    }

    it('413 for a body over the limit', async () => {
      const result = await sendOnAfterAnswer('/api/tasks', 300 * 1024, bearer(user));
      expect(result.status).toBe(413);
      expect(JSON.parse(result.body)).toMatchObject({ status: 413 });
      expect(result.reset).toBeUndefined();
    });

    it('401 for an anonymous body', async () => {
      const result = await sendOnAfterAnswer('/api/tasks', 300 * 1024);
      expect(result.status).toBe(401);
      expect(JSON.parse(result.body)).toMatchObject({ status: 401 });
      expect(result.reset).toBeUndefined();
    });

    it('and gives up on a client that sends on and on', async () => {
      const result = await sendOnAfterAnswer('/api/tasks', 64 * 1024 * 1024);
      expect(result.status).toBe(401);
      // Cut off by the server after a mebibyte (or 2 s), not read to the end. Whether the client then
      // sees a reset or a plain close depends on what was still unread in the server's buffers.
      expect(result.clientGaveUp).toBe(false);
      expect(result.sent).toBeLessThan(64 * 1024 * 1024);
    });
  });
});
