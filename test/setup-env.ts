// Runs before each e2e file imports the application: the configuration it boots with.
process.env.NODE_ENV = 'test';
process.env.DATABASE_URL = process.env.E2E_DATABASE_URL;
process.env.DB_POOL_SIZE = process.env.E2E_DB_POOL_SIZE;
process.env.DB_POOL_MODE = process.env.E2E_DB_POOL_MODE;
process.env.JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
process.env.LOG_LEVEL = 'silent';
process.env.CORS_ORIGINS = 'https://app.example.com';
// Every request of a run comes from 127.0.0.1: the suites that do not test
// rate limits must not trip them (rate-limits.e2e-spec.ts sets low ones).
process.env.RATE_LIMIT_AUTH_PER_MINUTE = '100000';
process.env.RATE_LIMIT_LOGIN_FAILURES_PER_MINUTE = '100000';
process.env.RATE_LIMIT_LOGIN_FAILURES_PER_HOUR = '100000';
process.env.RATE_LIMIT_EMAIL_CHANGES_PER_MINUTE = '100000';
process.env.RATE_LIMIT_WRITES_PER_MINUTE = '1000000';
process.env.RATE_LIMIT_WRITES_BURST = '100000';
// The suites that fire many requests of one account at once must not queue behind this cap.
process.env.DB_MAX_CONCURRENT_PER_USER = '100';
