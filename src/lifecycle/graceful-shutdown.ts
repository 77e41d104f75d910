import type { Server } from 'node:http';
import type { INestApplication, LoggerService } from '@nestjs/common';

export interface ShutdownOptions {
  /** Everything, draining included, must be over by then (SHUTDOWN_GRACE_MS). */
  graceMs: number;
  /**
   * Time between the signal and closing the port (SHUTDOWN_DRAIN_DELAY_MS): readiness is already
   * 503 and requests are still served, so a load balancer checking readiness stops sending first.
   */
  drainDelayMs: number;
  /** Called first: turns readiness to 503. */
  onDrainStart: () => void;
  logger: LoggerService;
  /** Waits until the last log lines are written (pino writes asynchronously). */
  flushLogs: () => Promise<void>;
}

/** Time kept back from the drain for closing the pool and the embedded engine. */
const CLOSE_RESERVE_MS = 1000;
/** How often connections that finished their request are closed while draining. */
const SWEEP_INTERVAL_MS = 50;

/**
 * On SIGTERM or SIGINT: stop accepting connections, let the requests in flight
 * finish, then close the application (the pool, the embedded engine) and exit
 * 0. Past the grace period, open connections are cut and the exit code is 1,
 * so a supervisor can tell a clean stop from a forced one.
 *
 * Nest's own `enableShutdownHooks` is not used: `app.close()` runs the modules'
 * shutdown hooks (closing the pool) before it closes the HTTP server, which
 * would fail the very requests we are waiting for, and it exits 143.
 */
export function exitGracefullyOnSignals(app: INestApplication, options: ShutdownOptions): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return; // a second signal changes nothing; the deadline stands
      stopping = true;
      void shutdown(app, signal, options).then(async (code) => {
        await options.flushLogs().catch(() => undefined);
        process.exit(code);
      });
    });
  }
}

async function shutdown(
  app: INestApplication,
  signal: string,
  { graceMs, drainDelayMs, onDrainStart, logger }: ShutdownOptions,
): Promise<number> {
  const hardStop = setTimeout(() => {
    try {
      logger.error(`Shutdown did not finish within ${graceMs} ms; exiting`, 'Shutdown');
    } finally {
      process.exit(1);
    }
  }, graceMs);
  hardStop.unref();

  logger.log(`${signal} received: draining requests (grace period ${graceMs} ms)`, 'Shutdown');
  const server = app.getHttpAdapter().getHttpServer() as Server;
  onDrainStart();
  const started = Date.now();
  if (drainDelayMs > 0) {
    // Each answer from now on closes its connection, so keep-alive clients (a proxy) reconnect elsewhere.
    server.prependListener('request', (_request, response) => (response.shouldKeepAlive = false));
    logger.log(`Readiness is 503; closing the port in ${drainDelayMs} ms`, 'Shutdown');
    await new Promise((resolve) => setTimeout(resolve, drainDelayMs));
  }
  const drainBudget = graceMs - (Date.now() - started) - Math.min(CLOSE_RESERVE_MS, graceMs / 4);
  const drained = await drain(server, Math.max(drainBudget, 0));
  if (!drained) {
    logger.warn('Grace period over: closing connections with requests still in flight', 'Shutdown');
    server.closeAllConnections();
  }
  try {
    await app.close();
  } catch (error) {
    logger.error({ err: error }, 'Shutdown');
    return 1;
  }
  logger.log(drained ? 'Stopped cleanly' : 'Stopped, some requests were cut', 'Shutdown');
  return drained ? 0 : 1;
}

/**
 * Stops listening and resolves true once every connection has ended, or false
 * after `timeoutMs`. Idle keep-alive connections are closed as soon as their
 * request is answered, so a keep-alive client cannot hold the process open.
 */
function drain(server: Server, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), SWEEP_INTERVAL_MS);
    const timer = setTimeout(() => finish(false), timeoutMs);
    function finish(drained: boolean): void {
      clearInterval(sweep);
      clearTimeout(timer);
      resolve(drained);
    }
    server.close(() => finish(true));
  });
}
