import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { containRequestErrors } from './contain-request-errors.js';
import { ProblemWriter } from '../problems/problem-writer.js';
import { assignRequestId } from './request-id.js';

describe(containRequestErrors.name, () => {
  const logged: { reqId: string; err: unknown }[] = [];
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = express();
    containRequestErrors(app, { problems: new ProblemWriter('/problems/'), onError: (entry) => logged.push(entry) });
    app.use((request, response, next) => {
      assignRequestId(request, response);
      next();
    });
    // Listeners that throw: nothing above them would catch that but the process.
    app.post('/throws-while-reading', (request) => {
      request.on('data', () => {
        throw new RangeError('Maximum call stack size exceeded');
      });
    });
    app.get('/throws-after-answering', (_request, response) => {
      response.on('finish', () => {
        throw new Error('late');
      });
      response.end('ok');
    });
    app.get('/fine', (_request, response) => {
      response.end('fine');
    });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers an error thrown by a request listener with a 500 problem, and logs it with the request id', async () => {
    const response = await fetch(`${base}/throws-while-reading`, {
      method: 'POST',
      body: 'x',
      headers: { 'X-Request-Id': 'trace-7' },
    });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await response.json()).toEqual({
      type: '/problems/internal-error',
      title: 'Internal server error',
      status: 500,
      detail: 'An unexpected error occurred',
      instance: '/throws-while-reading',
      requestId: 'trace-7',
    });
    expect(logged).toEqual([{ reqId: 'trace-7', err: new RangeError('Maximum call stack size exceeded') }]);
  });

  it('logs one thrown after the response, and the server carries on', async () => {
    logged.length = 0;
    expect(await (await fetch(`${base}/throws-after-answering`)).text()).toBe('ok');
    expect(logged.map((entry) => (entry.err as Error).message)).toEqual(['late']);
    expect(await (await fetch(`${base}/fine`)).text()).toBe('fine');
  });
});
