import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { ConfigService } from '@nestjs/config';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, from, type Observable, switchMap } from 'rxjs';
import { MalformedRequestException } from '../../problems/malformed-request.exception.js';
import { ValidationProblemException } from '../../problems/validation-problem.exception.js';
import { type BeforeBodyCheck, CHECKS_BEFORE_BODY_KEY } from './checks-before-body.decorator.js';
import { carriesBody, jsonBodyReader } from './read-json-body.js';

/** Nest's `RouteParamtypes.BODY`: the key prefix of a `@Body()` parameter in the route's argument metadata. */
const BODY_PARAM = '3:';

interface RouteBody {
  /** Whether the handler has a `@Body()` parameter. */
  takesBody: boolean;
  check?: BeforeBodyCheck;
}

/**
 * The request body, read and judged after authentication and every guard
 * (global APP_INTERCEPTOR: interceptors run after guards). So the contract's
 * order holds for every route without a line of its own: `401`, then the
 * guards' `400`/`403`, and only then the body's `413`/`415`/`400`. A route
 * whose `ChecksBeforeBody` names a check (existence, `If-Match`) has it run
 * before any problem of the body is answered, whether the reader or the
 * validation pipe found it.
 *
 * A route without a `@Body()` parameter takes no body: none, or `{}`, is
 * fine; any field is unknown (`400`).
 */
@Injectable()
export class RequestBodyInterceptor implements NestInterceptor {
  private readonly routes = new Map<unknown, RouteBody>();
  private readonly read: (request: Request, response: Response) => Promise<void>;

  constructor(
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
    config: ConfigService,
  ) {
    this.read = jsonBodyReader(config.getOrThrow<string>('app.bodyLimit'));
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const route = this.routeOf(context);
    // The common case, a request without a body, reads nothing.
    const handled = carriesBody(request)
      ? from(this.readFor(route, request, http.getResponse<Response>())).pipe(switchMap(() => next.handle()))
      : next.handle();
    const { check } = route;
    if (check === undefined) return handled;
    return handled.pipe(catchError((error: unknown) => from(outrank(check, error, request))));
  }

  private async readFor(route: RouteBody, request: Request, response: Response): Promise<void> {
    await this.read(request, response);
    if (route.takesBody) return;
    const fields = Object.keys((request.body as object | undefined) ?? {});
    if (fields.length > 0) {
      throw new ValidationProblemException(fields.map((field) => ({ field, message: 'is not an accepted field' })));
    }
  }

  /** What a handler expects, looked up once per handler. */
  private routeOf(context: ExecutionContext): RouteBody {
    const handler = context.getHandler();
    let route = this.routes.get(handler);
    if (route === undefined) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as object;
      const checkType = this.reflector.getAllAndOverride<BeforeBodyCheck | undefined>(CHECKS_BEFORE_BODY_KEY, [
        handler,
        context.getClass(),
      ]);
      route = {
        takesBody: Object.keys(args).some((key) => key.startsWith(BODY_PARAM)),
        check: checkType && this.moduleRef.get<BeforeBodyCheck>(checkType as never, { strict: false }),
      };
      this.routes.set(handler, route);
    }
    return route;
  }
}

/** A problem of the body waits for the route's own checks: theirs is answered first. */
async function outrank(check: BeforeBodyCheck, error: unknown, request: Request): Promise<never> {
  if (isBodyProblem(error)) await check.check(request);
  throw error;
}

function isBodyProblem(error: unknown): boolean {
  return (
    error instanceof ValidationProblemException ||
    error instanceof MalformedRequestException ||
    error instanceof PayloadTooLargeException ||
    error instanceof UnsupportedMediaTypeException
  );
}
