import type { AuthUser } from './auth-user.js';

/** Sessions that ended: these ids, or every session of these users. */
export interface SessionsEnded {
  sessionIds: readonly string[];
  userIds: readonly string[];
}

export interface LivenessWatcher {
  /** A revocation made on this instance or, with Redis, on another one. */
  ended(ended: SessionsEnded): void;
  /** Revocations may have been missed (the Redis subscription was down): check everything again. */
  resync(): void;
}

/**
 * Is the caller's session (or linked identity) still alive? Provided by the
 * auth module for long-lived responses (event streams) that must end when
 * the session is revoked, without depending on the auth module.
 */
export abstract class SessionLiveness {
  abstract isAlive(caller: AuthUser): Promise<boolean>;
  /** Calls `watcher` on every revocation, so that open streams react instead of asking. */
  abstract watch(watcher: LivenessWatcher): void;
  /** Whether revocations arrive as messages: false while Redis is configured but its subscription is down. */
  abstract get reliable(): boolean;
}
