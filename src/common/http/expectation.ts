import type { Server } from 'node:http';
import type { RequestHandler } from 'express';
import { PROBLEM_TYPES } from '../problems/problem-types.js';
import { requestIdOf } from './request-id.js';
import { requestPathOf } from './request-path.js';

/** The one expectation this server meets (RFC 9110 §10.1.1); Node matches it the same way. */
const CONTINUE = /(?:^|\W)100-continue(?:$|\W)/i;

/**
 * Node answers a request whose `Expect` names anything but `100-continue` with
 * a bare `417` and no body, before any listener sees it. This hands such a
 * request to the application instead, and answers it here as the contract
 * answers every error: a `417` problem, with the request id and the headers
 * every response carries. Its body, if any, is never read.
 */
export function refuseUnknownExpectations(server: Server, typeBase: string): RequestHandler {
  server.on('checkExpectation', (request, response) => server.emit('request', request, response));
  return (request, response, next) => {
    const expect = request.headers.expect;
    if (expect === undefined || CONTINUE.test(expect)) return next();
    const type = PROBLEM_TYPES[417];
    response.status(417).setHeader('Content-Type', 'application/problem+json; charset=utf-8');
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Connection', 'close');
    response.end(
      JSON.stringify({
        type: typeBase + type.slug,
        title: type.title,
        status: 417,
        detail: 'The only expectation this server meets is Expect: 100-continue',
        instance: requestPathOf(request.originalUrl),
        requestId: requestIdOf(request),
      }),
    );
  };
}
