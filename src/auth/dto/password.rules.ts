import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, ValidateBy } from 'class-validator';
import { PASSWORD_MAX_LENGTH, passwordMinLength } from '../../config/password-policy.js';
import { isCommonPassword } from '../common-passwords.js';

/** A new password: length bounds (checked before any hashing), and not a commonly used one. */
export function IsNewPassword(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      minLength: passwordMinLength(),
      maxLength: PASSWORD_MAX_LENGTH,
      example: 'correct horse battery staple',
    }),
    IsString(),
    ValidateBy({
      name: 'passwordLength',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && value.length >= passwordMinLength() && value.length <= PASSWORD_MAX_LENGTH,
        defaultMessage: () => `must be between ${passwordMinLength()} and ${PASSWORD_MAX_LENGTH} characters`,
      },
    }),
    ValidateBy({
      name: 'notCommonPassword',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && !isCommonPassword(value),
        defaultMessage: () => 'is too common; choose a less guessable password',
      },
    }),
  );
}
