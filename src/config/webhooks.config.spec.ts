import { describe, expect, it } from '@jest/globals';
import { envValidationSchema } from './env.validation.js';
import { parseSchedule } from './webhooks.config.js';

const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: 'a-production-secret-that-is-long-enough-0123456789',
  DATABASE_URL: 'postgres://taskwell@db:5432/taskwell',
};
const STRONG_KEY = 'a-webhook-key-long-enough-for-production-0123456789';

const validate = (env: Record<string, string>) => envValidationSchema.validate(env);

describe('webhooks configuration', () => {
  it('is off by default in production, on elsewhere', () => {
    expect(validate(PRODUCTION).value.WEBHOOKS_ENABLED).toBe(false);
    expect(validate({ NODE_ENV: 'development' }).value.WEBHOOKS_ENABLED).toBe(true);
  });

  it('refuses production with webhooks on and no key, or a weak one', () => {
    expect(validate({ ...PRODUCTION, WEBHOOKS_ENABLED: 'true' }).error?.message).toMatch(
      /WEBHOOKS_SECRET_KEY is required in production/,
    );
    expect(validate({ ...PRODUCTION, WEBHOOKS_ENABLED: 'true', WEBHOOKS_SECRET_KEY: 'short' }).error?.message).toMatch(
      /WEBHOOKS_SECRET_KEY is too short/,
    );
    expect(
      validate({ ...PRODUCTION, WEBHOOKS_ENABLED: 'true', WEBHOOKS_SECRET_KEY: STRONG_KEY }).error,
    ).toBeUndefined();
    expect(validate({ NODE_ENV: 'development', WEBHOOKS_ENABLED: 'true' }).error).toBeUndefined();
  });

  it('refuses the test-only certificate authority in production', () => {
    expect(validate({ ...PRODUCTION, WEBHOOKS_TLS_CA_FILE: '/tmp/ca.pem' }).error?.message).toMatch(
      /WEBHOOKS_TLS_CA_FILE is for tests/,
    );
  });

  it('reads a retry schedule of durations, and refuses anything else', () => {
    expect(parseSchedule('5s,5m,30m,2h,5h,10h,10h')).toEqual([
      5000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ]);
    expect(parseSchedule('250ms, 1s')).toEqual([250, 1000]);
    for (const bad of ['', '5', '5x', '-5s', '5s,,5s', 'soon']) expect(parseSchedule(bad)).toBeUndefined();
    expect(validate({ WEBHOOKS_RETRY_SCHEDULE: 'soon' }).error?.message).toMatch(/WEBHOOKS_RETRY_SCHEDULE/);
  });
});
