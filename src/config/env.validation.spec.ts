import { describe, expect, it } from '@jest/globals';
import { envValidationSchema } from './env.validation.js';

const validate = (env: Record<string, string>) => envValidationSchema.validate(env);

describe('envValidationSchema', () => {
  it('fills in the documented defaults', () => {
    const { value, error } = validate({});
    expect(error).toBeUndefined();
    expect(value).toMatchObject({ PORT: 3000, DATA_DIR: './data', DB_POOL_SIZE: 10, JWT_ACCESS_TTL: 900 });
  });

  it('refuses production without JWT_SECRET, saying what to set', () => {
    const { error } = validate({ NODE_ENV: 'production' });
    expect(error?.message).toMatch(/JWT_SECRET is required in production.*openssl rand/);
  });

  it('refuses a production JWT_SECRET shorter than 32 bytes', () => {
    const { error } = validate({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(31) });
    expect(error?.message).toMatch(/JWT_SECRET is too short/);
  });

  it('accepts a 32-byte production secret', () => {
    expect(validate({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).error).toBeUndefined();
  });

  it.each([
    ['PORT', 'eighty'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['DB_POOL_SIZE', '0'],
    ['LOG_LEVEL', 'loud'],
    ['NODE_ENV', 'staging'],
  ])('rejects a bad %s', (name, value) => {
    expect(validate({ [name]: value }).error?.message).toContain(name);
  });
});
