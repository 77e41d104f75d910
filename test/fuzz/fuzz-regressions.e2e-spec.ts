import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { execute } from './execute.js';
import { rawHttp, type RawRequest } from './generators/raw-http.js';
import type { HostileRequest } from './hostile-request.js';
import { FuzzTarget } from './target.js';
import { ensureBuilt } from '../helpers/built-service.js';

/**
 * The fuzz suite's shrunk counterexamples (docs/TESTING.md), replayed as plain examples through the
 * same oracle: each broke a rule of the contract before it was fixed.
 */
const own = { kind: 'own' } as const;
const valid = { kind: 'valid' } as const;
const garbageToken = { kind: 'bad', token: 'garbage' } as const;

const CASES: [string, HostileRequest][] = [
  [
    'a body nested 10,000 levels deep is a 400, and the process lives',
    {
      method: 'POST',
      target: { kind: 'route', route: 'createTask' },
      auth: valid,
      body: { text: `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`, verdict: { kind: 'rejected' } },
    },
  ],
  [
    'a deeply nested __proto__ body sent to a public route is a 400, and the process lives',
    {
      method: 'POST',
      target: { kind: 'route', route: 'register' },
      auth: valid,
      body: { text: `${'{"__proto__":'.repeat(3400)}1${'}'.repeat(3400)}`, verdict: { kind: 'rejected' } },
    },
  ],
  [
    'an authenticated 400 for a malformed body carries Cache-Control: no-store',
    {
      method: 'PUT',
      target: { kind: 'route', route: 'replaceTask', taskId: own },
      auth: valid,
      body: { text: '[][]', verdict: { kind: 'malformed' } },
    },
  ],
  [
    'a malformed body without a valid token is a 401, not a 400',
    {
      method: 'POST',
      target: { kind: 'route', route: 'createTask' },
      auth: garbageToken,
      body: { text: '{"title":', verdict: { kind: 'malformed' } },
    },
  ],
  [
    'a body of another media type without a valid token is a 401, not a 415',
    {
      method: 'POST',
      target: { kind: 'route', route: 'createTask' },
      auth: { kind: 'none' },
      body: { text: 'title=x', contentType: 'text/plain', verdict: { kind: 'unsupported' } },
    },
  ],
  [
    'a body over the limit without a token is a 401',
    {
      method: 'POST',
      target: { kind: 'route', route: 'createTask' },
      auth: { kind: 'none' },
      body: { text: 'x', repeat: 300_000, verdict: { kind: 'too-large' } },
    },
  ],
  [
    '__proto__ in a toggle body is an unknown field (400), not a toggle',
    {
      method: 'POST',
      target: { kind: 'route', route: 'toggleTask', taskId: own },
      auth: valid,
      body: { text: '{"__proto__":{}}', verdict: { kind: 'invalid' } },
    },
  ],
  [
    'an unknown field in a DELETE body is a 400 naming it, and deletes nothing',
    {
      method: 'DELETE',
      target: { kind: 'route', route: 'deleteTask', taskId: own },
      auth: valid,
      body: { text: '{"id":[]}', verdict: { kind: 'invalid', fields: ['id'] } },
    },
  ],
  [
    'a path id with broken percent-encoding is a validation problem naming it in errors[]',
    { method: 'GET', target: { kind: 'route', route: 'getTask', taskId: { kind: 'raw', segment: '%' } }, auth: valid },
  ],
  [
    "another user's path is a 403 even when the body is malformed",
    {
      method: 'POST',
      target: {
        kind: 'route',
        route: 'toggleTask',
        userId: { kind: 'nobody', uuid: '00000000-0000-4000-8000-000000000000' },
        taskId: own,
      },
      auth: valid,
      body: { text: '{"completed":tru', verdict: { kind: 'malformed' } },
    },
  ],
  [
    "another user's task is a 404 even when the body is malformed",
    {
      method: 'PUT',
      target: { kind: 'route', route: 'replaceTask', taskId: { kind: 'victim' } },
      auth: valid,
      body: { text: '{"completed":tru', verdict: { kind: 'malformed' } },
    },
  ],
  [
    'a request head over 16 KiB gets a 431 problem with a request id',
    {
      method: 'GET',
      target: {
        kind: 'route',
        route: 'listTasks',
        query: Array.from({ length: 3000 }, (_, i) => `limit=${i}`).join('&'),
        queryVerdict: { kind: 'unknown' },
      },
      auth: garbageToken,
    },
  ],
  [
    'an unknown path outside /api is a 404 problem, not an HTML page',
    { method: 'GET', target: { kind: 'path', path: '/' }, auth: garbageToken },
  ],
  [
    'a lone surrogate in a title is refused or kept, never replaced',
    {
      method: 'POST',
      target: { kind: 'route', route: 'createTask' },
      auth: valid,
      body: { text: '{"title":"\\udbff\\udbffa"}', verdict: { kind: 'unknown' } },
      expectStored: { field: 'title', value: '\udbff\udbffa' },
    },
  ],
  [
    'a body that is not UTF-8 is a 400, not text with U+FFFD in it',
    {
      method: 'POST',
      target: { kind: 'route', route: 'createTask' },
      auth: valid,
      // An overlong encoding of "/" (C0 AF) inside the title.
      body: {
        hex: `${Buffer.from('{"title":"a').toString('hex')}c0af${Buffer.from('b"}').toString('hex')}`,
        verdict: { kind: 'rejected' },
      },
    },
  ],
  [
    'a prototype key as a list parameter is an unknown parameter (400)',
    {
      method: 'GET',
      target: {
        kind: 'route',
        route: 'listTasks',
        query: 'prototype=1',
        queryVerdict: { kind: 'invalid', fields: [] },
      },
      auth: valid,
    },
  ],
  [
    'broken percent-encoding in both path values is a validation problem naming them',
    {
      method: 'PUT',
      target: {
        kind: 'route',
        route: 'replaceTask',
        userId: { kind: 'raw', segment: '%0' },
        taskId: { kind: 'raw', segment: '%0' },
      },
      auth: valid,
    },
  ],
  [
    'a body that claims gzip but is not is a 4xx problem, not a 500',
    {
      method: 'POST',
      target: { kind: 'route', route: 'logout' },
      auth: valid,
      headers: { 'Content-Encoding': 'gzip' },
      body: { text: '{"refreshToken":"not-a-refresh-token"}', verdict: { kind: 'unknown' } },
    },
  ],
  [
    'a body that claims br but is not is a 4xx problem, not a 500',
    {
      method: 'POST',
      target: { kind: 'route', route: 'logout' },
      auth: valid,
      headers: { 'Content-Encoding': 'br' },
      body: { text: '{"refreshToken":"not-a-refresh-token"}', verdict: { kind: 'unknown' } },
    },
  ],
  [
    'a path id with broken percent-encoding and a garbage token is a 401 first',
    {
      method: 'GET',
      target: { kind: 'route', route: 'getTask', taskId: { kind: 'raw', segment: '%' } },
      auth: garbageToken,
    },
  ],
  [
    'a directory path under /docs is a 404 problem, not a bare redirect',
    { method: 'HEAD', target: { kind: 'path', path: '/docs/x/..' }, auth: garbageToken },
  ],
  [
    'a prototype key as a list parameter is an unknown parameter naming it (400)',
    {
      method: 'GET',
      target: {
        kind: 'route',
        route: 'listTasks',
        query: '__proto__=1',
        queryVerdict: { kind: 'invalid', fields: ['__proto__'] },
      },
      auth: valid,
    },
  ],
  [
    'a field named like an Object.prototype member is an unknown field naming it (400), not ignored',
    {
      method: 'POST',
      target: { kind: 'route', route: 'createTask' },
      auth: valid,
      body: { text: '{"title":"ok","hasOwnProperty":1}', verdict: { kind: 'invalid', fields: ['hasOwnProperty'] } },
    },
  ],
  [
    'a body of 12,000 unknown keys sent to a public route is a 400, refused before it is parsed',
    {
      method: 'POST',
      target: { kind: 'route', route: 'register' },
      auth: { kind: 'none' },
      body: {
        text: `{${Array.from({ length: 12_000 }, (_, i) => `"${i.toString(36)}":0`).join(',')}}`,
        verdict: { kind: 'invalid', fields: ['body'] },
      },
    },
  ],
];

