/** The SQLSTATE of a failed statement: on `driverError` of TypeORM's QueryFailedError, on `code` of pg's own error. */
export function sqlStateOf(error: unknown): string {
  const { code, driverError } = (error ?? {}) as { code?: unknown; driverError?: { code?: unknown } };
  const value = driverError?.code ?? code;
  return typeof value === 'string' ? value : '';
}

/** A unique index refused the row (23505). */
export function isUniqueViolation(error: unknown): boolean {
  return sqlStateOf(error) === '23505';
}

/**
 * True when the database aborted the work as the loser of a race with other
 * transactions (deadlock victim 40P01, serialization failure 40001): running
 * it again is safe. `retryTransient` runs such work again; one that loses
 * every attempt gets a 503 with Retry-After, as the client may simply retry.
 */
export function isLostRace(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state === '40P01' || state === '40001';
}

/** A foreign key refused the row: what it names is gone (23503). */
export function isForeignKeyViolation(error: unknown): boolean {
  return sqlStateOf(error) === '23503';
}
