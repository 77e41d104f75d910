/** The authenticated caller, as the JWT guard leaves it on the request. */
export interface AuthUser {
  /** Our user id. */
  id: string;
  /** Our own access tokens: the session (login) the token belongs to. */
  sessionId?: string;
  /** An identity provider's access token: the linked identity it was verified for. */
  identity?: { id: string; issuer: string; subject: string };
  /** Access token expiry (seconds since the epoch). */
  expiresAt: number;
}
