import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, ValidateIf } from 'class-validator';
import { CodePointLength } from '../../common/validation/code-point-length.decorator.js';
import { Trim } from '../../common/validation/trim.transform.js';

/** Omitted is fine; `null` is not (neither field can be cleared). */
const Omittable = () => ValidateIf((_: object, value: unknown) => value !== undefined);

/** `PATCH /api/users/me`: only these fields are writable; anything else is a 400. */
export class UpdateUserDto {
  @ApiPropertyOptional({
    maxLength: 254,
    example: 'ada@example.com',
    description: 'Trimmed; compared case-insensitively',
  })
  @Omittable()
  @Trim()
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
}
