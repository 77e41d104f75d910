import type { AuthUser } from './auth-user.js';

/**
 * Is the caller's session (or linked identity) still alive? Provided by the
 * auth module for long-lived responses (event streams) that must end when
 * the session is revoked, without depending on the auth module.
 */
export abstract class SessionLiveness {
  abstract isAlive(caller: AuthUser): Promise<boolean>;
}
