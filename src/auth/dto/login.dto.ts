import { IsString, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../../config/password-policy.js';
import { Trim } from '../../common/validation/trim.transform.js';

export class LoginDto {
  /** @example "ada@example.com" */
  @Trim()
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
