import { beforeAll, describe, expect, it } from '@jest/globals';
import { BASE_ENV, BuiltService, ensureBuilt } from '../helpers/built-service.js';

/** The built service refuses an unsafe production configuration, and says what to set. */
describe('Production configuration (e2e, built service)', () => {
  beforeAll(() => ensureBuilt());

  async function refusalOf(env: Record<string, string>): Promise<string> {
    const service = BuiltService.spawn(env);
    expect(await service.exited).toEqual({ code: 1, signal: null });
    const fatal = service.logs().find((line) => line.level === 60);
    expect(fatal).toBeDefined();
    return String(fatal!.msg);
  }

  it('refuses a weak JWT_SECRET', async () => {
    const message = await refusalOf({
      ...BASE_ENV,
      JWT_SECRET: 'too-short',
      DATABASE_URL: 'postgres://u@127.0.0.1:1/x',
    });
    expect(message).toMatch(
      /JWT_SECRET is too short for production: use at least 32 bytes \(for example: openssl rand -base64 48\)/,
    );
  }, 30_000); // a whole process starting: seconds on a busy machine

  it('refuses to run without DATABASE_URL or an explicit DATA_DIR', async () => {
    const message = await refusalOf({ ...BASE_ENV });
    expect(message).toMatch(/DATABASE_URL is required in production/);
    expect(message).toMatch(/set DATA_DIR to a persistent folder/);
  }, 30_000);
});
