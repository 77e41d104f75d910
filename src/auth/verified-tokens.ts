import type { AuthUser } from '../common/auth-user.js';
import { BoundedMap } from '../common/bounded-map.js';

/** Tokens remembered at most. */
const MAX_TOKENS = 10_000;

/**
 * Access tokens that passed verification (header, signature, issuer,
 * audience, expiry), by the exact `Authorization` header that carried them,
 * until they expire. A client sends the same token with every request for
 * its whole lifetime: verifying it once and looking it up afterwards saves
 * the passport and jsonwebtoken work, about a tenth of a request's CPU.
 * Only a byte-for-byte copy of a verified header can match, so a forged or
 * altered token always goes through full verification.
 */
export class VerifiedTokens {
  private readonly callers: BoundedMap<string, AuthUser>;

  constructor(maxTokens = MAX_TOKENS) {
    this.callers = new BoundedMap(maxTokens);
  }

  /** The caller a header was verified for, unless its token has expired since. */
  get(authorization: string, nowMs = Date.now()): AuthUser | undefined {
    const caller = this.callers.get(authorization);
    if (caller === undefined) return undefined;
    // Expired: back to full verification, which allows the clock leeway and then refuses.
    if (caller.expiresAt * 1000 <= nowMs) {
      this.callers.delete(authorization);
      return undefined;
    }
    return caller;
  }

  remember(authorization: string, caller: AuthUser): void {
    this.callers.set(authorization, caller);
  }
}
