import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { connect, type Socket } from 'node:net';
import { BuiltService, ensureBuilt, suiteEnv } from '../helpers/built-service.js';
import { rawExchange, rawRequest } from '../helpers/raw-http.js';

/**
 * Connection hygiene of the built service, as production starts it: slow
 * heads, slow bodies, idle connections and a flood of connections end on
 * the server's terms. The limits are configured small so each case takes a
 * second or two; what is checked is the configured behaviour (the server
 * closes, with the right answer), never a ratio of wall-clock times. Under
 * Node's defaults each of these connections lived 60 to 300 s.
 */
describe('Connection limits (e2e, built service)', () => {
  let service: BuiltService;
  let port: number;

  beforeAll(async () => {
    ensureBuilt();
    service = await BuiltService.start({
      ...suiteEnv(),
      HTTP_HEADERS_TIMEOUT_MS: '1000',
      HTTP_REQUEST_TIMEOUT_MS: '2000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '300',
      HTTP_MAX_CONNECTIONS: '4',
      // The boot keeps event streams to at most 80% of the connections.
      EVENTS_MAX_STREAMS: '3',
    });
    port = Number(new URL(service.baseUrl).port);
  }, 120_000);
  afterAll(async () => {
    await service?.dispose();
  });

  /** What the server sends on a connection that sends `bytes`, until the server closes it (or 8 s). */
  const exchange = (chunks: (string | Buffer)[]) => rawExchange(port, chunks, 8000);
  jest.setTimeout(10_000);

  it('answers a request head that does not arrive in time with a 408 problem, and closes', async () => {
    const response = await exchange(['GET /health/live HTTP/1.1\r\nHost: localhost\r\n']);
    expect(response.closedByServer).toBe(true);
    expect(response.status).toBe(408);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('closes a connection that never sends a byte', async () => {
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      const timer = setTimeout(() => (socket.destroy(), resolve(false)), 8000);
      socket.on('error', () => undefined);
      socket.on('close', () => (clearTimeout(timer), resolve(true)));
      socket.on('end', () => socket.end());
    });
    expect(closed).toBe(true);
  }, 10_000);

  it('answers a body that trickles in on a public route with a 408 problem, and closes', async () => {
    const head = rawRequest('POST', '/api/auth/login', { 'Content-Type': 'application/json', 'Content-Length': '400' });
    const trickle = async function* () {
      yield head;
      for (let i = 0; i < 400; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        yield ' ';
      }
    };
    const response = await trickled(port, trickle());
    expect(response.closedByServer).toBe(true);
    expect(response.status).toBe(408);
  });

  it('closes an idle keep-alive connection after its answer', async () => {
    const head = 'GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n'; // keep-alive: HTTP/1.1's default
    // 300 ms configured, plus the second Node adds: well before its default (5 s plus 1 s).
    const response = await rawExchange(port, [head], 4000);
    expect(response.status).toBe(200);
    expect(response.closedByServer).toBe(true);
  });

  it('refuses a connection over the cap with a 503 problem and Retry-After, and serves again once one closes', async () => {
    const idle: Socket[] = [];
    try {
      for (let i = 0; i < 4; i++) {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        await new Promise((resolve) => socket.once('connect', resolve));
        idle.push(socket);
      }
      const refused = await exchange([rawRequest('GET', '/health/live', {})]);
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('1');
      expect(JSON.parse(refused.body)).toMatchObject({
        status: 503,
        type: expect.stringMatching(/service-unavailable$/),
      });
    } finally {
      for (const socket of idle) socket.destroy();
    }
    // The server counts a connection until it sees it closed: allow it that moment.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await exchange([rawRequest('GET', '/health/live', {})])).status).toBe(200);
  });
});

/** Like rawExchange, but the chunks come from an async generator (a client that trickles its bytes). */
function trickled(port: number, chunks: AsyncGenerator<string>) {
  return new Promise<{ status: number; closedByServer: boolean }>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => ((timedOut = true), socket.destroy()), 8000);
    socket.on('data', (data) => received.push(data));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(received).toString('utf8');
      resolve({ status: Number(text.split(' ')[1]), closedByServer: !timedOut });
    });
    socket.on('connect', () => {
      void (async () => {
        for await (const chunk of chunks) {
          if (socket.destroyed || socket.writableEnded) return;
          socket.write(chunk);
        }
      })();
    });
  });
}
