import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { type TestUser, bearer, registerUser } from '../helpers/fixtures.js';
import { type RawResponse, portOf, rawExchange } from '../helpers/raw-http.js';
import { createTestApp } from '../helpers/test-app.js';

/** Every response from every layer is the contract's: the HTTP parser's, unknown paths anywhere, wrong methods. */
describe('Every layer answers with problem+json (e2e)', () => {
  let app: INestApplication<App>;
  let user: TestUser;
  let port: number;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    user = await registerUser(app);
    port = await portOf(app.getHttpServer() as Server);
  });
  afterAll(async () => {
    await app.close();
  });

  function expectContractHeaders(headers: Record<string, string>): void {
    expect(headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['cache-control']).toBe('no-store');
    expect(headers['x-powered-by']).toBeUndefined();
  }

  describe("requests Node's HTTP parser rejects", () => {
    function expectRawProblem(response: RawResponse, status: number, slug: string): void {
      expect(response.status).toBe(status);
      expectContractHeaders(response.headers);
      expect(response.headers.connection).toBe('close');
      const problem = JSON.parse(response.body) as Record<string, unknown>;
      expect(problem).toMatchObject({ type: `/problems/${slug}`, status, requestId: response.headers['x-request-id'] });
      expect(Number(response.headers['content-length'])).toBe(Buffer.byteLength(response.body));
    }

    it.each([
      ['a request line that is not HTTP', 'GARBAGE\r\n\r\n'],
      ['a header name with a space', 'GET /api/tasks HTTP/1.1\r\nHo st: x\r\n\r\n'],
      ['a header without a colon', 'GET /api/tasks HTTP/1.1\r\nHost: x\r\nnonsense\r\n\r\n'],
      ['an invalid Content-Length', 'POST /api/tasks HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n'],
      [
        'both Content-Length and chunked',
        'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n',
      ],
    ])('%s: 400 malformed-request', async (_case, bytes) => {
      expectRawProblem(await rawExchange(port, [bytes]), 400, 'malformed-request');
    });

    // The parser fails inside the body of a request already handed to the app (a public route reads it):
    // that request can never complete, so the problem goes out at once rather than after its response.
    it.each([
      ['a bad chunk size', '/api/auth/logout', 'zz\r\n{}\r\n0\r\n\r\n'],
      ['a bad chunk after a good one', '/api/auth/login', '2\r\n{}\r\nzz\r\n'],
      ['chunk data longer than its size', '/api/auth/refresh', '1\r\n{}\r\n0\r\n\r\n'],
    ])('%s in the body of a public route: 400 malformed-request', async (_case, path, body) => {
      const head = `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
      expectRawProblem(await rawExchange(port, [head + body]), 400, 'malformed-request');
    });

    it('headers over the limit: 431', async () => {
      const bytes = `GET /api/tasks HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`;
      expectRawProblem(await rawExchange(port, [bytes]), 431, 'request-header-fields-too-large');
    });

    // A keep-alive connection whose next request is bad while the one before it is still being answered
    // (the page waits on the database): that answer goes out whole, then the problem, then the close.
    // The bad bytes may start a new request, or sit in the body of one already handed to the app.
    const badNext = {
      garbage: 'GARBAGE\r\n\r\n',
      'a bad chunk in the next body':
        'POST /api/auth/logout HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    };
    it.each([
      ['a page still being answered', 'garbage', true],
      ['a page still being answered', 'a bad chunk in the next body', true],
      ['a health check', 'garbage', false],
      ['a health check', 'a bad chunk in the next body', false],
    ] as const)(
      '%s, then %s on the same connection: its answer, then 400 malformed-request',
      async (_case, bad, page) => {
        const good = page
          ? `GET /api/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${user.accessToken}\r\n\r\n`
          : 'GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n';
        const { body: text, status, closedByServer } = await rawExchange(port, [good + badNext[bad]]);
        expect(status).toBe(200);
        expect(closedByServer).toBe(true);
        const second = text.indexOf('HTTP/1.1 ');
        expect(second).toBeGreaterThan(0);
        const firstBody = text.slice(0, second);
        expect(() => JSON.parse(firstBody) as unknown).not.toThrow();
        const problem = text.slice(second);
        expect(problem).toMatch(/^HTTP\/1\.1 400 /);
        expect(problem).toContain('application/problem+json');
        expect(problem).toContain('/problems/malformed-request');
      },
    );

    it('and the service carries on', async () => {
      await http().get('/api/tasks').set(bearer(user)).expect(200);
    });
  });

  describe('unknown paths, inside and outside /api', () => {
    it.each([
      ['GET', '/nothing'],
      ['POST', '/favicon.ico'],
      ['GET', '/docs/nothing'],
      ['GET', '/health/nothing'],
      ['DELETE', '/api/nothing/at/all'],
      ['GET', '/apiary'],
    ])('%s %s is a 404 problem, with or without a token', async (method, path) => {
      for (const token of [false, true]) {
        const call = http()[method.toLowerCase() as 'get'](path);
        const response = await (token ? call.set(bearer(user)) : call);
        expect(response.status).toBe(404);
        expect(response.body).toMatchObject({ type: '/problems/not-found', instance: path });
        expectContractHeaders(response.headers);
      }
    });
  });

  describe('wrong methods on every known path', () => {
    it.each([
      ['POST', '/health/live', 'GET, HEAD'],
      ['DELETE', '/health/ready', 'GET, HEAD'],
      ['POST', '/docs', 'GET, HEAD'],
      ['PUT', '/docs/openapi.json', 'GET, HEAD'],
      ['PATCH', '/api/auth/session', 'GET, HEAD'],
    ])('%s %s is a 405 problem with Allow: %s', async (method, path, allow) => {
      const response = await http()[method.toLowerCase() as 'post'](path);
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe(allow);
      expect(response.body.type).toBe('/problems/method-not-allowed');
      expectContractHeaders(response.headers);
    });
  });

  it.each([
    ['/api/tasks/%ZZ', ['id']],
    ['/api/%E0%A4%A/tasks', ['userId']],
    ['/api/%0/tasks/%0', ['userId', 'id']],
  ])(
    'a path value with broken percent-encoding (%s) is a validation problem naming it in errors[]',
    async (path, fields) => {
      const response = await http().get(path).set(bearer(user)).expect(400);
      expect(response.body).toMatchObject({ type: '/problems/validation-error', instance: path });
      expect((response.body as { errors: { field: string }[] }).errors.map(({ field }) => field)).toEqual(fields);
    },
  );

  it('a path value with broken percent-encoding and no token is a 401 first', async () => {
    await http().get('/api/tasks/%ZZ').expect(401);
    await http().put('/api/%0/tasks/%0').set('Authorization', 'Bearer garbage').expect(401);
  });

  it('error responses to an authenticated caller carry Cache-Control: no-store', async () => {
    for (const response of [
      await http().post('/api/tasks').set(bearer(user)).send({ title: '' }),
      await http().post('/api/tasks').set(bearer(user)).set('Content-Type', 'application/json').send('{'),
      await http().get('/api/tasks/00000000-0000-4000-8000-000000000000').set(bearer(user)),
    ]) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });
});
