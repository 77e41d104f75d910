interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  driverError?: unknown;
}

/** Network errors of a connection that failed or was lost. */
export const CONNECTION_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

const CONNECTION_ERROR_MESSAGES = [
  'Connection terminated',
  'Query read timeout',
  'timeout exceeded when trying to connect',
  'Connection ended unexpectedly',
  'Client has encountered a connection error',
  'terminating connection',
  'the database system is starting up',
  'the database system is shutting down',
];

/**
 * True when an error means the database cannot answer (as opposed to a query
 * that is wrong): unreachable, shutting down, or too slow (a statement
 * cancelled by statement_timeout, 57014). Such requests get a 503 with
 * Retry-After, and the pool reconnects by itself.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let e = error as ErrorLike | undefined;
  for (let depth = 0; e && depth < 4; depth++, e = (e.driverError ?? e.cause) as ErrorLike | undefined) {
    const code = typeof e.code === 'string' ? e.code : '';
    // SQLSTATE class 08 (connection exception), 57014 (statement timeout), 57P01-57P03 (shutdown, cannot connect now)
    if (CONNECTION_ERROR_CODES.has(code) || code.startsWith('08') || /^57(014|P0[1-3])$/.test(code)) return true;
    const message = typeof e.message === 'string' ? e.message : '';
    if (CONNECTION_ERROR_MESSAGES.some((text) => message.includes(text))) return true;
  }
  return false;
}
