import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Inject,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { isDatabaseUnavailable } from '../../common/problems/database-unavailable.js';
import { InvalidTokenException } from '../../common/problems/invalid-token.exception.js';
import type { ProblemDetails } from '../../common/problems/problem-details.js';
import { ProblemException } from '../../common/problems/problem.exception.js';
import { GENERIC_PROBLEM_TYPES, genericProblemType, type ProblemType } from '../../common/problems/problem-types.js';
import { isLostRace } from '../../common/problems/sql-state.js';
import { requestIdOf } from '../http/request-id.js';
import { RouteTable } from '../http/route-table.js';
import { closeLingering } from '../http/lingering-close.js';
import { instanceOf, ProblemWriter } from './problem-writer.js';

/** Injection token of the prefix of problem `type` URIs (the app namespace's `problemTypeBase`). */
export const PROBLEM_TYPE_BASE = Symbol('PROBLEM_TYPE_BASE');

/** Seconds a client should wait before retrying while the database is away. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The one place that writes error responses: every error, from every layer,
 * leaves as RFC 9457 problem+json (docs/API.md, "Errors").
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');
  /** Built on the first 404, when every route is registered. */
  private routes?: RouteTable;

  private readonly writer: ProblemWriter;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(PROBLEM_TYPE_BASE) typeBase: string,
  ) {
    this.writer = new ProblemWriter(typeBase);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    this.answer(exception, ctx.getRequest<Request>(), ctx.getResponse<Response>());
  }

  /** Logs what needs logging, and answers with the exception's problem unless the response has started. */
  answer(exception: unknown, request: Request, response: Response): void {
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
    // Answered before its body was read (a 401, an unknown path, a 413): rather than
    // read the rest of a body nobody wants, end the connection after this response,
    // lingering so the client can read it.
    if (!request.complete) closeLingering(request);
    this.writer.send(response, problem, !request.complete);
  }

  /**
   * Unknown paths outside the global prefix (Nest answers only those under
   * it): the same 404 (in the words of Nest's own), or 405 with `Allow`, as under the prefix.
   */
  notFound(request: Request, response: Response): void {
    this.answer(new NotFoundException(`Cannot ${request.method} ${request.originalUrl}`), request, response);
  }

  private toProblem(exception: unknown, request: Request, response: Response): ProblemDetails {
    const instance = instanceOf(request);
    const requestId = requestIdOf(request);
    const problem = (status: number, detail: string, type: ProblemType = genericProblemType(status)) =>
      this.writer.problem(type, status, detail, instance, requestId);

    // The exception names its own problem: sent as it is.
    if (exception instanceof ProblemException) {
      const status = exception.getStatus();
      return this.writer.problem(
        exception.problemType,
        status,
        this.detailOf(exception, status),
        instance,
        requestId,
        exception.extensions,
      );
    }
    // Express could not decode a path segment (`/api/tasks/%ZZ`): a path value the client got wrong.
    if (exception instanceof HttpException && exception.cause instanceof URIError) {
      const errors = [{ field: 'path', message: 'must be valid percent-encoding' }];
      return this.writer.problem(
        genericProblemType(400),
        400,
        'path must be valid percent-encoding',
        instance,
        requestId,
        { errors },
      );
    }
    if (exception instanceof HttpException) {
      const status: HttpStatus = exception.getStatus();
      if (status === HttpStatus.NOT_FOUND) {
        const allowed = this.methodsAllowedAt(request);
        if (allowed) {
          response.setHeader('Allow', allowed.join(', '));
          return problem(405, `${request.method} is not allowed here; use ${allowed.join(', ')}`);
        }
      }
      const detail = this.detailOf(exception, status);
      if (status === HttpStatus.UNAUTHORIZED) response.setHeader('WWW-Authenticate', challenge(exception, detail));
      return problem(status, detail);
    }
    if (isDatabaseUnavailable(exception)) {
      response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      return problem(503, 'The database is unavailable; retry later');
    }
    if (isLostRace(exception)) {
      response.setHeader('Retry-After', '1');
      return problem(503, 'Concurrent requests kept the database busy; retry');
    }
    return problem(500, 'An unexpected error occurred');
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

  private detailOf(exception: HttpException, status: number): string {
    if (status >= 500) return 'An unexpected error occurred';
    const body = exception.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    return typeof message === 'string' && message ? message : (GENERIC_PROBLEM_TYPES[status]?.title ?? 'Error');
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
