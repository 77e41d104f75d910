import { ApiProperty } from '@nestjs/swagger';

export class IdentityResponseDto {
  /**
   * The identity provider's `iss`.
   * @example "https://auth.example.com"
   */
  @ApiProperty()
  issuer!: string;
  /**
   * Its user id (`sub`).
   * @example "qUCYYBqOJvc4eTZPQBFkbhOo3FsnEkoY"
   */
  @ApiProperty()
  subject!: string;
  @ApiProperty({ type: Date })
  linkedAt!: string;
}

export class IdentityEnvelopeDto {
  data!: IdentityResponseDto;
}

export class IdentityListEnvelopeDto {
  data!: IdentityResponseDto[];
}
