import { registerAs } from '@nestjs/config';
import Joi from 'joi';
import { envVariables, readEnv } from './read-env.js';

const DAY_SECONDS = 86_400;

export const AUTH_ENV = envVariables({
  SESSION_IDLE_TTL_DAYS: Joi.number().positive().default(30),
  SESSION_ABSOLUTE_TTL_DAYS: Joi.number().positive().default(90),
  SESSION_CACHE_SECONDS: Joi.number().min(0).max(30).default(5),
  RATE_LIMIT_AUTH_PER_MINUTE: Joi.number().integer().min(1).default(10),
  RATE_LIMIT_LOGIN_FAILURES_PER_MINUTE: Joi.number().integer().min(1).default(5),
  RATE_LIMIT_LOGIN_FAILURES_PER_HOUR: Joi.number().integer().min(1).default(100),
  RATE_LIMIT_EMAIL_CHANGES_PER_MINUTE: Joi.number().integer().min(1).default(5),
  // NIST SP 800-63B-4 asks 15 where the password is the only factor.
  PASSWORD_MIN_LENGTH: Joi.number().integer().min(8).max(128).default(8),
});

interface AuthEnv {
  SESSION_IDLE_TTL_DAYS: number;
  SESSION_ABSOLUTE_TTL_DAYS: number;
  SESSION_CACHE_SECONDS: number;
  RATE_LIMIT_AUTH_PER_MINUTE: number;
  RATE_LIMIT_LOGIN_FAILURES_PER_MINUTE: number;
  RATE_LIMIT_LOGIN_FAILURES_PER_HOUR: number;
  RATE_LIMIT_EMAIL_CHANGES_PER_MINUTE: number;
  PASSWORD_MIN_LENGTH: number;
}

export const authConfig = registerAs('auth', () => {
  const env = readEnv<AuthEnv>(AUTH_ENV);
  return {
    /** A session unused this long ends (each refresh restarts the clock). */
    sessionIdleTtlSeconds: env.SESSION_IDLE_TTL_DAYS * DAY_SECONDS,
    /** No session outlives this, however often it is refreshed. */
    sessionAbsoluteTtlSeconds: env.SESSION_ABSOLUTE_TTL_DAYS * DAY_SECONDS,
    /**
     * How long this process trusts a session check before asking the database
     * again: the bound on how late another instance sees a revocation.
     */
    sessionCacheSeconds: env.SESSION_CACHE_SECONDS,
    /** Requests a minute per client IP on each of register, login and refresh. */
    rateLimitAuthPerMinute: env.RATE_LIMIT_AUTH_PER_MINUTE,
    /** Failed logins a minute per account (its normalized email) and client IP; also failed password changes per account. */
    rateLimitLoginFailuresPerMinute: env.RATE_LIMIT_LOGIN_FAILURES_PER_MINUTE,
    /** Failed logins an hour per account from all clients together: the bound on guessing spread over many IPs. */
    rateLimitLoginFailuresPerHour: env.RATE_LIMIT_LOGIN_FAILURES_PER_HOUR,
    /** Email changes a minute per account, failed or not: each answer says whether an address is registered. */
    rateLimitEmailChangesPerMinute: env.RATE_LIMIT_EMAIL_CHANGES_PER_MINUTE,
    /** The shortest new password accepted (docs/API.md). */
    passwordMinLength: env.PASSWORD_MIN_LENGTH,
  };
});
