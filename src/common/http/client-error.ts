import { randomUUID } from 'node:crypto';
import { type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { MALFORMED_REQUEST, PROBLEM_TYPES } from '../problems/problem-types.js';

/** Node's parser errors and the status it gives each (what it answers by itself, minus the body). */
const STATUS_BY_CODE: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

const DETAIL_BY_STATUS: Record<number, string> = {
  400: 'The request could not be parsed as HTTP',
  408: 'The request took too long to arrive',
  413: 'The request is too large',
  431: 'The request headers are too large',
};

interface ClientErrorOptions {
  /** Prefix of problem `type` URIs, as the problem filter writes them. */
  typeBase: string;
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
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex & { bytesWritten?: number }) => {
    // A reset or an already answered connection: nothing can be written, and nothing needs to be.
    if (error.code === 'ECONNRESET' || !socket.writable || (socket.bytesWritten ?? 0) > 0) {
      socket.destroy();
      return;
    }
    const status = STATUS_BY_CODE[error.code ?? ''] ?? 400;
    const reqId = randomUUID();
    options.onAnswer?.({ reqId, status, code: error.code });
    socket.end(rawProblem(status, reqId, options));
  });
}

function rawProblem(status: number, reqId: string, { typeBase, headers }: ClientErrorOptions): string {
  // A request that is not HTTP at all is malformed, not invalid.
  const type = status === 400 ? MALFORMED_REQUEST : (PROBLEM_TYPES[status] ?? MALFORMED_REQUEST);
  const body = JSON.stringify({
    type: typeBase + type.slug,
    title: type.title,
    status,
    detail: DETAIL_BY_STATUS[status] ?? DETAIL_BY_STATUS[400],
    // The request target was never read; the problem is about the request as a whole.
    instance: '/',
    requestId: reqId,
  });
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Content-Type: application/problem+json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${reqId}`,
    'Cache-Control: no-store',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    'Connection: close',
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
