import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  mixin,
  type NestInterceptor,
  type Type,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request, RequestHandler, Response } from 'express';
import type { Store } from 'express-rate-limit';
import { from, type Observable, switchMap } from 'rxjs';
import { authConfig } from '../config/auth.config.js';
import { RedisConnections } from '../database/shared-state/redis-connections.js';
import { rateLimitStore } from './shared-state/shared-rate-limit-store.js';

/** Reads its bound from the auth settings and builds the limiter on the store given. */
type AccountLimit = (config: ConfigType<typeof authConfig>, store?: Store) => RequestHandler;

/**
 * A per-account limit on attempts (logins, password and email changes). It is keyed
 * on the account, named by the body or by the authenticated caller, so it runs
 * where both are known: after the guards and the body step, before validation
 * and the handler (a limited account gets its 429 whatever it sends).
 */
export function AccountLimitInterceptor(name: string, limitOf: AccountLimit): Type<NestInterceptor> {
  @Injectable()
  class AccountLimit implements NestInterceptor {
    private readonly limit: RequestHandler;

    constructor(@Inject(authConfig.KEY) config: ConfigType<typeof authConfig>, redis: RedisConnections) {
      this.limit = limitOf(config, rateLimitStore(redis, name));
    }

    intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
      const http = context.switchToHttp();
      const request = http.getRequest<Request>();
      const response = http.getResponse<Response>();
      const passed = new Promise<void>((resolve, reject) => {
        void this.limit(request, response, (error?: unknown) =>
          error ? reject(error instanceof Error ? error : new Error('rate limit check failed')) : resolve(),
        );
      });
      return from(passed).pipe(switchMap(() => next.handle()));
    }
  }
  return mixin(AccountLimit);
}
