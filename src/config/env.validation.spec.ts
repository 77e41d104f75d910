import { describe, expect, it } from '@jest/globals';
import { envValidationSchema } from './env.validation.js';

const STRONG_SECRET = 'a-production-secret-of-at-least-32-bytes-0123456789';
const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: STRONG_SECRET,
  DATABASE_URL: 'postgres://u:p@db:5432/taskwell',
};

function refusal(env: Record<string, string>): string | undefined {
  return envValidationSchema.validate(env).error?.message;
}

const issuer = (overrides: object = {}) =>
  JSON.stringify([
    {
      issuer: 'https://idp.example',
      jwksUri: 'https://idp.example/jwks',
      audience: 'taskwell-api',
      algorithms: ['RS256'],
      ...overrides,
    },
  ]);

describe('envValidationSchema', () => {
  describe('TRUSTED_ISSUERS', () => {
    it('accepts none, or a valid list', () => {
      expect(refusal({})).toBeUndefined();
      expect(refusal({ TRUSTED_ISSUERS: issuer() })).toBeUndefined();
    });

    it('refuses an HMAC algorithm, naming the variable', () => {
      expect(refusal({ TRUSTED_ISSUERS: issuer({ algorithms: ['HS256'] }) })).toMatch(/TRUSTED_ISSUERS.*algorithms/);
    });

    it('refuses our own issuer as an external one', () => {
      expect(refusal({ JWT_ISSUER: 'https://idp.example', TRUSTED_ISSUERS: issuer() })).toMatch(
        /must not list this service's own issuer/,
      );
    });

    it('refuses a plain-http JWKS URL in production, unless on this host', () => {
      expect(refusal({ ...PRODUCTION, TRUSTED_ISSUERS: issuer({ jwksUri: 'http://idp.example/jwks' }) })).toMatch(
        /jwksUri .* must use https in production/,
      );
      const local = issuer({ jwksUri: 'http://127.0.0.1:4000/jwks' });
      expect(refusal({ ...PRODUCTION, TRUSTED_ISSUERS: local })).toBeUndefined();
    });
  });

  describe('in production', () => {
    it('accepts a strong secret and a database URL', () => {
      expect(refusal(PRODUCTION)).toBeUndefined();
    });

    it('refuses a missing JWT_SECRET, saying how to make one', () => {
      const { JWT_SECRET: _, ...withoutSecret } = PRODUCTION;
      expect(refusal(withoutSecret)).toMatch(/JWT_SECRET is required in production.*openssl rand/);
      expect(refusal({ ...PRODUCTION, JWT_SECRET: '' })).toMatch(/JWT_SECRET is required in production.*openssl rand/);
    });

    it('refuses a short JWT_SECRET', () => {
      expect(refusal({ ...PRODUCTION, JWT_SECRET: 'short' })).toMatch(/JWT_SECRET is too short for production/);
    });

    it('refuses to store data in an unnamed folder: DATABASE_URL or DATA_DIR must be set', () => {
      const { DATABASE_URL: _, ...withoutUrl } = PRODUCTION;
      expect(refusal(withoutUrl)).toMatch(/DATABASE_URL is required in production.*set DATA_DIR/);
      expect(refusal({ ...withoutUrl, DATA_DIR: '/var/lib/taskwell' })).toBeUndefined();
    });

    it('refuses TRUST_PROXY=true, asking for a hop count or addresses', () => {
      expect(refusal({ ...PRODUCTION, TRUST_PROXY: 'true' })).toMatch(/TRUST_PROXY.*number of proxies/);
      expect(refusal({ ...PRODUCTION, TRUST_PROXY: '1' })).toBeUndefined();
    });
  });

  describe('in development', () => {
    it('needs nothing: embedded engine and a generated secret', () => {
      expect(refusal({ NODE_ENV: 'development' })).toBeUndefined();
    });
  });

  it('reads an empty value as unset, as `cp .env.example .env` leaves several', () => {
    const { value, error } = envValidationSchema.validate({
      DATABASE_URL: '',
      JWT_SECRET: '',
      PORT: '',
      PROBLEM_TYPE_BASE: '',
    });
    expect(error).toBeUndefined();
    expect(value).toMatchObject({ PORT: 3000, PROBLEM_TYPE_BASE: '/problems/' });
    expect(value.DATABASE_URL).toBeUndefined();
    expect(value.JWT_SECRET).toBeUndefined();
  });

  it('keeps the event-stream cap within 80% of the connection cap', () => {
    expect(refusal({})).toBeUndefined(); // 500 of 1000
    expect(refusal({ EVENTS_MAX_STREAMS: '800' })).toBeUndefined();
    expect(refusal({ EVENTS_MAX_STREAMS: '801' })).toMatch(
      /EVENTS_MAX_STREAMS \(801\) must stay at most 80% of HTTP_MAX_CONNECTIONS \(1000\)/,
    );
    expect(refusal({ EVENTS_MAX_STREAMS: '4000', HTTP_MAX_CONNECTIONS: '5000' })).toBeUndefined();
  });

  it('refuses a negative SHUTDOWN_GRACE_MS', () => {
    expect(refusal({ SHUTDOWN_GRACE_MS: '-1' })).toMatch(/SHUTDOWN_GRACE_MS/);
  });

  it('fills in the documented defaults', () => {
    const { value, error } = envValidationSchema.validate({});
    expect(error).toBeUndefined();
    expect(value).toMatchObject({ PORT: 3000, DB_POOL_SIZE: 10, JWT_ACCESS_TTL: 900, LOG_LEVEL: 'info' });
  });

  it.each([
    ['PORT', 'eighty'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['DB_POOL_SIZE', '0'],
    ['LOG_LEVEL', 'loud'],
    ['NODE_ENV', 'staging'],
  ])('rejects a bad %s', (name, value) => {
    expect(refusal({ [name]: value })).toContain(name);
  });
});
