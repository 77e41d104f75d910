import { ApiProperty } from '@nestjs/swagger';

export class TokensDto {
  /** A JWT for `Authorization: Bearer`. */
  accessToken!: string;
  /** Opaque; spend it at `POST /api/auth/refresh` for a new pair. */
  refreshToken!: string;
  /** @example "Bearer" */
  tokenType!: 'Bearer';
  /** Seconds until the access token expires. */
  @ApiProperty({ type: 'integer', minimum: 1, example: 900 })
  expiresIn!: number;
}
