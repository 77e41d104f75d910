export class TokensDto {
  /** A JWT for `Authorization: Bearer`. */
  accessToken!: string;
  /** Opaque; spend it at `POST /api/auth/refresh` for a new pair. */
  refreshToken!: string;
  /** @example "Bearer" */
  tokenType!: 'Bearer';
  /**
   * Seconds until the access token expires.
   * @example 900
   */
  expiresIn!: number;
}
