import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request, RequestHandler, Response } from 'express';
import { from, type Observable, switchMap } from 'rxjs';
import { authConfig } from '../config/auth.config.js';
import { loginFailuresPerAccount } from './rate-limits.js';

/**
 * The per-account limit on failed logins, on the login route. It is keyed on
 * the email in the body, so it runs where the body has been read: after the
 * global body step, before validation and the handler (a limited account gets
 * its 429 whatever it sends).
 */
@Injectable()
export class LoginFailuresInterceptor implements NestInterceptor {
  private readonly limit: RequestHandler;

  constructor(@Inject(authConfig.KEY) config: ConfigType<typeof authConfig>) {
    this.limit = loginFailuresPerAccount(config.rateLimitLoginFailuresPerMinute);
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
