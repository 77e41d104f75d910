/** Our claims in an access token; `iat`, `exp`, `iss` and `aud` are added when signing. */
export interface AccessTokenClaims {
  /** The user id. */
  sub: string;
  /** The session (login) the token belongs to. */
  sid: string;
}
