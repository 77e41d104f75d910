/**
 * Every request of a test run comes from 127.0.0.1, and a few accounts send
 * thousands of requests: the suites that do not test a limit lift them all
 * (the suites in test/abuse/ and rate-limits set low ones of their own).
 */
export const LIFTED_LIMITS = {
  RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
  RATE_LIMIT_LOGIN_FAILURES_PER_MINUTE: '1000000',
  RATE_LIMIT_LOGIN_FAILURES_PER_HOUR: '1000000',
  RATE_LIMIT_EMAIL_CHANGES_PER_MINUTE: '1000000',
  RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
  RATE_LIMIT_WRITES_BURST: '100000',
  // Suites that seed many tasks into one list must not meet the per-list quota.
  MAX_TASKS_PER_LIST: '1000000',
  // Suites that fire many requests of one account at once must not queue behind the per-account share.
  DB_MAX_CONCURRENT_PER_USER: '100',
};
