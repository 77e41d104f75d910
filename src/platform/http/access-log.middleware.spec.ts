import { once } from 'node:events';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { accessLog } from './access-log.middleware.js';

/** A real HTTP server with the middleware in front of `handler`, logging into memory. */
async function serve(level: string, handler: (request: IncomingMessage, response: ServerResponse) => void) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  const middleware = accessLog(pino({ level }, sink));
  const server = createServer((request, response) => middleware(request, response, () => handler(request, response)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, lines, port: (server.address() as AddressInfo).port };
}

async function eventually<T>(read: () => T | undefined): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('timed out');
}

describe(accessLog.name, () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
  });

  it('writes one line per finished response, with the id it sent back', async () => {
    const served = await serve('info', (_request, response) => response.writeHead(201).end('{}'));
    server = served.server;
    const response = await fetch(`http://127.0.0.1:${served.port}/api/tasks?x=1`, { method: 'POST' });
    const line = await eventually(() => served.lines[0]);
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      reqId: response.headers.get('x-request-id'),
      method: 'POST',
      url: '/api/tasks?x=1',
      status: 201,
    });
    expect(typeof line.responseTime).toBe('number');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(served.lines).toHaveLength(1);
  });

  it('logs a 5xx as failed, at error', async () => {
    const served = await serve('info', (_request, response) => response.writeHead(503).end());
    server = served.server;
    await fetch(`http://127.0.0.1:${served.port}/api/tasks`);
    expect(await eventually(() => served.lines[0])).toMatchObject({ level: 50, msg: 'request failed', status: 503 });
  });

  it('logs a request whose client leaves before the response as aborted, at info', async () => {
    const served = await serve('info', () => undefined); // never answers
    server = served.server;
    const client = httpRequest({ host: '127.0.0.1', port: served.port, path: '/api/slow' });
    client.on('error', () => undefined);
    client.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.destroy();
    expect(await eventually(() => served.lines[0])).toMatchObject({
      level: 30,
      msg: 'request aborted',
      url: '/api/slow',
    });
  });

  it('writes nothing below its level, and keeps probes at debug', async () => {
    const served = await serve('warn', (_request, response) => response.end());
    server = served.server;
    await fetch(`http://127.0.0.1:${served.port}/api/tasks`);
    const debug = await serve('debug', (_request, response) => response.end());
    await fetch(`http://127.0.0.1:${debug.port}/health/live`);
    expect(await eventually(() => debug.lines[0])).toMatchObject({ level: 20, url: '/health/live' });
    debug.server.close();
    expect(served.lines).toHaveLength(0);
  });
});
