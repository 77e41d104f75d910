import { setTimeout } from 'node:timers/promises';
import { isLostRace } from '../common/problems/sql-state.js';

const ATTEMPTS = 4;
/** Up to this many ms × the attempt number before the next one, at random, so racers do not collide again in step. */
const BACKOFF_MS = 25;

/**
 * Runs database work again when PostgreSQL aborted it as a deadlock victim or
 * a serialization failure (`isLostRace`). The work was rolled back, so running
 * it again is safe, and the client never sees a 500 for a race it did not
 * cause. `run` must be a whole unit: one statement on its own, or a whole
 * transaction (never one statement inside a transaction, which is aborted).
 * On Citus, writes to reference tables lock their shard on the first node,
 * and concurrent ones can deadlock there: the retry turns such a race into
 * its usual outcome (a success, or a unique violation).
 */
export async function retryTransient<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= ATTEMPTS || !isLostRace(error)) throw error;
      await setTimeout(Math.random() * BACKOFF_MS * attempt);
    }
  }
}
