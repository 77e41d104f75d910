import type { DataSource } from 'typeorm';

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** Network errors and SQLSTATEs that a database waking up (or a host not up yet) gives. */
const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const RETRYABLE_MESSAGES = [
  'timeout expired',
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'the database system is starting up',
  'the database system is in recovery mode',
];

const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export interface BootRetryOptions {
  /** Give up once this much time has passed since the first attempt. */
  windowMs: number;
  log: (message: string) => void;
  /** Backoff bounds; the delay doubles from the first to the last. */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Initializes the data source, retrying with exponential backoff (and
 * jitter, so instances that boot together do not knock together) while the
 * database refuses connections, does not answer, or is still starting: a
 * serverless database waking up, or a container started before its
 * database. Errors that waiting will not fix (a wrong password, a missing
 * database, a certificate that does not verify) stop the boot at once. Every
 * failure ends in one message that says what went wrong.
 */
export async function initializeWithRetry(dataSource: DataSource, options: BootRetryOptions): Promise<DataSource> {
  const { windowMs, log, firstDelayMs = 250, maxDelayMs = 5000 } = options;
  const started = Date.now();
  let delay = firstDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.initialize();
    } catch (error) {
      const elapsed = Date.now() - started;
      if (!isRetryableAtBoot(error)) throw new Error(describeBootFailure(error), { cause: error });
      if (elapsed + delay > windowMs) {
        throw new Error(
          `The database did not answer within ${Math.round(windowMs / 1000)} s (DB_BOOT_RETRY_SECONDS), ` +
            `after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${messageOf(error)}`,
          { cause: error },
        );
      }
      log(`The database is not reachable yet (${messageOf(error)}); attempt ${attempt + 1} in ${delay} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay * (0.75 + Math.random() / 2)));
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}

/** True when waiting may help: the database is down, starting, or not reachable yet. */
export function isRetryableAtBoot(error: unknown): boolean {
  return chainOf(error).some((e) => {
    const code = typeof e.code === 'string' ? e.code : '';
    const message = typeof e.message === 'string' ? e.message : '';
    // 57P03: cannot connect now (starting up); 08xxx: connection exceptions, but not 08P01 (a
    // protocol violation, such as a startup parameter PgBouncer refuses: waiting will not fix it).
    return (
      RETRYABLE_CODES.has(code) ||
      code === '57P03' ||
      (code.startsWith('08') && code !== '08P01') ||
      RETRYABLE_MESSAGES.some((text) => message.includes(text))
    );
  });
}

/** The boot failure in words an operator can act on, TLS problems first. */
export function describeBootFailure(error: unknown): string {
  const chain = chainOf(error);
  const tls = chain.find((e) => typeof e.code === 'string' && TLS_CODES.has(e.code));
  if (tls) {
    return (
      `TLS to PostgreSQL failed: the server's certificate was not accepted (${messageOf(tls)}). ` +
      'Check sslrootcert in DATABASE_URL (the CA file that signed the server certificate) and that the host name matches the certificate.'
    );
  }
  if (chain.some((e) => typeof e.message === 'string' && e.message.includes('does not support SSL'))) {
    return (
      'TLS to PostgreSQL failed: the server does not support TLS connections, but DATABASE_URL requires it (sslmode). ' +
      'Enable ssl on the server, or connect to the right server.'
    );
  }
  if (chain.some((e) => typeof e.message === 'string' && e.message.includes('unsupported startup parameter'))) {
    return (
      `PostgreSQL refused the connection: ${messageOf(error)}. ` +
      'Behind PgBouncer in transaction mode (a pooled connection string), set DB_POOL_MODE=transaction.'
    );
  }
  return `Could not connect to PostgreSQL: ${messageOf(error)}`;
}

function chainOf(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && chain.length < 10) {
    const e = queue.shift() as ErrorLike | undefined;
    if (!e || typeof e !== 'object') continue;
    chain.push(e);
    queue.push(e.cause);
    if (Array.isArray(e.errors)) queue.push(...(e.errors as unknown[])); // AggregateError: one per address tried
  }
  return chain;
}

function messageOf(error: unknown): string {
  const chain = chainOf(error);
  const first = chain.find((e) => typeof e.message === 'string' && e.message !== '');
  if (first) return String(first.message);
  const code = chain.find((e) => typeof e.code === 'string')?.code;
  return typeof code === 'string' ? code : String(error);
}
