import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { GOOD_PASSWORD, uniqueEmail } from '../helpers/fixtures.js';
import { BuiltService, ensureBuilt, suiteEnv } from '../helpers/built-service.js';
import { getJson, postJson } from '../helpers/http.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** What a newcomer sees on the first start: it boots as documented, and says what it uses in one line. */
describe('Start-up (e2e, built service)', () => {
  let service: BuiltService | undefined;

  beforeAll(() => ensureBuilt());
  afterEach(async () => {
    await service?.dispose();
    service = undefined;
  });

  it('boots on a `.env` copied from `.env.example` as is (empty values are unset)', async () => {
    const dotEnv = readFileSync(join(ROOT, '.env.example'), 'utf8');
    expect(dotEnv).toMatch(/^DATABASE_URL=$/m);
    expect(dotEnv).toMatch(/^JWT_SECRET=$/m);
    // Only the port changes: tests must not take 3000. Everything else comes from the copied file.
    service = await BuiltService.start({ PORT: '0' }, 90_000, { '.env': dotEnv });

    expect((await getJson(`${service.baseUrl}/health/ready`)).status).toBe(200);
    const registered = await postJson(`${service.baseUrl}/api/auth/register`, {
      email: uniqueEmail(),
      password: GOOD_PASSWORD,
    });
    expect(registered.status).toBe(201);
    const summary = service.output.find((line) => line.includes('Listening on http://'))!;
    expect(summary).toContain('embedded PostgreSQL (PGlite) in ');
    expect(summary).toMatch(/JWT secret from \S*\/data\/jwt-secret/);
    expect(summary).toContain('migrations applied InitialSchema1763770000000, TaskListIndexes1763800000000');
  }, 120_000);

  it('writes one info line at start, the summary; the route mapping is at debug', async () => {
    const env = {
      ...suiteEnv(),
    };
    service = await BuiltService.start(env);
    const info = service.logs().filter((line) => line.level === 30);
    expect(info).toHaveLength(1);
    expect(info[0]).toMatchObject({
      api: expect.stringMatching(/^http:\/\/localhost:\d+\/api$/),
      docs: expect.stringMatching(/^http:\/\/localhost:\d+\/docs$/),
      database: expect.stringMatching(/^PostgreSQL at /),
      migrations: expect.any(String),
      jwtSecret: 'JWT_SECRET',
    });
    expect(String(info[0].msg)).toMatch(/^Listening on http:\/\/localhost:\d+: /);
    await service.dispose();

    service = await BuiltService.start({ ...env, LOG_LEVEL: 'debug' });
    const mapped = service.logs().filter((line) => /^Mapped \{\/api\/tasks, GET\} route/.test(String(line.msg)));
    expect(mapped).toEqual([expect.objectContaining({ level: 20, context: 'RouterExplorer' })]);
  }, 60_000);
});
