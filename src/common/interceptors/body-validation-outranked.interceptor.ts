import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, type Type } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { catchError, from, type Observable } from 'rxjs';
import { type BeforeBodyCheck, CHECKS_BEFORE_BODY_KEY } from '../decorators/checks-before-body.decorator.js';
import { ValidationProblemException } from '../problems/validation-problem.exception.js';

/**
 * For routes whose body a DTO validates after the route's `ChecksBeforeBody`
 * (a task write: `404`, `412` come before the body's `400`): the validation
 * pipe runs after every guard, so its problem waits here for the checks.
 * Bound per route (by `ConditionalWrite`), not globally, so routes without
 * such a check never pay for an interceptor.
 */
@Injectable()
export class BodyValidationOutranked implements NestInterceptor {
  private readonly checks = new Map<unknown, Map<unknown, BeforeBodyCheck[]>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const checks = this.checksOf(context);
    if (checks.length === 0) return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    return next.handle().pipe(
      catchError((error: unknown) =>
        from(
          (async () => {
            if (error instanceof ValidationProblemException) for (const check of checks) await check.check(request, context);
            throw error;
          })(),
        ),
      ),
    );
  }

  /** The route's checks, looked up once per controller and handler (a subclass controller shares handlers). */
  private checksOf(context: ExecutionContext): BeforeBodyCheck[] {
    const [type, handler] = [context.getClass(), context.getHandler()];
    let byHandler = this.checks.get(type);
    if (byHandler === undefined) this.checks.set(type, (byHandler = new Map<unknown, BeforeBodyCheck[]>()));
    let checks = byHandler.get(handler);
    if (checks === undefined) {
      const types =
        this.reflector.getAllAndOverride<Type<BeforeBodyCheck>[] | undefined>(CHECKS_BEFORE_BODY_KEY, [
          handler,
          type,
        ]) ?? [];
      checks = types.map((checkType) => this.moduleRef.get(checkType, { strict: false }));
      byHandler.set(handler, checks);
    }
    return checks;
  }
}
