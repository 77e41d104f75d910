import { IsString, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../../config/password-policy.js';
import { NormalizedEmail } from '../../common/validation/email-address.js';

export class LoginDto {
  /**
   * Normalized like every email (NFKC, then full case folding); one with a combining mark or an invisible character is a 400.
   * @example "ada@example.com"
   */
  @NormalizedEmail()
  @IsString()
  @MaxLength(254)
  email!: string;

  /**
   * Bounded before hashing, so an oversized password cannot burn CPU.
   * @example "correct horse battery staple"
   */
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}
