import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
  PayloadTooLargeException,
  type Type,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, from, type Observable, switchMap } from 'rxjs';
import { TAKES_BODY_KEY } from '../../common/decorators/body.decorator.js';
import { type BeforeBodyCheck, CHECKS_BEFORE_BODY_KEY } from '../../common/decorators/checks-before-body.decorator.js';
import { MalformedRequestException } from '../../common/problems/malformed-request.exception.js';
import { ValidationProblemException } from '../../common/problems/validation-problem.exception.js';
import { appConfig } from '../../config/app.config.js';
import { carriesBody, jsonBodyReader } from './read-json-body.js';

interface RouteBody {
  /** Whether the handler has a `@Body()` parameter (the `Body` of common/decorators). */
  takesBody: boolean;
  /** What the route ranks before its body, after its guards: its `@ChecksBeforeBody`. */
  check?: BeforeBodyCheck;
}

/**
 * The request body, read and judged after every guard: a global interceptor,
 * and interceptors run once all guards have passed. So the contract's order
 * holds without any guard running twice: `401` (the authentication guard),
 * then the route's own guards (malformed path values `400`, `403`), then the
 * route's `ChecksBeforeBody` (existence `404`, `If-Match` `412`), and only
 * then the body's `413`/`415`/`400`, or its DTO's `400` (the validation pipe
 * runs inside `next.handle()`). The check runs only when the body is
 * rejected, so a valid request pays nothing for it. An anonymous caller of a
 * protected route never gets this far: its body is never read.
 *
 * A request without a body, on a route without such a check, the common
 * case, goes straight through. A route without a `@Body()` parameter takes
 * no body: none, or `{}`, is fine; any field is unknown (`400`).
 */
@Injectable()
export class RequestBodyInterceptor implements NestInterceptor {
  /** What each handler expects, resolved on its first request (a subclass controller shares handlers). */
  private readonly routes = new Map<unknown, Map<unknown, RouteBody>>();
  private readonly read: (request: Request, response: Response) => Promise<void>;

  constructor(
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
    @Inject(appConfig.KEY) config: ConfigType<typeof appConfig>,
  ) {
    this.read = jsonBodyReader(config.bodyLimit);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const route = this.routeOf(context);
    const withBody = carriesBody(request);
    if (!withBody && (route.check === undefined || !route.takesBody)) return next.handle();
    const handled = withBody
      ? from(this.readFor(route, request, context.switchToHttp().getResponse<Response>())).pipe(
          switchMap(() => next.handle()),
        )
      : next.handle();
    const { check } = route;
    if (check === undefined) return handled;
    // A problem of the body waits for the route's own check: theirs is answered first.
    return handled.pipe(
      catchError((error: unknown) =>
        from(
          (async () => {
            if (isBodyProblem(error)) await check.check(request);
            throw error;
          })(),
        ),
      ),
    );
  }

  private async readFor(route: RouteBody, request: Request, response: Response): Promise<void> {
    await this.read(request, response);
    if (!route.takesBody) refuseFields(request.body);
  }

  private routeOf(context: ExecutionContext): RouteBody {
    const [type, handler] = [context.getClass(), context.getHandler()];
    let byHandler = this.routes.get(type);
    if (byHandler === undefined) this.routes.set(type, (byHandler = new Map<unknown, RouteBody>()));
    let route = byHandler.get(handler);
    if (route === undefined) {
      const checkType = this.reflector.getAllAndOverride<Type<BeforeBodyCheck> | undefined>(CHECKS_BEFORE_BODY_KEY, [
        handler,
        type,
      ]);
      route = {
        takesBody: this.reflector.get<boolean | undefined>(TAKES_BODY_KEY, handler) === true,
        check: checkType && this.moduleRef.get(checkType, { strict: false }),
      };
      byHandler.set(handler, route);
    }
    return route;
  }
}

function refuseFields(body: unknown): void {
  const fields = Object.keys((body as object | undefined) ?? {});
  if (fields.length > 0) {
    throw new ValidationProblemException(fields.map((field) => ({ field, message: 'is not an accepted field' })));
  }
}

function isBodyProblem(error: unknown): boolean {
  return (
    error instanceof ValidationProblemException ||
    error instanceof MalformedRequestException ||
    error instanceof PayloadTooLargeException ||
    error instanceof UnsupportedMediaTypeException
  );
}
