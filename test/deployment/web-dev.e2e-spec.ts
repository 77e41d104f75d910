import { spawn } from 'node:child_process';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { probeApi, waitUntilReady } from '../../scripts/web-api.mjs';
import { BuiltService, ensureBuilt, suiteEnv } from '../helpers/built-service.js';
import { accepts, freePort } from '../helpers/free-port.mjs';
import { sleep } from '../helpers/http.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

const WEB_DEV = join(import.meta.dirname, '..', '..', 'scripts', 'web-dev.mjs');

/** `server` listening on a port of its own (every address, as the API binds), and that port. */
async function listening(server: { listen(port: number, done: () => void): unknown }): Promise<number> {
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, resolve));
  return port;
}

/** Closed with whatever connections the probes left open (an aborted fetch, an idle keep-alive). */
function closing(server: HttpServer | TcpServer): Promise<void> {
  if ('closeAllConnections' in server) server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Something else on the port: a web server that answers its own way, 200 on /health/live included. */
const impostor = () =>
  createHttpServer((req, res) => {
    if (req.url === '/health/live')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
  });

describe('npm run web: which API it uses (e2e)', () => {
  const servers: (HttpServer | TcpServer)[] = [];
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await Promise.all(servers.splice(0).map(closing));
  });

  it('finds a free port free', async () => {
    expect(await probeApi(`http://127.0.0.1:${await freePort()}`)).toBe('free');
  });

  it('tells another program from a Taskwell API: an HTTP server, and a listener that never answers', async () => {
    const http = impostor();
    servers.push(http);
    expect(await probeApi(`http://127.0.0.1:${await listening(http)}`)).toBe('other');

    const silent = createTcpServer((socket) => void sockets.push(socket)); // accepts, never answers
    servers.push(silent);
    expect(await probeApi(`http://127.0.0.1:${await listening(silent)}`)).toBe('other');
  }, 15_000);

  it('stops waiting as soon as the API it started has exited', async () => {
    const started = Date.now();
    expect(await waitUntilReady(`http://127.0.0.1:${await freePort()}`, { timeoutMs: 30_000, gone: () => true })).toBe(
      false,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('says in one line, without a stack, what to do when the port is taken by another program', async () => {
    const http = impostor();
    servers.push(http);
    const port = await listening(http);
    const child = spawn(process.execPath, [WEB_DEV], {
      env: { ...process.env, API_PORT: String(port), TASKWELL_API_PROXY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([
      `Port ${port} is taken by another program, not a Taskwell API: stop it, or run on another port (API_PORT=3001 npm run web).`,
    ]);
  }, 30_000);
});

describe('npm run web: a Taskwell API already running (e2e, built service)', () => {
  let proxy: TcpProxy;
  let service: BuiltService | undefined;
  let base: string;

  beforeAll(async () => {
    ensureBuilt();
    proxy = await TcpProxy.inFrontOf(process.env.E2E_DATABASE_URL!);
    await proxy.cut(); // live, not ready: as just after `npm start`, while the database wakes up
    const port = await freePort();
    service = BuiltService.spawn({
      ...suiteEnv(proxy.rewrite(process.env.E2E_DATABASE_URL!)),
      DB_BOOT_RETRY_SECONDS: '60',
      PORT: String(port),
    });
    for (let i = 0; i < 600 && !(await accepts(port)); i++) await sleep(50);
    base = `http://127.0.0.1:${port}`;
  }, 60_000);
  afterAll(async () => {
    await service?.dispose();
    await proxy?.stop();
  });

  it('is reused while it starts, and the app waits until it is ready, not merely live', async () => {
    expect(await probeApi(base)).toBe('taskwell');
    expect(await waitUntilReady(base, { timeoutMs: 1500 })).toBe(false);

    await proxy.restore();
    expect(await waitUntilReady(base, { timeoutMs: 30_000 })).toBe(true);
    const signUp = await fetch(`${base}/api/auth/register`, { method: 'POST' });
    expect(signUp.status).not.toBe(503);
    expect(await probeApi(base)).toBe('taskwell');
  }, 60_000);
});
