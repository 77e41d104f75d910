import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GOOD_PASSWORD, uniqueEmail } from '../helpers/fixtures.js';
import { BASE_ENV, BuiltService, ensureBuilt } from '../helpers/built-service.js';
import { eventually, postJson } from '../helpers/http.js';
import { openStream } from '../helpers/sse-client.js';

const GRACE_MS = 5000;

/** An event stream never ends by itself: SIGTERM must end it, or every rolling deploy waits out its grace period. */
describe('Event streams across a shutdown (e2e, built service)', () => {
  let service: BuiltService;

  beforeAll(async () => {
    ensureBuilt();
    service = await BuiltService.start({
      ...BASE_ENV,
      DATABASE_URL: process.env.E2E_DATABASE_URL!,
      DB_POOL_SIZE: process.env.E2E_DB_POOL_SIZE!,
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
    });
  }, 60_000);
  afterAll(async () => {
    await service?.dispose();
  });

  it('ends the open streams cleanly on SIGTERM and exits 0 well within the grace period', async () => {
    const registered = await postJson(`${service.baseUrl}/api/auth/register`, {
      email: uniqueEmail(),
      password: GOOD_PASSWORD,
    });
    const token = registered.body.data.tokens.accessToken as string;
    const streams = [
      await openStream(`${service.baseUrl}/api/events`, { Authorization: `Bearer ${token}` }),
      await openStream(`${service.baseUrl}/api/events`, { Authorization: `Bearer ${token}` }),
    ];
    expect(streams.map((stream) => stream.status)).toEqual([200, 200]);

    const signalledAt = Date.now();
    service.signal('SIGTERM');
    await eventually(
      () => service.logs().find((line) => /SIGTERM received/.test(String(line.msg))),
      5000,
      'SIGTERM log',
    );
    await Promise.all(streams.map((stream) => stream.ended));

    const exit = await service.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(GRACE_MS);
    expect(service.logs().some((line) => line.msg === 'Stopped cleanly')).toBe(true);
  });
});
