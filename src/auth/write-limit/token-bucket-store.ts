import { Logger } from '@nestjs/common';
import type { IncrementResponse, Store } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { type Bucket, type BucketShape, take, TAKE_SCRIPT, type Take } from './token-bucket.js';

type ScriptedRedis = Redis & {
  takeToken(key: string, capacity: number, perMs: number): Promise<[number, number, number, number]>;
};

/** How often full buckets are dropped from process memory (a full bucket is the same as none). */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * An express-rate-limit store that is a token bucket per key, not a fixed
 * window: idle clients may burst up to `capacity`, and the sustained rate is
 * the refill rate. express-rate-limit compares `totalHits` with its `limit`,
 * which is the capacity: a take reports `capacity - remaining` hits, and a
 * refusal `capacity + 1`; `resetTime` is when a token is back (refused) or
 * when the bucket is full (allowed), which the `Retry-After` and `RateLimit`
 * headers are computed from.
 *
 * With Redis the buckets are shared by every instance; when Redis does not
 * answer, this process counts on its own until it does (never open, never a
 * failed request), like `SharedRateLimitStore`.
 */
export class TokenBucketStore implements Store {
  private readonly logger = new Logger('RateLimit');
  private readonly local = new Map<string, Bucket>();
  private readonly redis?: ScriptedRedis;
  private sweptAt = Date.now();
  private degraded = false;
  readonly localKeys: boolean;

  constructor(
    private readonly shape: BucketShape,
    redis?: Redis,
    readonly prefix = '',
  ) {
    this.localKeys = !redis;
    if (!redis) return;
    if (!('takeToken' in redis)) redis.defineCommand('takeToken', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    this.redis = redis as ScriptedRedis;
  }

  async increment(key: string): Promise<IncrementResponse> {
    if (this.redis) {
      try {
        const [allowed, remaining, msUntilToken, msUntilFull] = await this.redis.takeToken(
          this.prefix + key,
          this.shape.capacity,
          this.shape.perMs,
        );
        this.recovered();
        return this.response({ allowed: allowed === 1, remaining, msUntilToken, msUntilFull });
      } catch (error) {
        this.degrade(error);
      }
    }
    return this.response(this.takeLocally(key));
  }

  /** Gives the token back (express-rate-limit calls it for requests it is told not to count). */
  decrement(key: string): void {
    const bucket = this.local.get(key);
    if (bucket) bucket.tokens = Math.min(this.shape.capacity, bucket.tokens + 1);
  }

  async resetKey(key: string): Promise<void> {
    this.local.delete(key);
    await this.redis?.del(this.prefix + key).catch((error: unknown) => this.degrade(error));
  }

  private takeLocally(key: string): Take {
    const now = Date.now();
    this.sweep(now);
    const result = take(this.local.get(key), now, this.shape);
    this.local.set(key, result.bucket);
    return result.take;
  }

  /** Keeps memory to the clients that wrote lately: at most once a minute, drops the buckets that are full again. */
  private sweep(now: number): void {
    if (now - this.sweptAt < SWEEP_INTERVAL_MS) return;
    this.sweptAt = now;
    for (const [key, bucket] of this.local) {
      if (bucket.tokens + (now - bucket.at) * this.shape.perMs >= this.shape.capacity) this.local.delete(key);
    }
  }

  private response(result: Take): IncrementResponse {
    const totalHits = result.allowed ? this.shape.capacity - result.remaining : this.shape.capacity + 1;
    const msLeft = result.allowed ? result.msUntilFull : result.msUntilToken;
    return { totalHits, resetTime: new Date(Date.now() + msLeft) };
  }

  private degrade(error: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn(
      `Redis is not answering (${(error as Error).message}): write limits are counted per instance until it is back`,
    );
  }

  private recovered(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.logger.log('Redis answers again: write limits are shared across instances');
  }
}
