import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { type TestUser, bearer, registerUser } from '../helpers/fixtures.js';
import { portOf, rawExchange, rawRequest } from '../helpers/raw-http.js';
import { createTestApp } from '../helpers/test-app.js';

const MB = 1024 * 1024;

/**
 * An anonymous client never gets its body read: the 401 is answered as soon
 * as the headers are in, and the connection is closed rather than drained.
 */
describe('Authentication before the body (e2e)', () => {
  let app: INestApplication<App>;
  let user: TestUser;
  let port: number;

  beforeAll(async () => {
    app = await createTestApp();
    user = await registerUser(app);
    port = await portOf(app.getHttpServer() as Server);
  });
  afterAll(async () => {
    await app.close();
  });

  /** Announces `declared` bytes and sends 64 kB chunks of them, up to `sent`. */
  function bigUpload(headers: Record<string, string>, declared: number, sent: number): (string | Buffer)[] {
    const head = rawRequest('POST', '/api/tasks', {
      'Content-Type': 'application/json',
      'Content-Length': String(declared),
      ...headers,
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    return [head, ...Array.from({ length: Math.ceil(sent / chunk.length) }, () => chunk)];
  }

  it('answers a large anonymous upload with 401 and closes, without reading it', async () => {
    // 50 MB announced, 20 MB offered: a server that read (or drained) the body would wait for it all.
    const response = await rawExchange(port, bigUpload({}, 50 * MB, 20 * MB));
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers.connection).toBe('close');
    expect(response.closedByServer).toBe(true);
    expect(response.bytesSent).toBeLessThan(20 * MB);
    await request(app.getHttpServer()).get('/health/live').expect(200);
  });

  it('answers the same upload with a token by 413, also without reading it all', async () => {
    const response = await rawExchange(port, bigUpload({ Authorization: `Bearer ${user.accessToken}` }, 50 * MB, MB));
    expect(response.status).toBe(413);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('answers a chunked upload with a token by 413 once it passes the limit, without waiting for its end', async () => {
    const head = rawRequest('POST', '/api/tasks', {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      Authorization: `Bearer ${user.accessToken}`,
    });
    const data = ' '.repeat(16 * 1024);
    const chunk = `${data.length.toString(16)}\r\n${data}\r\n`;
    // 4 MB offered, never terminated: only an answer given at the limit ends this exchange.
    const response = await rawExchange(port, [head, ...Array.from({ length: 256 }, () => chunk)]);
    expect(response.status).toBe(413);
    expect(response.closedByServer).toBe(true);
  });

  it('does not invite an anonymous client to send its body (Expect: 100-continue)', async () => {
    const head = rawRequest('POST', '/api/tasks', {
      'Content-Type': 'application/json',
      'Content-Length': '13',
      Expect: '100-continue',
    });
    const response = await rawExchange(port, [head]);
    expect(response.status).toBe(401);
  });

  it('invites an authenticated one, and takes its body', async () => {
    const body = '{"title":"x"}';
    const head = rawRequest('POST', '/api/tasks', {
      'Content-Type': 'application/json',
      'Content-Length': String(body.length),
      Expect: '100-continue',
      Authorization: `Bearer ${user.accessToken}`,
    });
    const response = await rawExchange(port, [head, body]);
    // The interim 100 comes first; the final answer follows it.
    expect(response.status).toBe(100);
    expect(response.body).toMatch(/^HTTP\/1\.1 201 Created\r\n/);
  });

  it('still reads the body of a public route', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": ');
    expect(response.status).toBe(400);
    expect(response.body.type).toBe('/problems/malformed-request');
  });

  it('keeps the connection open after a 401 whose request was complete', async () => {
    const response = await request(app.getHttpServer()).get('/api/tasks').set('Connection', 'keep-alive');
    expect(response.status).toBe(401);
    expect(response.headers.connection).not.toBe('close');
    await request(app.getHttpServer()).get('/api/tasks').set(bearer(user)).expect(200);
  });
});
