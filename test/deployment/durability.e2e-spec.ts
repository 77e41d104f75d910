import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { GOOD_PASSWORD, uniqueEmail } from '../helpers/fixtures.js';
import { BASE_ENV, BuiltService, ensureBuilt } from '../helpers/built-service.js';
import { LIFTED_LIMITS } from '../helpers/lifted-limits.js';
import { getJson, postJson } from '../helpers/http.js';

const BURST = 400;
const CONCURRENCY = 16;
/** SIGKILL once this many creates were acknowledged: mid-burst, with requests in flight. */
const KILL_AFTER = 100;

interface Engine {
  name: string;
  env: () => Record<string, string>;
  /** Left behind by a SIGKILL, removed by a clean stop. */
  lockFile?: (env: Record<string, string>) => string;
}

const engines: Engine[] = [
  // Always: CI runs `npm test` against the server, and this engine must be covered too.
  {
    name: 'embedded engine',
    env: () => ({ DATA_DIR: mkdtempSync(join(tmpdir(), 'taskwell-durability-')), DB_POOL_MODE: 'session' }),
    lockFile: (env) => join(env.DATA_DIR, 'pglite.lock'),
  },
  ...(process.env.TEST_DATABASE_URL
    ? [{ name: 'PostgreSQL server', env: () => ({ DATABASE_URL: process.env.E2E_DATABASE_URL!, DB_POOL_SIZE: '10' }) }]
    : []),
];

/**
 * A 201 is a promise: the task is stored. Kill the service with SIGKILL in
 * the middle of a burst of creates, start it again on the same data, and
 * find every acknowledged task, complete.
 */
describe.each(engines)('Durability after SIGKILL on the $name (e2e, built service)', (engine) => {
  beforeAll(() => ensureBuilt());

  it('keeps every task whose creation was acknowledged', async () => {
    const env: Record<string, string> = { ...BASE_ENV, ...LIFTED_LIMITS, ...engine.env() };
    const first = await BuiltService.start(env, 60_000);
    const registered = await postJson(`${first.baseUrl}/api/auth/register`, {
      email: uniqueEmail(),
      password: GOOD_PASSWORD,
    });
    const auth = { Authorization: `Bearer ${registered.body.data.tokens.accessToken}` };

    const acknowledged = new Map<string, Record<string, unknown>>();
    let sent = 0;
    let killed = false;
    const worker = async () => {
      while (!killed && sent < BURST) {
        const n = sent++;
        const body = {
          title: `burst ${n}`,
          description: `task number ${n}`,
          priority: 'high',
          tags: ['burst', `n${n}`],
        };
        try {
          const response = await postJson(`${first.baseUrl}/api/tasks`, body, auth);
          if (response.status !== 201) throw new Error(`create answered ${response.status}`);
          acknowledged.set(response.body.data.id, response.body.data);
          if (acknowledged.size >= KILL_AFTER && !killed) {
            killed = true;
            first.signal('SIGKILL');
          }
        } catch (error) {
          if (!killed) throw error; // failures are expected only once the process is gone
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    if (engine.lockFile) expect(existsSync(engine.lockFile(env))).toBe(true); // a crash, not a clean stop

    const second = await BuiltService.start(env, 60_000);
    let found = 0;
    for (const [id, task] of acknowledged) {
      const response = await getJson(`${second.baseUrl}/api/tasks/${id}`, auth);
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual(task);
      found++;
    }
    const list = await getJson(`${second.baseUrl}/api/tasks?limit=1`, auth);
    expect(list.body.meta.total).toBeGreaterThanOrEqual(acknowledged.size);
    process.stdout.write(
      `durability (${engine.name}): ${sent} creates sent, ${acknowledged.size} acknowledged before SIGKILL, ` +
        `${found} of them found complete after restart (${list.body.meta.total} stored)\n`,
    );

    second.signal('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    if (engine.lockFile) expect(existsSync(engine.lockFile(env))).toBe(false);
    if (env.DATA_DIR) rmSync(env.DATA_DIR, { recursive: true, force: true });
  }, 120_000);
});
