import { Logger } from '@nestjs/common';
import { type IncrementResponse, MemoryStore, type Options, type Store } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import type { RedisConnections } from '../../database/shared-state/redis-connections.js';

/**
 * A fixed window in one round trip: the first hit creates the counter with
 * the window as its expiry; later hits increment it and report the time left.
 */
const INCREMENT = `
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then
  redis.call('SET', KEYS[1], 1, 'PX', ARGV[1])
  return {1, tonumber(ARGV[1])}
end
return {redis.call('INCR', KEYS[1]), ttl}`;

/** Undoes a hit (a successful login) without creating a counter or going below zero. */
const DECREMENT = `
local hits = tonumber(redis.call('GET', KEYS[1]))
if hits and hits > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

type ScriptedRedis = Redis & {
  rateLimitIncrement(key: string, windowMs: number): Promise<[number, number]>;
  rateLimitDecrement(key: string): Promise<number>;
};

/**
 * express-rate-limit counters shared by every instance, in Redis, so a limit
 * holds across all of them. When Redis does not answer (the command fails at
 * once while it is disconnected, or after REDIS_TIMEOUT_MS), the request is
 * counted in this process instead: the limits then hold per instance, as
 * without Redis — never open, never a failed request. The Redis counters are
 * used again from the first request after it is back.
 */
export class SharedRateLimitStore implements Store {
  private readonly logger = new Logger('RateLimit');
  private readonly redis: ScriptedRedis;
  private readonly local = new MemoryStore();
  private windowMs = 60_000;
  private degraded = false;
  readonly localKeys = false;

  constructor(
    redis: Redis,
    readonly prefix: string,
  ) {
    if (!('rateLimitIncrement' in redis)) {
      // EVALSHA, falling back to EVAL when Redis does not know the script yet (after a restart, say).
      redis.defineCommand('rateLimitIncrement', { numberOfKeys: 1, lua: INCREMENT });
      redis.defineCommand('rateLimitDecrement', { numberOfKeys: 1, lua: DECREMENT });
    }
    this.redis = redis as ScriptedRedis;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
    this.local.init(options);
  }

  async increment(key: string): Promise<IncrementResponse> {
    try {
      const [totalHits, msLeft] = await this.redis.rateLimitIncrement(this.prefix + key, this.windowMs);
      this.recovered();
      return { totalHits, resetTime: new Date(Date.now() + msLeft) };
    } catch (error) {
      this.degrade(error);
      return this.local.increment(key);
    }
  }

  async decrement(key: string): Promise<void> {
    try {
      await this.redis.rateLimitDecrement(this.prefix + key);
    } catch (error) {
      this.degrade(error);
      await this.local.decrement(key);
    }
  }

  async resetKey(key: string): Promise<void> {
    await this.local.resetKey(key);
    await this.redis.del(this.prefix + key).catch((error: unknown) => this.degrade(error));
  }

  shutdown(): void {
    this.local.shutdown();
  }

  private degrade(error: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn(
      `Redis is not answering (${(error as Error).message}): rate limits are counted per instance until it is back`,
    );
  }

  private recovered(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.logger.log('Redis answers again: rate limits are shared across instances');
  }
}

/** With REDIS_URL, counters every instance shares under `name`; without, express-rate-limit's in-process default. */
export function rateLimitStore(redis: RedisConnections, name: string): SharedRateLimitStore | undefined {
  const commands = redis.commands;
  return commands && new SharedRateLimitStore(commands, `${redis.keyPrefix}rate-limit:${name}:`);
}
