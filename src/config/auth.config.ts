import { registerAs } from '@nestjs/config';

const DAY_SECONDS = 86_400;

export const authConfig = registerAs('auth', () => ({
  /** A session unused this long ends (each refresh restarts the clock). */
  sessionIdleTtlSeconds: Number(process.env.SESSION_IDLE_TTL_DAYS ?? 30) * DAY_SECONDS,
  /** No session outlives this, however often it is refreshed. */
  sessionAbsoluteTtlSeconds: Number(process.env.SESSION_ABSOLUTE_TTL_DAYS ?? 90) * DAY_SECONDS,
  /**
   * How long this process trusts a session check before asking the database
   * again: the bound on how late another instance sees a revocation.
   */
  sessionCacheSeconds: Number(process.env.SESSION_CACHE_SECONDS ?? 5),
  /** Requests a minute per client IP on each of register, login and refresh. */
  rateLimitAuthPerMinute: Number(process.env.RATE_LIMIT_AUTH_PER_MINUTE ?? 10),
  /** Failed logins a minute per account (the email as sent, trimmed and lower-cased). */
  rateLimitLoginFailuresPerMinute: Number(process.env.RATE_LIMIT_LOGIN_FAILURES_PER_MINUTE ?? 5),
}));
