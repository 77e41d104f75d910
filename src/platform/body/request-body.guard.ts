import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  PayloadTooLargeException,
  type Type,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { TAKES_BODY_KEY } from '../../common/decorators/body.decorator.js';
import { type BeforeBodyCheck, CHECKS_BEFORE_BODY_KEY } from '../../common/decorators/checks-before-body.decorator.js';
import { MalformedRequestException } from '../../common/problems/malformed-request.exception.js';
import { ValidationProblemException } from '../../common/problems/validation-problem.exception.js';
import { appConfig } from '../../config/app.config.js';
import { carriesBody, jsonBodyReader } from './read-json-body.js';

interface RouteBody {
  /** Whether the handler has a `@Body()` parameter (the `Body` of common/decorators). */
  takesBody: boolean;
  /** What the route ranks before its body, in its order: its `@ChecksBeforeBody`. */
  checks: BeforeBodyCheck[];
}

/**
 * The request body, read and judged after authentication: a global guard
 * that PlatformModule registers right after the authentication guard (global
 * guards run in registration order, before a route's own). A request
 * without a body, the common case, returns at once: no route pays for bodies
 * it does not get, and no interceptor wraps every handler in an Observable.
 *
 * The contract's order holds for a rejected body: `401` (authentication
 * ran), then the checks the route declares with `@ChecksBeforeBody`
 * (malformed path values `400`, `403`, existence `404`, `If-Match` `412`),
 * and only then the body's `413`/`415`/`400`. The checks run here only when
 * the body is rejected, so a valid request pays nothing for them.
 *
 * A route without a `@Body()` parameter takes no body: none, or `{}`, is
 * fine; any field is unknown (`400`).
 */
@Injectable()
export class RequestBodyGuard implements CanActivate {
  private readonly routes = new Map<unknown, Map<unknown, RouteBody>>();
  private readonly read: (request: Request, response: Response) => Promise<void>;

  constructor(
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
    @Inject(appConfig.KEY) config: ConfigType<typeof appConfig>,
  ) {
    this.read = jsonBodyReader(config.bodyLimit);
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    return carriesBody(request) ? this.readFor(context, request) : true;
  }

  private async readFor(context: ExecutionContext, request: Request): Promise<boolean> {
    const route = this.routeOf(context);
    try {
      await this.read(request, context.switchToHttp().getResponse<Response>());
      if (!route.takesBody) refuseFields(request.body);
    } catch (error) {
      // A problem of the body waits for the route's own checks: theirs is answered first.
      if (isBodyProblem(error)) for (const check of route.checks) await check.check(request, context);
      throw error;
    }
    return true;
  }

  /** What a handler expects, looked up once per controller and handler (a subclass controller shares handlers). */
  private routeOf(context: ExecutionContext): RouteBody {
    const [type, handler] = [context.getClass(), context.getHandler()];
    let byHandler = this.routes.get(type);
    if (byHandler === undefined) this.routes.set(type, (byHandler = new Map<unknown, RouteBody>()));
    let route = byHandler.get(handler);
    if (route === undefined) {
      route = {
        takesBody: this.reflector.get<boolean | undefined>(TAKES_BODY_KEY, handler) === true,
        checks: (
          this.reflector.getAllAndOverride<Type<BeforeBodyCheck>[] | undefined>(CHECKS_BEFORE_BODY_KEY, [
            handler,
            type,
          ]) ?? []
        ).map((checkType) => this.moduleRef.get(checkType, { strict: false })),
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
