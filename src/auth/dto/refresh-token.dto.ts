import { IsString, Length } from 'class-validator';

/** Body of `POST /api/auth/refresh` and `POST /api/auth/logout`. */
export class RefreshTokenDto {
  /**
   * The refresh token from the last login or refresh. Bounded generously: a
   * wrong kind of token (an access token) is a 401, not a 400.
   * @example "q3Yl8kzJ2m0uVbWfJc9oE1x4hQyT7sPaR6nLdGiKwZs"
   */
  @IsString()
  @Length(1, 4096)
  refreshToken!: string;
}
