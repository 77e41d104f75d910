import { registerAs } from '@nestjs/config';

export const redisConfig = registerAs('redis', () => ({
  /** Unset: rate-limit counters and revocations stay in this process (one instance). */
  url: process.env.REDIS_URL || undefined,
  /** Prefix of every key and channel, so deployments (or test runs) can share one Redis. */
  keyPrefix: process.env.REDIS_KEY_PREFIX ?? 'taskwell:',
  /** The longest a request waits for Redis before carrying on without it. */
  timeoutMs: Number(process.env.REDIS_TIMEOUT_MS ?? 500),
}));
