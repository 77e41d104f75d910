import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request, Response } from 'express';
import { finalize, from, type Observable, switchMap } from 'rxjs';
import type { AuthUser } from '../../common/auth-user.js';
import { TooManyRequestsException } from '../../common/problems/too-many-requests.exception.js';
import { databaseConfig } from '../../config/database.config.js';
import { limitsConfig } from '../../config/limits.config.js';
import { PerKeyGate } from './per-key-gate.js';

/** Requests of one account that may wait for a turn at once; more are turned away without waiting. */
const MAX_WAITING_PER_USER = 64;

/**
 * One account's share of the database: at most `DB_MAX_CONCURRENT_PER_USER`
 * of its requests are served at once by this instance (default a quarter of
 * the pool, at least one: the embedded engine has a pool of one), the next
 * ones wait their turn for up to `DB_QUEUE_WAIT_MS`, then get 429 with
 * Retry-After. So a dozen slow requests of one account hold a few connections,
 * not the whole pool, and every other account still finds one free. Counted
 * per request in process memory (no round trip): the pool is this process's.
 * Requests without an authenticated caller are left to the per-IP limits.
 */
@Injectable()
export class DatabaseShareInterceptor implements NestInterceptor {
  private readonly gate: PerKeyGate;

  constructor(
    @Inject(limitsConfig.KEY) limits: ConfigType<typeof limitsConfig>,
    @Inject(databaseConfig.KEY) database: ConfigType<typeof databaseConfig>,
  ) {
    const pool = database.url ? database.poolSize : 1;
    const limit = limits.maxConcurrentPerUser ?? Math.max(1, Math.ceil(pool / 4));
    this.gate = new PerKeyGate(limit, limits.queueWaitMs, MAX_WAITING_PER_USER);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const userId = (http.getRequest<Request>().user as AuthUser | undefined)?.id;
    if (!userId) return next.handle();
    return from(this.gate.enter(userId)).pipe(
      switchMap((leave) => {
        if (!leave) {
          http.getResponse<Response>().setHeader('Retry-After', '1');
          throw new TooManyRequestsException(
            1,
            `Too many requests of this account at once (at most ${this.gate.limit} served together)`,
          );
        }
        return next.handle().pipe(finalize(leave));
      }),
    );
  }
}
