import { IsString, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../../config/password-policy.js';
import { IsNewPassword } from './password.rules.js';

export class ChangePasswordDto {
  /**
   * Bounded before hashing, like every password.
   * @example "correct horse battery staple"
   */
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword!: string;

  @IsNewPassword()
  newPassword!: string;
}
