import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  PayloadTooLargeException,
  type Type,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { GUARDS_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { ConfigService } from '@nestjs/config';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { MalformedRequestException } from '../../common/problems/malformed-request.exception.js';
import { ValidationProblemException } from '../../common/problems/validation-problem.exception.js';
import { type BeforeBodyCheck, CHECKS_BEFORE_BODY_KEY } from '../../common/decorators/checks-before-body.decorator.js';
import { carriesBody, jsonBodyReader } from './read-json-body.js';

/** Nest's `RouteParamtypes.BODY`: the key prefix of a `@Body()` parameter in the route's argument metadata. */
const BODY_PARAM = '3:';

interface RouteBody {
  /** Whether the handler has a `@Body()` parameter. */
  takesBody: boolean;
  /** What the contract ranks before the body, in its order: the route's own guards, then its `ChecksBeforeBody`. */
  checks: BeforeBodyCheck[];
}

/**
 * The request body, read and judged after authentication: a global guard,
 * registered right after JwtAuthGuard (global guards run in registration
 * order, before a controller's own). A request without a body, the common
 * case, returns at once: no route pays for bodies it does not get, and no
 * interceptor wraps every handler in an Observable.
 *
 * The contract's order holds for a rejected body: `401` (JwtAuthGuard ran),
 * then the route's own guards (malformed path values `400`, `403`), then its
 * `ChecksBeforeBody` (existence, `If-Match`), and only then the body's
 * `413`/`415`/`400`. Those checks run here only when the body is rejected,
 * so a valid request pays nothing for them (its own guards run after this
 * one, as always).
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
    config: ConfigService,
  ) {
    this.read = jsonBodyReader(config.getOrThrow<string>('app.bodyLimit'));
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
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, type, handler.name) ?? {}) as object;
      const guards = this.reflector.getAllAndMerge<(Type<CanActivate> | CanActivate)[]>(GUARDS_METADATA, [
        type,
        handler,
      ]);
      const checkType = this.reflector.getAllAndOverride<Type<BeforeBodyCheck> | undefined>(CHECKS_BEFORE_BODY_KEY, [
        handler,
        type,
      ]);
      route = {
        takesBody: Object.keys(args).some((key) => key.startsWith(BODY_PARAM)),
        checks: [
          ...guards.map((guard) => asCheck(this.resolve(guard))),
          ...(checkType ? [this.resolve(checkType)] : []),
        ],
      };
      byHandler.set(handler, route);
    }
    return route;
  }

  private resolve<T extends object>(typeOrInstance: Type<T> | T): T {
    return typeof typeOrInstance === 'function'
      ? this.moduleRef.get<T>(typeOrInstance, { strict: false })
      : typeOrInstance;
  }
}

/** A route guard as a check: its own problem (thrown) outranks the body's; a plain refusal is Nest's 403. */
function asCheck(guard: CanActivate): BeforeBodyCheck {
  return {
    async check(_request, context) {
      if ((await guard.canActivate(context)) === false) throw new ForbiddenException();
    },
  };
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
