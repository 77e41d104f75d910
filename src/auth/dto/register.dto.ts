import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';
import { CodePointLength } from '../../common/validation/code-point-length.decorator.js';
import { Trim } from '../../common/validation/trim.transform.js';
import { NormalizedEmail } from '../../common/validation/email-address.js';
import { IsNewPassword } from './password.rules.js';

export class RegisterDto {
  /**
   * Trimmed and normalized (NFKC, then full case folding: `ß` is `ss`), stored and compared in that form; one
   * that still holds a combining mark or an invisible character (zero-width space, soft hyphen) is a 400.
   * @example "ada@example.com"
   */
  @NormalizedEmail()
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'must be a valid email address' })
  email!: string;

  @IsNewPassword()
  password!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100, example: 'Ada Lovelace' })
  @IsOptional()
  @Trim()
  @IsString()
  @CodePointLength(1, 100)
  name?: string;
}
