import type { Server } from 'node:http';
import type { RequestHandler } from 'express';
import { requestPathOf } from '../../common/http/request-path.js';
import { genericProblemType } from '../../common/problems/problem-types.js';
import type { ProblemWriter } from '../problems/problem-writer.js';
import { requestIdOf } from './request-id.js';

/** The one expectation this server meets (RFC 9110 §10.1.1); Node matches it the same way. */
const CONTINUE = /(?:^|\W)100-continue(?:$|\W)/i;

/**
 * Node answers a request whose `Expect` names anything but `100-continue` with
 * a bare `417` and no body, before any listener sees it. This hands such a
 * request to the application instead, and answers it here as the contract
 * answers every error: a `417` problem, with the request id and the headers
 * every response carries. Its body, if any, is never read.
 */
export function refuseUnknownExpectations(server: Server, problems: ProblemWriter): RequestHandler {
  server.on('checkExpectation', (request, response) => server.emit('request', request, response));
  return (request, response, next) => {
    const expect = request.headers.expect;
    if (expect === undefined || CONTINUE.test(expect)) return next();
    const detail = 'The only expectation this server meets is Expect: 100-continue';
    const problem = problems.problem(
      genericProblemType(417),
      417,
      detail,
      requestPathOf(request.originalUrl),
      requestIdOf(request),
    );
    problems.send(response, problem, true);
  };
}
