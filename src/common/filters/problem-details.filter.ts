import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Inject,
  Logger,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { isDatabaseUnavailable } from '../problems/database-unavailable.js';
import { InvalidTokenException } from '../problems/invalid-token.exception.js';
import { MalformedRequestException } from '../problems/malformed-request.exception.js';
import type { ProblemDetails } from '../problems/problem-details.js';
import { isLostRace } from '../problems/sql-state.js';
import { MALFORMED_REQUEST, PROBLEM_TYPES } from '../problems/problem-types.js';
import { TypedProblemException } from '../problems/typed-problem.exception.js';
import { ValidationProblemException } from '../problems/validation-problem.exception.js';
import { requestIdOf } from '../http/request-id.js';
import { RouteTable } from '../http/route-table.js';

/** Injection token of the prefix of problem `type` URIs (the app namespace's `problemTypeBase`). */
export const PROBLEM_TYPE_BASE = Symbol('PROBLEM_TYPE_BASE');

/** Seconds a client should wait before retrying while the database is away. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The one place that writes error responses: every error, from every layer,
 * leaves as RFC 9457 problem+json (shared/API.md, "Errors").
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');
  /** Built on the first 404, when every route is registered. */
  private routes?: RouteTable;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(PROBLEM_TYPE_BASE) private readonly typeBase: string,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<Request>();
    const response = ctx.getResponse<Response>();
    const problem = this.toProblem(exception, request, response);
    // With the request id, like the request's own line. An outage answers
    // many requests with 503: one short warning each, no stack.
    const reqId = problem.requestId;
    if (problem.status === 503 && !(exception instanceof HttpException)) {
      this.logger.warn(
        { reqId, reason: exception instanceof Error ? exception.message : String(exception) },
        isLostRace(exception) ? 'Database busy' : 'Database unavailable',
      );
    } else if (problem.status >= 500) {
      this.logger.error({ reqId, err: exception }, 'Unhandled error');
    }
    if (response.headersSent) return;
    const adapter = this.adapterHost.httpAdapter;
    adapter.setHeader(response, 'Content-Type', 'application/problem+json; charset=utf-8');
    // A problem is about one request at one moment: never stored, by any cache.
    adapter.setHeader(response, 'Cache-Control', 'no-store');
    // Answered before its body was read (a 401, an unknown path, a 413): rather than
    // read the rest of a body nobody wants, end the connection after this response.
    if (!request.complete) adapter.setHeader(response, 'Connection', 'close');
    adapter.reply(response, problem, problem.status);
  }

  private toProblem(exception: unknown, request: Request, response: Response): ProblemDetails {
    const base = {
      instance: (request.originalUrl ?? request.url ?? '/').split('?')[0],
      requestId: requestIdOf(request),
    };

    if (exception instanceof ValidationProblemException) {
      return { ...this.head(400), detail: exception.message, ...base, errors: exception.errors };
    }
    if (exception instanceof TypedProblemException) {
      const status = exception.getStatus();
      return {
        ...this.head(status, exception.problemType),
        detail: exception.message,
        ...base,
        ...exception.extensions,
      };
    }
    if (exception instanceof MalformedRequestException) {
      return { ...this.head(400, MALFORMED_REQUEST), detail: exception.message, ...base };
    }
    // Express could not decode a path segment (`/api/tasks/%ZZ`): a path value the client got wrong.
    if (exception instanceof HttpException && exception.cause instanceof URIError) {
      const errors = [{ field: 'path', message: 'must be valid percent-encoding' }];
      return { ...this.head(400), detail: 'path must be valid percent-encoding', ...base, errors };
    }
    if (exception instanceof HttpException) {
      const status: HttpStatus = exception.getStatus();
      if (status === HttpStatus.NOT_FOUND) {
        const allowed = this.methodsAllowedAt(request);
        if (allowed) {
          response.setHeader('Allow', allowed.join(', '));
          return {
            ...this.head(405),
            detail: `${request.method} is not allowed here; use ${allowed.join(', ')}`,
            ...base,
          };
        }
      }
      const detail = this.detailOf(exception, status);
      if (status === HttpStatus.UNAUTHORIZED) response.setHeader('WWW-Authenticate', challenge(exception, detail));
      return { ...this.head(status), detail, ...base };
    }
    if (isDatabaseUnavailable(exception)) {
      response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      return { ...this.head(503), detail: 'The database is unavailable; retry later', ...base };
    }
    if (isLostRace(exception)) {
      response.setHeader('Retry-After', '1');
      return { ...this.head(503), detail: 'Concurrent requests kept the database busy; retry', ...base };
    }
    return { ...this.head(500), detail: 'An unexpected error occurred', ...base };
  }

  /**
   * A 404 for a path that exists with other methods is a 405 (known path,
   * wrong method). A 404 whose method the path does answer (a missing task)
   * stays a 404. Only 404s pay for this, never a successful request.
   */
  private methodsAllowedAt(request: Request): string[] | undefined {
    this.routes ??= RouteTable.fromExpress(this.adapterHost.httpAdapter.getInstance());
    // originalUrl: the not-found handler is mounted under the global prefix, which strips it from `path`.
    const allowed = this.routes.allowedMethods((request.originalUrl ?? request.url).split('?')[0]);
    const method = request.method.toUpperCase();
    return allowed.length > 0 && !allowed.includes(method) ? allowed : undefined;
  }

  private head(status: number, type = PROBLEM_TYPES[status] ?? PROBLEM_TYPES[500]) {
    return { type: this.typeBase + type.slug, title: type.title, status };
  }

  private detailOf(exception: HttpException, status: number): string {
    if (status >= 500) return 'An unexpected error occurred';
    const body = exception.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    return typeof message === 'string' && message ? message : (PROBLEM_TYPES[status]?.title ?? 'Error');
  }
}

/**
 * RFC 6750 §3: a presented token that cannot be used says why, in words a
 * client can act on (`error_description` is the problem's `detail`); a
 * missing one (or a failed login) gets the bare scheme.
 */
function challenge(exception: HttpException, detail: string): string {
  if (!(exception instanceof InvalidTokenException)) return 'Bearer';
  // error_description allows printable ASCII but `"` and `\`.
  const description = detail.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '');
  return `Bearer error="invalid_token", error_description="${description}"`;
}
