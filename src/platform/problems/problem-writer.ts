import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { requestPathOf } from '../../common/http/request-path.js';
import type { ProblemDetails } from '../../common/problems/problem-details.js';
import type { ProblemType } from '../../common/problems/problem-types.js';

/** RFC 9457 §3's media type, with the charset every body of this API has. */
const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/**
 * The one writer of problem+json (RFC 9457): the exception filter, the
 * parser's errors, errors escaping a request and the boot server all build
 * their body and headers here, so a client sees one shape whoever answers.
 */
export class ProblemWriter {
  /** `typeBase`: the prefix of every `type` URI (a slug follows it). */
  constructor(readonly typeBase: string) {}

  /** The problem's members, in the order clients see them; `requestId` only where a request has one. */
  problem(
    type: ProblemType,
    status: number,
    detail: string,
    instance: string,
    requestId?: string,
    extensions: Readonly<Record<string, unknown>> = {},
  ): ProblemDetails {
    return {
      type: this.typeBase + type.slug,
      title: type.title,
      status,
      detail,
      instance,
      ...(requestId === undefined ? {} : { requestId }),
      ...extensions,
    };
  }

  /**
   * Answers with `problem`: never stored by a cache (it is about one request
   * at one moment); `close` ends the connection after it, for a request whose
   * stream is unusable or whose body was never read.
   */
  send(response: ServerResponse, problem: ProblemDetails, close = false): void {
    const body = JSON.stringify(problem);
    response.statusCode = problem.status;
    response.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
    response.setHeader('Cache-Control', 'no-store');
    if (close) response.setHeader('Connection', 'close');
    response.setHeader('Content-Length', Buffer.byteLength(body));
    response.end(body);
  }

  /**
   * The problem as a whole HTTP/1.1 response, for a socket no response object
   * serves (the HTTP parser's errors): `headers` are the ones every response
   * carries; the connection is closed after it.
   */
  raw(problem: ProblemDetails, headers: Readonly<Record<string, string>>): string {
    const body = JSON.stringify(problem);
    const lines = [
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}`,
      `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...(problem.requestId === undefined ? [] : [`X-Request-Id: ${problem.requestId}`]),
      'Cache-Control: no-store',
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      'Connection: close',
    ];
    return `${lines.join('\r\n')}\r\n\r\n${body}`;
  }
}

/** A problem's `instance`: the path the client asked for, as sent, without its query. */
export function instanceOf(request: IncomingMessage & { originalUrl?: string }): string {
  return requestPathOf(request.originalUrl ?? request.url);
}
