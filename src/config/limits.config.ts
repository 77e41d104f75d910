import { registerAs } from '@nestjs/config';
import Joi from 'joi';
import { envVariables, readEnv } from './read-env.js';

export const LIMITS_ENV = envVariables({
  RATE_LIMIT_WRITES_PER_MINUTE: Joi.number().integer().min(1).default(600),
  RATE_LIMIT_WRITES_BURST: Joi.number().integer().min(1).default(100),
  MAX_TASKS_PER_LIST: Joi.number().integer().min(1).default(10_000),
  MAX_IDEMPOTENCY_KEYS_PER_USER: Joi.number().integer().min(1).default(10_000),
  DB_MAX_CONCURRENT_PER_USER: Joi.number().integer().min(1).max(100),
  DB_QUEUE_WAIT_MS: Joi.number().integer().min(0).max(60_000).default(2000),
});

interface LimitsEnv {
  RATE_LIMIT_WRITES_PER_MINUTE: number;
  RATE_LIMIT_WRITES_BURST: number;
  MAX_TASKS_PER_LIST: number;
  MAX_IDEMPOTENCY_KEYS_PER_USER: number;
  DB_MAX_CONCURRENT_PER_USER?: number;
  DB_QUEUE_WAIT_MS: number;
}

/** What one account may use of the service, so that no account can starve the others. */
export const limitsConfig = registerAs('limits', () => {
  const env = readEnv<LimitsEnv>(LIMITS_ENV);
  return {
    /** Sustained writes a minute per account (a token bucket refilled at this rate). */
    writesPerMinute: env.RATE_LIMIT_WRITES_PER_MINUTE,
    /** Writes an idle account may send at once (the bucket's size). */
    writesBurst: env.RATE_LIMIT_WRITES_BURST,
    /** Tasks one list may hold (`409 limit-reached` beyond). */
    maxTasksPerList: env.MAX_TASKS_PER_LIST,
    /** Unexpired idempotency keys one account may hold (`409 limit-reached` beyond). */
    maxIdempotencyKeysPerUser: env.MAX_IDEMPOTENCY_KEYS_PER_USER,
    /** Requests of one account served at once; unset: a quarter of the pool, at least one. */
    maxConcurrentPerUser: env.DB_MAX_CONCURRENT_PER_USER,
    /** How long a request over that cap waits for a turn before its 429. */
    queueWaitMs: env.DB_QUEUE_WAIT_MS,
  };
});
