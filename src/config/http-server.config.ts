import Joi from 'joi';
import { envVariables, readEnv } from './read-env.js';

/**
 * The HTTP server's own bounds on slow, idle and surplus connections (Node's
 * defaults let a connection that never finishes its request head live 79 s, a
 * slow body 319 s, and any number of them). Read once, where the server is
 * created (lifecycle/boot-server).
 */
export const HTTP_SERVER_ENV = envVariables({
  // A request head (request line and headers) not complete within this time is answered 408.
  HTTP_HEADERS_TIMEOUT_MS: Joi.number().integer().min(100).max(600_000).default(20_000),
  // The whole request, head and body, must arrive within this time (408 otherwise). 100 KB in 30 s
  // is 3.4 KB/s: any real client, while a slow-body attacker holds a connection 30 s, not 319 s.
  HTTP_REQUEST_TIMEOUT_MS: Joi.number()
    .integer()
    .min(Joi.ref('HTTP_HEADERS_TIMEOUT_MS'))
    .max(3_600_000)
    .default(30_000),
  // An idle keep-alive connection is closed after this long (keep it above a proxy's reuse time).
  HTTP_KEEP_ALIVE_TIMEOUT_MS: Joi.number().integer().min(0).max(600_000).default(5_000),
  // Open connections at most; one more is answered 503 and closed. Event streams, when they come,
  // count here too: their own cap must stay well below this one.
  HTTP_MAX_CONNECTIONS: Joi.number().integer().min(1).max(1_000_000).default(1_000),
});

interface HttpServerEnv {
  HTTP_HEADERS_TIMEOUT_MS: number;
  HTTP_REQUEST_TIMEOUT_MS: number;
  HTTP_KEEP_ALIVE_TIMEOUT_MS: number;
  HTTP_MAX_CONNECTIONS: number;
}

export interface HttpServerLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

export function httpServerConfig(): HttpServerLimits {
  const env = readEnv<HttpServerEnv>(HTTP_SERVER_ENV);
  return {
    headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    maxConnections: env.HTTP_MAX_CONNECTIONS,
  };
}
