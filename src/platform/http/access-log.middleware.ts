import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Level, Logger } from 'pino';
import { assignRequestId } from './request-id.js';

/** What Express and the JWT guard leave on a request by the time it finishes. */
type FinishedRequest = IncomingMessage & {
  originalUrl?: string;
  route?: { path?: unknown };
  user?: { id?: string };
};

/** Probes hit every few seconds: visible at debug, silent at the default level. */
const PROBE_PREFIX = '/health/';

/**
 * The first middleware: gives the request its id (`X-Request-Id`) and writes
 * one line when its response is finished, or when the connection closes
 * before that. It comes before the body parser, so a request that parser
 * rejects is logged too.
 *
 * pino-http did the same with two child loggers, three listeners and a line
 * object per request, whether the level let the line through or not: about 7%
 * of the service's CPU under load. Here a line the level filters out costs one
 * `isLevelEnabled`. Logs written during a request carry the same `reqId`
 * field (the problem filter's).
 */
export function accessLog(logger: Logger) {
  return (request: FinishedRequest, response: ServerResponse, next: () => void): void => {
    const reqId = assignRequestId(request, response);
    const startedAt = Date.now();
    const done = () => {
      response.off('finish', done);
      response.off('close', done);
      const aborted = !response.writableFinished;
      const failed = response.statusCode >= 500;
      // A client that leaves early (a closed tab, a load generator stopping) is no fault of ours: info.
      const level: Level = request.url?.startsWith(PROBE_PREFIX) ? 'debug' : failed ? 'error' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const route = request.route?.path;
      logger[level](
        {
          reqId,
          method: request.method,
          url: request.originalUrl ?? request.url,
          // The matched route pattern (`/api/tasks/:id`) groups requests for dashboards;
          // unset for unknown paths (no route, or a catch-all such as `*path`).
          route: typeof route === 'string' && !route.startsWith('*') ? route : undefined,
          status: response.statusCode,
          responseTime: Date.now() - startedAt,
          userId: request.user?.id,
        },
        failed ? 'request failed' : aborted ? 'request aborted' : 'request completed',
      );
    };
    response.on('finish', done);
    response.on('close', done);
    next();
  };
}
