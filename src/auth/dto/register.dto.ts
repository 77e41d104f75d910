import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';
import { CodePointLength } from '../../common/validation/code-point-length.decorator.js';
import { Trim } from '../../common/validation/trim.transform.js';
import { IsNewPassword } from './password.rules.js';

export class RegisterDto {
  /**
   * Trimmed; compared case-insensitively.
   * @example "ada@example.com"
   */
  @Trim()
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
