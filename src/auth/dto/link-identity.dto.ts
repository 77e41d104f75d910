import { IsJWT, MaxLength } from 'class-validator';

export class LinkIdentityDto {
  /**
   * An access token of a trusted identity provider, as proof that the caller
   * holds that identity. Its `(iss, sub)` is linked to the caller's account.
   * @example "eyJhbGciOiJFZERTQSIsImtpZCI6Ii4uLiJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl"
   */
  @MaxLength(8192)
  @IsJWT({ message: 'must be a JWT (an access token of a trusted identity provider)' })
  token!: string;
}
