import { randomUUID } from 'node:crypto';
import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpServerLimits } from '../config/http-server.config.js';

/** Connections over the cap that are still answered (503) rather than dropped by Node unanswered. */
const REFUSALS_IN_FLIGHT = 64;
/** How long a refused connection has to read its 503 before it is closed. */
const REFUSAL_MS = 1000;
/** The longest Node waits between two checks of the head and request time-outs. */
const MAX_CHECK_INTERVAL_MS = 5000;

/**
 * Node's time-outs, set on purpose. Node checks the head and request time-outs
 * only every `connectionsCheckingInterval` (30 s by default, so a 20 s limit
 * could let a connection live 50 s): checking at a quarter of the shorter one,
 * at most every 5 s, closes it within 25 s of its start.
 */
export function serverOptions(limits: HttpServerLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(
      MAX_CHECK_INTERVAL_MS,
      Math.max(10, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)),
    ),
  };
}

/**
 * At most `max` open connections: each costs a descriptor and buffers, and
 * twenty thousand idle ones took 220 MB. One more is answered at once with a
 * `503` problem and `Retry-After` (a load balancer tries another instance),
 * then closed; past `max + 64` Node itself drops them unanswered, so refusing
 * stays bounded too. The refusal happens before Node's HTTP layer sees the
 * connection: no parser, no request, nothing of the application runs.
 *
 * Node's head time-out starts with a request's first byte: a connection that
 * never sends one would stay open until the client leaves. It is closed once
 * the head time-out passes with nothing received.
 */
export function limitConnections(server: Server, limits: HttpServerLimits, problemTypeBase: string): void {
  const max = limits.maxConnections;
  // http.Server's own listener, registered when the server was created: it sets up the HTTP parser.
  const accept = server.listeners('connection')[0] as (socket: Socket) => void;
  server.removeListener('connection', accept);
  server.maxConnections = max + REFUSALS_IN_FLIGHT;
  let open = 0;
  server.on('connection', (socket: Socket) => {
    if (open >= max) return refuse(socket, problemTypeBase);
    open++;
    const silent = setTimeout(() => socket.bytesRead === 0 && socket.destroy(), limits.headersTimeoutMs);
    socket.once('close', () => {
      open--;
      clearTimeout(silent);
    });
    accept.call(server, socket);
  });
}

function refuse(socket: Socket, problemTypeBase: string): void {
  socket.on('error', () => socket.destroy());
  // Whatever the client sends is read and dropped: closing on unread bytes would reset the
  // connection, and the client might lose the answer. The client's own close ends it sooner.
  socket.resume();
  setTimeout(() => socket.destroy(), REFUSAL_MS).unref();
  const reqId = randomUUID();
  const body = JSON.stringify({
    type: `${problemTypeBase}service-unavailable`,
    title: 'Service unavailable',
    status: 503,
    detail: 'The server has too many open connections; retry shortly',
    instance: '/',
    requestId: reqId,
  });
  const head = [
    'HTTP/1.1 503 Service Unavailable',
    'Content-Type: application/problem+json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${reqId}`,
    'Retry-After: 1',
    'Cache-Control: no-store',
    // The security headers every answer carries, as helmet sets them in the application.
    'X-Content-Type-Options: nosniff',
    'X-Frame-Options: DENY',
    "Content-Security-Policy: frame-ancestors 'none'",
    'Referrer-Policy: no-referrer',
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
