export class IdentityResponseDto {
  /**
   * The identity provider's `iss`.
   * @example "https://auth.example.com"
   */
  issuer!: string;
  /**
   * Its user id (`sub`).
   * @example "qUCYYBqOJvc4eTZPQBFkbhOo3FsnEkoY"
   */
  subject!: string;
  linkedAt!: Date;
}

export class IdentityEnvelopeDto {
  data!: IdentityResponseDto;
}

export class IdentityListEnvelopeDto {
  data!: IdentityResponseDto[];
}
