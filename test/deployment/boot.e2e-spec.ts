import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { BASE_ENV, BuiltService, ensureBuilt, suiteEnv } from '../helpers/built-service.js';
import { GOOD_PASSWORD, uniqueEmail } from '../helpers/fixtures.js';
import { accepts, freePort } from '../helpers/free-port.mjs';
import { eventually, getJson, postJson, sleep } from '../helpers/http.js';
import { scratchDatabase } from '../helpers/scratch-database.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { describeWhen } from '../helpers/describe-when.js';

/** The service's address once its port accepts connections (it opens before the database is ready). */
async function startingUrl(port: number): Promise<string> {
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600 && !(await accepts(port)); i++) await sleep(50);
  return base;
}

function fatalMessage(service: BuiltService): string {
  return String(service.logs().find((line) => line.level === 60)?.msg);
}

describe('Boot with a database that is not there yet (e2e, built service)', () => {
  let proxy: TcpProxy;
  let service: BuiltService | undefined;

  beforeAll(async () => {
    ensureBuilt();
    proxy = await TcpProxy.inFrontOf(process.env.E2E_DATABASE_URL!);
  }, 60_000);
  afterEach(async () => {
    await service?.dispose();
    service = undefined;
  });
  afterAll(async () => {
    await proxy.stop();
  });

  const env = (extra: Record<string, string>) => ({
    ...suiteEnv(proxy.rewrite(process.env.E2E_DATABASE_URL!)),
    ...extra,
  });

  it('is live but not ready while the database refuses, and comes up by itself once it answers', async () => {
    await proxy.cut();
    const port = await freePort();
    service = BuiltService.spawn(env({ DB_BOOT_RETRY_SECONDS: '60', PORT: String(port) }));
    const base = await startingUrl(port);

    expect((await getJson(`${base}/health/live`)).status).toBe(200);
    const ready = await getJson(`${base}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(ready.body).toMatchObject({ type: '/problems/service-unavailable', status: 503 });
    const register = await postJson(`${base}/api/auth/register`, { email: uniqueEmail(), password: GOOD_PASSWORD });
    expect(register.status).toBe(503);
    expect(register.headers.get('retry-after')).toMatch(/^\d+$/);
    await eventually(
      () => service!.logs().find((line) => /The database is not reachable yet/.test(String(line.msg))),
      10_000,
      'a retry, logged as it happens',
    );
    expect(service.output.some((line) => line.includes('Listening on http://'))).toBe(false);

    await proxy.restore();
    await eventually(() => service!.output.find((line) => line.includes('Listening on http://')), 20_000, 'the boot');
    expect((await getJson(`${base}/health/ready`)).status).toBe(200);
    expect(
      (await postJson(`${base}/api/auth/register`, { email: uniqueEmail(), password: GOOD_PASSWORD })).status,
    ).toBe(201);
  }, 60_000);

  it('gives up after DB_BOOT_RETRY_SECONDS with a message that says so', async () => {
    await proxy.cut();
    service = BuiltService.spawn(env({ DB_BOOT_RETRY_SECONDS: '2' }));
    expect(await service.exited).toEqual({ code: 1, signal: null });
    expect(fatalMessage(service)).toMatch(
      /The database did not answer within 2 s \(DB_BOOT_RETRY_SECONDS\).*ECONNREFUSED/,
    );
    await proxy.restore();
  }, 30_000);

  it('exits at once on SIGTERM while it is still waiting', async () => {
    await proxy.cut();
    const port = await freePort();
    service = BuiltService.spawn(env({ DB_BOOT_RETRY_SECONDS: '60', PORT: String(port) }));
    await startingUrl(port);
    service.signal('SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    await proxy.restore();
  }, 30_000);
});

const withServer = describeWhen(Boolean(process.env.TEST_DATABASE_URL), 'TEST_DATABASE_URL (a PostgreSQL server)');

withServer('Several instances booting at once on an empty database (e2e, built service)', () => {
  const services: BuiltService[] = [];
  let database: Awaited<ReturnType<typeof scratchDatabase>>;

  beforeAll(async () => {
    ensureBuilt();
    database = await scratchDatabase('boot3');
  }, 60_000);
  afterAll(async () => {
    await Promise.all(services.map((service) => service.dispose()));
    await database?.drop();
  });

  it('runs the migrations once, and all three serve', async () => {
    const started = await Promise.all(
      [1, 2, 3].map(() =>
        BuiltService.start(
          { ...BASE_ENV, DATABASE_URL: database.url, DB_POOL_SIZE: '4', DB_POOL_MODE: 'session' },
          60_000,
        ),
      ),
    );
    services.push(...started);

    // The start-up summary names what each applied: one applied them all, the others found none pending.
    const migrations = services.map(
      (service) => service.logs().find((line) => line.context === 'Bootstrap')?.migrations,
    );
    expect(migrations.filter((text) => String(text).startsWith('applied '))).toHaveLength(1);
    expect(migrations.filter((text) => text === 'none pending')).toHaveLength(2);
    for (const service of services) {
      expect(service.logs().some((line) => line.level === 50 || line.level === 60)).toBe(false);
      const registered = await postJson(`${service.baseUrl}/api/auth/register`, {
        email: uniqueEmail(),
        password: GOOD_PASSWORD,
      });
      expect(registered.status).toBe(201);
    }

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string; runs: string }>(
        'SELECT name, count(*) AS runs FROM migrations GROUP BY name',
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.runs).toBe('1');
    } finally {
      await client.end();
    }
  }, 90_000);
});
