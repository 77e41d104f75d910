import type { IncomingMessage, ServerResponse } from 'node:http';
import { PROBLEM_TYPES } from '../problems/problem-types.js';
import { requestIdOf } from './request-id.js';

type Emit = (event: string | symbol, ...args: unknown[]) => boolean;

interface ContainOptions {
  /** Prefix of problem `type` URIs, as the problem filter writes them. */
  typeBase: string;
  /** Logs what escaped, with the request's id. */
  onError: (entry: { reqId: string; err: unknown }) => void;
}

/**
 * The last line of defence: Express and Nest catch what a handler throws, but
 * not what a listener of the request's or the response's events throws (a
 * stream callback of a body parser, a `finish` hook). Such an error would
 * escape as an uncaught exception and end the process, and every request in
 * flight with it. Here it is logged with the request's id and answered with a
 * `500` problem (or, if the response has started, the connection is cut), and
 * the process carries on. One wrapper per request and emitter; no async hooks.
 */
export function containRequestErrors(options: ContainOptions) {
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const fail = (error: unknown) => answerEscapedError(request, response, error, options);
    guardEmitter(request, fail);
    guardEmitter(response, fail);
    next();
  };
}

function guardEmitter(emitter: { emit: Emit }, fail: (error: unknown) => void): void {
  const emit = emitter.emit;
  emitter.emit = function guardedEmit(this: unknown, event, ...args) {
    try {
      return emit.call(this, event, ...args);
    } catch (error) {
      fail(error);
      return true;
    }
  };
}

function answerEscapedError(
  request: IncomingMessage,
  response: ServerResponse,
  error: unknown,
  { typeBase, onError }: ContainOptions,
): void {
  const reqId = requestIdOf(request);
  onError({ reqId, err: error });
  if (response.headersSent || response.writableEnded) {
    request.socket.destroy();
    return;
  }
  const type = PROBLEM_TYPES[500];
  const body = JSON.stringify({
    type: typeBase + type.slug,
    title: type.title,
    status: 500,
    detail: 'An unexpected error occurred',
    instance: ((request as IncomingMessage & { originalUrl?: string }).originalUrl ?? request.url ?? '/').split('?')[0],
    requestId: reqId,
  });
  response.statusCode = 500;
  response.setHeader('Content-Type', 'application/problem+json; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('Content-Length', Buffer.byteLength(body));
  // The request's stream is in an unknown state: do not reuse the connection.
  response.setHeader('Connection', 'close');
  response.end(body);
}
