import type { IncomingMessage, ServerResponse } from 'node:http';
import { genericProblemType } from '../../common/problems/problem-types.js';
import { instanceOf, type ProblemWriter } from '../problems/problem-writer.js';
import { requestIdOf } from './request-id.js';

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;

interface ContainOptions {
  problems: ProblemWriter;
  /** Logs what escaped, with the request's id. */
  onError: (entry: { reqId: string; err: unknown }) => void;
}

/** What this module reads of an Express application: the prototypes it gives every request and response. */
interface ExpressPrototypes {
  request: object;
  response: object;
}

/**
 * The last line of defence: Express and Nest catch what a handler throws, but
 * not what a listener of the request's or the response's events throws (a
 * stream callback of a body parser, a `finish` hook). Such an error would
 * escape as an uncaught exception and end the process, and every request in
 * flight with it. Here it is logged with the request's id and answered with a
 * `500` problem (or, if the response has started, the connection is cut), and
 * the process carries on.
 *
 * The guard is `emit` itself, set once on the prototypes Express gives every
 * request and response: nothing is allocated per request, no async hooks.
 * `app.request` and `app.response` are Express's documented place for that
 * (its guide, "Overriding the Express API"): Express sets them as the
 * prototype of each request, so a subclass given to `http.createServer`
 * would be dropped, and an AsyncLocalStorage context is lost in stream
 * callbacks.
 */
export function containRequestErrors(app: ExpressPrototypes, options: ContainOptions): void {
  guardEmit(app.request, (request) => request as IncomingMessage & { res: ServerResponse }, options);
  guardEmit(app.response, (response) => (response as ServerResponse & { req: IncomingMessage }).req, options);
}

function guardEmit(
  prototype: object,
  requestOf: (emitter: unknown) => IncomingMessage & { res?: ServerResponse },
  options: ContainOptions,
): void {
  const emit = (prototype as { emit: Emit }).emit;
  Object.defineProperty(prototype, 'emit', {
    configurable: true,
    writable: true,
    value: function guardedEmit(this: unknown, event: string | symbol, ...args: unknown[]): boolean {
      try {
        return emit.call(this, event, ...args);
      } catch (error) {
        const request = requestOf(this);
        answerEscapedError(request, request.res, error, options);
        return true;
      }
    },
  });
}

function answerEscapedError(
  request: IncomingMessage,
  response: ServerResponse | undefined,
  error: unknown,
  { problems, onError }: ContainOptions,
): void {
  const reqId = requestIdOf(request);
  onError({ reqId, err: error });
  if (response === undefined || response.headersSent || response.writableEnded) {
    request.socket.destroy();
    return;
  }
  const problem = problems.problem(
    genericProblemType(500),
    500,
    'An unexpected error occurred',
    instanceOf(request),
    reqId,
  );
  // The request's stream is in an unknown state: do not reuse the connection.
  problems.send(response, problem, true);
}
