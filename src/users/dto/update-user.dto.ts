import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, ValidateIf } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../../config/password-policy.js';
import { CodePointLength } from '../../common/validation/code-point-length.decorator.js';
import { Trim } from '../../common/validation/trim.transform.js';
import { NormalizedEmail } from '../../common/validation/email-address.js';

/** Omitted is fine; `null` is not (neither field can be cleared). */
const Omittable = () => ValidateIf((_: object, value: unknown) => value !== undefined);

/** `PATCH /api/users/me`: only these fields are writable; anything else is a 400. */
export class UpdateUserDto {
  @ApiPropertyOptional({
    maxLength: 254,
    example: 'ada@example.com',
    description:
      'Trimmed and normalized (NFKC, then full case folding), stored and compared in that form; one that still ' +
      'holds a combining mark or an invisible character is a 400. Changing it needs `currentPassword`.',
  })
  @Omittable()
  @NormalizedEmail()
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'must be a valid email address' })
  email?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100, example: 'Ada Lovelace' })
  @Omittable()
  @Trim()
  @IsString()
  @CodePointLength(1, 100)
  name?: string;

  /** Required with `email`, so a stolen access token cannot move the account to another address. */
  @ApiPropertyOptional({
    maxLength: PASSWORD_MAX_LENGTH,
    example: 'correct horse battery staple',
    description:
      'The account’s password; required when `email` is sent (400 without it, 400 on this field when wrong). ' +
      'Email changes are rate-limited per account like logins.',
  })
  @ValidateIf((dto: UpdateUserDto, value: unknown) => value !== undefined || dto.email !== undefined)
  @IsString({ message: 'is required to change the email' })
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword?: string;
}