const RAW_CASES: [string, RawRequest][] = [
  [
    'an Expect other than 100-continue gets a 417 problem, not a bare 417',
    {
      method: 'GET',
      target: '/health/live',
      version: 'HTTP/1.1',
      lineEnd: '\r\n',
      headers: ['Host: x', 'Expect: teapot'],
      body: '',
    },
  ],
  [
    'a request without Host gets a 400 problem with a request id, not a bare 400',
    { method: 'GET', target: '/health/live', version: 'HTTP/1.1', lineEnd: '\r\n', headers: [], body: '' },
  ],
  [
    'a header line without a colon gets a 400 problem',
    {
      method: 'GET',
      target: '/api/tasks',
      version: 'HTTP/1.1',
      lineEnd: '\r\n',
      headers: ['Host: x', 'Bad Header'],
      body: '',
    },
  ],
  [
    'an unknown method gets a 400 problem',
    { method: 'FOO', target: '/api/tasks', version: 'HTTP/1.1', lineEnd: '\r\n', headers: ['Host: x'], body: '' },
  ],
  [
    'a CONNECT request gets a 400 problem, not a dropped connection',
    { method: 'CONNECT', target: '/api/tasks', version: 'HTTP/1.1', lineEnd: '\r\n', headers: ['Host: x'], body: '' },
  ],
  [
    'a CONNECT request in authority form gets a 400 problem',
    {
      method: 'CONNECT',
      target: 'example.com:443',
      version: 'HTTP/1.1',
      lineEnd: '\r\n',
      headers: ['Host: example.com:443'],
      body: '',
    },
  ],
];

