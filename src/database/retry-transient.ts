/** SQLSTATEs that mean "this statement lost a race; running it again is safe": deadlock, serialization failure. */
const TRANSIENT = new Set(['40P01', '40001']);
const ATTEMPTS = 3;

/**
 * Runs a single-statement write again when PostgreSQL aborted it as a
 * deadlock victim or a serialization failure (`SqlRunner.write`). The
 * statement was rolled back, so running it again is safe, and the client
 * never sees a 500 for a race it did not cause. Only for statements that run
 * on their own: inside a transaction, the whole transaction must run again.
 */
export async function retryTransient<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= ATTEMPTS || !TRANSIENT.has(sqlState(error))) throw error;
    }
  }
}

function sqlState(error: unknown): string {
  const { code, driverError } = (error ?? {}) as {
    code?: unknown;
    driverError?: { code?: unknown };
  };
  const value = driverError?.code ?? code;
  return typeof value === 'string' ? value : '';
}
