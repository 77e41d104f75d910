import { registerAs } from '@nestjs/config';
import Joi from 'joi';
import { envVariables, readEnv } from './read-env.js';

export const REDIS_ENV = envVariables({
  REDIS_URL: Joi.string().uri({ scheme: ['redis', 'rediss'] }),
  REDIS_KEY_PREFIX: Joi.string().default('taskwell:'),
  REDIS_TIMEOUT_MS: Joi.number().integer().min(10).max(10_000).default(500),
});

interface RedisEnv {
  REDIS_URL?: string;
  REDIS_KEY_PREFIX: string;
  REDIS_TIMEOUT_MS: number;
}

export const redisConfig = registerAs('redis', () => {
  const env = readEnv<RedisEnv>(REDIS_ENV);
  return {
    /** Unset: rate-limit counters and revocations stay in this process (one instance). */
    url: env.REDIS_URL,
    /** Prefix of every key and channel, so deployments (or test runs) can share one Redis. */
    keyPrefix: env.REDIS_KEY_PREFIX,
    /** The longest a request waits for Redis before carrying on without it. */
    timeoutMs: env.REDIS_TIMEOUT_MS,
  };
});
