import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino } from 'pino';
import { pinoHttp, type HttpLogger, type Options } from 'pino-http';
import { assignRequestId } from '../common/http/request-id.js';
import { prettyTransport } from './pretty-transport.js';
import { REDACT_PATHS } from './redact-paths.js';

export interface LogSettings {
  env: string;
  level: string;
}

/** What Express and the JWT guard leave on a request by the time it finishes. */
type FinishedRequest = IncomingMessage & {
  originalUrl?: string;
  route?: { path?: unknown };
  user?: { id?: string };
};

/** Probes hit every few seconds: visible at debug, silent at the default level. */
const PROBE_PREFIX = '/health/';

/**
 * The application's one pino logger, wrapped in pino-http: it assigns the
 * request id (the same `assignRequestId` the rest of the code reads), binds it
 * to every log made while the request runs, and writes one line when the
 * response finishes.
 *
 * Per-request cost matters (the service is benchmarked), so the request line
 * is a small flat object built once, serializers are not wrapped, and nothing
 * is logged on arrival.
 */
export function createHttpLogger(settings: LogSettings): HttpLogger<FinishedRequest> {
  const logger = pino({
    level: settings.level,
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    transport: prettyTransport(settings.env),
  });
  const options: Options<FinishedRequest, ServerResponse> = {
    logger,
    genReqId: (request, response) => assignRequestId(request, response),
    // Logs made during the request carry only `reqId`, not a copy of the request.
    quietReqLogger: true,
    quietResLogger: true,
    wrapSerializers: false,
    // pino-http binds the whole request to a child logger on every request,
    // even in quiet mode: without a serializer pino would stringify the
    // IncomingMessage (socket, server and all) each time. Nothing of it is wanted.
    serializers: { req: () => undefined },
    customLogLevel: (request, response, error) => {
      if (request.url?.startsWith(PROBE_PREFIX)) return 'debug';
      if (error || response.statusCode >= 500) return 'error';
      return 'info';
    },
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (request, response, value: { responseTime: number }) =>
      requestLine(request, response, value.responseTime),
    // The error itself is logged once, with its stack, by the problem filter.
    customErrorObject: (request, response, _error, value: { responseTime: number }) =>
      requestLine(request, response, value.responseTime),
  };
  return pinoHttp(options);
}

function requestLine(request: FinishedRequest, response: ServerResponse, responseTime: number) {
  const route = request.route?.path;
  return {
    method: request.method,
    url: request.originalUrl ?? request.url,
    // The matched route pattern (`/api/tasks/:id`) groups requests for dashboards;
    // unset for unknown paths (no route, or a catch-all such as `*path`).
    route: typeof route === 'string' && !route.startsWith('*') ? route : undefined,
    status: response.statusCode,
    responseTime,
    userId: request.user?.id,
  };
}
