/** The authenticated caller, as the JWT guard leaves it on the request. */
export interface AuthUser {
  id: string;
  sessionId: string;
  /** Access token expiry (seconds since the epoch). */
  expiresAt: number;
}
