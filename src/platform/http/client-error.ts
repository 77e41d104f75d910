import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RequestHandler } from 'express';
import { GENERIC_PROBLEM_TYPES, MALFORMED_REQUEST } from '../../common/problems/problem-types.js';
import type { ProblemWriter } from '../problems/problem-writer.js';
import { requestIdOf } from './request-id.js';

/** Node's parser errors and the status it gives each (what it answers by itself, minus the body). */
const STATUS_BY_CODE: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

const DETAIL_BY_STATUS: Record<number, string> = {
  400: 'The request could not be parsed as HTTP',
  408: 'The request took too long to arrive',
  // Node's only 413: chunk extensions over its fixed 16 KiB (llhttp's limit since CVE-2024-22019).
  413: 'The chunk extensions of the request are over the limit of 16384 bytes (16 KiB)',
  431: 'The request headers are too large',
};

interface ClientErrorOptions {
  problems: ProblemWriter;
  /** The security headers every response carries (helmet's). */
  headers: Record<string, string>;
  /** Called once per answered error, to log it. */
  onAnswer?: (entry: { reqId: string; status: number; code: string | undefined }) => void;
}

/**
 * Requests Node's HTTP parser rejects (a malformed request line or header,
 * headers over the limit, a request that never finishes arriving) never reach
 * Express: Node answers them itself, with a bare status line. This answers them
 * as the contract does every error: problem+json, a fresh `X-Request-Id`,
 * `nosniff` and the other security headers, then closes the connection.
 */
export function answerClientErrors(server: Server, options: ClientErrorOptions): void {
  // The responses each connection still owes, in order (Node sends pipelined answers one after the
  // other). Forgotten once finished, so an idle connection keeps no request, or its body, alive.
  const owed = new WeakMap<Duplex, ServerResponse[]>();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    const responses = owed.get(socket);
    if (responses) responses.push(response);
    else owed.set(socket, [response]);
    response.once('finish', () => {
      const left = owed.get(socket)?.filter((other) => other !== response) ?? [];
      if (left.length > 0) owed.set(socket, left);
      else owed.delete(socket);
    });
  });
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    // A reset connection: nothing can be written, and nothing needs to be.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = STATUS_BY_CODE[error.code ?? ''] ?? 400;
    const answer = () => {
      const reqId = randomUUID();
      options.onAnswer?.({ reqId, status, code: error.code });
      socket.end(rawProblem(status, reqId, options));
    };
    // A keep-alive connection may still owe answers to earlier requests: the problem follows the last
    // of them, never inside one. If the bad bytes are in the last request's own body, that request can
    // never complete: the problem follows the answers before it. A stream already under way (an event
    // stream) never finishes: the connection is closed.
    const responses = owed.get(socket) ?? [];
    const [first, last] = [responses[0], responses.at(-1)];
    if (first?.headersSent && !first.writableEnded) {
      socket.destroy();
      return;
    }
    const awaited = last !== undefined && !last.req.complete ? responses.at(-2) : last;
    if (awaited === undefined) answer();
    else awaited.once('finish', answer);
  });
  // Without a 'connect' listener Node drops a CONNECT request without a word. This is no proxy:
  // the request is answered as one this server cannot serve, and the connection closed.
  server.on('connect', (_request: IncomingMessage, socket: Duplex) => {
    const reqId = randomUUID();
    options.onAnswer?.({ reqId, status: 400, code: 'CONNECT' });
    socket.on('error', () => socket.destroy());
    socket.end(rawProblem(400, reqId, options, 'CONNECT is not supported: this server is not a proxy'));
  });
}

/**
 * Node answers an HTTP/1.1 request without `Host` with a bare `400` before any
 * listener sees it. With that check off (`requireHostHeader`), this middleware
 * gives the same answer as a problem, with the request id and headers every
 * response of the application carries.
 */
export function requireHostHeader(server: Server, problems: ProblemWriter): RequestHandler {
  (server as Server & { requireHostHeader: boolean }).requireHostHeader = false;
  return (request, response, next) => {
    if (request.headers.host !== undefined || request.httpVersion !== '1.1') return next();
    problems.send(
      response,
      requestProblem(problems, 400, requestIdOf(request), 'The request has no Host header'),
      true,
    );
  };
}

function requestProblem(problems: ProblemWriter, status: number, reqId: string, detail?: string) {
  // A request that is not HTTP at all is malformed, not invalid.
  const type = status === 400 ? MALFORMED_REQUEST : (GENERIC_PROBLEM_TYPES[status] ?? MALFORMED_REQUEST);
  const text = detail ?? DETAIL_BY_STATUS[status] ?? DETAIL_BY_STATUS[400];
  // The request target was never read; the problem is about the request as a whole.
  return problems.problem(type, status, text, '/', reqId);
}

function rawProblem(status: number, reqId: string, { problems, headers }: ClientErrorOptions, detail?: string): string {
  return problems.raw(requestProblem(problems, status, reqId, detail), headers);
}