describe('fuzz regressions (e2e, built service)', () => {
  let target: FuzzTarget;

  beforeAll(async () => {
    ensureBuilt();
    target = await FuzzTarget.start('postgres');
  }, 120_000);
  afterAll(async () => {
    await target?.dispose();
  });
  // A case that kills the process fails; the next one gets a running service again.
  beforeEach(() => target.reviveIfDead(), 60_000);

  it.each(CASES)(
    '%s',
    async (_, request) => {
      await execute(request, target);
      await target.checkInvariants();
    },
    30_000,
  );

  it.each(RAW_CASES)('%s', async (_, raw) => {
    await rawHttp.run(raw, target);
    await target.checkInvariants();
  });

  it('a head over the limit on a connection that already carried an answer still gets its 431', async () => {
    const answers = await twoOnOneConnection(
      target.baseUrl,
      'GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n',
      `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
    );
    expect(answers).toMatch(/^HTTP\/1\.1 200 [\s\S]*HTTP\/1\.1 431 [\s\S]*application\/problem\+json/);
  });
});

/** Writes one request, waits for its answer, then writes the second on the same connection; all that came back. */
function twoOnOneConnection(baseUrl: string, first: string, second: string): Promise<string> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = '';
    let sentSecond = false;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (!sentSecond && /\r\n\r\n\{"status":"ok"\}$/.test(received)) {
        sentSecond = true;
        socket.write(second);
      }
    });
    socket.on('error', () => undefined); // a reset ends the exchange; `close` follows
    socket.on('close', () => resolve(received));
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`no end of exchange; received: ${received.slice(0, 300)}`));
    }, 10_000).unref();
    socket.write(first);
  });
}
