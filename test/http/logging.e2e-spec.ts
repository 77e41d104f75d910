import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GOOD_PASSWORD, uniqueEmail } from '../helpers/fixtures.js';
import { BASE_ENV, BuiltService, ensureBuilt, suiteEnv } from '../helpers/built-service.js';
import { eventually, getJson, postJson } from '../helpers/http.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

/** The built service's stdout, as a log collector would read it. */
describe('Structured logs (e2e, built service)', () => {
  let proxy: TcpProxy;
  let service: BuiltService;
  let email: string;
  let userId: string;
  let accessToken: string;
  let refreshToken: string;

  beforeAll(async () => {
    ensureBuilt();
    const databaseUrl = process.env.E2E_DATABASE_URL!;
    proxy = await TcpProxy.inFrontOf(databaseUrl);
    service = await BuiltService.start({
      ...suiteEnv(proxy.rewrite(databaseUrl)),
    });
    email = uniqueEmail();
    const registered = await postJson(`${service.baseUrl}/api/auth/register`, { email, password: GOOD_PASSWORD });
    expect(registered.status).toBe(201);
    ({ accessToken, refreshToken } = registered.body.data.tokens);
    userId = registered.body.data.user.id;
  }, 60_000);
  afterAll(async () => {
    await service?.dispose();
    await proxy?.stop();
  });

  const lineOf = (reqId: string, msg: string) =>
    eventually(
      () => service.logs().find((line) => line.reqId === reqId && line.msg === msg),
      5000,
      `${msg} of ${reqId}`,
    );

  it('writes one JSON line per request with its id, method, route, status, latency and user', async () => {
    const created = await postJson(
      `${service.baseUrl}/api/tasks`,
      { title: 'Logged' },
      { Authorization: `Bearer ${accessToken}`, 'X-Request-Id': 'log-test-create' },
    );
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe('log-test-create');

    const line = await lineOf('log-test-create', 'request completed');
    expect(line).toMatchObject({
      level: 30,
      method: 'POST',
      url: '/api/tasks',
      route: '/api/tasks',
      status: 201,
      userId,
    });
    expect(typeof line.responseTime).toBe('number');
    expect(service.logs().filter((entry) => entry.reqId === 'log-test-create')).toHaveLength(1);
  });

  it('logs requests the body parser rejects, under the id it sent back', async () => {
    const response = await fetch(`${service.baseUrl}/api/tasks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` },
      body: '{not json',
    });
    expect(response.status).toBe(400);
    const reqId = response.headers.get('x-request-id')!;
    expect(await lineOf(reqId, 'request completed')).toMatchObject({ status: 400, method: 'POST' });
  });

  it('logs an unknown path without a route', async () => {
    const response = await getJson(`${service.baseUrl}/api/no-such-thing`, { 'X-Request-Id': 'log-test-404' });
    expect(response.status).toBe(404);
    const line = await lineOf('log-test-404', 'request completed');
    expect(line).toMatchObject({ status: 404, url: '/api/no-such-thing' });
    expect(line.route).toBeUndefined();
  });

  it('does not log health probes at info', async () => {
    const probe = await getJson(`${service.baseUrl}/health/ready`, { 'X-Request-Id': 'log-test-probe' });
    expect(probe.status).toBe(200);
    await lineOf('log-test-create', 'request completed'); // lines are in order: give the probe's a chance
    expect(service.logs().some((line) => line.reqId === 'log-test-probe')).toBe(false);
  });

  it('carries the request id in application logs (a 503 during an outage)', async () => {
    await proxy.cut();
    try {
      const response = await getJson(`${service.baseUrl}/api/tasks`, {
        Authorization: `Bearer ${accessToken}`,
        'X-Request-Id': 'log-test-outage',
      });
      expect(response.status).toBe(503);
      expect(await lineOf('log-test-outage', 'Database unavailable')).toMatchObject({
        level: 40,
        context: 'ProblemDetails',
      });
      expect(await lineOf('log-test-outage', 'request failed')).toMatchObject({ level: 50, status: 503, userId });
    } finally {
      await proxy.restore();
    }
  });

  it('never logs a password, a token or an Authorization header', async () => {
    await postJson(`${service.baseUrl}/api/auth/login`, { email, password: GOOD_PASSWORD });
    await postJson(`${service.baseUrl}/api/auth/login`, { email, password: 'a-wrong-password-1' });
    await lineOf('log-test-create', 'request completed');
    const output = service.output.join('\n');
    for (const secret of [
      GOOD_PASSWORD,
      'a-wrong-password-1',
      accessToken,
      refreshToken,
      'Bearer ',
      BASE_ENV.JWT_SECRET,
    ]) {
      expect(output).not.toContain(secret);
    }
  });
});
