/**
 * Whether a session is still alive: not revoked, not expired, its user not
 * deleted. The auth module provides it; the JWT guard asks it on every request
 * it answers from its cache of verified tokens, so a revoked session is
 * refused exactly as the strategy would refuse it.
 */
export abstract class SessionCheck {
  abstract isActive(sessionId: string, userId: string): Promise<boolean>;
}
