import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit, type RateLimitInfo } from 'express-rate-limit';
import { from, type Observable, switchMap } from 'rxjs';
import type { AuthUser } from '../../common/auth-user.js';
import { TooManyRequestsException } from '../../common/problems/too-many-requests.exception.js';
import { limitsConfig } from '../../config/limits.config.js';
import { RedisConnections } from '../../database/shared-state/redis-connections.js';
import { TokenBucketStore } from './token-bucket-store.js';

/** Methods that read: never counted. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Writes per account (RATE_LIMIT_WRITES_PER_MINUTE, bursts of
 * RATE_LIMIT_WRITES_BURST): every POST, PUT, PATCH and DELETE of an
 * authenticated caller, keyed on the user id, so one token (or many tokens of
 * one account) cannot fill the database. A token bucket (`TokenBucketStore`):
 * in process memory, or in Redis when REDIS_URL is set, so the limit holds
 * across instances; no database round trip. Applied to every route, after the
 * guards (the caller is known) and before validation and the handler (a
 * limited account gets its 429 whatever it sends).
 */
@Injectable()
export class WriteLimitInterceptor implements NestInterceptor {
  private readonly limit: RequestHandler;

  constructor(@Inject(limitsConfig.KEY) config: ConfigType<typeof limitsConfig>, redis: RedisConnections) {
    const capacity = config.writesBurst;
    const perMs = config.writesPerMinute / 60_000;
    const store = new TokenBucketStore({ capacity, perMs }, redis.commands, `${redis.keyPrefix}rate-limit:writes:`);
    this.limit = rateLimit({
      store,
      limit: capacity,
      // The policy the RateLimit-Policy header states: a full bucket is what the refill brings in this time.
      windowMs: Math.ceil(capacity / perMs),
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      identifier: 'writes',
      keyGenerator: (request) => `user:${(request.user as AuthUser).id}`,
      handler: (request: Request, _response: Response, next: NextFunction) =>
        next(new TooManyRequestsException(...describe(request, config.writesPerMinute, capacity))),
      validate: { xForwardedForHeader: false },
    });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    if (SAFE_METHODS.has(request.method) || !(request.user as AuthUser | undefined)?.id) return next.handle();
    const passed = new Promise<void>((resolve, reject) => {
      void this.limit(request, http.getResponse<Response>(), (error?: unknown) =>
        error ? reject(error instanceof Error ? error : new Error('write limit check failed')) : resolve(),
      );
    });
    return from(passed).pipe(switchMap(() => next.handle()));
  }
}

/** The problem's `detail`: the limit, and when to retry (the `Retry-After` value). */
function describe(request: Request, perMinute: number, burst: number): [number, string] {
  const info = (request as Request & { rateLimit?: RateLimitInfo }).rateLimit;
  const seconds = info?.resetTime ? Math.max(1, Math.ceil((info.resetTime.getTime() - Date.now()) / 1000)) : 1;
  return [seconds, `Too many writes from this account (at most ${perMinute} a minute, ${burst} at once)`];
}
